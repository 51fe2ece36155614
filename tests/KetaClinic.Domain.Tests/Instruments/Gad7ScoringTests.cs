using KetaClinic.Domain.Instruments;

namespace KetaClinic.Domain.Tests.Instruments;

public class Gad7ScoringTests
{
    private static readonly InstrumentDefinition Gad7 = Answers.Instrument("gad7");

    [Theory]
    [InlineData(0, "minimal")]
    [InlineData(4, "minimal")]
    [InlineData(5, "mild")]
    [InlineData(9, "mild")]
    [InlineData(10, "moderate")]
    [InlineData(14, "moderate")]
    [InlineData(15, "severe")]
    [InlineData(21, "severe")]
    public void Every_band_edge_maps_to_its_band(int total, string band)
    {
        var score = Answers.ScoreOf(Gad7, Answers.ForTotal(Gad7, total));

        Assert.Equal(total, score.Total);
        Assert.Equal(band, score.Severity!.Code);
    }

    [Fact]
    public void Seven_items_sum_to_the_total()
    {
        var score = Answers.ScoreOf(Gad7, Answers.InOrder(3, 2, 1, 0, 1, 2, 3));

        Assert.Equal(12, score.Total);
        Assert.Equal("moderate", score.Severity!.Code);
        Assert.Empty(score.Flags);
    }

    [Fact]
    public void An_eighth_item_is_unknown()
    {
        var result = InstrumentScorer.Score(Gad7, Answers.InOrder(0, 0, 0, 0, 0, 0, 0, 0));

        var error = Assert.Single(result.Errors);
        Assert.Equal(("8", AnswerErrorKind.UnknownItem), (error.ItemId, error.Kind));
    }

    [Fact]
    public void The_definition_carries_the_loinc_codes_from_the_reference()
    {
        Assert.Equal("69737-5", Gad7.Loinc.Panel);
        Assert.Equal("70274-6", Gad7.Loinc.Total);
    }
}
