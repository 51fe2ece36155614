using KetaClinic.Domain.Monitoring;
using KetaClinic.Domain.Protocols;

namespace KetaClinic.Domain.Sessions;

public enum DischargeCriterion
{
    MinimumMonitoring,
    VitalsWithinLimits,
    AlertAndOriented,
    WalksSteadily,
    NoNauseaOrVomitingNeedingTreatment,
    DissociationResolved,
    CompanionPresent,
    NoDrivingAcknowledged,
    ClinicianJudgesStable,
    AlertsAcknowledged,
}

public enum CriterionStatus
{
    Met,
    NotMet,
    NotApplicable,
}

public sealed record DischargeCriterionResult(DischargeCriterion Criterion, CriterionStatus Status, string Sentence, string Source)
{
    public string Code => DischargeCriteria.Code(Criterion);
}

/// <summary>Every discharge criterion at one instant; <see cref="EarliestAt"/> is when the minimum monitoring ends.</summary>
public sealed record DischargeReadiness(IReadOnlyList<DischargeCriterionResult> Criteria, DateTimeOffset EvaluatedAt, DateTimeOffset? EarliestAt)
{
    public bool CanDischarge => Criteria.Count > 0 && Criteria.All(c => c.Status != CriterionStatus.NotMet);

    /// <summary>What is still missing, one sentence per criterion not met.</summary>
    public IReadOnlyList<string> Missing => [.. Criteria.Where(c => c.Status == CriterionStatus.NotMet).Select(c => c.Sentence)];
}

/// <summary>What discharge is judged from; the session supplies its own times, vitals (in time order), assessment and alerts.</summary>
public sealed record DischargeInput(
    TreatmentProtocol Protocol,
    DateTimeOffset? DoseStartedAt,
    DateTimeOffset? DoseEndedAt,
    IReadOnlyList<VitalObservation> Vitals,
    DischargeAssessment? Assessment,
    int OpenAlerts,
    DateTimeOffset Now);

/// <summary>
/// The discharge checklist: minimum monitoring since the end of the dose (protocol), vitals back within limits of the
/// pre-dose baseline, alert and oriented, walking steadily, no nausea or vomiting needing treatment, dissociation
/// resolved, companion present, no driving until the next day acknowledged, no alert left open, and for esketamine a
/// clinician's judgement that the patient is stable (REFERENCE.md §6). Unassessed means not met.
/// </summary>
public static class DischargeCriteria
{
    private const string ClinicalSource = "issue 6 recovery criteria: alert and oriented, walking steadily, dissociation resolved, companion present (clinic policy)";
    private const string NoDrivingSource = "REFERENCE.md §6 [firm]: no driving until the next day after sleep";
    private const string AlertsSource = "clinic policy: every session alert is acknowledged with its action before the patient leaves";

    public static string Code(DischargeCriterion criterion) => criterion switch
    {
        DischargeCriterion.MinimumMonitoring => "minimum-monitoring",
        DischargeCriterion.VitalsWithinLimits => "vitals-within-limits",
        DischargeCriterion.AlertAndOriented => "alert-and-oriented",
        DischargeCriterion.WalksSteadily => "walks-steadily",
        DischargeCriterion.NoNauseaOrVomitingNeedingTreatment => "no-nausea-needing-treatment",
        DischargeCriterion.DissociationResolved => "dissociation-resolved",
        DischargeCriterion.CompanionPresent => "companion-present",
        DischargeCriterion.NoDrivingAcknowledged => "no-driving-acknowledged",
        DischargeCriterion.ClinicianJudgesStable => "clinician-judges-stable",
        DischargeCriterion.AlertsAcknowledged => "alerts-acknowledged",
        _ => throw new ArgumentOutOfRangeException(nameof(criterion), criterion, "Unknown discharge criterion."),
    };

    public static DischargeReadiness Evaluate(DischargeInput input, SessionSettings settings)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(input.Protocol);
        ArgumentNullException.ThrowIfNull(input.Vitals);
        var minimum = input.Protocol.Timing.MinimumMonitoringMinutes;
        var earliest = input.DoseEndedAt?.AddMinutes(minimum.Value);
        var results = new List<DischargeCriterionResult>
        {
            MinimumMonitoring(input, earliest),
            Vitals(input, settings),
        };
        var assessment = UsableAssessment(input, settings, out var why);
        Answer(DischargeCriterion.AlertAndOriented, a => a.AlertAndOriented, "alert and oriented", "not alert and oriented");
        Answer(DischargeCriterion.WalksSteadily, a => a.WalksSteadily, "walks steadily", "not yet walking steadily");
        Answer(DischargeCriterion.NoNauseaOrVomitingNeedingTreatment, a => a.NauseaOrVomitingNeedingTreatment is { } n ? !n : null,
            "no nausea or vomiting needing treatment", "nausea or vomiting still needs treatment");
        Answer(DischargeCriterion.DissociationResolved, a => a.DissociationResolved, "dissociation resolved", "dissociation not yet resolved");
        results.Add(Companion(assessment, why));
        Answer(DischargeCriterion.NoDrivingAcknowledged, a => a.NoDrivingUntilNextDayAcknowledged,
            "the patient acknowledged no driving until the next day", "the patient has not acknowledged no driving until the next day", NoDrivingSource);
        results.Add(Stable(input, assessment, why));
        results.Add(input.OpenAlerts == 0
            ? new(DischargeCriterion.AlertsAcknowledged, CriterionStatus.Met, "Met: no session alert is open.", AlertsSource)
            : new(DischargeCriterion.AlertsAcknowledged, CriterionStatus.NotMet, $"Not met: {SessionText.Number(input.OpenAlerts)} session alert(s) still open; acknowledge each with the action taken.", AlertsSource));
        return new DischargeReadiness(results, input.Now, earliest);

