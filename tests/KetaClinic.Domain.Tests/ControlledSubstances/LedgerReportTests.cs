using KetaClinic.Domain.ControlledSubstances;

namespace KetaClinic.Domain.Tests.ControlledSubstances;

public sealed class LedgerReportTests
{
    private static MassMcg Mg(decimal mg) => MassMcg.FromMilligrams(mg);

    private static readonly Guid SecondPatient = new("9a000000-0000-0000-0000-000000000002");

    private static AdministrationLogFilter All(Guid? product = null, Guid? patient = null, string? person = null, bool reversed = false) =>
        new(DateTimeOffset.MinValue, DateTimeOffset.MaxValue, product, patient, person, reversed);

    [Fact]
    public void The_administration_log_lists_who_got_how_much_from_which_container_and_who_gave_it()
    {
        var h = LedgerChainTests.EveryKind();
        var rows = LedgerReports.AdministrationLog(h.Entries, All());
        Assert.Equal([5L, 8L], rows.Select(r => r.Sequence));
        var first = rows[0];
        Assert.Equal(LedgerHarness.Patient, first.PatientId);
        Assert.Equal(Clinic.Ketamine50.Id, first.ProductId);
        Assert.Equal(Mg(55), first.Mass);
        Assert.Equal(MeasuredAmount.Millilitres(1.1m), first.Measured);
        Assert.Equal("dr.c", first.AdministeredBy);
        Assert.Equal("nurse.a", first.DrawnBy);
        Assert.Equal(4, first.DrawSequence);
        Assert.StartsWith("LOT", first.Lot, StringComparison.Ordinal);
    }

    [Fact]
    public void The_administration_log_filters_by_product_patient_person_and_time()
    {
        var h = LedgerChainTests.EveryKind();
        Assert.Equal([5L], LedgerReports.AdministrationLog(h.Entries, All(product: Clinic.Ketamine50.Id)).Select(r => r.Sequence));
        Assert.Equal([8L], LedgerReports.AdministrationLog(h.Entries, All(patient: SecondPatient)).Select(r => r.Sequence));
        Assert.Equal(2, LedgerReports.AdministrationLog(h.Entries, All(person: "nurse.a")).Count); // drew both
        Assert.Empty(LedgerReports.AdministrationLog(h.Entries, All(person: "nurse.b")));
        var fifth = LedgerReports.AdministrationLog(h.Entries, All())[0].AdministeredAt;
        Assert.Equal([5L], LedgerReports.AdministrationLog(h.Entries, new AdministrationLogFilter(fifth, fifth.AddTicks(10))).Select(r => r.Sequence));
        Assert.Empty(LedgerReports.AdministrationLog(h.Entries, new AdministrationLogFilter(fifth.AddTicks(-10), fifth)));
    }

    [Fact]
    public void A_reversed_administration_leaves_the_log_unless_asked_for()
    {
        var h = LedgerChainTests.EveryKind();
        var correction = h.Accept(h.Correct(5, "charted against the wrong patient"));
        Assert.Equal([8L], LedgerReports.AdministrationLog(h.Entries, All()).Select(r => r.Sequence));
        var withReversed = LedgerReports.AdministrationLog(h.Entries, All(reversed: true));
        Assert.Equal(correction.Sequence, withReversed.Single(r => r.Sequence == 5).ReversedBy);
        Assert.Empty(LedgerReports.PatientHistory(h.Entries, LedgerHarness.Patient));
        Assert.Single(LedgerReports.PatientHistory(h.Entries, SecondPatient));
    }

    [Fact]
    public void The_running_balance_of_a_product_changes_only_with_what_enters_or_leaves_stock()
    {
        var h = LedgerChainTests.EveryKind();
        var rows = LedgerReports.ProductRunningBalance(h.Entries, Clinic.Ketamine50.Id);
        Assert.Equal([1L, 5, 6, 9, 10], rows.Select(r => r.Sequence));
        Assert.Equal([Mg(1500), Mg(-55), Mg(-5), Mg(-15), Mg(-500)], rows.Select(r => r.Change));
        Assert.Equal(Mg(925), rows[^1].OnHand);
        Assert.Equal(h.State.StockOnHand(Clinic.Ketamine50.Id), rows[^1].OnHand);
        var safe = LedgerReports.ProductRunningBalance(h.Entries, Clinic.Ketamine50.Id, Clinic.SafeA);
        Assert.Equal(Mg(500), Assert.Single(safe).OnHand);
    }

