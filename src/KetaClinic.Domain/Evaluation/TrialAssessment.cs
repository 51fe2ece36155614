namespace KetaClinic.Domain.Evaluation;

public enum TrialAdequacy
{
    Adequate,
    Inadequate,

    /// <summary>Something is missing, implausible or unknown: a physician must look before it counts.</summary>
    NeedsReview,
}

/// <summary>Whether a trial counts as an adequate failed trial in the current episode.</summary>
public enum TrdContribution
{
    Counts,
    DoesNotCount,

    /// <summary>Could count once the missing or unclear information is settled.</summary>
    Undetermined,
}

/// <summary>The judgement of one antidepressant trial, with the reasons for it.</summary>
/// <param name="Number">1-based position of the trial in the input.</param>
/// <param name="Drug">The drug as written.</param>
/// <param name="CatalogueEntry">The catalogue row it matched, if any.</param>
/// <param name="Class">Class from the catalogue, or the physician's for an unknown drug.</param>
public sealed record TrialAssessment(
    int Number,
    string Drug,
    Antidepressant? CatalogueEntry,
    AntidepressantClass? Class,
    TrialAdequacy Adequacy,
    TrdContribution Contribution,
    IReadOnlyList<EvaluationReason> Reasons)
{
    /// <summary>How the trial is named in reasons: "trial 2 (sertraline)".</summary>
    public string Subject => Format.TrialSubject(Number, Drug);
}

/// <summary>Judges each trial's dose and duration against the catalogue and the settings (REFERENCE.md §3).</summary>
public static class TrialAdequacyRules
{
    public static TrialAssessment Assess(AntidepressantTrial trial, int number, AntidepressantCatalogue catalogue, TrdSettings settings)
    {
        ArgumentNullException.ThrowIfNull(trial);
        ArgumentNullException.ThrowIfNull(catalogue);
        ArgumentNullException.ThrowIfNull(settings);

        var drug = trial.Drug?.Trim() ?? string.Empty;
        var subject = Format.TrialSubject(number, drug);
        var judge = new Judge(subject);
        var entry = string.IsNullOrEmpty(drug) ? null : catalogue.Find(drug);
        var drugClass = entry?.Class;

        if (string.IsNullOrEmpty(drug))
        {
            judge.Review(ReasonCodes.TrialDrugMissing, $"{Format.Capitalise(subject)} has no drug name.", EvaluationSources.MissingInformation);
        }
        else if (entry is null)
        {
            drugClass = JudgeUnknownDrug(trial, subject, judge);
        }

        JudgeDose(trial, entry, subject, judge, settings);
        JudgeDuration(trial, subject, judge, settings);
        JudgeOutcome(trial, subject, judge);
        JudgeEpisode(trial, subject, judge);

        var adequacy = judge.Inadequate ? TrialAdequacy.Inadequate
            : judge.NeedsReview ? TrialAdequacy.NeedsReview
            : TrialAdequacy.Adequate;
        var failed = trial.Outcome is TrialOutcome.NoResponse or TrialOutcome.PartialResponse;
        var contribution = Contribution(adequacy, trial, failed);
        if (contribution == TrdContribution.Counts)
        {
            judge.Info(ReasonCodes.TrialFailed,
                $"{Format.Capitalise(subject)} was an adequate trial in the current episode without response; it counts toward treatment resistance.",
                EvaluationSources.TrdDefinition);
        }

        return new TrialAssessment(number, drug, entry, drugClass, adequacy, contribution, judge.Reasons);
    }

