using System.Text.RegularExpressions;
using KetaClinic.Domain.Evaluation;

namespace KetaClinic.Domain.Tests.Evaluation;

public partial class EligibilityEvaluatorTests
{
    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*$")]
    private static partial Regex KebabCase();

    [Fact]
    public void A_patient_with_trd_a_clear_screen_and_a_complete_record_is_eligible()
    {
        var result = Fixtures.Evaluate(Fixtures.EligiblePatient());

        Assert.Equal(EligibilityDecision.Eligible, result.Decision);
        Assert.Equal("eligible", result.Decision.Code());
        Assert.Equal(TrdStatus.Met, result.Trd.Status);
        Assert.Empty(result.ReasonsWith(ReasonEffect.NeedsReview));
        Assert.Empty(result.ReasonsWith(ReasonEffect.Blocks));
    }

    [Fact]
    public void The_trace_shows_trd_staging_and_screen()
    {
        var result = Fixtures.Evaluate(Fixtures.EligiblePatient());

        Assert.Equal(
        [
            ReasonCodes.TrialDoseAdequate, ReasonCodes.TrialDurationAdequate, ReasonCodes.TrialFailed,
            ReasonCodes.TrialDoseAdequate, ReasonCodes.TrialDurationAdequate, ReasonCodes.TrialFailed,
            ReasonCodes.TrdMet, ReasonCodes.MaudsleyStage, ReasonCodes.ThaseRushStage, ReasonCodes.ScreeningClear,
        ], result.Reasons.Codes());
        Assert.Equal(15, result.EpisodeDurationMonths);
        // 15 months = 2, severe without psychosis = 4, two failed antidepressants = 1.
        Assert.Equal(7, result.Maudsley!.Total);
        Assert.Equal(MaudsleyBand.Moderate, result.Maudsley.Band);
        Assert.Equal(ThaseRushStage.StageII, result.ThaseRush);
        Assert.Contains("7 of 15, moderate", Assert.Single(result.Reasons, r => r.Code == ReasonCodes.MaudsleyStage).Sentence, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_reason_has_a_kebab_case_code_a_sentence_and_a_source()
    {
        var input = Fixtures.EligiblePatient() with
        {
            CurrentEpisodeOnset = null,
            Trials = [Fixtures.FailedTrial("sertraline", 25m), Fixtures.FailedTrial("Hypericum", 900m), new AntidepressantTrial(null, null, null, null, null)],
            Screening = ContraindicationScreening.Unanswered.With(Contraindication.Pregnancy, ScreeningAnswer.Yes),
            CurrentMedications = [new CurrentMedication("lorazepam", null), new CurrentMedication("lamotrigine", 100m)],
        };

        var result = Fixtures.Evaluate(input);

        Assert.All(result.Reasons, reason =>
        {
            Assert.Matches(KebabCase(), reason.Code);
            Assert.False(string.IsNullOrWhiteSpace(reason.Sentence));
            Assert.False(string.IsNullOrWhiteSpace(reason.Source));
            Assert.EndsWith(".", reason.Sentence, StringComparison.Ordinal);
        });
    }

    [Fact]
    public void Reason_codes_are_unique_and_kebab_case()
    {
        var codes = typeof(ReasonCodes).GetFields().Select(f => (string)f.GetValue(null)!).ToArray();

        Assert.Equal(codes.Length, codes.Distinct(StringComparer.Ordinal).Count());
        Assert.All(codes, code => Assert.Matches(KebabCase(), code));
        Assert.All(ContraindicationRules.All, rule => Assert.Matches(KebabCase(), rule.Code));
    }

    [Fact]
    public void No_trials_recorded_needs_review()
    {
        var result = Fixtures.Evaluate(Fixtures.EligiblePatient() with { Trials = [] });

        Assert.Equal(EligibilityDecision.NeedsReview, result.Decision);
        Assert.Contains(ReasonCodes.TrialsMissing, result.ReasonsWith(ReasonEffect.NeedsReview).Codes());
        Assert.Null(result.Maudsley);
        Assert.Null(result.ThaseRush);
    }

    [Fact]
    public void A_missing_episode_onset_needs_review_and_leaves_the_maudsley_stage_unscored()
    {
        var result = Fixtures.Evaluate(Fixtures.EligiblePatient() with { CurrentEpisodeOnset = null });

        Assert.Equal(EligibilityDecision.NeedsReview, result.Decision);
        Assert.Equal([ReasonCodes.EpisodeOnsetMissing], result.ReasonsWith(ReasonEffect.NeedsReview).Codes());
        Assert.Null(result.Maudsley);
        Assert.Contains("episode duration", Assert.Single(result.Reasons, r => r.Code == ReasonCodes.MaudsleyNotScored).Sentence, StringComparison.Ordinal);
    }

    [Fact]
    public void An_episode_onset_after_the_evaluation_needs_review()
    {
        var result = Fixtures.Evaluate(Fixtures.EligiblePatient() with { CurrentEpisodeOnset = Fixtures.EvaluationDay.AddDays(1) });

        Assert.Equal(EligibilityDecision.NeedsReview, result.Decision);
        var reason = Assert.Single(result.ReasonsWith(ReasonEffect.NeedsReview));
        Assert.Equal(ReasonCodes.EpisodeOnsetAfterEvaluation, reason.Code);
        Assert.Contains("(2025-03-11) is after the evaluation date (2025-03-10)", reason.Sentence, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_baseline_severity_needs_review()
    {
        var result = Fixtures.Evaluate(Fixtures.EligiblePatient() with { BaselineSeverity = null });

        Assert.Equal(EligibilityDecision.NeedsReview, result.Decision);
        Assert.Equal([ReasonCodes.BaselineSeverityMissing], result.ReasonsWith(ReasonEffect.NeedsReview).Codes());
    }

    [Fact]
    public void Missing_augmentation_and_ect_history_need_review()
    {
        var result = Fixtures.Evaluate(Fixtures.EligiblePatient() with { AugmentationUsed = null, Ect = null });

        Assert.Equal(EligibilityDecision.NeedsReview, result.Decision);
        Assert.Equal([ReasonCodes.AugmentationHistoryMissing, ReasonCodes.EctHistoryMissing], result.ReasonsWith(ReasonEffect.NeedsReview).Codes());
    }

    [Fact]
    public void An_unrecorded_medication_list_needs_review_but_an_empty_one_does_not()
    {
        Assert.Equal(EligibilityDecision.NeedsReview, Fixtures.Evaluate(Fixtures.EligiblePatient() with { CurrentMedications = null }).Decision);
        Assert.Equal(EligibilityDecision.Eligible, Fixtures.Evaluate(Fixtures.EligiblePatient() with { CurrentMedications = [] }).Decision);
    }

    [Fact]
    public void Two_failures_in_one_class_make_the_patient_not_eligible()
    {
        var input = Fixtures.EligiblePatient() with
        {
            Trials = [Fixtures.FailedTrial("sertraline", 100m), Fixtures.FailedTrial("escitalopram", 20m)],
        };

        var result = Fixtures.Evaluate(input);

        Assert.Equal(EligibilityDecision.NotEligible, result.Decision);
        Assert.Equal(ReasonCodes.TrdNotMet, Assert.Single(result.ReasonsWith(ReasonEffect.Blocks)).Code);
    }

    [Fact]
    public void An_unknown_drug_that_could_complete_trd_holds_the_decision_for_review()
    {
        var input = Fixtures.EligiblePatient() with
        {
            Trials = [Fixtures.FailedTrial("sertraline", 100m), Fixtures.FailedTrial("Hypericum extract", 900m)],
        };

        var result = Fixtures.Evaluate(input);

        Assert.Equal(EligibilityDecision.NeedsReview, result.Decision);
        Assert.Equal([ReasonCodes.TrialDrugNotInCatalogue, ReasonCodes.TrdUndetermined], result.ReasonsWith(ReasonEffect.NeedsReview).Codes());
    }

    [Fact]
    public void An_unknown_drug_beside_an_established_trd_is_only_a_caution()
    {
        var input = Fixtures.EligiblePatient() with
        {
            Trials = [.. Fixtures.EligiblePatient().Trials!, Fixtures.FailedTrial("Hypericum extract", 900m)],
        };

        var result = Fixtures.Evaluate(input);

        Assert.Equal(EligibilityDecision.Eligible, result.Decision);
        var caution = Assert.Single(result.Reasons, r => r.Code == ReasonCodes.TrialDrugNotInCatalogue);
        Assert.Equal(ReasonEffect.Caution, caution.Effect);
        Assert.Contains("not counted yet", Assert.Single(result.Reasons, r => r.Code == ReasonCodes.MaudsleyStage).Sentence, StringComparison.Ordinal);
    }

    [Fact]
    public void Blocking_reasons_outrank_missing_information()
    {
        var input = Fixtures.EligiblePatient() with
        {
            CurrentEpisodeOnset = null,
            Screening = ContraindicationScreening.AllNo.With(Contraindication.ArteriovenousMalformation, ScreeningAnswer.Yes),
        };

        Assert.Equal(EligibilityDecision.NotEligible, Fixtures.Evaluate(input).Decision);
    }

    [Fact]
    public void Staging_uses_the_whole_history_of_the_current_episode()
    {
        var input = Fixtures.EligiblePatient() with
        {
            CurrentEpisodeOnset = new DateOnly(2021, 1, 1),
            Trials =
            [
                Fixtures.FailedTrial("sertraline", 100m),
                Fixtures.FailedTrial("venlafaxine", 225m),
                Fixtures.FailedTrial("nortriptyline", 100m),
                Fixtures.FailedTrial("tranylcypromine", 40m),
                Fixtures.FailedTrial("mirtazapine", 45m) with { InCurrentEpisode = false },
            ],
            AugmentationUsed = true,
            Ect = EctHistory.FailedBilateralCourse,
        };

        var result = Fixtures.Evaluate(input);

        Assert.Equal(ThaseRushStage.StageV, result.ThaseRush);
        // > 24 months = 3, severe = 4, four failed = 2, augmentation = 1, ECT = 1.
        Assert.Equal(11, result.Maudsley!.Total);
        Assert.Equal(MaudsleyBand.Severe, result.Maudsley.Band);
    }

    [Fact]
    public void Thase_rush_is_left_open_between_IV_and_V_when_ect_is_not_recorded()
    {
        var input = Fixtures.EligiblePatient() with
        {
            Trials =
            [
                Fixtures.FailedTrial("sertraline", 100m),
                Fixtures.FailedTrial("venlafaxine", 225m),
                Fixtures.FailedTrial("imipramine", 200m),
                Fixtures.FailedTrial("phenelzine", 60m),
            ],
            Ect = null,
        };

        var result = Fixtures.Evaluate(input);

        Assert.Null(result.ThaseRush);
        Assert.Contains(ReasonCodes.ThaseRushNotStaged, result.Reasons.Codes());
    }

    [Fact]
    public void The_decision_expires_after_the_validity_period()
    {
        var result = Fixtures.Evaluate(Fixtures.EligiblePatient());

        Assert.Equal(Fixtures.EvaluationDay, result.EvaluatedOn);
        Assert.Equal(Fixtures.EvaluationDay.AddMonths(6), result.ExpiresOn);
    }

    [Fact]
    public void The_evaluation_is_a_pure_function_of_its_input()
    {
        var first = Fixtures.Evaluate(Fixtures.EligiblePatient());
        var second = Fixtures.Evaluate(Fixtures.EligiblePatient());

        Assert.Equal(first.Decision, second.Decision);
        Assert.Equal(first.Reasons, second.Reasons);
        Assert.Equal(first.Maudsley, second.Maudsley);
    }
}
