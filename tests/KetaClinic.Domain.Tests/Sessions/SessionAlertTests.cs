using KetaClinic.Domain.Common;
using KetaClinic.Domain.Monitoring;
using KetaClinic.Domain.Sessions;
using static KetaClinic.Domain.Tests.Sessions.SessionFixtures;

namespace KetaClinic.Domain.Tests.Sessions;

public class SessionAlertTests
{
    private static readonly DateTimeOffset Raised = T0.AddMinutes(30);

    private static (TreatmentSession Session, SessionAlert Alert) WithAlert()
    {
        var session = DosingSession();
        var alert = Assert.Single(session.RecordVital(Monitor(VitalKind.SystolicBloodPressure, 185m, Raised), Settings));
        return (session, alert);
    }

    [Fact]
    public void A_vital_crossing_a_threshold_raises_a_session_alert_from_the_monitoring_rules()
    {
        var (_, alert) = WithAlert();

        Assert.Equal(1, alert.Number);
        Assert.Equal(SessionAlertKind.VitalThreshold, alert.Kind);
        Assert.Equal(VitalKind.SystolicBloodPressure, alert.Vital);
        Assert.Equal("Systolic blood pressure 185 mmHg is at or above the alert threshold of 180 mmHg.", alert.Message);
        Assert.Contains("REFERENCE.md §5", alert.Source, StringComparison.Ordinal);
        Assert.Equal(Raised, alert.RaisedAt);
        Assert.Equal(AlertLevel.ChairNurse, alert.Level);
        Assert.True(alert.IsOpen);
    }

    [Fact]
    public void A_value_within_limits_raises_nothing()
    {
        var session = DosingSession();

        Assert.Empty(session.RecordVitals(Vitals(Raised), Settings));
    }

    [Fact]
    public void An_open_alert_is_not_raised_again_until_it_is_acknowledged()
    {
        var (session, alert) = WithAlert();

        Assert.Empty(session.RecordVital(Monitor(VitalKind.SystolicBloodPressure, 188m, Raised.AddMinutes(1)), Settings));
        session.AcknowledgeAlert(alert.Number, "Physician informed, infusion slowed", Nurse, Raised.AddMinutes(2));
        var again = Assert.Single(session.RecordVital(Monitor(VitalKind.SystolicBloodPressure, 190m, Raised.AddMinutes(3)), Settings));

        Assert.Equal(2, again.Number);
    }

    [Fact]
    public void Acknowledging_records_who_when_and_the_action()
    {
        var (session, alert) = WithAlert();

        var acknowledged = session.AcknowledgeAlert(alert.Number, "Repeated manually: 176/98", Nurse, Raised.AddMinutes(1));

        Assert.False(acknowledged.IsOpen);
        Assert.Equal(new AlertAcknowledgement(Nurse, Raised.AddMinutes(1), "Repeated manually: 176/98"), acknowledged.Acknowledgement);
        Assert.Empty(session.OpenAlerts);
    }

    [Fact]
    public void Acknowledging_needs_the_action_a_known_alert_and_happens_once()
    {
        var (session, alert) = WithAlert();

        Assert.Equal("action", Assert.Single(Assert.Throws<DomainValidationException>(() => session.AcknowledgeAlert(alert.Number, " ", Nurse, Raised)).Errors).Field);
        Assert.Equal("alertNumber", Assert.Single(Assert.Throws<DomainValidationException>(() => session.AcknowledgeAlert(9, "x", Nurse, Raised)).Errors).Field);
        Assert.Equal("at", Assert.Single(Assert.Throws<DomainValidationException>(() => session.AcknowledgeAlert(alert.Number, "x", Nurse, Raised.AddMinutes(-1))).Errors).Field);
        session.AcknowledgeAlert(alert.Number, "Seen", Nurse, Raised);
        Assert.Contains("already acknowledged", Assert.Throws<DomainValidationException>(() => session.AcknowledgeAlert(alert.Number, "again", Physician, Raised)).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, null)]
    [InlineData(119, null)]
    [InlineData(120, AlertLevel.SecondLevel)]
    [InlineData(419, AlertLevel.SecondLevel)]
    [InlineData(420, AlertLevel.Physician)]
    public void An_unacknowledged_alert_climbs_after_two_then_five_more_minutes(int seconds, AlertLevel? highest)
    {
        var (session, _) = WithAlert();

        var due = AlertEscalation.Due(session.Alerts, Raised.AddSeconds(seconds), Settings.Escalation);

        Assert.Equal(highest, due.Count == 0 ? null : due[^1].To);
    }

