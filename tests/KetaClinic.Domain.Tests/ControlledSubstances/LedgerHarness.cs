using KetaClinic.Domain.Common;
using KetaClinic.Domain.ControlledSubstances;

namespace KetaClinic.Domain.Tests.ControlledSubstances;

/// <summary>A small clinic: two registered locations, three storage places, three products.</summary>
internal static class Clinic
{
    public static readonly Guid LocationA = new("a0000000-0000-0000-0000-000000000001");
    public static readonly Guid LocationB = new("b0000000-0000-0000-0000-000000000001");
    public static readonly Guid CabinetA = new("a0000000-0000-0000-0000-0000000000c1");
    public static readonly Guid SafeA = new("a0000000-0000-0000-0000-0000000000c2");
    public static readonly Guid CabinetB = new("b0000000-0000-0000-0000-0000000000c1");

    /// <summary>Ketamine 50 mg/mL, 10 mL vial: 500 mg.</summary>
    public static readonly Product Ketamine50 = Product.Vial(
        new Guid("00000000-0000-0000-0000-00000000a050"), ControlledDrug.KetamineHydrochloride, "0409-2051-05",
        ConcentrationMcgPerMl.FromMilligramsPerMillilitre(50), VolumeUl.FromMillilitres(10));

    /// <summary>Ketamine 10 mg/mL, 20 mL vial: 200 mg.</summary>
    public static readonly Product Ketamine10 = Product.Vial(
        new Guid("00000000-0000-0000-0000-00000000a010"), ControlledDrug.KetamineHydrochloride, "42023-113-10",
        ConcentrationMcgPerMl.FromMilligramsPerMillilitre(10), VolumeUl.FromMillilitres(20));

    /// <summary>Esketamine 28 mg nasal devices, two per kit: 56 mg.</summary>
    public static readonly Product Esketamine56 = Product.NasalDevice(
        new Guid("00000000-0000-0000-0000-00000000e056"), ControlledDrug.EsketamineHydrochloride, "50458-028-02",
        MassMcg.FromMilligrams(28), 2);

    public static readonly Supplier Supplier = new("Midwest Specialty Pharma", "100 Main St, Springfield, IL", "PM3141594");

    public static readonly LedgerReference Reference = new(
        [Ketamine50, Ketamine10, Esketamine56],
        [
            StorageLocation.Create(CabinetA, LocationA, "Cabinet A", StorageKind.LockedCabinet),
            StorageLocation.Create(SafeA, LocationA, "Safe A", StorageKind.Safe),
            StorageLocation.Create(CabinetB, LocationB, "Cabinet B", StorageKind.LockedCabinet),
        ],
        [
            DeaRegistration.Create("FK1234563", LocationA, "KetaClinic Springfield", [DeaSchedule.II, DeaSchedule.III, DeaSchedule.IV, DeaSchedule.V], new DateOnly(2025, 1, 1), new DateOnly(2027, 12, 31)),
            DeaRegistration.Create("FK1234563", LocationB, "KetaClinic Shelbyville", [DeaSchedule.III], new DateOnly(2023, 2, 1), new DateOnly(2026, 1, 31)),
        ]);

    /// <summary>Monday 2 March 2026, 15:00 UTC.</summary>
    public static readonly DateTimeOffset Start = new(2026, 3, 2, 15, 0, 0, TimeSpan.Zero);

    public static Guid Id(int n) => new($"c0000000-0000-0000-0000-{n:D12}");
}

/// <summary>Runs commands against a ledger the way the app will: decide, then store and fold the entry.</summary>
internal sealed class LedgerHarness
{
    private int _nextContainer = 1;

