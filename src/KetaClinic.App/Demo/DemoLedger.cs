using KetaClinic.App.Data;
using KetaClinic.App.Features.ControlledSubstances;
using KetaClinic.Domain.Common;
using KetaClinic.Domain.ControlledSubstances;
using KetaClinic.Domain.Protocols;

namespace KetaClinic.App.Demo;

/// <summary>
/// The demo clinic's controlled-substance ledger, built through the real decisions so every entry is one the app
/// would have accepted: a DEA registration, a safe and a cabinet, three products, an initial inventory, deliveries
/// into the safe, vials moved to the cabinet, and for every completed IV, IM and esketamine session a draw, the dose
/// given (the protocol's default dose through the dose calculation; esketamine 56 or 84 mg) and the rest wasted with a second nurse as
/// witness; an opened vial's leftover is wasted before the next is opened; the day ends with a count of both
/// places. It balances to the microgram against the sessions. Sublingual doses are the patient's own supply.
/// </summary>
public sealed class DemoLedger(Random random, Guid locationId, TimeZoneInfo zone, DemoLedger.Staff staff, Func<int, Guid> ids)
{
    public sealed record Staff(string Nurse, string SecondNurse, string Physician, string PhysicianName);

    /// <summary>A completed session that used clinic stock.</summary>
    public sealed record DemoSession(Guid Id, Guid PatientId, string ProtocolId, DateTimeOffset Start, int SequenceNumber, decimal WeightKg);

    public sealed record Result(
        DeaRegistrationRow Registration, IReadOnlyList<StorageLocationRow> Storage, IReadOnlyList<ControlledProductRow> Products,
        IReadOnlyList<LedgerEntry> Entries);

    private static readonly Supplier Distributor = new("Midwest Pharmaceutical Distributors", "1200 Commerce Parkway, Peoria, IL 61602", Dea("RM", 5, 4, 1, 8, 2, 6));

    private readonly List<LedgerEntry> _entries = [];
    private LedgerState _state = new();
    private LedgerReference _reference = null!;
    private DateTimeOffset _cursor;
    private int _next = 1;

    public static string Dea(string letters, int d1, int d2, int d3, int d4, int d5, int d6) =>
        $"{letters}{d1}{d2}{d3}{d4}{d5}{d6}{DeaNumber.CheckDigit(d1, d2, d3, d4, d5, d6)}";

