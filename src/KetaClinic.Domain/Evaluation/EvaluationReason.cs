using System.Globalization;

namespace KetaClinic.Domain.Evaluation;

/// <summary>What a reason does to the overall decision.</summary>
public enum ReasonEffect
{
    /// <summary>A finding for the trace; does not change the decision.</summary>
    Information,

    /// <summary>Shown to the physician as a caution; does not change the decision.</summary>
    Caution,

    /// <summary>Missing, unclear or unjustified information: the decision needs the physician's review.</summary>
    NeedsReview,

    /// <summary>Rules treatment out: the decision is not-eligible.</summary>
    Blocks,
}

/// <summary>One step of the evaluation's trace.</summary>
/// <param name="Code">Stable kebab-case code of the rule that fired.</param>
/// <param name="Sentence">Plain-language explanation for the physician.</param>
/// <param name="Source">The rule's source.</param>
/// <param name="Effect">What it does to the decision.</param>
/// <param name="Subject">What it is about (a trial, a screening item, a medication), if anything.</param>
public sealed record EvaluationReason(string Code, string Sentence, string Source, ReasonEffect Effect, string? Subject = null);

/// <summary>The stable codes of <see cref="EvaluationReason"/>. Never rename one: stored decisions refer to them.</summary>
public static class ReasonCodes
{
    public const string TrialsMissing = "trials-missing";
    public const string TrialDrugMissing = "trial-drug-missing";
    public const string TrialDrugNotInCatalogue = "trial-drug-not-in-catalogue";
    public const string TrialDrugConfirmedByPhysician = "trial-drug-confirmed-by-physician";
    public const string TrialClassMissing = "trial-class-missing";
    public const string TrialDoseMissing = "trial-dose-missing";
    public const string TrialDoseInvalid = "trial-dose-invalid";
    public const string TrialDoseImplausible = "trial-dose-implausible";
    public const string TrialDoseBelowMinimum = "trial-dose-below-minimum";
    public const string TrialDoseAdequate = "trial-dose-adequate";
    public const string TrialDurationMissing = "trial-duration-missing";
    public const string TrialDurationInvalid = "trial-duration-invalid";
    public const string TrialDurationBelowMinimum = "trial-duration-below-minimum";
    public const string TrialDurationAdequate = "trial-duration-adequate";
    public const string TrialOutcomeMissing = "trial-outcome-missing";
    public const string TrialNonAdherent = "trial-non-adherent";
    public const string TrialStoppedForSideEffects = "trial-stopped-for-side-effects";
    public const string TrialResponded = "trial-responded";
    public const string TrialFailed = "trial-failed";
    public const string TrialEpisodeUnknown = "trial-episode-unknown";
    public const string TrialOutsideCurrentEpisode = "trial-outside-current-episode";

    public const string TrdMet = "trd-met";
    public const string TrdNotMet = "trd-not-met";
    public const string TrdUndetermined = "trd-undetermined";

    public const string EpisodeOnsetMissing = "episode-onset-missing";
    public const string EpisodeOnsetAfterEvaluation = "episode-onset-after-evaluation";
    public const string BaselineSeverityMissing = "baseline-severity-missing";
    public const string AugmentationHistoryMissing = "augmentation-history-missing";
    public const string EctHistoryMissing = "ect-history-missing";
    public const string MaudsleyStage = "maudsley-stage";
    public const string MaudsleyNotScored = "maudsley-not-scored";
    public const string ThaseRushStage = "thase-rush-stage";
    public const string ThaseRushNotStaged = "thase-rush-not-staged";

    public const string AbsoluteContraindication = "absolute-contraindication";
    public const string RelativeContraindicationNeedsJustification = "relative-contraindication-needs-justification";
    public const string RelativeContraindicationJustified = "relative-contraindication-justified";
    public const string ScreeningAnswerUnknown = "screening-answer-unknown";
    public const string ScreeningClear = "screening-clear";

    public const string CurrentMedicationsMissing = "current-medications-missing";
    public const string BenzodiazepineAboveThreshold = "benzodiazepine-above-threshold";
    public const string BenzodiazepineWithinThreshold = "benzodiazepine-within-threshold";
    public const string BenzodiazepineDoseMissing = "benzodiazepine-dose-missing";
    public const string MedicationRaisesBloodPressure = "medication-raises-blood-pressure";
    public const string MedicationAddsSedation = "medication-adds-sedation";
    public const string MedicationBluntsKetamineEffect = "medication-blunts-ketamine-effect";
}

/// <summary>Sources of the rules that are not rows of a data table.</summary>
public static class EvaluationSources
{
    public const string TrdDefinition =
        "Working definition of TRD: no response (< 50 % improvement) to at least two adequately dosed trials of adequate duration in the current episode (REFERENCE.md §3)";

    public const string TrialAdherence =
        "Antidepressant Treatment History Form: a trial stopped for non-adherence or intolerance is not a failed adequate trial (REFERENCE.md §3, secondary)";

    public const string Maudsley =
        "Fekadu et al. 2009, Maudsley Staging Method (J Clin Psychiatry 70:177); REFERENCE.md §3";

    public const string ThaseRush =
        "Thase & Rush 1997 staging (J Clin Psychiatry 58 Suppl 13:23); REFERENCE.md §3";

    public const string MissingInformation =
        "KetaClinic rule: missing or out-of-range input never passes a check, it needs review (REFERENCE.md, introduction)";

    public const string UnknownDrug =
        "Issue 4: an unknown drug is accepted as free text but not counted as adequate without a physician's confirmation";

    public const string Psychosis =
        "Sanacora et al. 2017, APA consensus statement: attention to psychosis (REFERENCE.md §4); the current episode has psychotic features";
}

internal static class Format
{
    public static string Number(decimal value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    public static string Mg(decimal value) => Number(value) + " mg";

    public static string Weeks(decimal value) => Number(value) + (value == 1m ? " week" : " weeks");

    public static string Count(int value) => value.ToString(CultureInfo.InvariantCulture);

    public static string Date(DateOnly value) => value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static string Capitalise(string text) =>
        string.IsNullOrEmpty(text) ? text : char.ToUpperInvariant(text[0]) + text[1..];

    public static string Plural(int count, string singular, string plural) =>
        $"{Count(count)} {(count == 1 ? singular : plural)}";

    public static string TrialSubject(int number, string drug) =>
        string.IsNullOrWhiteSpace(drug) ? $"trial {Count(number)}" : $"trial {Count(number)} ({drug})";
}
