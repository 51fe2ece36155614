using KetaClinic.Domain.Monitoring;
using KetaClinic.Domain.Sessions;
using static KetaClinic.Domain.Tests.Sessions.SessionFixtures;

namespace KetaClinic.Domain.Tests.Sessions;

public class MonitoringScheduleTests
{
    private static DueCheck Check(TreatmentSession session, string code, DateTimeOffset now) =>
        Assert.Single(session.MonitoringStatus(now, Settings).Checks, c => c.Code == code);

    private static void Bp(TreatmentSession session, DateTimeOffset at, decimal systolic = 124m, decimal diastolic = 82m) =>
        session.RecordVitals(ManualVitals.BloodPressure(systolic, diastolic, at, Nurse, Settings.Plausibility), Settings);

    private static void Spo2(TreatmentSession session, DateTimeOffset at) =>
        session.RecordVital(Monitor(VitalKind.OxygenSaturation, 98m, at), Settings);

    [Fact]
    public void Before_the_dose_the_pre_dose_vitals_are_due_until_taken()
    {
        var session = CheckedIn();
        Assert.Equal(DueCheckStatus.Due, Check(session, "pre-dose-vitals", T0.AddMinutes(2)).Status);

        session.RecordVitals(Vitals(T0.AddMinutes(3)), Settings);

        var check = Check(session, "pre-dose-vitals", T0.AddMinutes(4));
        Assert.Equal(DueCheckStatus.Done, check.Status);
        Assert.Equal(T0.AddMinutes(3), check.DoneAt);
        Assert.Null(session.MonitoringStatus(T0.AddMinutes(4), Settings).Next);
    }

    [Fact]
    public void A_scheduled_or_closed_session_has_no_checks()
    {
        Assert.Empty(Scheduled().MonitoringStatus(T0, Settings).Checks);
        Assert.Empty(SessionStatesHelper.In(SessionState.Discharged).MonitoringStatus(T0.AddHours(3), Settings).Checks);
    }

    [Fact]
    public void During_an_iv_infusion_blood_pressure_is_due_every_ten_minutes()
    {
        var session = DosingSession();

        var first = Check(session, "bp-during-dosing", T0.AddMinutes(24));
        Assert.Equal(T0.AddMinutes(25), first.DueAt);
        Assert.Equal(DueCheckStatus.Upcoming, first.Status);
        Assert.Contains("REFERENCE.md §5", first.Source, StringComparison.Ordinal);
        Assert.Equal(DueCheckStatus.Overdue, Check(session, "bp-during-dosing", T0.AddMinutes(26)).Status);

        Bp(session, T0.AddMinutes(24));

        var next = Check(session, "bp-during-dosing", T0.AddMinutes(26));
        Assert.Equal(T0.AddMinutes(34), next.DueAt);
        Assert.Equal(DueCheckStatus.Upcoming, next.Status);
    }

    [Fact]
    public void A_pre_dose_reading_does_not_count_as_an_infusion_reading()
    {
        var session = DosingSession();

        // Pre-dose vitals were at T0+5; dosing began at T0+15, so the first infusion reading is due at T0+25.
        Assert.Equal(T0.AddMinutes(25), Check(session, "bp-during-dosing", T0.AddMinutes(16)).DueAt);
    }

    [Fact]
    public void After_the_infusion_blood_pressure_follows_the_post_dose_interval()
    {
        var session = MonitoringSession();
        Bp(session, T0.AddMinutes(54));

        var check = Check(session, "bp-after-dosing", T0.AddMinutes(60));

        Assert.Equal(T0.AddMinutes(69), check.DueAt);
        Assert.Equal(Settings.Monitoring.PostDoseBloodPressureIntervalMinutes.Source, check.Source);
    }

