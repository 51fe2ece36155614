using KetaClinic.Domain.ControlledSubstances;

namespace KetaClinic.Domain.Tests.ControlledSubstances;

public sealed class LossDeadlineTests
{
    private static readonly HashSet<DateOnly> NoHolidays = [];

    [Theory]
    [InlineData("2026-03-02", "2026-03-03")] // Monday → Tuesday
    [InlineData("2026-03-06", "2026-03-09")] // Friday → Monday
    [InlineData("2026-03-07", "2026-03-09")] // Saturday → Monday
    [InlineData("2026-03-08", "2026-03-09")] // Sunday → Monday
    public void The_written_notice_is_due_one_business_day_after_discovery(string discovered, string due) =>
        Assert.Equal(DateOnly.Parse(due, System.Globalization.CultureInfo.InvariantCulture),
            LossDeadlines.WrittenNoticeDue(DateOnly.Parse(discovered, System.Globalization.CultureInfo.InvariantCulture), NoHolidays, LedgerSettings.Default));

    [Fact]
    public void A_clinic_holiday_does_not_count_as_a_business_day()
    {
        var memorialDay = new DateOnly(2026, 5, 25);
        HashSet<DateOnly> holidays = [memorialDay];
        Assert.Equal(new DateOnly(2026, 5, 26), LossDeadlines.WrittenNoticeDue(new DateOnly(2026, 5, 22), holidays, LedgerSettings.Default));
    }

    [Fact]
    public void Form_106_is_due_45_days_after_discovery() =>
        Assert.Equal(new DateOnly(2026, 4, 16), LossDeadlines.Form106Due(new DateOnly(2026, 3, 2), LedgerSettings.Default));

    [Fact]
    public void A_loss_is_overdue_until_each_report_is_filed_and_late_when_filed_after_the_due_day()
    {
        var h = new LedgerHarness();
        var id = h.ReceiveOne(Clinic.Ketamine50);
        var loss = h.Accept(new RecordLossOrTheft(LossKind.Theft, new DateOnly(2026, 2, 27), "Vial missing at Friday close.", [new LossLine(id, null)], "dr.c")).Sequence;
        var status = Assert.Single(LossDeadlines.Status(h.State, h.Today, NoHolidays, h.Settings));
        Assert.Equal(new DateOnly(2026, 3, 2), status.WrittenNoticeDue);
        Assert.False(status.WrittenNoticeOverdue); // due today
        Assert.False(status.Form106Overdue);

        h.Now = h.Now.AddDays(1);
        status = Assert.Single(LossDeadlines.Status(h.State, h.Today, NoHolidays, h.Settings));
        Assert.True(status.WrittenNoticeOverdue);

        h.Accept(new RecordLossReportFiled(loss, LossReportKind.WrittenNotice, h.Today, "letter to field office", "dr.c"));
        status = Assert.Single(LossDeadlines.Status(h.State, h.Today, NoHolidays, h.Settings));
        Assert.False(status.WrittenNoticeOverdue);
        Assert.True(status.WrittenNoticeLate);
        Assert.Equal(new DateOnly(2026, 4, 13), status.Form106Due);
        Assert.True(Assert.Single(LossDeadlines.Status(h.State, new DateOnly(2026, 4, 14), NoHolidays, h.Settings)).Form106Overdue);
    }

    [Fact]
    public void A_reversed_loss_has_no_deadlines()
    {
        var h = new LedgerHarness();
        var id = h.ReceiveOne(Clinic.Ketamine50);
        var loss = h.Accept(new RecordLossOrTheft(LossKind.Theft, h.Today, "Missing.", [new LossLine(id, null)], "dr.c")).Sequence;
        h.Accept(h.Correct(loss, "found"));
        Assert.Empty(LossDeadlines.Status(h.State, h.Today.AddDays(60), NoHolidays, h.Settings));
    }

    [Fact]
    public void The_deadlines_are_settings()
    {
        var settings = LedgerSettings.Default with { LossNoticeBusinessDays = new(2, "state rule"), Form106Days = new(30, "state rule") };
        Assert.Equal(new DateOnly(2026, 3, 10), LossDeadlines.WrittenNoticeDue(new DateOnly(2026, 3, 6), NoHolidays, settings));
        Assert.Equal(new DateOnly(2026, 4, 5), LossDeadlines.Form106Due(new DateOnly(2026, 3, 6), settings));
    }
}
