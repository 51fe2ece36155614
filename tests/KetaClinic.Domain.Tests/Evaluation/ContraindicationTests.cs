using KetaClinic.Domain.Evaluation;

namespace KetaClinic.Domain.Tests.Evaluation;

public class ContraindicationTests
{
    public static TheoryData<Contraindication> Absolute => new(
        ContraindicationRules.All.Where(r => r.Kind == ContraindicationKind.Absolute).Select(r => r.Item));

    public static TheoryData<Contraindication> Relative => new(
        ContraindicationRules.All.Where(r => r.Kind == ContraindicationKind.Relative).Select(r => r.Item));

    public static TheoryData<Contraindication> Every => new(Enum.GetValues<Contraindication>());

    private static EligibilityResult EvaluateWith(ContraindicationScreening screening) =>
        Fixtures.Evaluate(Fixtures.EligiblePatient() with { Screening = screening });

    [Fact]
    public void The_screen_lists_four_absolute_and_eight_relative_contraindications()
    {
        Assert.Equal(4, Absolute.Count);
        Assert.Equal(8, Relative.Count);
        Assert.All(ContraindicationRules.All, r => Assert.False(string.IsNullOrWhiteSpace(r.Source)));
    }

    [Theory]
    [MemberData(nameof(Absolute))]
    public void An_absolute_contraindication_makes_the_patient_not_eligible(Contraindication item)
    {
        var result = EvaluateWith(ContraindicationScreening.AllNo.With(item, ScreeningAnswer.Yes));

        Assert.Equal(EligibilityDecision.NotEligible, result.Decision);
        var reason = Assert.Single(result.ReasonsWith(ReasonEffect.Blocks));
        Assert.Equal(ReasonCodes.AbsoluteContraindication, reason.Code);
        Assert.Equal(ContraindicationRules.For(item).Code, reason.Subject);
        Assert.Contains("Contraindications", reason.Source, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Absolute))]
    public void A_justification_does_not_lift_an_absolute_contraindication(Contraindication item)
    {
        var screening = ContraindicationScreening.AllNo.With(item, ScreeningAnswer.Yes).WithJustification(item, "benefit outweighs risk");

        Assert.Equal(EligibilityDecision.NotEligible, EvaluateWith(screening).Decision);
    }

    [Theory]
    [MemberData(nameof(Relative))]
    public void A_relative_contraindication_without_justification_needs_review(Contraindication item)
    {
        var result = EvaluateWith(ContraindicationScreening.AllNo.With(item, ScreeningAnswer.Yes));

        Assert.Equal(EligibilityDecision.NeedsReview, result.Decision);
        var reason = Assert.Single(result.ReasonsWith(ReasonEffect.NeedsReview));
        Assert.Equal(ReasonCodes.RelativeContraindicationNeedsJustification, reason.Code);
        Assert.Equal(ContraindicationRules.For(item).Code, reason.Subject);
        Assert.Contains("written justification", reason.Sentence, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Relative))]
    public void A_relative_contraindication_with_a_written_justification_allows_eligibility(Contraindication item)
    {
        var screening = ContraindicationScreening.AllNo
            .With(item, ScreeningAnswer.Yes)
            .WithJustification(item, "Discussed with the patient's specialist; benefits outweigh the risk.");

        var result = EvaluateWith(screening);

        Assert.Equal(EligibilityDecision.Eligible, result.Decision);
        var reason = Assert.Single(result.Reasons, r => r.Code == ReasonCodes.RelativeContraindicationJustified);
        Assert.Equal(ReasonEffect.Caution, reason.Effect);
        Assert.Contains("benefits outweigh the risk", reason.Sentence, StringComparison.Ordinal);
    }

    [Fact]
    public void A_blank_justification_is_no_justification()
    {
        var screening = ContraindicationScreening.AllNo
            .With(Contraindication.Pregnancy, ScreeningAnswer.Yes)
            .WithJustification(Contraindication.Pregnancy, "   ");

        Assert.Equal(EligibilityDecision.NeedsReview, EvaluateWith(screening).Decision);
    }

    [Theory]
    [MemberData(nameof(Every))]
    public void An_unanswered_screening_question_needs_review_naming_it(Contraindication item)
    {
        var result = EvaluateWith(ContraindicationScreening.AllNo.With(item, ScreeningAnswer.Unknown));

        Assert.Equal(EligibilityDecision.NeedsReview, result.Decision);
        var reason = Assert.Single(result.ReasonsWith(ReasonEffect.NeedsReview));
        Assert.Equal(ReasonCodes.ScreeningAnswerUnknown, reason.Code);
        Assert.Equal(ContraindicationRules.For(item).Code, reason.Subject);
        Assert.Contains(ContraindicationRules.For(item).Description, reason.Sentence, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unanswered_screen_names_every_question()
    {
        var result = EvaluateWith(ContraindicationScreening.Unanswered);

        Assert.Equal(12, result.Reasons.Count(r => r.Code == ReasonCodes.ScreeningAnswerUnknown));
    }

    [Fact]
    public void A_clear_screen_is_recorded_in_the_trace()
    {
        var result = EvaluateWith(ContraindicationScreening.AllNo);

        Assert.Contains(ReasonCodes.ScreeningClear, result.Reasons.Codes());
    }

    [Fact]
    public void Psychotic_features_in_the_current_episode_need_the_same_justification_as_a_psychosis_history()
    {
        var result = Fixtures.Evaluate(Fixtures.EligiblePatient() with { BaselineSeverity = EpisodeSeverity.SevereWithPsychosis });

        Assert.Equal(EligibilityDecision.NeedsReview, result.Decision);
        var reason = Assert.Single(result.ReasonsWith(ReasonEffect.NeedsReview));
        Assert.Equal(ReasonCodes.RelativeContraindicationNeedsJustification, reason.Code);
        Assert.Equal("psychosis-history", reason.Subject);
        Assert.StartsWith("Psychotic features in the current episode", reason.Sentence, StringComparison.Ordinal);
    }
}

public sealed class PsychosisScreeningGapTests
{
    [Fact]
    public void An_unanswered_psychosis_history_stays_missing_even_when_current_psychotic_features_are_justified()
    {
        var items = Enum.GetValues<Contraindication>();
        var screening = new ContraindicationScreening(
            items.ToDictionary(i => i, i => i == Contraindication.PsychosisHistory ? ScreeningAnswer.Unknown : ScreeningAnswer.No),
            new Dictionary<Contraindication, string> { [Contraindication.PsychosisHistory] = "psychiatrist agrees after review" });
        var input = Fixtures.EligiblePatient() with { BaselineSeverity = EpisodeSeverity.SevereWithPsychosis, Screening = screening };

        var result = Fixtures.Evaluate(input);

        Assert.Equal(EligibilityDecision.NeedsReview, result.Decision);
        Assert.Contains(result.Reasons, r => r.Code == ReasonCodes.ScreeningAnswerUnknown && r.Effect == ReasonEffect.NeedsReview);
    }
}
