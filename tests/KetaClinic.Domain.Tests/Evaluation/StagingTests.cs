using KetaClinic.Domain.Evaluation;

namespace KetaClinic.Domain.Tests.Evaluation;

public class MaudsleyStagingTests
{
    private static MaudsleyScore Score(int months, EpisodeSeverity severity, int failed, bool augmentation = false, bool ect = false) =>
        MaudsleyStaging.Score(new MaudsleyInputs(months, severity, failed, augmentation, ect));

    [Fact]
    public void The_lowest_possible_stage_scores_three_and_is_mild()
    {
        var score = Score(6, EpisodeSeverity.Subsyndromal, 1);

        Assert.Equal(new MaudsleyScore(1, 1, 1, 0, 0, 3, MaudsleyBand.Mild), score);
    }

    [Fact]
    public void The_highest_possible_stage_scores_fifteen_and_is_severe()
    {
        var score = Score(36, EpisodeSeverity.SevereWithPsychosis, 12, augmentation: true, ect: true);

        Assert.Equal(new MaudsleyScore(3, 5, 5, 1, 1, 15, MaudsleyBand.Severe), score);
    }

    [Fact]
    public void A_typical_ketamine_candidate_is_moderate()
    {
        // 18 months, severe without psychosis, 3 failed antidepressants, augmented, no ECT: 2 + 4 + 2 + 1 + 0.
        var score = Score(18, EpisodeSeverity.SevereWithoutPsychosis, 3, augmentation: true);

        Assert.Equal(9, score.Total);
        Assert.Equal(MaudsleyBand.Moderate, score.Band);
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(12, 1)]
    [InlineData(13, 2)]
    [InlineData(24, 2)]
    [InlineData(25, 3)]
    [InlineData(240, 3)]
    public void Duration_points_change_after_twelve_and_twenty_four_months(int months, int points)
    {
        Assert.Equal(points, Score(months, EpisodeSeverity.Moderate, 2).DurationPoints);
    }

    [Theory]
    [InlineData(EpisodeSeverity.Subsyndromal, 1)]
    [InlineData(EpisodeSeverity.Mild, 2)]
    [InlineData(EpisodeSeverity.Moderate, 3)]
    [InlineData(EpisodeSeverity.SevereWithoutPsychosis, 4)]
    [InlineData(EpisodeSeverity.SevereWithPsychosis, 5)]
    public void Severity_points_run_from_one_to_five(EpisodeSeverity severity, int points)
    {
        Assert.Equal(points, Score(6, severity, 2).SeverityPoints);
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(1, 1)]
    [InlineData(2, 1)]
    [InlineData(3, 2)]
    [InlineData(4, 2)]
    [InlineData(5, 3)]
    [InlineData(6, 3)]
    [InlineData(7, 4)]
    [InlineData(10, 4)]
    [InlineData(11, 5)]
    public void Failed_antidepressant_points_follow_fekadus_levels(int failed, int points)
    {
        Assert.Equal(points, Score(6, EpisodeSeverity.Moderate, failed).FailedAntidepressantPoints);
    }

    [Theory]
    [InlineData(3, MaudsleyBand.Mild)]
    [InlineData(6, MaudsleyBand.Mild)]
    [InlineData(7, MaudsleyBand.Moderate)]
    [InlineData(10, MaudsleyBand.Moderate)]
    [InlineData(11, MaudsleyBand.Severe)]
    [InlineData(15, MaudsleyBand.Severe)]
    public void Bands_are_mild_to_six_moderate_to_ten_severe_from_eleven(int total, MaudsleyBand band)
    {
        Assert.Equal(band, MaudsleyStaging.BandFor(total));
    }