    [Fact]
    public void On_hand_at_any_instant_counts_only_what_was_recorded_by_then()
    {
        var h = LedgerChainTests.EveryKind();
        var afterWaste = h.Entries.Single(e => e.Sequence == 6).RecordedAt;
        var then = LedgerState.AsOf(h.Entries, afterWaste);
        Assert.Equal(6, then.LastSequence);
        Assert.Equal(Mg(1440), then.OnHandByFlows(Clinic.Ketamine50.Id));
        Assert.Equal(Mg(940), then.StockOnHand(Clinic.Ketamine50.Id, Clinic.CabinetA));
        Assert.Equal(Mg(500), then.OnHandByFlows(Clinic.Ketamine50.Id, Clinic.SafeA));
        Assert.Equal(5, LedgerState.AsOf(h.Entries, afterWaste.AddTicks(-10)).LastSequence);
    }

    [Fact]
    public void The_running_balance_of_a_container_shows_each_change_of_amount_place_or_state()
    {
        var h = LedgerChainTests.EveryKind();
        var vials = ((Receipt)h.Entries[0].Event).Containers.Select(c => c.ContainerId).ToArray();
        var first = LedgerReports.ContainerRunningBalance(h.Entries, vials[0]);
        Assert.Equal([1L, 4, 9], first.Select(r => r.Sequence));
        Assert.Equal([Mg(500), Mg(440), Mg(425)], first.Select(r => r.Balance));
        Assert.Equal([ContainerState.Sealed, ContainerState.Open, ContainerState.Open], first.Select(r => r.State));
        var moved = LedgerReports.ContainerRunningBalance(h.Entries, vials[2]);
        Assert.Equal([1L, 3, 17, 18], moved.Select(r => r.Sequence));
        Assert.Equal(Clinic.SafeA, moved[1].StorageLocationId);
        Assert.Equal(MassMcg.Zero, moved[1].Change);
        Assert.Equal([Mg(-25), Mg(25)], moved.Skip(2).Select(r => r.Change));
        Assert.Equal(ContainerState.Sealed, moved[^1].State);
    }

    [Fact]
    public void The_waste_and_destruction_log_names_amount_manner_people_and_Form_41()
    {
        var h = LedgerChainTests.EveryKind();
        var rows = LedgerReports.WasteAndDestructionLog(h.Entries, DateTimeOffset.MinValue, DateTimeOffset.MaxValue);
        Assert.Equal([6L, 9, 12], rows.Select(r => r.Sequence));
        Assert.Equal([Mg(5), Mg(15), Mg(200)], rows.Select(r => r.Mass));
        Assert.Equal(4, rows[0].DrawSequence);
        Assert.Equal(["nurse.w"], rows[0].Witnesses);
        Assert.Equal(DisposalKind.Destruction, rows[2].Disposal);
        Assert.Equal("F41-2026-01", rows[2].Form41Reference);
        Assert.Equal(["nurse.w", "dr.c"], rows[2].Witnesses);
        Assert.Equal(Clinic.Ketamine10.Id, rows[2].ProductId);
    }

    [Fact]
    public void Loss_records_carry_their_deadlines()
    {
        var h = LedgerChainTests.EveryKind();
        var row = Assert.Single(LedgerReports.LossRecords(h.Entries, h.Today, new HashSet<DateOnly>(), h.Settings));
        Assert.Equal(Mg(200), row.TotalLost);
        Assert.Equal(h.Today, row.Reports.WrittenNoticeFiledOn);
        Assert.False(row.Reports.WrittenNoticeOverdue);
        Assert.Equal(h.Today.AddDays(45), row.Reports.Form106Due);
    }

    [Fact]
    public void Open_draws_are_listed_at_the_end_of_the_clinic_day()
    {
        var chicago = TimeZoneInfo.CreateCustomTimeZone("clinic", TimeSpan.FromHours(-6), "clinic", "clinic");
        var h = new LedgerHarness();
        var vial = h.ReceiveOne(Clinic.Ketamine50);
        var draw = h.Draw(vial, MeasuredAmount.Millilitres(1)); // 09:01 in the clinic, 2 March
        h.Now = new DateTimeOffset(2026, 3, 3, 5, 59, 0, TimeSpan.Zero); // 23:59 on 2 March in the clinic
        h.Administer(draw, MeasuredAmount.Millilitres(0.5m));
        h.Now = new DateTimeOffset(2026, 3, 3, 6, 0, 0, TimeSpan.Zero); // midnight: 3 March
        h.Accept(h.WasteFromDraw(draw, MeasuredAmount.Millilitres(0.5m)));
        var endOfSecond = Assert.Single(LedgerInvariants.OpenDrawsAtEndOfDay(h.Entries, new DateOnly(2026, 3, 2), chicago));
        Assert.Equal(Mg(25), endOfSecond.Remaining);
        Assert.Empty(LedgerInvariants.OpenDrawsAtEndOfDay(h.Entries, new DateOnly(2026, 3, 3), chicago));
        Assert.Empty(LedgerInvariants.OpenDrawsAtEndOfDay(h.Entries, new DateOnly(2026, 3, 1), chicago));
    }
}
