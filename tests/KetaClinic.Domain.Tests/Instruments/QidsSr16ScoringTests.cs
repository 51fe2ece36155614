using KetaClinic.Domain.Instruments;

namespace KetaClinic.Domain.Tests.Instruments;

public class QidsSr16ScoringTests
{
    private static readonly InstrumentDefinition Qids = Answers.Instrument("qids-sr16");

    private static Dictionary<string, int> AllZero() => Answers.InOrder(new int[16]);

    [Fact]
    public void Sleep_counts_once_as_the_highest_of_items_1_to_4()
    {
        var answers = AllZero().With("1", 1).With("2", 3).With("3", 2).With("4", 1);

        var score = Answers.ScoreOf(Qids, answers);

        Assert.Equal(3, score.Total);
        Assert.Equal(3, score.Components.Single(c => c.Id == "sleep").Score);
    }

    [Fact]
    public void Appetite_and_weight_count_once_as_the_highest_of_items_6_to_9()
    {
        var answers = AllZero().With("6", 2).With("7", 0).With("8", 1).With("9", 0);

        var score = Answers.ScoreOf(Qids, answers);

        Assert.Equal(2, score.Total);
        Assert.Equal(2, score.Components.Single(c => c.Id == "appetite-weight").Score);
    }

    [Fact]
    public void Psychomotor_counts_once_as_the_higher_of_items_15_and_16()
    {
        var answers = AllZero().With("15", 1).With("16", 3);

        var score = Answers.ScoreOf(Qids, answers);

        Assert.Equal(3, score.Total);
        Assert.Equal(3, score.Components.Single(c => c.Id == "psychomotor").Score);
    }

    [Fact]
    public void Items_5_and_10_to_14_each_count_once()
    {
        var answers = AllZero().With("5", 1).With("10", 1).With("11", 1).With("12", 1).With("13", 1).With("14", 1);

        var score = Answers.ScoreOf(Qids, answers);

        Assert.Equal(6, score.Total);
    }

    [Fact]
    public void The_total_is_the_sum_of_nine_domains()
    {
        var score = Answers.ScoreOf(Qids, Answers.InOrder(3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3));

        Assert.Equal(27, score.Total);
        Assert.Equal(9, score.Components.Count);
        Assert.Equal(["sleep", "5", "appetite-weight", "10", "11", "12", "13", "14", "psychomotor"], score.Components.Select(c => c.Id));
    }

    [Fact]
    public void A_mixed_response_adds_up_by_domain()
    {
        // sleep max(2,1,0,3)=3, item 5 2, appetite/weight max(0,2,1,0)=2, 10..14 = 1+2+0+1+2, psychomotor max(1,2)=2
        var score = Answers.ScoreOf(Qids, Answers.InOrder(2, 1, 0, 3, 2, 0, 2, 1, 0, 1, 2, 0, 1, 2, 1, 2));

        Assert.Equal(15, score.Total);
        Assert.Equal("moderate", score.Severity!.Code);
    }

    [Theory]
    [InlineData(0, "none")]
    [InlineData(5, "none")]
    [InlineData(6, "mild")]
    [InlineData(10, "mild")]
    [InlineData(11, "moderate")]
    [InlineData(15, "moderate")]
    [InlineData(16, "severe")]
    [InlineData(20, "severe")]
    [InlineData(21, "very-severe")]
    [InlineData(27, "very-severe")]
    public void Every_band_edge_maps_to_its_band(int total, string band)
    {
        var score = Answers.ScoreOf(Qids, Answers.ForTotal(Qids, total));

        Assert.Equal(total, score.Total);
        Assert.Equal(band, score.Severity!.Code);
    }

    [Fact]
    public void Qids_item12_above_zero_raises_a_safety_flag()
    {
        var score = Answers.ScoreOf(Qids, AllZero().With("12", 1));

        Assert.Equal(["suicidal-ideation"], score.Flags);
    }

    [Fact]
    public void All_sixteen_items_are_required_even_inside_a_group()
    {
        var result = InstrumentScorer.Score(Qids, AllZero().Without("7"));

        var error = Assert.Single(result.Errors);
        Assert.Equal(("7", AnswerErrorKind.MissingRequiredAnswer), (error.ItemId, error.Kind));
    }

    [Fact]
    public void The_built_in_definition_ships_item_titles_without_answer_wording()
    {
        Assert.Equal(7, Qids.RecallWindowDays);
        Assert.False(Qids.Licence.WordingIncluded);
        Assert.Equal("Thoughts of death or suicide", Qids.FindItem("12")!.ShortTitle);
        Assert.All(Qids.Items, i => Assert.Null(i.Text));
    }
}
