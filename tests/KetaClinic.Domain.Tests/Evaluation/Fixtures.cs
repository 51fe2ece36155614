using KetaClinic.Domain.Evaluation;

namespace KetaClinic.Domain.Tests.Evaluation;

/// <summary>Shared inputs: a patient who meets every criterion, to be varied one field at a time.</summary>
internal static class Fixtures
{
    public static readonly DateOnly EvaluationDay = new(2025, 3, 10);

    public static EligibilityRuleSet Rules => EligibilityRuleSet.Default;

    public static AntidepressantTrial FailedTrial(string drug, decimal doseMg, decimal weeks = 8m) =>
        new(drug, doseMg, weeks, TrialOutcome.NoResponse, InCurrentEpisode: true);

    /// <summary>Severe episode of 15 months, failed sertraline and venlafaxine, nothing on the screen.</summary>
    public static EligibilityInput EligiblePatient() => new()
    {
        EvaluatedOn = EvaluationDay,
        CurrentEpisodeOnset = new DateOnly(2023, 12, 1),
        BaselineSeverity = EpisodeSeverity.SevereWithoutPsychosis,
        Trials =
        [
            FailedTrial("sertraline", 100m),
            FailedTrial("venlafaxine", 150m),
        ],
        AugmentationUsed = false,
        Ect = EctHistory.NotReceived,
        Screening = ContraindicationScreening.AllNo,
        CurrentMedications = [],
    };

    public static EligibilityResult Evaluate(EligibilityInput input) => EligibilityEvaluator.Evaluate(input, Rules);

    public static TrialAssessment Assess(AntidepressantTrial trial, TrdSettings? settings = null) =>
        TrialAdequacyRules.Assess(trial, 1, AntidepressantCatalogue.Default, settings ?? TrdSettings.Default);

    public static IReadOnlyList<string> Codes(this IEnumerable<EvaluationReason> reasons) => reasons.Select(r => r.Code).ToArray();
}
