using KetaClinic.Domain.Instruments;

namespace KetaClinic.Domain.Tests.Instruments;

public class CssrsScreenerTests
{
    private const int No = 0;
    private const int Yes = 1;

    private static readonly InstrumentDefinition Cssrs = Answers.Instrument("cssrs-screener");

    private static Dictionary<string, int> Screen(int q1, int q2, int? q3 = null, int? q4 = null, int? q5 = null, int q6 = No, int? q6Recent = null)
    {
        var answers = new Dictionary<string, int> { ["1"] = q1, ["2"] = q2, ["6"] = q6 };
        if (q3 is { } a3)
        {
            answers["3"] = a3;
        }

        if (q4 is { } a4)
        {
            answers["4"] = a4;
        }

        if (q5 is { } a5)
        {
            answers["5"] = a5;
        }

        if (q6Recent is { } recent)
        {
            answers["6-recent"] = recent;
        }

        return answers;
    }

    private static InstrumentScore Triage(Dictionary<string, int> answers) => Answers.ScoreOf(Cssrs, answers);

    [Fact]
    public void All_no_triages_to_none_without_flags()
    {
        var score = Triage(Screen(No, No));

        Assert.Equal("none", score.TriageLevel);
        Assert.Null(score.Total);
        Assert.Null(score.Severity);
        Assert.Empty(score.Flags);
    }

    [Fact]
    public void Wish_to_be_dead_alone_triages_to_low()
    {
        Assert.Equal("low", Triage(Screen(Yes, No)).TriageLevel);
    }

    [Fact]
    public void Active_thoughts_without_method_intent_or_plan_triage_to_low()
    {
        var score = Triage(Screen(Yes, Yes, q3: No, q4: No, q5: No));

        Assert.Equal("low", score.TriageLevel);
        Assert.Empty(score.Flags);
    }

    [Fact]
    public void Thoughts_with_method_triage_to_moderate_and_raise_a_flag()
    {
        var score = Triage(Screen(Yes, Yes, q3: Yes, q4: No, q5: No));

        Assert.Equal("moderate", score.TriageLevel);
        Assert.Equal(["suicide-risk-moderate"], score.Flags);
    }

    [Fact]
    public void Suicidal_behaviour_more_than_three_months_ago_triages_to_moderate()
    {
        Assert.Equal("moderate", Triage(Screen(No, No, q6: Yes, q6Recent: No)).TriageLevel);
    }

    [Theory]
    [InlineData(Yes, No)]
    [InlineData(No, Yes)]
    public void Intent_with_or_without_a_plan_triages_to_high(int q4, int q5)
    {
        var score = Triage(Screen(Yes, Yes, q3: No, q4: q4, q5: q5));

        Assert.Equal("high", score.TriageLevel);
        Assert.Equal(["suicide-risk-high"], score.Flags);
    }

    [Fact]
    public void Suicidal_behaviour_within_three_months_triages_to_high()
    {
        Assert.Equal("high", Triage(Screen(No, No, q6: Yes, q6Recent: Yes)).TriageLevel);
    }

    [Fact]
    public void The_highest_level_reached_wins()
    {
        var score = Triage(Screen(Yes, Yes, q3: Yes, q4: No, q5: Yes, q6: Yes, q6Recent: No));

        Assert.Equal("high", score.TriageLevel);
        Assert.Equal(["suicide-risk-high"], score.Flags);
    }

    [Fact]
    public void Questions_3_to_5_are_required_when_question_2_is_yes()
    {
        var result = InstrumentScorer.Score(Cssrs, Screen(Yes, Yes));

        Assert.Equal(["3", "4", "5"], result.Errors.Select(e => e.ItemId));
        Assert.All(result.Errors, e => Assert.Equal(AnswerErrorKind.MissingRequiredAnswer, e.Kind));
    }

    [Fact]
    public void Questions_3_to_5_must_not_be_answered_when_question_2_is_no()
    {
        var result = InstrumentScorer.Score(Cssrs, Screen(Yes, No, q3: No, q4: No, q5: No));

        Assert.Equal(["3", "4", "5"], result.Errors.Select(e => e.ItemId));
        Assert.All(result.Errors, e => Assert.Equal(AnswerErrorKind.AnsweredWhileDisabled, e.Kind));
        Assert.Contains("item '2' = 1", result.Errors[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_three_month_question_is_asked_only_after_lifetime_behaviour()
    {
        var missing = InstrumentScorer.Score(Cssrs, Screen(No, No, q6: Yes));
        var unasked = InstrumentScorer.Score(Cssrs, Screen(No, No, q6: No, q6Recent: No));

        Assert.Equal(("6-recent", AnswerErrorKind.MissingRequiredAnswer), (missing.Errors.Single().ItemId, missing.Errors.Single().Kind));
        Assert.Equal(("6-recent", AnswerErrorKind.AnsweredWhileDisabled), (unasked.Errors.Single().ItemId, unasked.Errors.Single().Kind));
    }

    [Fact]
    public void An_invalid_answer_to_question_2_is_reported_once_without_cascading_to_its_follow_ups()
    {
        var result = InstrumentScorer.Score(Cssrs, Screen(No, 2, q3: No, q4: No, q5: No));

        var error = Assert.Single(result.Errors);
        Assert.Equal(("2", AnswerErrorKind.AnswerNotAllowed), (error.ItemId, error.Kind));
    }

    [Fact]
    public void A_missing_question_2_is_reported_without_judging_its_follow_ups()
    {
        var answers = new Dictionary<string, int> { ["1"] = No, ["3"] = No, ["6"] = No };

        var result = InstrumentScorer.Score(Cssrs, answers);

        var error = Assert.Single(result.Errors);
        Assert.Equal(("2", AnswerErrorKind.MissingRequiredAnswer), (error.ItemId, error.Kind));
    }

    [Fact]
    public void The_built_in_definition_ships_no_question_wording()
    {
        Assert.False(Cssrs.Licence.WordingIncluded);
        Assert.All(Cssrs.Items, i => Assert.Null(i.Text));
        Assert.Equal(ScoringMethod.None, Cssrs.Scoring.Method);
    }
}