    [Fact]
    public void Band_edges_are_reached_through_the_score()
    {
        // 6: 1 + 4 + 1; 7: 2 + 4 + 1; 10: 3 + 4 + 2 + 1; 11: 3 + 4 + 2 + 1 + 1.
        Assert.Equal((6, MaudsleyBand.Mild), Total(Score(12, EpisodeSeverity.SevereWithoutPsychosis, 2)));
        Assert.Equal((7, MaudsleyBand.Moderate), Total(Score(13, EpisodeSeverity.SevereWithoutPsychosis, 2)));
        Assert.Equal((10, MaudsleyBand.Moderate), Total(Score(25, EpisodeSeverity.SevereWithoutPsychosis, 3, augmentation: true)));
        Assert.Equal((11, MaudsleyBand.Severe), Total(Score(25, EpisodeSeverity.SevereWithoutPsychosis, 3, augmentation: true, ect: true)));

        static (int, MaudsleyBand) Total(MaudsleyScore s) => (s.Total, s.Band);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(16)]
    public void A_total_outside_three_to_fifteen_is_refused(int total)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => MaudsleyStaging.BandFor(total));
    }

    [Fact]
    public void Negative_inputs_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Score(-1, EpisodeSeverity.Mild, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => Score(1, EpisodeSeverity.Mild, -1));
    }

    [Theory]
    [InlineData("2024-01-15", "2025-01-14", 11)]
    [InlineData("2024-01-15", "2025-01-15", 12)]
    [InlineData("2024-01-31", "2024-02-29", 1)]
    [InlineData("2024-03-10", "2024-03-10", 0)]
    public void Episode_duration_counts_completed_months(string onset, string asOf, int months)
    {
        Assert.Equal(months, MaudsleyStaging.CompletedMonths(DateOnly.Parse(onset, System.Globalization.CultureInfo.InvariantCulture), DateOnly.Parse(asOf, System.Globalization.CultureInfo.InvariantCulture)));
    }
}

public class ThaseRushStagingTests
{
    private const AntidepressantClass Ssri = AntidepressantClass.Ssri;
    private const AntidepressantClass Snri = AntidepressantClass.Snri;
    private const AntidepressantClass Tca = AntidepressantClass.Tricyclic;
    private const AntidepressantClass Maoi = AntidepressantClass.Maoi;

    [Fact]
    public void No_failed_trial_is_stage_0()
    {
        Assert.Equal(ThaseRushStage.Stage0, ThaseRushStaging.Stage([], failedBilateralEct: false));
    }

    [Fact]
    public void One_failed_class_is_stage_I()
    {
        Assert.Equal(ThaseRushStage.StageI, ThaseRushStaging.Stage([Ssri, Ssri], failedBilateralEct: false));
    }

    [Fact]
    public void Failures_in_two_classes_are_stage_II()
    {
        Assert.Equal(ThaseRushStage.StageII, ThaseRushStaging.Stage([Ssri, Snri], failedBilateralEct: false));
    }

    [Fact]
    public void A_tricyclic_that_is_the_second_class_is_still_stage_II()
    {
        Assert.Equal(ThaseRushStage.StageII, ThaseRushStaging.Stage([Ssri, Tca], failedBilateralEct: false));
    }

    [Fact]
    public void Two_classes_plus_a_tricyclic_are_stage_III()
    {
        Assert.Equal(ThaseRushStage.StageIII, ThaseRushStaging.Stage([Ssri, Snri, Tca], failedBilateralEct: false));
    }

    [Fact]
    public void Three_classes_without_a_tricyclic_stay_stage_II()
    {
        Assert.Equal(ThaseRushStage.StageII, ThaseRushStaging.Stage([Ssri, Snri, Maoi], failedBilateralEct: false));
    }

    [Fact]
    public void Stage_III_plus_an_maoi_is_stage_IV()
    {
        Assert.Equal(ThaseRushStage.StageIV, ThaseRushStaging.Stage([Ssri, Snri, Tca, Maoi], failedBilateralEct: false));
    }

    [Fact]
    public void Stage_IV_plus_failed_bilateral_ect_is_stage_V()
    {
        Assert.Equal(ThaseRushStage.StageV, ThaseRushStaging.Stage([Ssri, Snri, Tca, Maoi], failedBilateralEct: true));
    }

    [Fact]
    public void Failed_ect_does_not_skip_the_drug_stages()
    {
        Assert.Equal(ThaseRushStage.StageII, ThaseRushStaging.Stage([Ssri, Snri], failedBilateralEct: true));
    }

    [Theory]
    [InlineData(ThaseRushStage.Stage0, "0")]
    [InlineData(ThaseRushStage.StageIII, "III")]
    [InlineData(ThaseRushStage.StageV, "V")]
    public void Stages_are_labelled_in_roman_numerals(ThaseRushStage stage, string label)
    {
        Assert.Equal(label, stage.Label());
    }
}
