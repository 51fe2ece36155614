namespace KetaClinic.Domain.Evaluation;

/// <summary>Decision support for ketamine eligibility (issue 4, part 4): a pure function from the
/// evaluation's findings to a decision with every reason, its rule's source and its effect.
/// Any blocking reason makes the patient not eligible; otherwise any reason needing review makes the
/// decision needs-review; only a clean trace is eligible.</summary>
public static class EligibilityEvaluator
{
    public static EligibilityResult Evaluate(EligibilityInput input, EligibilityRuleSet rules)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(rules);
        var settingErrors = rules.Settings.Validate();
        if (settingErrors.Count > 0)
        {
            throw new ArgumentException("Invalid eligibility settings: " + string.Join("; ", settingErrors), nameof(rules));
        }

        var reasons = new List<EvaluationReason>();

        var trials = (input.Trials ?? [])
            .Select((trial, index) => TrialAdequacyRules.Assess(trial, index + 1, rules.Antidepressants, rules.Settings.Trd))
            .ToArray();
        var trd = TrdRules.Determine(trials, rules.Settings.Trd);
        reasons.AddRange(TrialReasons(trials, trd));
        reasons.Add(trd.Reason);

        var months = EpisodeDuration(input, reasons);
        if (input.BaselineSeverity is null)
        {
            reasons.Add(Missing(ReasonCodes.BaselineSeverityMissing, "The baseline severity of the current episode is not recorded."));
        }

        if (input.AugmentationUsed is null)
        {
            reasons.Add(Missing(ReasonCodes.AugmentationHistoryMissing, "Whether augmentation was used in the current episode is not recorded."));
        }

        if (input.Ect is null)
        {
            reasons.Add(Missing(ReasonCodes.EctHistoryMissing, "Whether ECT was given in the current episode is not recorded."));
        }

        var maudsley = Maudsley(input, months, trials, trd, reasons);
        var thaseRush = ThaseRush(input, trials, trd, reasons);
        reasons.AddRange(Screening(input));

        MedicationReviewResult? medications = null;
        if (input.CurrentMedications is null)
        {
            reasons.Add(Missing(ReasonCodes.CurrentMedicationsMissing,
                "The current medication list is not recorded (record an empty list if the patient takes none)."));
        }
        else
        {
            medications = MedicationReview.Review(input.CurrentMedications, rules.ConcomitantMedications, rules.Antidepressants, rules.Settings);
            reasons.AddRange(medications.Reasons);
        }

        var decision = reasons.Any(r => r.Effect == ReasonEffect.Blocks) ? EligibilityDecision.NotEligible
            : reasons.Any(r => r.Effect == ReasonEffect.NeedsReview) ? EligibilityDecision.NeedsReview
            : EligibilityDecision.Eligible;

