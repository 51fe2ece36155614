using KetaClinic.Domain.ControlledSubstances;

namespace KetaClinic.Domain.Tests.ControlledSubstances;

public sealed class CountAndInventoryTests
{
    private static MassMcg Mg(decimal mg) => MassMcg.FromMilligrams(mg);

    private static RecordCount ShiftCount(LedgerHarness h, params CountEntry[] lines) =>
        new(CountKind.Shift, Clinic.LocationA, Clinic.CabinetA, h.Today, null, lines, ["nurse.a", "nurse.b"], null);

    private static RecordCount Inventory(LedgerHarness h, CountKind kind, params CountEntry[] lines) =>
        new(kind, Clinic.LocationA, null, h.Today, InventoryTiming.CloseOfBusiness, lines, ["pharmacist.b"], "B. Pharmacist");

    [Fact]
    public void A_count_that_matches_the_ledger_finds_no_discrepancy()
    {
        var h = new LedgerHarness();
        var ids = h.Receive(Clinic.Ketamine50, 2);
        h.Draw(ids[1], MeasuredAmount.Millilitres(1.5m));
        var entry = h.Accept(ShiftCount(h,
            new CountEntry(ids[0], MeasuredAmount.Millilitres(10), false),
            new CountEntry(ids[1], MeasuredAmount.Millilitres(8.5m), false)));
        var count = (StockCount)entry.Event;
        Assert.Empty(count.Discrepancies);
        Assert.Equal([Mg(500), Mg(425)], count.Lines.Select(l => l.CountedMass));
        Assert.Empty(h.State.OpenDiscrepancies);
    }

    [Fact]
    public void A_container_the_ledger_expects_but_nobody_counted_is_a_discrepancy()
    {
        var h = new LedgerHarness();
        var ids = h.Receive(Clinic.Ketamine50, 2);
        var count = (StockCount)h.Accept(ShiftCount(h, new CountEntry(ids[0], MeasuredAmount.Millilitres(10), false))).Event;
        var d = Assert.Single(count.Discrepancies);
        Assert.Equal(ids[1], d.ContainerId);
        Assert.Equal(Mg(500), d.Expected);
        Assert.Equal(MassMcg.Zero, d.Counted);
        Assert.Equal(Mg(-500), d.Difference);
    }

    [Fact]
    public void A_container_found_where_the_ledger_does_not_have_it_is_a_discrepancy()
    {
        var h = new LedgerHarness();
        var inSafe = h.ReceiveOne(Clinic.Ketamine50, Clinic.SafeA);
        var count = (StockCount)h.Accept(ShiftCount(h, new CountEntry(inSafe, MeasuredAmount.Millilitres(10), false))).Event;
        var d = Assert.Single(count.Discrepancies);
        Assert.Equal(MassMcg.Zero, d.Expected);
        Assert.Equal(Mg(500), d.Counted);
    }

    [Fact]
    public void A_short_count_of_an_exactly_counted_vial_is_a_discrepancy_to_the_microgram()
    {
        var h = new LedgerHarness();
        var id = h.ReceiveOne(Clinic.Ketamine50);
        h.Draw(id, MeasuredAmount.Millilitres(2));
        var count = (StockCount)h.Accept(ShiftCount(h, new CountEntry(id, MeasuredAmount.Millilitres(7.99m), false))).Event;
        Assert.Equal(Mg(-0.5m), Assert.Single(count.Discrepancies).Difference);
    }

