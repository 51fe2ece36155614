namespace KetaClinic.Domain.Evaluation;

public enum EligibilityDecision
{
    Eligible,
    NotEligible,
    NeedsReview,
}

public static class EligibilityDecisions
{
    /// <summary>Stable code: "eligible", "not-eligible" or "needs-review".</summary>
    public static string Code(this EligibilityDecision decision) => decision switch
    {
        EligibilityDecision.Eligible => "eligible",
        EligibilityDecision.NotEligible => "not-eligible",
        EligibilityDecision.NeedsReview => "needs-review",
        _ => throw new ArgumentOutOfRangeException(nameof(decision), decision, "Unknown decision."),
    };
}

/// <summary>The eligibility decision with its full trace.</summary>
/// <param name="Reasons">Every rule that fired, in evaluation order; the decision follows from their effects.</param>
/// <param name="EpisodeDurationMonths">Completed months of the current episode, when the onset is known.</param>
/// <param name="Maudsley">Maudsley staging, when every parameter is known.</param>
/// <param name="ThaseRush">Thase–Rush stage, when it can be staged.</param>
/// <param name="Medications">Medication flags, when the medication list was recorded.</param>
/// <param name="ExpiresOn">First day on which this decision is no longer valid.</param>
public sealed record EligibilityResult(
    EligibilityDecision Decision,
    IReadOnlyList<EvaluationReason> Reasons,
    IReadOnlyList<TrialAssessment> Trials,
    TrdFinding Trd,
    int? EpisodeDurationMonths,
    MaudsleyScore? Maudsley,
    ThaseRushStage? ThaseRush,
    MedicationReviewResult? Medications,
    DateOnly EvaluatedOn,
    DateOnly ExpiresOn)
{
    public IEnumerable<EvaluationReason> ReasonsWith(ReasonEffect effect) => Reasons.Where(r => r.Effect == effect);

    public bool HasReason(string code) => Reasons.Any(r => r.Code == code);
}

/// <summary>The settings and reference tables an evaluation runs against.</summary>
public sealed record EligibilityRuleSet(
    EligibilitySettings Settings,
    AntidepressantCatalogue Antidepressants,
    ConcomitantMedicationTable ConcomitantMedications)
{
    /// <summary>Default settings with the built-in tables.</summary>
    public static EligibilityRuleSet Default =>
        new(EligibilitySettings.Default, AntidepressantCatalogue.Default, ConcomitantMedicationTable.Default);
}
