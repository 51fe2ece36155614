using KetaClinic.Domain.Instruments;

namespace KetaClinic.Domain.Tests.Instruments;

public class MadrsAndCadssScoringTests
{
    private static readonly InstrumentDefinition Madrs = Answers.Instrument("madrs");
    private static readonly InstrumentDefinition Cadss6 = Answers.Instrument("cadss6");

    [Theory]
    [InlineData(0, "normal")]
    [InlineData(6, "normal")]
    [InlineData(7, "mild")]
    [InlineData(19, "mild")]
    [InlineData(20, "moderate")]
    [InlineData(34, "moderate")]
    [InlineData(35, "severe")]
    [InlineData(60, "severe")]
    public void Madrs_band_edges_map_to_their_bands(int total, string band)
    {
        var score = Answers.ScoreOf(Madrs, Answers.ForTotal(Madrs, total));

        Assert.Equal(total, score.Total);
        Assert.Equal(band, score.Severity!.Code);
    }

    [Fact]
    public void Madrs_accepts_odd_ratings_between_the_anchors()
    {
        var score = Answers.ScoreOf(Madrs, Answers.InOrder(1, 3, 5, 1, 3, 5, 1, 3, 5, 1));

        Assert.Equal(28, score.Total);
    }

    [Fact]
    public void Madrs_rejects_a_rating_of_seven()
    {
        var result = InstrumentScorer.Score(Madrs, Answers.InOrder(0, 0, 0, 0, 0, 0, 0, 0, 0, 7));

        var error = Assert.Single(result.Errors);
        Assert.Equal(("10", AnswerErrorKind.AnswerNotAllowed), (error.ItemId, error.Kind));
    }

    [Fact]
    public void Madrs_is_clinician_rated_and_ships_no_wording()
    {
        Assert.Equal(Rater.Clinician, Madrs.Rater);
        Assert.False(Madrs.Licence.WordingIncluded);
        Assert.Equal(10, Madrs.Items.Count);
        Assert.All(Madrs.Items, i => Assert.Null(i.Text));
        Assert.Equal(new ScoreRange(0, 60), Madrs.Scoring.TotalRange);
    }

    [Fact]
    public void Cadss6_uses_items_1_2_6_7_15_and_22_of_the_full_scale()
    {
        Assert.Equal(["1", "2", "6", "7", "15", "22"], Cadss6.Items.Select(i => i.Id));
    }

    [Fact]
    public void Cadss6_sums_six_items_rated_0_to_4_and_has_no_bands()
    {
        var answers = new Dictionary<string, int> { ["1"] = 4, ["2"] = 4, ["6"] = 4, ["7"] = 4, ["15"] = 4, ["22"] = 4 };

        var score = Answers.ScoreOf(Cadss6, answers);

        Assert.Equal(24, score.Total);
        Assert.Null(score.Severity);
    }

    [Fact]
    public void Cadss6_marks_its_range_as_an_open_assumption_in_the_licence_note()
    {
        Assert.False(Cadss6.Licence.WordingIncluded);
        Assert.Contains("[open]", Cadss6.Licence.Note, StringComparison.Ordinal);
        Assert.Contains("0–24", Cadss6.Licence.Note, StringComparison.Ordinal);
    }
}