    private static AntidepressantClass? JudgeUnknownDrug(AntidepressantTrial trial, string subject, Judge judge)
    {
        var confirmation = string.IsNullOrWhiteSpace(trial.PhysicianDoseConfirmation) ? null : trial.PhysicianDoseConfirmation.Trim();
        if (confirmation is null)
        {
            judge.Review(ReasonCodes.TrialDrugNotInCatalogue,
                $"{Format.Capitalise(subject)}: the drug is not in the antidepressant catalogue; it counts only after a physician assigns its class and confirms the dose was adequate.",
                EvaluationSources.UnknownDrug);
            return trial.PhysicianAssignedClass;
        }

        judge.Info(ReasonCodes.TrialDrugConfirmedByPhysician,
            $"{Format.Capitalise(subject)}: the drug is not in the catalogue; a physician confirmed the dose was adequate: \"{confirmation}\".",
            EvaluationSources.UnknownDrug);
        if (trial.PhysicianAssignedClass is null)
        {
            judge.Review(ReasonCodes.TrialClassMissing,
                $"{Format.Capitalise(subject)}: the drug has no class assigned; a class is needed to compare trials.",
                EvaluationSources.UnknownDrug);
        }

        return trial.PhysicianAssignedClass;
    }

    private static void JudgeDose(AntidepressantTrial trial, Antidepressant? entry, string subject, Judge judge, TrdSettings settings)
    {
        var dose = trial.MaximumDailyDoseMg;
        if (dose is null)
        {
            // A physician's confirmation stands in for the dose of a drug the catalogue does not know.
            if (entry is not null)
            {
                judge.Review(ReasonCodes.TrialDoseMissing, $"{Format.Capitalise(subject)} has no maximum daily dose recorded.", EvaluationSources.MissingInformation);
            }

            return;
        }

        if (dose <= 0m)
        {
            judge.Review(ReasonCodes.TrialDoseInvalid,
                $"{Format.Capitalise(subject)} has a daily dose of {Format.Mg(dose.Value)}, which is not a valid dose.",
                EvaluationSources.MissingInformation);
            return;
        }

        if (entry is null)
        {
            return;
        }

        var minimum = entry.MinimumAdequateDailyDoseMg;
        var implausibleFrom = minimum * settings.ImplausibleDoseMultiple.Value;
        if (dose >= implausibleFrom)
        {
            judge.Review(ReasonCodes.TrialDoseImplausible,
                $"{Format.Capitalise(subject)} records {Format.Mg(dose.Value)} a day, at least {Format.Number(settings.ImplausibleDoseMultiple.Value)} times the adequate dose of {Format.Mg(minimum)}; check the unit.",
                settings.ImplausibleDoseMultiple.Source);
        }
        else if (dose < minimum)
        {
            judge.Fail(ReasonCodes.TrialDoseBelowMinimum,
                $"{Format.Capitalise(subject)} reached {Format.Mg(dose.Value)} a day, below the minimum adequate dose of {Format.Mg(minimum)}.",
                entry.Source);
        }
        else
        {
            judge.Info(ReasonCodes.TrialDoseAdequate,
                $"{Format.Capitalise(subject)} reached {Format.Mg(dose.Value)} a day, at or above the minimum adequate dose of {Format.Mg(minimum)}.",
                entry.Source);
        }
    }

    private static void JudgeDuration(AntidepressantTrial trial, string subject, Judge judge, TrdSettings settings)
    {
        var weeks = trial.WeeksAtMaximumDose;
        var minimum = settings.MinimumTrialWeeks;
        if (weeks is null)
        {
            judge.Review(ReasonCodes.TrialDurationMissing, $"{Format.Capitalise(subject)} has no duration at the maximum dose recorded.", EvaluationSources.MissingInformation);
        }
        else if (weeks < 0m)
        {
            judge.Review(ReasonCodes.TrialDurationInvalid,
                $"{Format.Capitalise(subject)} has a negative duration ({Format.Weeks(weeks.Value)}).",
                EvaluationSources.MissingInformation);
        }
        else if (weeks < minimum.Value)
        {
            judge.Fail(ReasonCodes.TrialDurationBelowMinimum,
                $"{Format.Capitalise(subject)} lasted {Format.Weeks(weeks.Value)} at that dose, shorter than the {Format.Weeks(minimum.Value)} required.",
                minimum.Source);
        }
        else
        {
            judge.Info(ReasonCodes.TrialDurationAdequate,
                $"{Format.Capitalise(subject)} lasted {Format.Weeks(weeks.Value)} at that dose, at least the {Format.Weeks(minimum.Value)} required.",
                minimum.Source);
        }
    }

