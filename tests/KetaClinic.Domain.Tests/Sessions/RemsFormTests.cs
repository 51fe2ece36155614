using KetaClinic.Domain.Evaluation;
using KetaClinic.Domain.Monitoring;
using KetaClinic.Domain.Patients;
using KetaClinic.Domain.Sessions;
using static KetaClinic.Domain.Tests.Sessions.SessionFixtures;

namespace KetaClinic.Domain.Tests.Sessions;

public class RemsFormTests
{
    private static readonly RemsPatientFacts Patient = new(
        "Alex Example", new DateOnly(1980, 5, 17), AdministrativeSex.Female, FirstTreatment: true, Enrolled: true,
        [new CurrentMedication("sertraline", 100m)]);

    private static readonly RemsSiteFacts Site = new(
        "KetaClinic Downtown", "1 Main Street, Springfield", "Nora Nurse", "+1 555 010 3000", "nora@example.org");

    /// <summary>
    /// Esketamine 56 mg: devices at T0+15 and T0+20, BP at T0+56 (about 40 minutes), BP at T0+135 before completion,
    /// a moderate dissociation, discharge at T0+145.
    /// </summary>
    private static TreatmentSession Completed()
    {
        var session = MonitoringSession(Esketamine);
        session.RecordVitals(Vitals(T0.AddMinutes(56), 138m, 86m), Settings);
        session.RecordSideEffect(new SideEffectEntry(SideEffectKind.Dissociation, SideEffectSeverity.Moderate, T0.AddMinutes(30), null, 9, "Reassured, lights dimmed", null, false), Settings, Nurse, T0.AddMinutes(31));
        session.BeginRecovery(Nurse, T0.AddMinutes(100));
        session.RecordVitals(Vitals(T0.AddMinutes(135), 126m, 82m), Settings);
        session.RecordDischargeAssessment(GoodAssessment(T0.AddMinutes(140)) with { ReadyToLeaveWithoutTwoHourRuleAt = T0.AddMinutes(90) });
        session.Discharge(Settings, Nurse, T0.AddMinutes(145));
        return session;
    }

    [Fact]
    public void A_completed_session_fills_every_field_of_the_form()
    {
        var draft = RemsMonitoringFormBuilder.Build(Completed(), Patient, Site, Settings);
        var form = draft.Form;

        Assert.Empty(draft.MissingFields);
        Assert.True(draft.IsComplete);
        Assert.Equal("Alex Example", form.PatientName);
        Assert.Equal(new DateOnly(2026, 3, 3), form.TreatmentDate);
        Assert.Equal(RemsDoseChoice.Mg56, form.Dose);
        Assert.Equal(56m, form.DoseMg);
        Assert.Equal("ESK-7", form.Lot);
        Assert.Equal(130, form.TotalMinutesFirstDeviceToEndOfMonitoring);
        Assert.Equal(75, form.ReadyToLeaveWithoutTwoHourRuleMinutes);
        Assert.Equal(new BloodPressureReading(120m, 80m, T0.AddMinutes(5)), form.BloodPressureBeforeDosing);
        Assert.Equal(new BloodPressureReading(138m, 86m, T0.AddMinutes(56)), form.BloodPressureAt40Minutes);
        Assert.Equal(new BloodPressureReading(126m, 82m, T0.AddMinutes(135)), form.BloodPressureBeforeCompletion);
        Assert.True(form.VitalsAcceptableBeforeDosing);
        Assert.True(form.VitalsAcceptableAtCompletion);
        Assert.False(form.Sedation);
        Assert.True(form.Dissociation);
        Assert.False(form.SeriousAdverseEvents);
        Assert.False(form.Benzodiazepines);
        Assert.Equal(new DateOnly(2026, 3, 10), draft.DueOn);
    }

    [Fact]
    public void Concomitant_medication_questions_come_from_the_evaluation_tables()
    {
        var patient = Patient with
        {
            Medications =
            [
                new CurrentMedication("lorazepam", 1m), new CurrentMedication("zolpidem", 10m), new CurrentMedication("methylphenidate", 20m),
                new CurrentMedication("phenelzine", 45m), new CurrentMedication("oxycodone", 10m),
            ],
        };

        var form = RemsMonitoringFormBuilder.Build(Completed(), patient, Site, Settings).Form;

        Assert.True(form.Benzodiazepines);
        Assert.True(form.NonBenzodiazepineSedativeHypnotics);
        Assert.True(form.Psychostimulants);
        Assert.True(form.Maois);
        Assert.True(form.Opioids);
    }