    [Fact]
    public void A_late_look_yields_every_missed_step_with_its_due_time()
    {
        var (session, alert) = WithAlert();

        var due = AlertEscalation.Due(session.Alerts, Raised.AddMinutes(30), Settings.Escalation);

        Assert.Equal(
            [new EscalationDue(alert.Number, AlertLevel.SecondLevel, Raised.AddMinutes(2)), new EscalationDue(alert.Number, AlertLevel.Physician, Raised.AddMinutes(7))],
            due);
    }

    [Fact]
    public void Escalating_moves_the_alert_up_once_and_records_each_step()
    {
        var (session, alert) = WithAlert();

        Assert.Single(session.Escalate(Raised.AddMinutes(3), Settings));
        Assert.Empty(session.Escalate(Raised.AddMinutes(4), Settings));
        Assert.Single(session.Escalate(Raised.AddMinutes(8), Settings));

        var escalated = session.Alerts.Single(a => a.Number == alert.Number);
        Assert.Equal(AlertLevel.Physician, escalated.Level);
        Assert.Equal(
            [new AlertEscalationStep(AlertLevel.SecondLevel, Raised.AddMinutes(2), Raised.AddMinutes(3)), new AlertEscalationStep(AlertLevel.Physician, Raised.AddMinutes(7), Raised.AddMinutes(8))],
            escalated.Escalations);
    }

    [Fact]
    public void An_acknowledged_alert_never_escalates()
    {
        var (session, alert) = WithAlert();
        session.AcknowledgeAlert(alert.Number, "Seen at once", Nurse, Raised.AddMinutes(1));

        Assert.Empty(session.Escalate(Raised.AddMinutes(30), Settings));
    }

    [Fact]
    public void Escalation_timing_follows_the_clinic_settings()
    {
        var (session, _) = WithAlert();
        var settings = AlertEscalationSettings.Default with { SecondLevelAfterMinutes = new(1, "clinic policy: busy floor") };

        Assert.Equal(AlertLevel.SecondLevel, Assert.Single(AlertEscalation.Due(session.Alerts, Raised.AddMinutes(1), settings)).To);
    }

    [Fact]
    public void Vitals_are_kept_in_time_order_and_stored_once()
    {
        var session = DosingSession();
        var late = Monitor(VitalKind.HeartRate, 80m, T0.AddMinutes(20));
        var early = Monitor(VitalKind.HeartRate, 78m, T0.AddMinutes(18));

        session.RecordVital(late, Settings);
        session.RecordVital(early, Settings);
        session.RecordVital(late, Settings);

        var heartRates = session.Vitals.Where(v => v.Kind == VitalKind.HeartRate && v.ObservedAt > T0.AddMinutes(15)).ToList();
        Assert.Equal([early, late], heartRates);
        Assert.Equal(session.Vitals.OrderBy(v => v.ObservedAt), session.Vitals);
    }

    [Fact]
    public void A_vital_dated_before_check_in_belongs_to_someone_else()
    {
        var session = CheckedIn();

        var error = Assert.Throws<DomainValidationException>(() => session.RecordVital(Monitor(VitalKind.HeartRate, 70m, T0.AddMinutes(-1)), Settings));

        Assert.Equal("observation.observedAt", Assert.Single(error.Errors).Field);
    }

    [Fact]
    public void Vitals_are_taken_only_while_the_patient_is_in_the_chair()
    {
        Assert.Throws<DomainValidationException>(() => Scheduled().RecordVital(Monitor(VitalKind.HeartRate, 70m, T0), Settings));
        Assert.Throws<DomainValidationException>(() => SessionStatesHelper.In(SessionState.Discharged).RecordVital(Monitor(VitalKind.HeartRate, 70m, T0.AddHours(2)), Settings));
    }

    [Fact]
    public void Keypad_entries_outside_the_plausible_range_are_refused()
    {
        var error = Assert.Throws<DomainValidationException>(() => ManualVitals.BloodPressure(80m, 120m, T0, Nurse, Settings.Plausibility));
        Assert.Equal("systolic", Assert.Single(error.Errors).Field);

        var implausible = Assert.Throws<DomainValidationException>(() => ManualVitals.Reading(VitalKind.HeartRate, 400m, T0, Nurse, Settings.Plausibility));
        Assert.Contains("outside the plausible range 20–300 /min for heart rate", implausible.Message, StringComparison.Ordinal);
    }
}