    public LedgerState State { get; private set; } = new();
    public List<LedgerEntry> Entries { get; } = [];
    public DateTimeOffset Now { get; set; } = Clinic.Start;
    public DateOnly Today => DateOnly.FromDateTime(Now.UtcDateTime);
    public string User { get; set; } = "nurse.a";
    public LedgerSettings Settings { get; set; } = LedgerSettings.Default;
    public LedgerReference Reference { get; set; } = Clinic.Reference;
    public LedgerContext Context => new(Now, Today, User, Reference, Settings);

    public LedgerDecision Try(LedgerCommand command)
    {
        var decision = ControlledSubstanceLedger.Decide(State, command, Context);
        if (decision.Entry is { } entry)
        {
            State.Apply(entry);
            Entries.Add(entry);
            Now = Now.AddMinutes(1);
        }
        return decision;
    }

    public LedgerEntry Accept(LedgerCommand command)
    {
        var decision = Try(command);
        Assert.True(decision.Accepted, string.Join(" | ", decision.Errors.Select(e => $"{e.Field}: {e.Message}")));
        return decision.Entry!;
    }

    public IReadOnlyList<FieldError> Refuse(LedgerCommand command)
    {
        var before = State.LastSequence;
        var decision = Try(command);
        Assert.False(decision.Accepted, "the command was accepted");
        Assert.Equal(before, State.LastSequence);
        Assert.NotEmpty(decision.Errors);
        return decision.Errors;
    }

    public static FieldError Single(IReadOnlyList<FieldError> errors, string field)
    {
        var matching = errors.Where(e => e.Field == field).ToList();
        Assert.True(matching.Count == 1, $"expected one error on {field}, got: " + string.Join(" | ", errors.Select(e => $"{e.Field}: {e.Message}")));
        return matching[0];
    }

    public Guid NewContainerId() => Clinic.Id(_nextContainer++);

    public RecordReceipt ReceiptOf(Product product, int count = 1, Guid? storage = null, DateOnly? expires = null) =>
        new(storage ?? Clinic.CabinetA, Today, Clinic.Supplier, "INV-" + _nextContainer,
            [.. Enumerable.Range(0, count).Select(_ => new ReceiptLine(NewContainerId(), product.Id, "LOT" + _nextContainer, expires ?? new DateOnly(2027, 6, 30)))],
            "nurse.a", "pharmacist.b");

    public Guid[] Receive(Product product, int count = 1, Guid? storage = null)
    {
        var entry = Accept(ReceiptOf(product, count, storage));
        return [.. ((Receipt)entry.Event).Containers.Select(c => c.ContainerId)];
    }

    public Guid ReceiveOne(Product product, Guid? storage = null) => Receive(product, 1, storage)[0];

    public static readonly Guid Session = new("5e550000-0000-0000-0000-000000000001");
    public static readonly Guid Patient = new("9a000000-0000-0000-0000-000000000001");

    public long Draw(Guid container, MeasuredAmount amount, Guid? session = null) =>
        Accept(new RecordDraw(container, amount, session ?? Session, "nurse.a", Now)).Sequence;

    public long Administer(long draw, MeasuredAmount amount, Guid? patient = null, Guid? session = null) =>
        Accept(new RecordAdministration(draw, session ?? Session, Guid.NewGuid(), patient ?? Patient, amount, "dr.c", Now)).Sequence;

    public WitnessAttestation Witness(string user = "nurse.w") => new(user, Now.AddSeconds(-30));

    public RecordWaste WasteFromDraw(long draw, MeasuredAmount amount) =>
        new(draw, null, amount, "expelled into drug disposal container", "nurse.a", Witness(), Now);

    public RecordWaste WasteFromContainer(Guid container, MeasuredAmount amount) =>
        new(null, container, amount, "vial residue into drug disposal container", "nurse.a", Witness(), Now);

    public RecordCorrection Correct(long sequence, string reason = "entered against the wrong container") => new(sequence, reason, User);

    public ContainerView Container(Guid id) => State.Container(id) ?? throw new InvalidOperationException("no such container");

    public void Replay() => State = LedgerState.Replay(Entries);
}
