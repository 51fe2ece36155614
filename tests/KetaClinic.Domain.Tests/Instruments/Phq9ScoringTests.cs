using KetaClinic.Domain.Instruments;

namespace KetaClinic.Domain.Tests.Instruments;

public class Phq9ScoringTests
{
    private static readonly InstrumentDefinition Phq9 = Answers.Instrument("phq9");

    [Fact]
    public void All_nine_items_at_zero_score_zero_and_none_minimal()
    {
        var score = Answers.ScoreOf(Phq9, Answers.InOrder(0, 0, 0, 0, 0, 0, 0, 0, 0));

        Assert.Equal(0, score.Total);
        Assert.Equal("none-minimal", score.Severity!.Code);
        Assert.Empty(score.Flags);
    }

    [Fact]
    public void All_nine_items_at_three_score_twenty_seven_and_severe()
    {
        var score = Answers.ScoreOf(Phq9, Answers.InOrder(3, 3, 3, 3, 3, 3, 3, 3, 3));

        Assert.Equal(27, score.Total);
        Assert.Equal("severe", score.Severity!.Code);
    }

    [Fact]
    public void The_issue_example_scores_ten_and_moderate()
    {
        var score = Answers.ScoreOf(Phq9, Answers.InOrder(1, 2, 0, 3, 1, 0, 2, 1, 0));

        Assert.Equal(10, score.Total);
        Assert.Equal("moderate", score.Severity!.Code);
        Assert.Empty(score.Flags);
    }

    [Theory]
    [InlineData(0, "none-minimal")]
    [InlineData(4, "none-minimal")]
    [InlineData(5, "mild")]
    [InlineData(9, "mild")]
    [InlineData(10, "moderate")]
    [InlineData(14, "moderate")]
    [InlineData(15, "moderately-severe")]
    [InlineData(19, "moderately-severe")]
    [InlineData(20, "severe")]
    [InlineData(27, "severe")]
    public void Every_band_edge_maps_to_its_band(int total, string band)
    {
        var score = Answers.ScoreOf(Phq9, Answers.ForTotal(Phq9, total));

        Assert.Equal(total, score.Total);
        Assert.Equal(band, score.Severity!.Code);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Phq9_item9_above_zero_raises_a_safety_flag(int item9)
    {
        var score = Answers.ScoreOf(Phq9, Answers.InOrder(0, 0, 0, 0, 0, 0, 0, 0, item9));

        Assert.Equal(["suicidal-ideation"], score.Flags);
        Assert.Equal("none-minimal", score.Severity!.Code);
    }

    [Fact]
    public void Phq9_item9_at_zero_raises_no_flag_even_when_severe()
    {
        var score = Answers.ScoreOf(Phq9, Answers.InOrder(3, 3, 3, 3, 3, 3, 3, 3, 0));

        Assert.Equal(24, score.Total);
        Assert.False(score.HasFlag("suicidal-ideation"));
    }

    [Fact]
    public void The_function_question_is_recorded_but_not_added_to_the_total()
    {
        var answers = Answers.InOrder(1, 1, 1, 1, 1, 1, 1, 1, 1).With("function", 3);

        var score = Answers.ScoreOf(Phq9, answers);

        Assert.Equal(9, score.Total);
        Assert.Equal(3, score.Answers["function"]);
        Assert.DoesNotContain(score.Components, c => c.ItemIds.Contains("function"));
    }

    [Fact]
    public void The_function_question_may_be_left_out()
    {
        Assert.True(InstrumentScorer.Score(Phq9, Answers.InOrder(1, 1, 1, 1, 1, 1, 1, 1, 1)).IsSuccess);
    }

    [Fact]
    public void A_function_answer_outside_its_options_is_rejected()
    {
        var result = InstrumentScorer.Score(Phq9, Answers.InOrder(0, 0, 0, 0, 0, 0, 0, 0, 0).With("function", 4));

        var error = Assert.Single(result.Errors);
        Assert.Equal("function", error.ItemId);
        Assert.Equal(AnswerErrorKind.AnswerNotAllowed, error.Kind);
    }

    [Fact]
    public void The_definition_carries_the_loinc_codes_from_the_reference()
    {
        Assert.Equal("44249-1", Phq9.Loinc.Panel);
        Assert.Equal("44261-6", Phq9.Loinc.Total);
        Assert.Equal("44260-8", Phq9.FindItem("9")!.LoincCode);
        Assert.Equal("69722-7", Phq9.FindItem("function")!.LoincCode);
    }

    [Fact]
    public void The_definition_carries_the_wording_and_answer_labels()
    {
        Assert.True(Phq9.Licence.WordingIncluded);
        Assert.Equal(14, Phq9.RecallWindowDays);
        Assert.Equal("Little interest or pleasure in doing things", Phq9.FindItem("1")!.Text);
        Assert.Equal(
            ["Not at all", "Several days", "More than half the days", "Nearly every day"],
            Phq9.FindItem("1")!.AnswerOptions.Select(o => o.Display));
        Assert.False(Phq9.FindItem("function")!.IsScored);
    }
}
