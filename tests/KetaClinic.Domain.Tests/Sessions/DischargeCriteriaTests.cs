using KetaClinic.Domain.Monitoring;
using KetaClinic.Domain.Sessions;
using static KetaClinic.Domain.Tests.Sessions.SessionFixtures;

namespace KetaClinic.Domain.Tests.Sessions;

public class DischargeCriteriaTests
{
    // IV: dose T0+15 to T0+55, so the 30-minute minimum ends at T0+85.
    private static readonly DateTimeOffset Ready = T0.AddMinutes(90);

    private static TreatmentSession Recovering(Domain.Protocols.TreatmentProtocol? protocol = null)
    {
        var session = MonitoringSession(protocol);
        session.BeginRecovery(Nurse, T0.AddMinutes(60));
        return session;
    }

    private static DischargeCriterionResult Criterion(DischargeReadiness readiness, DischargeCriterion criterion) =>
        Assert.Single(readiness.Criteria, c => c.Criterion == criterion);

    [Fact]
    public void With_everything_in_place_after_the_minimum_time_the_patient_may_leave()
    {
        var session = Recovering();
        session.RecordVitals(Vitals(Ready.AddMinutes(-2)), Settings);
        session.RecordDischargeAssessment(GoodAssessment(Ready.AddMinutes(-1)));

        var readiness = session.Discharge(Settings, Nurse, Ready);

        Assert.True(readiness.CanDischarge);
        Assert.Empty(readiness.Missing);
        Assert.Equal(SessionState.Discharged, session.State);
        Assert.Equal(readiness, session.DischargeDecision);
        Assert.Equal(CriterionStatus.NotApplicable, Criterion(readiness, DischargeCriterion.ClinicianJudgesStable).Status);
    }

    [Fact]
    public void Before_the_minimum_monitoring_time_discharge_is_refused_naming_the_earliest_time()
    {
        var session = Recovering();
        session.RecordVitals(Vitals(T0.AddMinutes(78)), Settings);
        session.RecordDischargeAssessment(GoodAssessment(T0.AddMinutes(79)));

        var error = Assert.Throws<SessionTransitionException>(() => session.Discharge(Settings, Nurse, T0.AddMinutes(80)));

        Assert.Equal(
            "Not met: 25 minutes of the 30 minutes minimum since the dose ended at 09:55; the earliest discharge is 10:25.",
            Assert.Single(error.Outstanding));
        Assert.Equal(SessionState.Recovery, session.State);
    }

    [Fact]
    public void Without_an_assessment_every_assessed_criterion_is_missing()
    {
        var session = Recovering();
        session.RecordVitals(Vitals(Ready.AddMinutes(-2)), Settings);

        var readiness = session.EvaluateDischarge(Ready, Settings);

        Assert.False(readiness.CanDischarge);
        Assert.Equal(
            [DischargeCriterion.AlertAndOriented, DischargeCriterion.WalksSteadily, DischargeCriterion.NoNauseaOrVomitingNeedingTreatment,
             DischargeCriterion.DissociationResolved, DischargeCriterion.CompanionPresent, DischargeCriterion.NoDrivingAcknowledged],
            readiness.Criteria.Where(c => c.Status == CriterionStatus.NotMet).Select(c => c.Criterion));
        Assert.Contains("no discharge assessment recorded", Criterion(readiness, DischargeCriterion.WalksSteadily).Sentence, StringComparison.Ordinal);
    }

    [Fact]
    public void An_old_assessment_does_not_count()
    {
        var session = Recovering();
        session.RecordVitals(Vitals(Ready.AddMinutes(-2)), Settings);
        session.RecordDischargeAssessment(GoodAssessment(T0.AddMinutes(56)));

        var readiness = session.EvaluateDischarge(Ready, Settings);

        Assert.Contains("older than 30 minutes", Criterion(readiness, DischargeCriterion.AlertAndOriented).Sentence, StringComparison.Ordinal);
        Assert.False(readiness.CanDischarge);
    }

    [Theory]
    [InlineData(DischargeCriterion.AlertAndOriented, "Not met: not alert and oriented.")]
    [InlineData(DischargeCriterion.WalksSteadily, "Not met: not yet walking steadily.")]
    [InlineData(DischargeCriterion.NoNauseaOrVomitingNeedingTreatment, "Not met: nausea or vomiting still needs treatment.")]
    [InlineData(DischargeCriterion.DissociationResolved, "Not met: dissociation not yet resolved.")]
    [InlineData(DischargeCriterion.NoDrivingAcknowledged, "Not met: the patient has not acknowledged no driving until the next day.")]
    [InlineData(DischargeCriterion.CompanionPresent, "Not met: no companion present is recorded.")]
    public void Each_assessed_criterion_answered_no_blocks_discharge(DischargeCriterion criterion, string sentence)
    {
        var session = Recovering();
        session.RecordVitals(Vitals(Ready.AddMinutes(-2)), Settings);
        var good = GoodAssessment(Ready.AddMinutes(-1));
        session.RecordDischargeAssessment(criterion switch
        {
            DischargeCriterion.AlertAndOriented => good with { AlertAndOriented = false },
            DischargeCriterion.WalksSteadily => good with { WalksSteadily = false },
            DischargeCriterion.NoNauseaOrVomitingNeedingTreatment => good with { NauseaOrVomitingNeedingTreatment = true },
            DischargeCriterion.DissociationResolved => good with { DissociationResolved = false },
            DischargeCriterion.NoDrivingAcknowledged => good with { NoDrivingUntilNextDayAcknowledged = false },
            _ => good with { CompanionPresentName = " " },
        });

        var error = Assert.Throws<SessionTransitionException>(() => session.Discharge(Settings, Nurse, Ready));

        Assert.Equal(sentence, Assert.Single(error.Outstanding));
    }