    private static void JudgeOutcome(AntidepressantTrial trial, string subject, Judge judge)
    {
        switch (trial.Outcome)
        {
            case null:
                judge.Review(ReasonCodes.TrialOutcomeMissing, $"{Format.Capitalise(subject)} has no outcome recorded.", EvaluationSources.MissingInformation);
                break;
            case TrialOutcome.StoppedForNonAdherence:
                judge.Fail(ReasonCodes.TrialNonAdherent,
                    $"{Format.Capitalise(subject)} was stopped for non-adherence, so the drug was not taken as prescribed; the trial is not adequate.",
                    EvaluationSources.TrialAdherence);
                break;
            case TrialOutcome.StoppedForSideEffects:
                judge.Info(ReasonCodes.TrialStoppedForSideEffects,
                    $"{Format.Capitalise(subject)} was stopped for side effects; intolerance is not a failure to respond, so it does not count toward treatment resistance.",
                    EvaluationSources.TrialAdherence);
                break;
            case TrialOutcome.Response:
                judge.Info(ReasonCodes.TrialResponded,
                    $"{Format.Capitalise(subject)} led to a response (at least 50 % improvement), so it does not count toward treatment resistance.",
                    EvaluationSources.TrdDefinition);
                break;
            case TrialOutcome.NoResponse:
            case TrialOutcome.PartialResponse:
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(trial), trial.Outcome, "Unknown trial outcome.");
        }
    }

    private static void JudgeEpisode(AntidepressantTrial trial, string subject, Judge judge)
    {
        if (trial.InCurrentEpisode is null)
        {
            judge.Review(ReasonCodes.TrialEpisodeUnknown,
                $"For {subject} it is not recorded whether it was in the current episode.",
                EvaluationSources.MissingInformation);
        }
        else if (trial.InCurrentEpisode == false)
        {
            judge.Info(ReasonCodes.TrialOutsideCurrentEpisode,
                $"{Format.Capitalise(subject)} was in an earlier episode; only trials in the current episode count.",
                EvaluationSources.TrdDefinition);
        }
    }

    private static TrdContribution Contribution(TrialAdequacy adequacy, AntidepressantTrial trial, bool failed)
    {
        var cannotCount = adequacy == TrialAdequacy.Inadequate
            || trial.InCurrentEpisode == false
            || trial.Outcome is TrialOutcome.Response or TrialOutcome.StoppedForSideEffects or TrialOutcome.StoppedForNonAdherence;
        if (cannotCount)
        {
            return TrdContribution.DoesNotCount;
        }

        return adequacy == TrialAdequacy.Adequate && failed && trial.InCurrentEpisode == true
            ? TrdContribution.Counts
            : TrdContribution.Undetermined;
    }

    /// <summary>Collects a trial's reasons and whether any made it inadequate or unclear.</summary>
    private sealed class Judge(string subject)
    {
        private readonly List<EvaluationReason> _reasons = [];

        public bool Inadequate { get; private set; }

        public bool NeedsReview { get; private set; }

        public IReadOnlyList<EvaluationReason> Reasons => _reasons;

        public void Info(string code, string sentence, string source) =>
            _reasons.Add(new(code, sentence, source, ReasonEffect.Information, subject));

        public void Fail(string code, string sentence, string source)
        {
            Inadequate = true;
            _reasons.Add(new(code, sentence, source, ReasonEffect.Information, subject));
        }

        public void Review(string code, string sentence, string source)
        {
            NeedsReview = true;
            _reasons.Add(new(code, sentence, source, ReasonEffect.NeedsReview, subject));
        }
    }
}
