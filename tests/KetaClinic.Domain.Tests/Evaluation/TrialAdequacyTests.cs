using KetaClinic.Domain.Evaluation;

namespace KetaClinic.Domain.Tests.Evaluation;

public class TrialAdequacyTests
{
    [Fact]
    public void A_trial_at_the_minimum_dose_for_the_minimum_duration_is_adequate()
    {
        var assessment = Fixtures.Assess(Fixtures.FailedTrial("sertraline", 50m, weeks: 6m));

        Assert.Equal(TrialAdequacy.Adequate, assessment.Adequacy);
        Assert.Equal(TrdContribution.Counts, assessment.Contribution);
        Assert.Equal(AntidepressantClass.Ssri, assessment.Class);
        Assert.Equal([ReasonCodes.TrialDoseAdequate, ReasonCodes.TrialDurationAdequate, ReasonCodes.TrialFailed], assessment.Reasons.Codes());
    }

    [Fact]
    public void A_dose_just_under_the_minimum_makes_the_trial_inadequate()
    {
        var assessment = Fixtures.Assess(Fixtures.FailedTrial("sertraline", 49.9m));

        Assert.Equal(TrialAdequacy.Inadequate, assessment.Adequacy);
        Assert.Equal(TrdContribution.DoesNotCount, assessment.Contribution);
        var reason = Assert.Single(assessment.Reasons, r => r.Code == ReasonCodes.TrialDoseBelowMinimum);
        Assert.Contains("49.9 mg", reason.Sentence, StringComparison.Ordinal);
        Assert.Contains("50 mg", reason.Sentence, StringComparison.Ordinal);
        Assert.Equal(AntidepressantCatalogue.Default.Find("sertraline")!.Source, reason.Source);
    }

    [Fact]
    public void A_duration_just_under_six_weeks_makes_the_trial_inadequate()
    {
        var assessment = Fixtures.Assess(Fixtures.FailedTrial("sertraline", 100m, weeks: 5.9m));

        Assert.Equal(TrialAdequacy.Inadequate, assessment.Adequacy);
        var reason = Assert.Single(assessment.Reasons, r => r.Code == ReasonCodes.TrialDurationBelowMinimum);
        Assert.Contains("5.9 weeks", reason.Sentence, StringComparison.Ordinal);
    }

    [Fact]
    public void The_minimum_duration_follows_the_clinic_setting()
    {
        var fourWeeks = TrdSettings.Default with { MinimumTrialWeeks = new(4m, "clinic policy") };

        Assert.Equal(TrialAdequacy.Adequate, Fixtures.Assess(Fixtures.FailedTrial("sertraline", 50m, weeks: 4m), fourWeeks).Adequacy);
        Assert.Equal(TrialAdequacy.Inadequate, Fixtures.Assess(Fixtures.FailedTrial("sertraline", 50m, weeks: 3.5m), fourWeeks).Adequacy);
    }

    [Theory]
    [InlineData("escitalopram", 10, true)]
    [InlineData("escitalopram", 9.9, false)]
    [InlineData("amitriptyline", 150, true)]
    [InlineData("amitriptyline", 125, false)]
    [InlineData("phenelzine", 45, true)]
    [InlineData("phenelzine", 30, false)]
    [InlineData("Wellbutrin XL", 300, true)]
    [InlineData("bupropion", 150, false)]
    public void Dose_adequacy_follows_the_catalogue_minimum(string drug, double doseMg, bool adequate)
    {
        var assessment = Fixtures.Assess(Fixtures.FailedTrial(drug, (decimal)doseMg));

        Assert.Equal(adequate ? TrialAdequacy.Adequate : TrialAdequacy.Inadequate, assessment.Adequacy);
    }

    [Fact]
    public void An_unknown_drug_needs_review_naming_it()
    {
        var assessment = Fixtures.Assess(Fixtures.FailedTrial("Hypericum extract", 900m));

        Assert.Equal(TrialAdequacy.NeedsReview, assessment.Adequacy);
        Assert.Equal(TrdContribution.Undetermined, assessment.Contribution);
        var reason = Assert.Single(assessment.Reasons, r => r.Code == ReasonCodes.TrialDrugNotInCatalogue);
        Assert.Contains("Hypericum extract", reason.Sentence, StringComparison.Ordinal);
        Assert.Equal(ReasonEffect.NeedsReview, reason.Effect);
    }

    [Fact]
    public void An_unknown_drug_counts_once_a_physician_confirms_the_dose_and_assigns_a_class()
    {
        var trial = Fixtures.FailedTrial("Hypericum extract", 900m) with
        {
            PhysicianDoseConfirmation = "900 mg/day standardised extract, as in trials",
            PhysicianAssignedClass = AntidepressantClass.Other,
        };

        var assessment = Fixtures.Assess(trial);

        Assert.Equal(TrialAdequacy.Adequate, assessment.Adequacy);
        Assert.Equal(TrdContribution.Counts, assessment.Contribution);
        Assert.Contains(ReasonCodes.TrialDrugConfirmedByPhysician, assessment.Reasons.Codes());
    }

    [Fact]
    public void A_confirmed_unknown_drug_without_a_class_still_needs_review()
    {
        var trial = Fixtures.FailedTrial("Hypericum extract", 900m) with { PhysicianDoseConfirmation = "adequate" };

        var assessment = Fixtures.Assess(trial);

        Assert.Equal(TrialAdequacy.NeedsReview, assessment.Adequacy);
        Assert.Contains(ReasonCodes.TrialClassMissing, assessment.Reasons.Codes());
    }