        void Answer(DischargeCriterion criterion, Func<DischargeAssessment, bool?> pick, string yes, string no, string source = ClinicalSource)
        {
            var answer = assessment is null ? null : pick(assessment);
            results.Add(answer switch
            {
                true => new(criterion, CriterionStatus.Met, $"Met: {yes} (assessed by {assessment!.AssessedBy.Name} at {SessionText.Time(assessment.AssessedAt)}).", source),
                false => new(criterion, CriterionStatus.NotMet, $"Not met: {no}.", source),
                null => new(criterion, CriterionStatus.NotMet, $"Not met: {yes} — {why ?? "not assessed"}.", source),
            });
        }
    }

    private static DischargeAssessment? UsableAssessment(DischargeInput input, SessionSettings settings, out string? why)
    {
        why = null;
        var maxAge = settings.Discharge.AssessmentMaxAgeMinutes.Value;
        if (input.Assessment is not { } a)
        {
            why = "no discharge assessment recorded";
            return null;
        }

        if (a.AssessedAt > input.Now)
        {
            why = $"the assessment is dated {SessionText.Time(a.AssessedAt)}, after now";
            return null;
        }

        if (input.DoseEndedAt is { } end && a.AssessedAt < end)
        {
            why = $"the assessment at {SessionText.Time(a.AssessedAt)} was made before the dose ended";
            return null;
        }

        if (input.Now - a.AssessedAt > TimeSpan.FromMinutes(maxAge))
        {
            why = $"the assessment at {SessionText.Time(a.AssessedAt)} is older than {SessionText.Minutes(maxAge)}; assess again";
            return null;
        }

        return a;
    }

    private static DischargeCriterionResult MinimumMonitoring(DischargeInput input, DateTimeOffset? earliest)
    {
        var minimum = input.Protocol.Timing.MinimumMonitoringMinutes;
        const DischargeCriterion c = DischargeCriterion.MinimumMonitoring;
        if (input.DoseEndedAt is not { } end || earliest is not { } at)
        {
            return new(c, CriterionStatus.NotMet, "Not met: the end of the dose is not recorded, so the monitoring time cannot be counted.", minimum.Source);
        }

        return input.Now >= at
            ? new(c, CriterionStatus.Met, $"Met: {SessionText.Minutes(input.Now - end)} since the dose ended at {SessionText.Time(end)} (minimum {SessionText.Minutes(minimum.Value)}).", minimum.Source)
            : new(c, CriterionStatus.NotMet, $"Not met: {SessionText.Minutes(input.Now - end)} of the {SessionText.Minutes(minimum.Value)} minimum since the dose ended at {SessionText.Time(end)}; the earliest discharge is {SessionText.Time(at)}.", minimum.Source);
    }

    private static DischargeCriterionResult Vitals(DischargeInput input, SessionSettings settings)
    {
        const DischargeCriterion c = DischargeCriterion.VitalsWithinLimits;
        var s = settings.Discharge;
        var source = $"{s.SystolicMarginAboveBaselineMmHg.Source}; {s.MinimumSpO2Percent.Source}; {s.VitalsMaxAgeMinutes.Source}";
        // The session keeps its vitals in time order: the windows below are found by search, the latest values from the end.
        var vitals = input.Vitals;
        var observed = TimeOrderedVitals.FirstAfter(vitals, input.Now);
        if (input.DoseStartedAt is not { } start || input.DoseEndedAt is not { } end)
        {
            return new(c, CriterionStatus.NotMet, "Not met: the dose times are not recorded, so there is no baseline to compare with.", source);
        }

        var before = Math.Min(observed, TimeOrderedVitals.FirstAfter(vitals, start));
        var baseBp = TimeOrderedVitals.LatestBloodPressure(vitals, 0, before);
        var baseHr = TimeOrderedVitals.Latest(vitals, VitalKind.HeartRate, 0, before);
        var from = input.Now.AddMinutes(-s.VitalsMaxAgeMinutes.Value);
        var recentFrom = TimeOrderedVitals.FirstAtOrAfter(vitals, from > end ? from : end);
        var bp = TimeOrderedVitals.LatestBloodPressure(vitals, recentFrom, observed);
        var hr = TimeOrderedVitals.Latest(vitals, VitalKind.HeartRate, recentFrom, observed);
        var spo2 = TimeOrderedVitals.Latest(vitals, VitalKind.OxygenSaturation, recentFrom, observed);
        var problems = new List<string>();
        if (baseBp is null || baseHr is null)
        {
            problems.Add("no pre-dose baseline blood pressure and heart rate to compare with.");
        }

        if (bp is null || hr is null || spo2 is null)
        {
            var missing = new[] { bp is null ? "blood pressure" : null, hr is null ? "heart rate" : null, spo2 is null ? "SpO2" : null }.Where(m => m is not null);
            problems.Add($"no {string.Join(", ", missing)} since the dose ended within the last {SessionText.Minutes(s.VitalsMaxAgeMinutes.Value)}.");
        }

        if (problems.Count > 0)
        {
            return new(c, CriterionStatus.NotMet, "Not met: " + string.Join(" ", problems), source);
        }

        if (bp!.SystolicMmHg > baseBp!.SystolicMmHg + s.SystolicMarginAboveBaselineMmHg.Value
            || bp.DiastolicMmHg > baseBp.DiastolicMmHg + s.DiastolicMarginAboveBaselineMmHg.Value)
        {
            problems.Add($"blood pressure {bp} is more than {SessionText.Number(s.SystolicMarginAboveBaselineMmHg.Value)}/{SessionText.Number(s.DiastolicMarginAboveBaselineMmHg.Value)} mmHg above the baseline {baseBp}.");
        }

        if (Math.Abs(hr!.Value.Amount - baseHr!.Value.Amount) > s.HeartRateMarginFromBaselinePerMinute.Value)
        {
            problems.Add($"heart rate {hr.Value} is more than {SessionText.Number(s.HeartRateMarginFromBaselinePerMinute.Value)} /min from the baseline {baseHr.Value}.");
        }

        if (spo2!.Value.Amount < s.MinimumSpO2Percent.Value)
        {
            problems.Add($"SpO2 {spo2.Value} is below {SessionText.Number(s.MinimumSpO2Percent.Value)} %.");
        }

        var latest = TimeOrderedVitals.Range(vitals, recentFrom, observed).Select(v => v.Kind).Distinct().ToList()
            .Select(kind => TimeOrderedVitals.Latest(vitals, kind, recentFrom, observed)!);
        problems.AddRange(latest.SelectMany(o => VitalAlerts.Evaluate(o, settings.Vitals)).Select(a => a.Message));
        var reading = $"BP {bp} (baseline {baseBp}), heart rate {hr.Value} (baseline {baseHr.Value}), SpO2 {spo2.Value}";
        return problems.Count == 0
            ? new(c, CriterionStatus.Met, $"Met: {reading}.", source)
            : new(c, CriterionStatus.NotMet, "Not met: " + string.Join(" ", problems), source);
    }

    private static DischargeCriterionResult Companion(DischargeAssessment? assessment, string? why)
    {
        const DischargeCriterion c = DischargeCriterion.CompanionPresent;
        var name = assessment?.CompanionPresentName?.Trim();
        return string.IsNullOrEmpty(name)
            ? new(c, CriterionStatus.NotMet, $"Not met: no companion present is recorded{(assessment is null ? $" ({why})" : string.Empty)}.", NoDrivingSource)
            : new(c, CriterionStatus.Met, $"Met: {name} is here to take the patient home.", NoDrivingSource);
    }

    private static DischargeCriterionResult Stable(DischargeInput input, DischargeAssessment? assessment, string? why)
    {
        const DischargeCriterion c = DischargeCriterion.ClinicianJudgesStable;
        var source = input.Protocol.RemsRequired.Source + "; REFERENCE.md §6 [firm]: then a clinician judges the patient stable to leave";
        if (!input.Protocol.RemsRequired.Value)
        {
            return new(c, CriterionStatus.NotApplicable, $"Not applicable: the REMS does not apply to {input.Protocol.Name}.", source);
        }

        if (assessment is null)
        {
            return new(c, CriterionStatus.NotMet, $"Not met: no clinician's judgement that the patient is stable ({why}).", source);
        }

        if (assessment.AssessedBy.Role == StaffRole.Other)
        {
            return new(c, CriterionStatus.NotMet, $"Not met: {assessment.AssessedBy.Name} is not a clinician; a nurse or physician judges stability.", source);
        }

        return assessment.ClinicianJudgesStable == true
            ? new(c, CriterionStatus.Met, $"Met: {assessment.AssessedBy.Name} judged the patient stable to leave at {SessionText.Time(assessment.AssessedAt)}.", source)
            : new(c, CriterionStatus.NotMet, "Not met: the clinician has not judged the patient stable to leave.", source);
    }
}