    [Fact]
    public void Esketamine_blood_pressure_is_due_about_forty_minutes_after_the_first_device()
    {
        var session = MonitoringSession(Esketamine);

        var check = Check(session, "bp-after-dose", T0.AddMinutes(40));
        Assert.Equal(T0.AddMinutes(55), check.DueAt);
        Assert.Equal(T0.AddMinutes(60), check.WindowEndsAt);
        Assert.Equal(DueCheckStatus.Upcoming, check.Status);
        Assert.Contains("REFERENCE.md §6", check.Source, StringComparison.Ordinal);
        Assert.Equal(DueCheckStatus.Due, Check(session, "bp-after-dose", T0.AddMinutes(59)).Status);
        Assert.Equal(DueCheckStatus.Overdue, Check(session, "bp-after-dose", T0.AddMinutes(61)).Status);
    }

    [Theory]
    [InlineData(49, false)]
    [InlineData(50, true)]
    [InlineData(58, true)]
    [InlineData(60, true)]
    [InlineData(61, false)]
    public void The_forty_minute_reading_counts_within_the_tolerance(int minute, bool counts)
    {
        var session = MonitoringSession(Esketamine);
        Bp(session, T0.AddMinutes(minute));

        var check = Check(session, "bp-after-dose", T0.AddMinutes(70));

        Assert.Equal(counts ? DueCheckStatus.Done : DueCheckStatus.Overdue, check.Status);
    }

    [Fact]
    public void Esketamine_blood_pressure_is_due_again_before_the_end_of_the_two_hours()
    {
        var session = MonitoringSession(Esketamine);
        var status = session.MonitoringStatus(T0.AddMinutes(30), Settings);

        // Last device at T0+20, so monitoring ends at T0+140.
        Assert.Equal(T0.AddMinutes(140), status.MonitoringEndsAt);
        var check = Assert.Single(status.Checks, c => c.Code == "bp-before-completion");
        Assert.Equal(T0.AddMinutes(125), check.DueAt);
        Assert.Equal(DueCheckStatus.Overdue, Check(session, "bp-before-completion", T0.AddMinutes(141)).Status);

        Bp(session, T0.AddMinutes(130));
        Assert.Equal(DueCheckStatus.Done, Check(session, "bp-before-completion", T0.AddMinutes(141)).Status);
    }

    [Fact]
    public void Pulse_oximetry_is_overdue_after_a_gap_without_spo2()
    {
        var session = DosingSession(Esketamine);
        Spo2(session, T0.AddMinutes(16));

        Assert.Equal(DueCheckStatus.Upcoming, Check(session, "spo2-continuous", T0.AddMinutes(20)).Status);
        Assert.Equal(DueCheckStatus.Due, Check(session, "spo2-continuous", T0.AddMinutes(21)).Status);
        var overdue = Check(session, "spo2-continuous", T0.AddMinutes(22));
        Assert.Equal(DueCheckStatus.Overdue, overdue.Status);
        Assert.Equal(T0.AddMinutes(21), overdue.DueAt);
    }

    [Fact]
    public void The_next_check_is_the_earliest_not_yet_taken()
    {
        var session = DosingSession();
        Spo2(session, T0.AddMinutes(23));

        var status = session.MonitoringStatus(T0.AddMinutes(24), Settings);

        Assert.Equal("bp-during-dosing", status.Next!.Code);
        Assert.Empty(status.Overdue);
    }

    [Fact]
    public void An_overdue_check_raises_one_alert_until_its_next_occurrence()
    {
        var session = DosingSession();

        var raised = Assert.Single(session.RaiseOverdueAlerts(T0.AddMinutes(26), Settings), a => a.CheckCode == "bp-during-dosing");
        Assert.Equal(SessionAlertKind.VitalsOverdue, raised.Kind);
        Assert.Equal("Overdue: Blood pressure every 10 minutes during dosing (due 09:25).", raised.Message);
        Assert.DoesNotContain(session.RaiseOverdueAlerts(T0.AddMinutes(27), Settings), a => a.CheckCode == "bp-during-dosing");

        Bp(session, T0.AddMinutes(28));
        Assert.DoesNotContain(session.RaiseOverdueAlerts(T0.AddMinutes(30), Settings), a => a.CheckCode == "bp-during-dosing");
        Assert.Single(session.RaiseOverdueAlerts(T0.AddMinutes(39), Settings), a => a.CheckCode == "bp-during-dosing");
    }
}