    public Result Build(IReadOnlyList<DemoSession> sessions, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(sessions);
        // Sessions of the injected and intranasal protocols; oral and sublingual tablets are not kept in these vials.
        var ordered = sessions.Where(s => ProtocolLibrary.Default.Get(s.ProtocolId).Route is AdministrationRoute.Intravenous or AdministrationRoute.Intramuscular or AdministrationRoute.Intranasal)
            .OrderBy(s => s.Start).ThenBy(s => s.Id).ToList();
        var today = Day(now);
        var firstDay = ordered.Count == 0 ? today.AddDays(-30) : Day(ordered[0].Start);
        var createdAt = At(firstDay.AddDays(-45), 9);

        var registration = new DeaRegistrationRow
        {
            Id = ids(_next++),
            LocationId = locationId,
            Number = Dea("BR", 4, 7, 2, 1, 8, 5),
            RegistrantName = staff.PhysicianName,
            RegistrantUserId = staff.Physician,
            Schedules = "II,IIN,III,IIIN,IV,V",
            ValidFrom = firstDay.AddDays(-60),
            ExpiresOn = today.AddDays(420),
            CreatedAt = createdAt,
            CreatedBy = "system:demo-seed",
        };
        var safe = StorageLocation.Create(ids(_next++), locationId, "Main safe", StorageKind.Safe);
        var cabinet = StorageLocation.Create(ids(_next++), locationId, "Treatment room cabinet", StorageKind.LockedCabinet);
        var ket50 = Product.Vial(ids(_next++), ControlledDrug.KetamineHydrochloride, "0409-2051-05", ConcentrationMcgPerMl.FromMilligramsPerMillilitre(50), VolumeUl.FromMillilitres(10));
        var ket100 = Product.Vial(ids(_next++), ControlledDrug.KetamineHydrochloride, "0409-2053-10", ConcentrationMcgPerMl.FromMilligramsPerMillilitre(100), VolumeUl.FromMillilitres(5));
        var esk = Product.NasalDevice(ids(_next++), ControlledDrug.EsketamineHydrochloride, "50458-028-02", MassMcg.FromMilligrams(28), 2);
        _reference = new LedgerReference([ket50, ket100, esk], [safe, cabinet], [LedgerReferenceData.ToDomain(registration)]);
        _cursor = At(firstDay.AddDays(-2), 8);

        Record(_cursor, staff.Nurse, new RecordCount(CountKind.Initial, locationId, null, Day(_cursor), InventoryTiming.OpeningOfBusiness, [], [staff.Nurse, staff.Physician], staff.PhysicianName));

        foreach (var s in ordered)
        {
            var protocol = ProtocolLibrary.Default.Get(s.ProtocolId);
            var product = protocol.Route switch
            {
                AdministrationRoute.Intravenous => ket50,
                AdministrationRoute.Intramuscular => ket100,
                _ => esk,
            };
            // The dose the plan would give: the protocol's default through the real calculation (esketamine sometimes
            // at the protocol's highest allowed dose after the first sessions). A dose a hard stop forbids is not given.
            var order = protocol.Devices is { } devices && s.SequenceNumber > 4 && random.Next(100) < 40
                ? DoseAmount.InDevices(devices.AllowedDoses.Value.Max())
                : protocol.Dose.Default.Value;
            var dose = DoseCalculator.Calculate(
                new DoseRequest(protocol, order, new RecordedWeight(new WeightKg(s.WeightKg), s.Start.AddDays(-1)), s.SequenceNumber, s.Start),
                DosingSettings.Default);
            if (dose.IsAllowed)
            {
                Serve(s, product, MassMcg.FromMilligrams(dose.Dose!.Value.Value), safe, cabinet);
            }
        }

        var countAt = Later(now.AddMinutes(-30));
        foreach (var place in new[] { cabinet, safe })
        {
            var lines = _state.Containers.Where(c => c.StorageLocationId == place.Id && c.State is ContainerState.Sealed or ContainerState.Open && c.Balance.Micrograms > 0)
                .Select(c => new CountEntry(c.Id, Counted(c), false)).ToList();
            Record(countAt, staff.Nurse, new RecordCount(CountKind.Daily, locationId, place.Id, Day(countAt), InventoryTiming.CloseOfBusiness, lines, [staff.Nurse, staff.SecondNurse], null));
        }
        var products = new[] { ket50, ket100, esk }.Select(p => LedgerReferenceData.ToRow(p, createdAt, "system:demo-seed")).ToList();
        var storage = new[] { safe, cabinet }.Select(p => new StorageLocationRow { Id = p.Id, LocationId = p.ClinicLocationId, Name = p.Name, Kind = p.Kind.ToString(), CreatedAt = createdAt, CreatedBy = "system:demo-seed" }).ToList();
        return new Result(registration, storage, products, _entries);
    }

    private void Serve(DemoSession s, Product product, MassMcg dose, StorageLocation safe, StorageLocation cabinet)
    {
        var start = s.Start;
        var left = dose;
        var draws = new List<(long Sequence, MassMcg Drawn, MassMcg Given)>();
        while (left.Micrograms > 0)
        {
            // Vials: draw the dose rounded up to 0.1 mL from one vial; devices: whole devices, kit by kit.
            var wanted = product.Form == FinishedForm.Vial ? RoundUpToTenthMl(product, left) : left;
            var container = OpenContainer(product, cabinet, product.Form == FinishedForm.Vial ? wanted : product.MassPerDevice!.Value, start, safe);
            var drawn = wanted > container.Balance ? container.Balance : wanted;
            var drawAt = Later(start.AddMinutes(5));
            var amount = product.Form == FinishedForm.Vial ? MeasuredAmount.Of(product.Concentration!.Value.VolumeOf(drawn)!.Value) : MeasuredAmount.Devices((int)(drawn.Micrograms / product.MassPerDevice!.Value.Micrograms));
            var draw = Record(drawAt, staff.Nurse, new RecordDraw(container.Id, amount, s.Id, staff.Nurse, drawAt));
            var given = drawn > left ? left : drawn;
            draws.Add((draw.Sequence, drawn, given));
            left -= given;
        }
        foreach (var (sequence, drawn, given) in draws)
        {
            var at = Later(start.AddMinutes(15));
            var amount = product.Form == FinishedForm.Vial ? MeasuredAmount.Of(given) : MeasuredAmount.Devices((int)(given.Micrograms / product.MassPerDevice!.Value.Micrograms));
            Record(at, staff.Nurse, new RecordAdministration(sequence, s.Id, ids(_next++), s.PatientId, amount, staff.Nurse, at));
            if (drawn > given)
            {
                var wasteAt = Later(start.AddMinutes(20));
                Record(wasteAt, staff.Nurse, new RecordWaste(sequence, null, MeasuredAmount.Of(drawn - given), "Squirted into the drug-waste container", staff.Nurse,
                    new WitnessAttestation(staff.SecondNurse, wasteAt.AddSeconds(-40)), wasteAt));
            }
        }
    }