    [Theory]
    [InlineData(140, 80, 72, 98, true)]
    [InlineData(141, 80, 72, 98, false)]
    [InlineData(120, 91, 72, 98, false)]
    [InlineData(120, 80, 92, 98, true)]
    [InlineData(120, 80, 93, 98, false)]
    [InlineData(120, 80, 52, 98, true)]
    [InlineData(120, 80, 51, 98, false)]
    [InlineData(120, 80, 72, 94, true)]
    [InlineData(120, 80, 72, 93, false)]
    public void Vitals_must_be_back_within_the_margins_of_the_pre_dose_baseline(int systolic, int diastolic, int heartRate, int spo2, bool met)
    {
        // Baseline (T0+5): 120/80, heart rate 72.
        var session = Recovering();
        session.RecordVitals(Vitals(Ready.AddMinutes(-2), systolic, diastolic, heartRate, spo2), Settings);

        var result = Criterion(session.EvaluateDischarge(Ready, Settings), DischargeCriterion.VitalsWithinLimits);

        Assert.Equal(met ? CriterionStatus.Met : CriterionStatus.NotMet, result.Status);
    }

    [Fact]
    public void A_vital_crossing_an_alert_threshold_is_not_within_limits_even_near_baseline()
    {
        var session = CheckedIn();
        session.RecordVitals(Vitals(T0.AddMinutes(5), heartRate: 55m), Settings);
        session.PassPreDoseChecks(GoodFacts(Iv, T0.AddMinutes(10)), Settings, Nurse, T0.AddMinutes(10));
        session.StartDosing(Settings, Nurse, T0.AddMinutes(15));
        session.CompleteDosing(Record(session, T0.AddMinutes(15)), Nurse, T0.AddMinutes(55));
        session.RecordVitals(Vitals(Ready.AddMinutes(-2), heartRate: 48m), Settings);

        var result = Criterion(session.EvaluateDischarge(Ready, Settings), DischargeCriterion.VitalsWithinLimits);

        Assert.Equal(CriterionStatus.NotMet, result.Status);
        Assert.Contains("Heart rate 48 /min is below the alert threshold of 50 /min.", result.Sentence, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_or_old_discharge_vitals_are_not_within_limits()
    {
        var session = Recovering();

        var result = Criterion(session.EvaluateDischarge(Ready, Settings), DischargeCriterion.VitalsWithinLimits);

        Assert.Equal(CriterionStatus.NotMet, result.Status);
        Assert.Contains("no blood pressure, heart rate, SpO2 since the dose ended within the last 15 minutes", result.Sentence, StringComparison.Ordinal);
    }

    [Fact]
    public void An_open_alert_blocks_discharge()
    {
        var session = Recovering();
        session.RecordVitals(Vitals(Ready.AddMinutes(-2)), Settings);
        session.RecordDischargeAssessment(GoodAssessment(Ready.AddMinutes(-1)));
        session.RaiseOverdueAlerts(Ready.AddMinutes(20), Settings);

        var readiness = session.EvaluateDischarge(Ready.AddMinutes(20), Settings);

        Assert.Equal(CriterionStatus.NotMet, Criterion(readiness, DischargeCriterion.AlertsAcknowledged).Status);
    }

    [Fact]
    public void Esketamine_needs_two_hours_and_a_clinicians_judgement_that_the_patient_is_stable()
    {
        // Last device at T0+20: the two hours end at T0+140.
        var session = MonitoringSession(Esketamine);
        session.BeginRecovery(Nurse, T0.AddMinutes(60));
        session.RecordVitals(Vitals(T0.AddMinutes(138)), Settings);
        session.RecordDischargeAssessment(GoodAssessment(T0.AddMinutes(139)) with { ClinicianJudgesStable = null });

        var early = session.EvaluateDischarge(T0.AddMinutes(139), Settings);
        Assert.Equal(CriterionStatus.NotMet, Criterion(early, DischargeCriterion.MinimumMonitoring).Status);
        Assert.Contains("REFERENCE.md §6", Criterion(early, DischargeCriterion.MinimumMonitoring).Source, StringComparison.Ordinal);
        Assert.Equal("Not met: the clinician has not judged the patient stable to leave.", Criterion(early, DischargeCriterion.ClinicianJudgesStable).Sentence);

        session.RecordDischargeAssessment(GoodAssessment(T0.AddMinutes(140)));
        Assert.True(session.EvaluateDischarge(T0.AddMinutes(140), Settings).CanDischarge);

        session.RecordDischargeAssessment(GoodAssessment(T0.AddMinutes(140), FrontDesk));
        Assert.Equal(CriterionStatus.NotMet, Criterion(session.EvaluateDischarge(T0.AddMinutes(140), Settings), DischargeCriterion.ClinicianJudgesStable).Status);
    }

    [Fact]
    public void An_assessment_before_the_dose_ended_is_refused()
    {
        var session = MonitoringSession();

        var error = Assert.Throws<Common.DomainValidationException>(() => session.RecordDischargeAssessment(GoodAssessment(T0.AddMinutes(50))));

        Assert.Equal("assessedAt", Assert.Single(error.Errors).Field);
    }
}