        return new EligibilityResult(
            decision,
            reasons,
            trials,
            trd,
            months,
            maudsley,
            thaseRush,
            medications,
            input.EvaluatedOn,
            rules.Settings.ExpiresOn(input.EvaluatedOn));
    }

    // A trial's open questions hold up the decision only while they could still change the TRD finding;
    // otherwise they stay in the trace as cautions.
    private static IEnumerable<EvaluationReason> TrialReasons(TrialAssessment[] trials, TrdFinding trd) =>
        trials.SelectMany(trial => trial.Reasons.Select(reason =>
            reason.Effect == ReasonEffect.NeedsReview
            && !(trd.Status == TrdStatus.Undetermined && trial.Contribution == TrdContribution.Undetermined)
                ? reason with { Effect = ReasonEffect.Caution }
                : reason));

    private static int? EpisodeDuration(EligibilityInput input, List<EvaluationReason> reasons)
    {
        if (input.CurrentEpisodeOnset is not { } onset)
        {
            reasons.Add(Missing(ReasonCodes.EpisodeOnsetMissing, "The onset of the current episode is not recorded."));
            return null;
        }

        if (onset > input.EvaluatedOn)
        {
            reasons.Add(Missing(ReasonCodes.EpisodeOnsetAfterEvaluation,
                $"The recorded episode onset ({Format.Date(onset)}) is after the evaluation date ({Format.Date(input.EvaluatedOn)})."));
            return null;
        }

        return MaudsleyStaging.CompletedMonths(onset, input.EvaluatedOn);
    }

    private static MaudsleyScore? Maudsley(
        EligibilityInput input, int? months, TrialAssessment[] trials, TrdFinding trd, List<EvaluationReason> reasons)
    {
        var missing = new List<string>();
        if (months is null)
        {
            missing.Add("episode duration");
        }

        if (input.BaselineSeverity is null)
        {
            missing.Add("severity");
        }

        if (trials.Length == 0)
        {
            missing.Add("treatment history");
        }

        if (input.AugmentationUsed is null)
        {
            missing.Add("augmentation");
        }

        if (input.Ect is null)
        {
            missing.Add("ECT");
        }

        if (missing.Count > 0)
        {
            reasons.Add(new(ReasonCodes.MaudsleyNotScored,
                $"The Maudsley stage cannot be scored without: {string.Join(", ", missing)}.",
                EvaluationSources.Maudsley, ReasonEffect.Information));
            return null;
        }

        // Fekadu counts antidepressants, so a repeated drug counts once.
        var failedDrugs = trials
            .Where(t => t.Contribution == TrdContribution.Counts)
            .Select(t => t.CatalogueEntry?.Name ?? DrugNames.Key(t.Drug))
            .Distinct(StringComparer.Ordinal)
            .Count();
        var score = MaudsleyStaging.Score(new MaudsleyInputs(
            months!.Value, input.BaselineSeverity!.Value, failedDrugs, input.AugmentationUsed!.Value,
            input.Ect != EctHistory.NotReceived));
        var pending = trd.UndeterminedTrials.Count > 0 ? "; trials under review are not counted yet" : string.Empty;
        reasons.Add(new(ReasonCodes.MaudsleyStage,
            $"Maudsley Staging Method: {Format.Count(score.Total)} of 15, {score.Band.Label()} "
            + $"(duration {Format.Count(score.DurationPoints)}, severity {Format.Count(score.SeverityPoints)}, "
            + $"failed antidepressants {Format.Count(score.FailedAntidepressantPoints)} for {Format.Plural(failedDrugs, "drug", "drugs")}, "
            + $"augmentation {Format.Count(score.AugmentationPoints)}, ECT {Format.Count(score.EctPoints)}){pending}.",
            EvaluationSources.Maudsley, ReasonEffect.Information));
        return score;
    }

    private static ThaseRushStage? ThaseRush(EligibilityInput input, TrialAssessment[] trials, TrdFinding trd, List<EvaluationReason> reasons)
    {
        if (trials.Length == 0)
        {
            reasons.Add(new(ReasonCodes.ThaseRushNotStaged, "The Thase–Rush stage cannot be given without a treatment history.",
                EvaluationSources.ThaseRush, ReasonEffect.Information));
            return null;
        }

        var stage = ThaseRushStaging.Stage(trd.FailedClasses, input.Ect == EctHistory.FailedBilateralCourse);
        if (stage == ThaseRushStage.StageIV && input.Ect is null)
        {
            reasons.Add(new(ReasonCodes.ThaseRushNotStaged,
                "The Thase–Rush stage is IV or V; it cannot be told apart without the ECT history.",
                EvaluationSources.ThaseRush, ReasonEffect.Information));
            return null;
        }

        var pending = trd.UndeterminedTrials.Count > 0 ? "; trials under review are not counted yet" : string.Empty;
        reasons.Add(new(ReasonCodes.ThaseRushStage,
            $"Thase–Rush stage {stage.Label()} (failed classes: {(trd.FailedClasses.Count == 0 ? "none" : string.Join(", ", trd.FailedClasses.Select(c => c.DisplayName())))}){pending}.",
            EvaluationSources.ThaseRush, ReasonEffect.Information));
        return stage;
    }

    private static List<EvaluationReason> Screening(EligibilityInput input)
    {
        var screening = input.Screening ?? ContraindicationScreening.Unanswered;
        var psychoticFeatures = input.BaselineSeverity == EpisodeSeverity.SevereWithPsychosis;
        var reasons = new List<EvaluationReason>();
        foreach (var rule in ContraindicationRules.All)
        {
            var answer = screening.AnswerFor(rule.Item);
            var description = rule.Description;
            var source = rule.Source;

            // Psychotic features now are at least as weighty as a history of psychosis.
            if (rule.Item == Contraindication.PsychosisHistory && psychoticFeatures && answer != ScreeningAnswer.Yes)
            {
                // The unanswered history question stays missing information even when the current episode's
                // psychotic features are justified: a justification never stands in for an answer.
                if (answer == ScreeningAnswer.Unknown)
                {
                    reasons.Add(new(ReasonCodes.ScreeningAnswerUnknown,
                        $"The screening question on {description} has no answer; ask before deciding.",
                        EvaluationSources.MissingInformation, ReasonEffect.NeedsReview, rule.Code));
                }

                answer = ScreeningAnswer.Yes;
                description = "psychotic features in the current episode";
                source = EvaluationSources.Psychosis;
            }

            switch (answer)
            {
                case ScreeningAnswer.Unknown:
                    reasons.Add(new(ReasonCodes.ScreeningAnswerUnknown,
                        $"The screening question on {description} has no answer; ask before deciding.",
                        EvaluationSources.MissingInformation, ReasonEffect.NeedsReview, rule.Code));
                    break;
                case ScreeningAnswer.Yes when rule.Kind == ContraindicationKind.Absolute:
                    reasons.Add(new(ReasonCodes.AbsoluteContraindication,
                        $"{Format.Capitalise(description)} is an absolute contraindication; ketamine treatment is ruled out.",
                        source, ReasonEffect.Blocks, rule.Code));
                    break;
                case ScreeningAnswer.Yes when screening.JustificationFor(rule.Item) is { } justification:
                    reasons.Add(new(ReasonCodes.RelativeContraindicationJustified,
                        $"{Format.Capitalise(description)} is a relative contraindication, accepted on the physician's written justification: \"{justification}\".",
                        source, ReasonEffect.Caution, rule.Code));
                    break;
                case ScreeningAnswer.Yes:
                    reasons.Add(new(ReasonCodes.RelativeContraindicationNeedsJustification,
                        $"{Format.Capitalise(description)} is a relative contraindication; a physician's written justification is needed to proceed.",
                        source, ReasonEffect.NeedsReview, rule.Code));
                    break;
                case ScreeningAnswer.No:
                    break;
                default:
                    throw new ArgumentOutOfRangeException(nameof(input), answer, "Unknown screening answer.");
            }
        }

        if (reasons.Count == 0)
        {
            reasons.Add(new(ReasonCodes.ScreeningClear,
                "Every contraindication screening question was answered no.",
                "Esketamine (Spravato) US prescribing information; Sanacora et al. 2017 (REFERENCE.md §4)", ReasonEffect.Information));
        }

        return reasons;
    }

    private static EvaluationReason Missing(string code, string sentence) =>
        new(code, sentence, EvaluationSources.MissingInformation, ReasonEffect.NeedsReview);
}
