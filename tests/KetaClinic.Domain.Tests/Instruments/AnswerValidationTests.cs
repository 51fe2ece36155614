using KetaClinic.Domain.Instruments;

namespace KetaClinic.Domain.Tests.Instruments;

public class AnswerValidationTests
{
    private static readonly InstrumentDefinition Phq9 = Answers.Instrument("phq9");

    private static Dictionary<string, int> Valid() => Answers.InOrder(1, 1, 1, 1, 1, 1, 1, 1, 1);

    [Fact]
    public void A_missing_required_item_is_an_error_naming_the_item_and_never_a_zero()
    {
        var result = InstrumentScorer.Score(Phq9, Valid().Without("4"));

        Assert.False(result.IsSuccess);
        Assert.Null(result.Score);
        var error = Assert.Single(result.Errors);
        Assert.Equal(("4", AnswerErrorKind.MissingRequiredAnswer), (error.ItemId, error.Kind));
        Assert.Contains("Item '4'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(4)]
    [InlineData(99)]
    public void An_answer_outside_the_item_options_is_an_error_naming_the_item(int answer)
    {
        var result = InstrumentScorer.Score(Phq9, Valid().With("9", answer));

        var error = Assert.Single(result.Errors);
        Assert.Equal(("9", AnswerErrorKind.AnswerNotAllowed), (error.ItemId, error.Kind));
        Assert.Contains("allowed answers are 0, 1, 2, 3", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_answer_to_an_item_the_instrument_lacks_is_an_error()
    {
        var result = InstrumentScorer.Score(Phq9, Valid().With("10", 1));

        var error = Assert.Single(result.Errors);
        Assert.Equal(("10", AnswerErrorKind.UnknownItem), (error.ItemId, error.Kind));
    }

    [Fact]
    public void Item_ids_are_case_sensitive()
    {
        var result = InstrumentScorer.Score(Phq9, Valid().With("Function", 1));

        Assert.Equal(AnswerErrorKind.UnknownItem, Assert.Single(result.Errors).Kind);
    }

    [Fact]
    public void Every_problem_is_reported_at_once()
    {
        var answers = Valid().Without("1").With("2", 7).With("extra", 0);

        var result = InstrumentScorer.Score(Phq9, answers);

        Assert.Equal(
            [("extra", AnswerErrorKind.UnknownItem), ("1", AnswerErrorKind.MissingRequiredAnswer), ("2", AnswerErrorKind.AnswerNotAllowed)],
            result.Errors.Select(e => (e.ItemId, e.Kind)));
    }

    [Fact]
    public void No_answers_at_all_lists_every_required_item()
    {
        var result = InstrumentScorer.Score(Phq9, new Dictionary<string, int>());

        Assert.Equal(["1", "2", "3", "4", "5", "6", "7", "8", "9"], result.Errors.Select(e => e.ItemId));
    }

    [Fact]
    public void A_successful_score_records_the_instrument_version_and_answers()
    {
        var score = Answers.ScoreOf(Phq9, Valid());

        Assert.Equal(("phq9", "1.0.0"), (score.InstrumentId, score.InstrumentVersion));
        Assert.Equal(9, score.Answers.Count);
    }
}
