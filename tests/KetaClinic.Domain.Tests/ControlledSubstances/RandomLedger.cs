using FsCheck;
using FsCheck.Fluent;
using KetaClinic.Domain.ControlledSubstances;

namespace KetaClinic.Domain.Tests.ControlledSubstances;

/// <summary>One step of a generated ledger: which kind of command, and numbers that pick its targets and amounts.</summary>
public sealed record ScriptStep(int Kind, int Pick, int Amount, int Flag);

/// <summary>
/// Turns generated steps into commands against the ledger as it stands, so most are valid and some are not
/// (too much, wrong container, already reversed...). Refused commands leave no trace; that is part of what the
/// properties check.
/// </summary>
internal static class RandomLedger
{
    public const int Kinds = 13;

    public static readonly Gen<ScriptStep> Steps =
        from kind in Gen.Frequency(
            (4, Gen.Constant(0)), // receipt
            (1, Gen.Constant(1)), // transfer
            (6, Gen.Constant(2)), // draw
            (6, Gen.Constant(3)), // administration
            (3, Gen.Constant(4)), // waste from a draw
            (1, Gen.Constant(5)), // waste from a container
            (1, Gen.Constant(6)), // return
            (1, Gen.Constant(7)), // destruction
            (1, Gen.Constant(8)), // loss
            (3, Gen.Constant(9)), // correction
            (1, Gen.Constant(10)), // count
            (1, Gen.Constant(11)), // resolve a discrepancy
            (1, Gen.Constant(12))) // file a loss report
        from pick in Gen.Choose(0, 1000)
        from amount in Gen.Choose(0, 1000)
        from flag in Gen.Choose(0, 9)
        select new ScriptStep(kind, pick, amount, flag);

    public static readonly Gen<ScriptStep[]> Scripts = Gen.Choose(5, 60).SelectMany(n => Steps.ArrayOf(n));

    public static Arbitrary<ScriptStep[]> Arbitrary => Scripts.ToArbitrary();

    private static readonly Product[] Products = [Clinic.Ketamine50, Clinic.Ketamine10, Clinic.Esketamine56];
    private static readonly Guid[] StoragePlaces = [Clinic.CabinetA, Clinic.SafeA];

    /// <summary>Runs a script; <paramref name="afterEach"/> sees every decision and the state after it.</summary>
    public static LedgerHarness Run(IEnumerable<ScriptStep> script, Action<LedgerHarness, LedgerCommand, LedgerDecision>? afterEach = null)
    {
        var h = new LedgerHarness();
        foreach (var step in script)
        {
            if (Command(h, step) is not { } command)
            {
                continue;
            }
            var decision = h.Try(command);
            afterEach?.Invoke(h, command, decision);
        }
        return h;
    }

    public static LedgerCommand? Command(LedgerHarness h, ScriptStep s)
    {
        var containers = h.State.Containers;
        var draws = h.State.Draws;
        ContainerView? AnyContainer() => containers.Count == 0 ? null : containers[s.Pick % containers.Count];
        ContainerView? InStock()
        {
            var inStock = containers.Where(c => c.State is ContainerState.Sealed or ContainerState.Open).ToList();
            // Now and then pick any container, so refusals of used-up ones are exercised too.
            return s.Flag == 0 || inStock.Count == 0 ? AnyContainer() : inStock[s.Pick % inStock.Count];
        }
        DrawView? OpenDraw()
        {
            var open = draws.Where(d => d.Remaining.Micrograms > 0).ToList();
            return open.Count == 0 || s.Flag == 0 ? (draws.Count == 0 ? null : draws[s.Pick % draws.Count]) : open[s.Pick % open.Count];
        }
        switch (s.Kind)
        {
            case 0:
                {
                    var product = Products[s.Pick % Products.Length];
                    return h.ReceiptOf(product, 1 + (s.Amount % 3), StoragePlaces[s.Flag % 2]);
                }
            case 1:
                {
                    var c = InStock();
                    return c is null ? null : new RecordTransfer(c.Id, c.StorageLocationId, c.StorageLocationId == Clinic.CabinetA ? Clinic.SafeA : Clinic.CabinetA, "nurse.a", null);
                }
            case 2:
                {
                    var c = InStock();
                    return c is null ? null : new RecordDraw(c.Id, DrawAmount(c, s), Session(s), "nurse.a", h.Now);
                }
            case 3:
                {
                    var d = OpenDraw();
                    return d is null ? null : new RecordAdministration(d.Sequence, d.SessionId, Guid.NewGuid(), Patient(s), PartOf(d, s), s.Flag < 5 ? "dr.c" : "nurse.b", h.Now);
                }
            case 4:
                {
                    var d = OpenDraw();
                    return d is null ? null : h.WasteFromDraw(d.Sequence, s.Flag < 6 ? Whole(d.ProductId, d.Remaining) : PartOf(d, s));
                }
            case 5:
                {
                    var c = InStock();
                    return c is null ? null : h.WasteFromContainer(c.Id, s.Flag < 3 ? Whole(c.ProductId, c.Balance) : DrawAmount(c, s));
                }
            case 6:
                {
                    var c = InStock();
                    return c is null ? null : new RecordReturnToSupplier([c.Id], Clinic.Supplier, h.Today, "RA-" + s.Pick, "pharmacist.b", null);
                }
            case 7:
                {
                    var c = InStock();
                    return c is null ? null : new RecordDestruction([c.Id], h.Today, "reverse distributor", "F41-" + s.Pick, "pharmacist.b", [h.Witness("nurse.w"), h.Witness("dr.c")]);
                }
            case 8:
                {
                    var c = InStock();
                    return c is null ? null : new RecordLossOrTheft(s.Flag < 5 ? LossKind.Theft : LossKind.SignificantLoss, h.Today, "generated",
                        [new LossLine(c.Id, s.Flag % 2 == 0 ? null : DrawAmount(c, s))], "dr.c");
                }
            case 9:
                return h.State.LastSequence == 0 ? null : h.Correct(1 + (s.Pick % h.State.LastSequence), "generated correction");
            case 10:
                {
                    var place = StoragePlaces[s.Flag % 2];
                    var here = containers.Where(c => c.StorageLocationId == place && c.State is ContainerState.Sealed or ContainerState.Open or ContainerState.Empty).ToList();
                    var lines = here
                        .Where((_, i) => (i + s.Pick) % 7 != 0) // sometimes a container is missed
                        .Select(c => new CountEntry(c.Id, CountOf(c, s), false))
                        .ToList();
                    return new RecordCount(CountKind.Daily, Clinic.LocationA, place, h.Today, null, lines, ["nurse.a"], null);
                }
            case 11:
                {
                    var open = h.State.OpenDiscrepancies;
                    return open.Count == 0 ? null : new RecordDiscrepancyResolution(open[s.Pick % open.Count].Ref, "explained", "dr.c");
                }
            default:
                {
                    var losses = h.State.Losses;
                    return losses.Count == 0 ? null : new RecordLossReportFiled(losses[s.Pick % losses.Count].Sequence,
                        s.Flag % 2 == 0 ? LossReportKind.WrittenNotice : LossReportKind.Form106, h.Today, "ref", "dr.c");
                }
        }
    }

