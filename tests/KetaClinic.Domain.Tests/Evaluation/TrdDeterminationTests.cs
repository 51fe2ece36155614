using KetaClinic.Domain.Evaluation;

namespace KetaClinic.Domain.Tests.Evaluation;

public class TrdDeterminationTests
{
    private static TrdFinding Determine(TrdSettings settings, params AntidepressantTrial[] trials) =>
        TrdRules.Determine(
            trials.Select((t, i) => TrialAdequacyRules.Assess(t, i + 1, AntidepressantCatalogue.Default, settings)).ToArray(),
            settings);

    private static TrdFinding Determine(params AntidepressantTrial[] trials) => Determine(TrdSettings.Default, trials);

    [Fact]
    public void Two_adequate_failed_trials_of_different_classes_make_trd()
    {
        var finding = Determine(Fixtures.FailedTrial("sertraline", 100m), Fixtures.FailedTrial("mirtazapine", 30m));

        Assert.Equal(TrdStatus.Met, finding.Status);
        Assert.Equal(2, finding.QualifyingFailures);
        Assert.Equal([AntidepressantClass.Ssri, AntidepressantClass.Nassa], finding.FailedClasses);
        Assert.Equal([1, 2], finding.CountedTrials);
        Assert.Equal(ReasonCodes.TrdMet, finding.Reason.Code);
        Assert.Equal(ReasonEffect.Information, finding.Reason.Effect);
    }

    [Fact]
    public void Two_failed_trials_of_the_same_class_do_not_make_trd_when_classes_must_differ()
    {
        var finding = Determine(Fixtures.FailedTrial("sertraline", 100m), Fixtures.FailedTrial("citalopram", 40m));

        Assert.Equal(TrdStatus.NotMet, finding.Status);
        Assert.Equal(1, finding.QualifyingFailures);
        Assert.Equal(ReasonCodes.TrdNotMet, finding.Reason.Code);
        Assert.Equal(ReasonEffect.Blocks, finding.Reason.Effect);
        Assert.Contains("covering 1 class (SSRI); 2 in different classes are required", finding.Reason.Sentence, StringComparison.Ordinal);
    }

    [Fact]
    public void Two_failed_trials_of_the_same_class_make_trd_when_the_clinic_allows_it()
    {
        var sameClassAllowed = TrdSettings.Default with { RequireDifferentClasses = new(false, "clinic policy") };

        var finding = Determine(sameClassAllowed, Fixtures.FailedTrial("sertraline", 100m), Fixtures.FailedTrial("citalopram", 40m));

        Assert.Equal(TrdStatus.Met, finding.Status);
        Assert.False(finding.DifferentClassesRequired);
    }

    [Fact]
    public void The_same_drug_tried_twice_is_one_antidepressant()
    {
        var sameClassAllowed = TrdSettings.Default with { RequireDifferentClasses = new(false, "clinic policy") };

        var finding = Determine(sameClassAllowed, Fixtures.FailedTrial("sertraline", 100m), Fixtures.FailedTrial("Zoloft", 150m));

        Assert.Equal(TrdStatus.NotMet, finding.Status);
        Assert.Equal(1, finding.QualifyingFailures);
    }

    [Fact]
    public void One_failed_trial_is_not_trd()
    {
        var finding = Determine(Fixtures.FailedTrial("sertraline", 100m), Fixtures.FailedTrial("venlafaxine", 37.5m));

        Assert.Equal(TrdStatus.NotMet, finding.Status);
        Assert.Equal([1], finding.CountedTrials);
    }

    [Fact]
    public void An_unclear_trial_that_could_complete_trd_leaves_it_undetermined()
    {
        var finding = Determine(Fixtures.FailedTrial("sertraline", 100m), Fixtures.FailedTrial("Hypericum extract", 900m));

        Assert.Equal(TrdStatus.Undetermined, finding.Status);
        Assert.Equal([2], finding.UndeterminedTrials);
        Assert.Equal(ReasonEffect.NeedsReview, finding.Reason.Effect);
        Assert.EndsWith("Trial 2 (Hypericum extract) needs review and could change this.", finding.Reason.Sentence, StringComparison.Ordinal);
    }

    [Fact]
    public void Unclear_trials_that_cannot_reach_the_threshold_do_not_hold_up_a_negative_finding()
    {
        var threeRequired = TrdSettings.Default with { FailedAdequateTrialsRequired = new(3, "clinic policy") };

        var finding = Determine(threeRequired, Fixtures.FailedTrial("sertraline", 100m), Fixtures.FailedTrial("Hypericum extract", 900m));

        Assert.Equal(TrdStatus.NotMet, finding.Status);
    }

    [Fact]
    public void No_trials_recorded_leaves_trd_undetermined()
    {
        var finding = Determine();

        Assert.Equal(TrdStatus.Undetermined, finding.Status);
        Assert.Equal(ReasonCodes.TrialsMissing, finding.Reason.Code);
        Assert.Equal(ReasonEffect.NeedsReview, finding.Reason.Effect);
    }

    [Fact]
    public void The_required_number_of_failures_follows_the_clinic_setting()
    {
        var threeRequired = TrdSettings.Default with { FailedAdequateTrialsRequired = new(3, "clinic policy") };
        var two = new[] { Fixtures.FailedTrial("sertraline", 100m), Fixtures.FailedTrial("venlafaxine", 150m) };

        Assert.Equal(TrdStatus.NotMet, Determine(threeRequired, two).Status);
        Assert.Equal(TrdStatus.Met, Determine(threeRequired, [.. two, Fixtures.FailedTrial("nortriptyline", 100m)]).Status);
    }
}