    [Fact]
    public void A_dose_ten_times_the_minimum_is_sent_back_as_a_probable_unit_error()
    {
        var assessment = Fixtures.Assess(Fixtures.FailedTrial("fluoxetine", 200m));

        Assert.Equal(TrialAdequacy.NeedsReview, assessment.Adequacy);
        Assert.Contains("check the unit", Assert.Single(assessment.Reasons, r => r.Code == ReasonCodes.TrialDoseImplausible).Sentence, StringComparison.Ordinal);
        Assert.Equal(TrialAdequacy.Adequate, Fixtures.Assess(Fixtures.FailedTrial("fluoxetine", 80m)).Adequacy);
    }

    [Theory]
    [InlineData(0, 8, ReasonCodes.TrialDoseInvalid)]
    [InlineData(-50, 8, ReasonCodes.TrialDoseInvalid)]
    [InlineData(100, -1, ReasonCodes.TrialDurationInvalid)]
    public void Impossible_numbers_need_review(int doseMg, int weeks, string code)
    {
        var assessment = Fixtures.Assess(Fixtures.FailedTrial("sertraline", doseMg, weeks));

        Assert.Equal(TrialAdequacy.NeedsReview, assessment.Adequacy);
        Assert.Contains(code, assessment.Reasons.Codes());
    }

    [Fact]
    public void Missing_trial_data_needs_review_naming_each_gap()
    {
        var assessment = Fixtures.Assess(new AntidepressantTrial("sertraline", null, null, null, null));

        Assert.Equal(TrialAdequacy.NeedsReview, assessment.Adequacy);
        Assert.Equal(TrdContribution.Undetermined, assessment.Contribution);
        Assert.Equal(
            [ReasonCodes.TrialDoseMissing, ReasonCodes.TrialDurationMissing, ReasonCodes.TrialOutcomeMissing, ReasonCodes.TrialEpisodeUnknown],
            assessment.Reasons.Codes());
    }

    [Fact]
    public void A_trial_without_a_drug_name_needs_review()
    {
        var assessment = Fixtures.Assess(new AntidepressantTrial("  ", 50m, 8m, TrialOutcome.NoResponse, true));

        Assert.Equal(TrialAdequacy.NeedsReview, assessment.Adequacy);
        Assert.Contains(ReasonCodes.TrialDrugMissing, assessment.Reasons.Codes());
    }

    [Fact]
    public void A_known_shortfall_outweighs_missing_details()
    {
        var assessment = Fixtures.Assess(new AntidepressantTrial("sertraline", 25m, null, TrialOutcome.NoResponse, true));

        Assert.Equal(TrialAdequacy.Inadequate, assessment.Adequacy);
        Assert.Equal(TrdContribution.DoesNotCount, assessment.Contribution);
    }

    [Fact]
    public void A_trial_stopped_for_non_adherence_is_not_adequate()
    {
        var assessment = Fixtures.Assess(new AntidepressantTrial("sertraline", 100m, 8m, TrialOutcome.StoppedForNonAdherence, true));

        Assert.Equal(TrialAdequacy.Inadequate, assessment.Adequacy);
        Assert.Contains(ReasonCodes.TrialNonAdherent, assessment.Reasons.Codes());
    }

    [Fact]
    public void A_trial_stopped_for_side_effects_is_adequate_but_not_a_failure_to_respond()
    {
        var assessment = Fixtures.Assess(new AntidepressantTrial("sertraline", 100m, 8m, TrialOutcome.StoppedForSideEffects, true));

        Assert.Equal(TrialAdequacy.Adequate, assessment.Adequacy);
        Assert.Equal(TrdContribution.DoesNotCount, assessment.Contribution);
        Assert.Contains(ReasonCodes.TrialStoppedForSideEffects, assessment.Reasons.Codes());
    }

    [Fact]
    public void A_partial_response_counts_as_a_failed_trial()
    {
        var assessment = Fixtures.Assess(new AntidepressantTrial("sertraline", 100m, 8m, TrialOutcome.PartialResponse, true));

        Assert.Equal(TrdContribution.Counts, assessment.Contribution);
    }

    [Fact]
    public void A_response_does_not_count_as_a_failed_trial()
    {
        var assessment = Fixtures.Assess(new AntidepressantTrial("sertraline", 100m, 8m, TrialOutcome.Response, true));

        Assert.Equal(TrialAdequacy.Adequate, assessment.Adequacy);
        Assert.Equal(TrdContribution.DoesNotCount, assessment.Contribution);
    }

    [Fact]
    public void A_failed_trial_in_an_earlier_episode_does_not_count()
    {
        var assessment = Fixtures.Assess(Fixtures.FailedTrial("sertraline", 100m) with { InCurrentEpisode = false });

        Assert.Equal(TrialAdequacy.Adequate, assessment.Adequacy);
        Assert.Equal(TrdContribution.DoesNotCount, assessment.Contribution);
        Assert.Contains(ReasonCodes.TrialOutsideCurrentEpisode, assessment.Reasons.Codes());
    }

    [Fact]
    public void Trial_reasons_name_the_trial_by_number_and_drug()
    {
        var assessment = TrialAdequacyRules.Assess(Fixtures.FailedTrial("sertraline", 25m), 3, AntidepressantCatalogue.Default, TrdSettings.Default);

        Assert.Equal("trial 3 (sertraline)", assessment.Subject);
        Assert.All(assessment.Reasons, r => Assert.Equal("trial 3 (sertraline)", r.Subject));
        Assert.StartsWith("Trial 3 (sertraline) reached 25 mg", assessment.Reasons[0].Sentence, StringComparison.Ordinal);
    }
}