    [Fact]
    public void A_sealed_container_is_counted_exactly_never_estimated()
    {
        var h = new LedgerHarness();
        var id = h.ReceiveOne(Clinic.Ketamine50);
        var errors = h.Refuse(ShiftCount(h, new CountEntry(id, MeasuredAmount.Millilitres(10), true)));
        Assert.Contains("only opened containers may be estimated", LedgerHarness.Single(errors, "lines[0].estimated").Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_opened_container_over_the_unit_limit_is_counted_exactly()
    {
        var h = new LedgerHarness { Settings = LedgerSettings.Default with { EstimateAllowedUpToUnits = new(5, "state rule for this test") } };
        var id = h.ReceiveOne(Clinic.Ketamine50);
        h.Draw(id, MeasuredAmount.Millilitres(1));
        var errors = h.Refuse(ShiftCount(h, new CountEntry(id, MeasuredAmount.Millilitres(9), true)));
        Assert.Contains("more than 5 units", LedgerHarness.Single(errors, "lines[0].estimated").Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("6.5", false)] // 0.5 mL off: within 5 % of 10 mL
    [InlineData("6.49", true)] // 0.51 mL off: beyond it
    public void An_estimate_of_an_opened_vial_raises_a_discrepancy_only_beyond_the_tolerance(string countedMl, bool discrepancy)
    {
        var h = new LedgerHarness();
        var id = h.ReceiveOne(Clinic.Ketamine50);
        h.Draw(id, MeasuredAmount.Millilitres(3));
        var count = (StockCount)h.Accept(ShiftCount(h, new CountEntry(id, MeasuredAmount.Millilitres(decimal.Parse(countedMl, System.Globalization.CultureInfo.InvariantCulture)), true))).Event;
        Assert.Equal(discrepancy, count.Discrepancies.Count == 1);
        Assert.True(count.Lines[0].Estimated);
    }

    [Fact]
    public void A_count_needs_counters_a_known_container_each_counted_once_and_one_storage_place()
    {
        var h = new LedgerHarness();
        var id = h.ReceiveOne(Clinic.Ketamine50);
        var bad = new RecordCount(CountKind.Daily, Clinic.LocationA, Clinic.CabinetB, h.Today, null,
            [new CountEntry(id, MeasuredAmount.Millilitres(10), false), new CountEntry(id, MeasuredAmount.Millilitres(10), false), new CountEntry(Guid.NewGuid(), MeasuredAmount.Millilitres(1), false)],
            [], null);
        var errors = h.Refuse(bad);
        Assert.Equal(["storageLocationId", "countedBy", "lines[1].containerId", "lines[2].containerId"], errors.Select(e => e.Field));
    }

    [Fact]
    public void An_inventory_covers_the_whole_location_is_timed_and_signed()
    {
        var h = new LedgerHarness();
        var bad = new RecordCount(CountKind.Biennial, Clinic.LocationA, Clinic.CabinetA, h.Today, null, [], ["pharmacist.b"], null);
        Assert.Equal(["storageLocationId", "timing", "signature"], h.Refuse(bad).Select(e => e.Field));
    }

    [Fact]
    public void An_inventory_counts_every_storage_place_of_the_location_and_not_other_locations()
    {
        var h = new LedgerHarness();
        var cabinet = h.ReceiveOne(Clinic.Ketamine50, Clinic.CabinetA);
        var safe = h.ReceiveOne(Clinic.Esketamine56, Clinic.SafeA);
        h.Draw(safe, MeasuredAmount.Devices(1));
        var count = (StockCount)h.Accept(Inventory(h, CountKind.Initial,
            new CountEntry(cabinet, MeasuredAmount.Millilitres(10), false),
            new CountEntry(safe, MeasuredAmount.Devices(1), true))).Event;
        Assert.Empty(count.Discrepancies);
        Assert.Equal(InventoryTiming.CloseOfBusiness, count.Timing);
        Assert.Equal("B. Pharmacist", count.Signature);
    }

    [Fact]
    public void A_discrepancy_stays_open_until_someone_who_did_not_count_resolves_it_with_a_reason()
    {
        var h = new LedgerHarness();
        h.Receive(Clinic.Ketamine50, 1);
        var countSeq = h.Accept(ShiftCount(h)).Sequence;
        var open = Assert.Single(h.State.OpenDiscrepancies);
        var reference = new DiscrepancyRef(countSeq, 0);
        Assert.Equal(reference, open.Ref);
        LedgerHarness.Single(h.Refuse(new RecordDiscrepancyResolution(reference, "miscounted", "nurse.b")), "resolvedBy");
        LedgerHarness.Single(h.Refuse(new RecordDiscrepancyResolution(reference, "", "dr.c")), "reason");
        LedgerHarness.Single(h.Refuse(new RecordDiscrepancyResolution(new DiscrepancyRef(countSeq, 1), "x", "dr.c")), "discrepancy");
        var resolution = h.Accept(new RecordDiscrepancyResolution(reference, "Vial was in the safe drawer; recounted, present.", "dr.c")).Sequence;
        Assert.Empty(h.State.OpenDiscrepancies);
        Assert.Equal("dr.c", h.State.Discrepancy(reference)!.ResolvedBy);
        LedgerHarness.Single(h.Refuse(new RecordDiscrepancyResolution(reference, "again", "dr.c")), "discrepancy");
        h.Accept(h.Correct(resolution, "resolved in error"));
        Assert.Single(h.State.OpenDiscrepancies);
    }

    [Fact]
    public void A_counter_may_resolve_when_the_clinic_allows_it()
    {
        var h = new LedgerHarness { Settings = LedgerSettings.Default with { ResolverMustNotHaveCounted = new(false, "single-physician clinic") } };
        h.Receive(Clinic.Ketamine50, 1);
        var countSeq = h.Accept(ShiftCount(h)).Sequence;
        h.Accept(new RecordDiscrepancyResolution(new DiscrepancyRef(countSeq, 0), "found", "nurse.b"));
    }

    [Fact]
    public void The_biennial_inventory_is_due_two_years_after_the_last_one()
    {
        var h = new LedgerHarness();
        Assert.True(InventorySchedule.Status(h.State, Clinic.LocationA, h.Today, h.Settings).InitialMissing);
        h.Accept(Inventory(h, CountKind.Initial));
        var status = InventorySchedule.Status(h.State, Clinic.LocationA, h.Today, h.Settings);
        Assert.False(status.InitialMissing);
        Assert.Equal(new DateOnly(2028, 3, 2), status.DueOn);
        Assert.False(InventorySchedule.Status(h.State, Clinic.LocationA, new DateOnly(2028, 3, 2), h.Settings).Overdue);
        Assert.True(InventorySchedule.Status(h.State, Clinic.LocationA, new DateOnly(2028, 3, 3), h.Settings).Overdue);
        Assert.True(InventorySchedule.Status(h.State, Clinic.LocationB, h.Today, h.Settings).InitialMissing);
        var yearly = h.Settings with { InventoryIntervalYears = new(1, "state rule: yearly inventory") };
        Assert.Equal(new DateOnly(2027, 3, 2), InventorySchedule.NextDue(h.Today, yearly));
        // A shift count is not an inventory.
        h.Accept(ShiftCount(h));
        Assert.Equal(new DateOnly(2028, 3, 2), InventorySchedule.Status(h.State, Clinic.LocationA, h.Today, h.Settings).DueOn);
    }
}