    /// <summary>The open (or a sealed) container of the product in the cabinet that holds at least <paramref name="needed"/>.</summary>
    private ContainerView OpenContainer(Product product, StorageLocation cabinet, MassMcg needed, DateTimeOffset start, StorageLocation safe)
    {
        var inCabinet = _state.Containers.Where(c => c.ProductId == product.Id && c.StorageLocationId == cabinet.Id && c.State is ContainerState.Sealed or ContainerState.Open && c.Balance.Micrograms > 0)
            .OrderBy(c => c.State == ContainerState.Open ? 0 : 1).ThenBy(c => c.ExpiresOn).ToList();
        var open = inCabinet.FirstOrDefault();
        if (open is not null && open.Balance >= needed)
        {
            return open;
        }
        if (open is not null && product.Form == FinishedForm.Vial)
        {
            // Not enough left in the opened vial for this dose: its remainder is wasted, witnessed, before the next is opened.
            var at = Later(start.AddMinutes(2));
            Record(at, staff.Nurse, new RecordWaste(null, open.Id, MeasuredAmount.Of(open.Balance), "Remainder of an opened vial, discarded in the drug-waste container", staff.Nurse,
                new WitnessAttestation(staff.SecondNurse, at.AddSeconds(-40)), at));
        }
        else if (open is not null)
        {
            return open;
        }
        var sealedInSafe = _state.Containers.Where(c => c.ProductId == product.Id && c.StorageLocationId == safe.Id && c.State == ContainerState.Sealed)
            .OrderBy(c => c.ExpiresOn).FirstOrDefault();
        if (sealedInSafe is null)
        {
            var day = Day(start);
            var receivedAt = Later(At(day, 7) < _cursor ? _cursor : At(day, 7));
            var count = product.Form == FinishedForm.Vial ? 10 : 12;
            var lot = $"{(product.Drug == ControlledDrug.KetamineHydrochloride ? "KT" : "ES")}{random.Next(10000, 99999)}";
            var lines = Enumerable.Range(0, count).Select(_ => new ReceiptLine(ids(_next++), product.Id, lot, day.AddYears(2))).ToList();
            Record(receivedAt, staff.Nurse, new RecordReceipt(safe.Id, Day(receivedAt), Distributor, $"INV-{random.Next(100000, 999999)}", lines, staff.Nurse, staff.Physician));
            sealedInSafe = _state.Container(lines[0].ContainerId)!;
        }
        var movedAt = Later(start.AddMinutes(3));
        Record(movedAt, staff.Nurse, new RecordTransfer(sealedInSafe.Id, safe.Id, cabinet.Id, staff.Nurse, "To the treatment room for today's sessions"));
        return _state.Container(sealedInSafe.Id)!;
    }

    private LedgerEntry Record(DateTimeOffset at, string by, LedgerCommand command)
    {
        _cursor = at;
        var decision = ControlledSubstanceLedger.Decide(_state, command, new LedgerContext(at, Day(at), by, _reference, LedgerSettings.Default));
        if (!decision.Accepted)
        {
            throw new InvalidOperationException($"The demo ledger refused a {command.GetType().Name}: " + string.Join("; ", decision.Errors.Select(e => $"{e.Field} {e.Message}")));
        }
        _state.Apply(decision.Entry!);
        _entries.Add(decision.Entry!);
        return decision.Entry!;
    }

    private static MeasuredAmount Counted(ContainerView c) => MeasuredAmount.Of(c.Balance);

    private static MassMcg RoundUpToTenthMl(Product vial, MassMcg dose)
    {
        var tenth = vial.Concentration!.Value.MassIn(new VolumeUl(100))!.Value.Micrograms;
        return new MassMcg((dose.Micrograms + tenth - 1) / tenth * tenth);
    }

    /// <summary>Entries are in time order: an entry never goes before the one recorded just before it.</summary>
    private DateTimeOffset Later(DateTimeOffset wanted) => LedgerChain.NormalizeInstant(wanted > _cursor ? wanted : _cursor.AddSeconds(1));

    private DateOnly Day(DateTimeOffset instant) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, zone).DateTime);

    private DateTimeOffset At(DateOnly day, int hour) => DemoTreatmentHistory.At(day, hour, zone);
}