    [Fact]
    public void A_serious_adverse_event_is_flagged_and_described()
    {
        var session = MonitoringSession(Esketamine);
        session.RecordSideEffect(new SideEffectEntry(SideEffectKind.Sedation, SideEffectSeverity.Severe, T0.AddMinutes(40), "Unrousable for 3 minutes", null, "Oxygen, physician called", null, true), Settings, Physician, T0.AddMinutes(45));
        session.StopEarly("Deep sedation", "Transferred to the emergency department", Physician, T0.AddMinutes(50));

        var form = RemsMonitoringFormBuilder.Build(session, Patient, Site, Settings).Form;

        Assert.True(form.Sedation);
        Assert.True(form.SeriousAdverseEvents);
        Assert.Equal("sedation (severe) at 2026-03-03 09:40: Unrousable for 3 minutes; action: Oxygen, physician called", Assert.Single(form.SeriousAdverseEventNotes));
        Assert.Equal(35, form.TotalMinutesFirstDeviceToEndOfMonitoring);
    }

    [Fact]
    public void Everything_the_session_cannot_fill_is_listed_as_missing()
    {
        var session = MonitoringSession(Esketamine);

        var draft = RemsMonitoringFormBuilder.Build(session, new RemsPatientFacts(null, null, null, null, null, null), new RemsSiteFacts(null, " ", null, null, null), Settings);

        Assert.False(draft.IsComplete);
        Assert.Equal(
            ["patientName", "dateOfBirth", "sex", "firstTreatment", "monitoringClinicianName", "monitoringClinicianPhone", "monitoringClinicianEmail",
             "settingName", "settingAddress", "totalMinutesFirstDeviceToEndOfMonitoring", "readyToLeaveWithoutTwoHourRuleMinutes",
             "vitalsAcceptableAtCompletion", "bloodPressureAt40Minutes", "bloodPressureBeforeCompletion", "sedation", "dissociation", "seriousAdverseEvents"],
            draft.MissingFields);

        // Enrolment and medications fall back to what the pre-dose checks recorded.
        Assert.True(draft.Form.Enrolled);
        Assert.False(draft.Form.Maois);
    }

    [Fact]
    public void Vitals_overridden_before_dosing_are_reported_as_not_acceptable()
    {
        var session = CheckedIn(Esketamine);
        session.RecordVitals(Vitals(T0.AddMinutes(5), 150m, 88m), Settings);
        var facts = GoodFacts(Esketamine, T0.AddMinutes(10));
        session.OverrideGate(PreDoseGate.BloodPressure, "Usual pressure for this patient", facts, Settings, Physician, T0.AddMinutes(8));
        session.PassPreDoseChecks(facts, Settings, Nurse, T0.AddMinutes(10));
        session.StartDosing(Settings, Nurse, T0.AddMinutes(15));

        var form = RemsMonitoringFormBuilder.Build(session, Patient, Site, Settings).Form;

        Assert.False(form.VitalsAcceptableBeforeDosing);
    }

    [Fact]
    public void The_form_is_for_esketamine_sessions_only()
    {
        Assert.Throws<ArgumentException>(() => RemsMonitoringFormBuilder.Build(MonitoringSession(), Patient, Site, Settings));
    }

    [Fact]
    public void A_form_is_due_seven_days_after_the_session_and_overdue_the_day_after()
    {
        var id = Guid.NewGuid();
        var form = new RemsFormTracking(id, new DateOnly(2026, 3, 3), null);

        Assert.Equal(new DateOnly(2026, 3, 10), RemsDeadline.DueOn(form.TreatmentDate, Settings.Rems));
        Assert.False(RemsDeadline.IsOverdue(form, new DateOnly(2026, 3, 10), Settings.Rems));
        Assert.True(RemsDeadline.IsOverdue(form, new DateOnly(2026, 3, 11), Settings.Rems));
        Assert.False(RemsDeadline.IsOverdue(form with { SubmittedOn = new DateOnly(2026, 3, 9) }, new DateOnly(2026, 3, 11), Settings.Rems));
    }

    [Fact]
    public void The_overdue_list_shows_unsent_forms_longest_overdue_first()
    {
        var old = new RemsFormTracking(Guid.NewGuid(), new DateOnly(2026, 2, 20), null);
        var recent = new RemsFormTracking(Guid.NewGuid(), new DateOnly(2026, 3, 1), null);
        var sent = new RemsFormTracking(Guid.NewGuid(), new DateOnly(2026, 2, 20), new DateOnly(2026, 2, 22));
        var notYetDue = new RemsFormTracking(Guid.NewGuid(), new DateOnly(2026, 3, 10), null);

        var overdue = RemsDeadline.Overdue([recent, sent, old, notYetDue], new DateOnly(2026, 3, 12), Settings.Rems);

        Assert.Equal(
            [new OverdueRemsForm(old.SessionId, old.TreatmentDate, new DateOnly(2026, 2, 27), 13), new OverdueRemsForm(recent.SessionId, recent.TreatmentDate, new DateOnly(2026, 3, 8), 4)],
            overdue);
    }
}