    private static Guid Session(ScriptStep s) => Clinic.Id(1_000_000 + (s.Pick % 5));

    private static Guid Patient(ScriptStep s) => Clinic.Id(2_000_000 + (s.Amount % 4));

    private static Product ProductOf(Guid id) => Products.Single(p => p.Id == id);

    /// <summary>A draw-sized amount: 0.01–2.5 mL of a vial (sometimes more than it holds), or 1–2 devices.</summary>
    private static MeasuredAmount DrawAmount(ContainerView c, ScriptStep s)
    {
        var product = ProductOf(c.ProductId);
        if (product.Form == FinishedForm.NasalDevice)
        {
            return MeasuredAmount.Devices(1 + (s.Amount % 2));
        }
        var microlitres = 10L * (1 + (s.Amount % 250));
        if (s.Flag == 9)
        {
            // Occasionally what is left plus 1–10 µL: must be refused, however small the excess.
            microlitres = product.Concentration!.Value.VolumeOf(c.Balance)!.Value.Microlitres + 1 + (s.Pick % 10);
        }
        return MeasuredAmount.Of(new VolumeUl(microlitres));
    }

    /// <summary>A share of what is left in a draw, in the product's own unit; now and then a little too much.</summary>
    private static MeasuredAmount PartOf(DrawView d, ScriptStep s)
    {
        var product = ProductOf(d.ProductId);
        if (product.Form == FinishedForm.NasalDevice)
        {
            var mcg = s.Flag == 9 ? d.Remaining.Micrograms + 1 : Math.Max(1, d.Remaining.Micrograms * (s.Amount % 101) / 100);
            return MeasuredAmount.Of(new MassMcg(mcg));
        }
        var left = product.Concentration!.Value.VolumeOf(d.Remaining)!.Value.Microlitres;
        var part = s.Flag == 9 ? left + 1 + (s.Pick % 10) : Math.Max(10, left * (s.Amount % 101) / 100 / 10 * 10);
        return MeasuredAmount.Of(new VolumeUl(Math.Min(part, s.Flag == 9 ? part : left)));
    }

    private static MeasuredAmount Whole(Guid productId, MassMcg mass)
    {
        var product = ProductOf(productId);
        return product.Form == FinishedForm.Vial
            ? MeasuredAmount.Of(product.Concentration!.Value.VolumeOf(mass)!.Value)
            : MeasuredAmount.Of(mass);
    }

    /// <summary>What a counter reports: mostly the ledger's balance, sometimes a little off.</summary>
    private static MeasuredAmount CountOf(ContainerView c, ScriptStep s)
    {
        var product = ProductOf(c.ProductId);
        var mass = s.Amount % 5 == 0 && c.Balance.Micrograms > 0 ? c.Balance - new MassMcg(product.Form == FinishedForm.Vial ? product.Concentration!.Value.MicrogramsPerMillilitre / 100 : 1) : c.Balance;
        return product.Form == FinishedForm.Vial ? MeasuredAmount.Of(product.Concentration!.Value.VolumeOf(mass)!.Value) : MeasuredAmount.Of(mass);
    }
}
