using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using KetaClinic.Domain.Instruments;

namespace KetaClinic.Domain.Tests.Instruments;

public class ScoringProperties
{
    private static readonly string[] InstrumentIds = [.. InstrumentCatalog.BuiltIn.InstrumentIds];

    /// <summary>A definition and a complete, valid response to it, respecting skip logic; optional items are sometimes left out.</summary>
    private static Gen<(InstrumentDefinition Definition, Dictionary<string, int> Answers)> ValidResponses(params string[] ids) =>
        from id in Gen.Elements(ids.Length > 0 ? ids : InstrumentIds)
        let definition = InstrumentCatalog.BuiltIn.Get(id)
        from seeds in Gen.Choose(0, 1_000_000).ArrayOf(definition.Items.Count)
        select (definition, Respond(definition, seeds));

    private static Dictionary<string, int> Respond(InstrumentDefinition definition, int[] seeds)
    {
        var answers = new Dictionary<string, int>();
        for (var i = 0; i < definition.Items.Count; i++)
        {
            var item = definition.Items[i];
            if (!IsAsked(item, answers) || (!item.IsRequired && seeds[i] % 3 == 0))
            {
                continue;
            }

            answers[item.Id] = item.AnswerOptions[seeds[i] % item.AnswerOptions.Count].Value;
        }

        return answers;
    }

    // Test oracle for skip logic, written independently of the scorer.
    private static bool IsAsked(InstrumentItem item, Dictionary<string, int> answers)
    {
        if (item.EnableWhen.Count == 0)
        {
            return true;
        }

        var met = item.EnableWhen.Select(c => answers.TryGetValue(c.ItemId, out var a) && c.IsMetBy(a));
        return item.EnableBehavior == EnableBehavior.All ? met.All(m => m) : met.Any(m => m);
    }

    [Property(MaxTest = 500)]
    public Property Every_valid_answer_set_scores_within_the_declared_range_and_falls_in_exactly_one_band() =>
        Prop.ForAll(ValidResponses().ToArbitrary(), response =>
        {
            var (definition, answers) = response;
            var result = InstrumentScorer.Score(definition, answers);
            if (!result.IsSuccess)
            {
                return false;
            }

            var score = result.Score;
            if (definition.Scoring.Method == ScoringMethod.None)
            {
                return score.Total is null && score.TriageLevel is not null;
            }

            var total = score.Total!.Value;
            var containing = definition.SeverityBands.Where(b => b.Contains(total)).ToList();
            var bandOk = definition.SeverityBands.Count == 0
                ? score.Severity is null
                : containing.Count == 1 && containing[0] == score.Severity;
            return definition.Scoring.TotalRange!.Contains(total) && bandOk;
        });

    [Property(MaxTest = 500)]
    public Property An_answer_outside_an_items_options_is_rejected_naming_that_item()
    {
        var gen =
            from response in ValidResponses()
            from itemId in Gen.Elements(response.Answers.Keys.ToArray())
            from bad in Gen.Choose(-100, 100)
            let item = response.Definition.FindItem(itemId)!
            where item.FindOption(bad) is null
            select (response.Definition, Answers: response.Answers.With(itemId, bad), ItemId: itemId);

        return Prop.ForAll(gen.ToArbitrary(), c =>
        {
            var result = InstrumentScorer.Score(c.Definition, c.Answers);
            return !result.IsSuccess
                && result.Score is null
                && result.Errors.Any(e => e.ItemId == c.ItemId && e.Kind == AnswerErrorKind.AnswerNotAllowed);
        });
    }

    [Property(MaxTest = 300)]
    public Property Leaving_out_a_required_answer_is_rejected_naming_that_item()
    {
        var gen =
            from response in ValidResponses()
            from itemId in Gen.Elements(response.Answers.Keys.ToArray())
            where response.Definition.FindItem(itemId)!.IsRequired
            select (response.Definition, Answers: response.Answers.Without(itemId), ItemId: itemId);

        return Prop.ForAll(gen.ToArbitrary(), c =>
        {
            var result = InstrumentScorer.Score(c.Definition, c.Answers);
            return !result.IsSuccess
                && result.Errors.Any(e => e.ItemId == c.ItemId && e.Kind == AnswerErrorKind.MissingRequiredAnswer);
        });
    }

    [Property(MaxTest = 300)]
    public Property Qids_sr16_total_is_the_sum_of_its_nine_domains() =>
        Prop.ForAll(ValidResponses("qids-sr16").ToArbitrary(), response =>
        {
            int A(int item) => response.Answers[item.ToString(System.Globalization.CultureInfo.InvariantCulture)];
            var expected = new[] { A(1), A(2), A(3), A(4) }.Max() + A(5)
                + new[] { A(6), A(7), A(8), A(9) }.Max()
                + A(10) + A(11) + A(12) + A(13) + A(14)
                + Math.Max(A(15), A(16));
            return InstrumentScorer.Score(response.Definition, response.Answers).Score!.Total == expected;
        });

    [Property(MaxTest = 300)]
    public Property Phq9_flags_suicidal_ideation_exactly_when_item9_is_above_zero() =>
        Prop.ForAll(ValidResponses("phq9").ToArbitrary(), response =>
            InstrumentScorer.Score(response.Definition, response.Answers).Score!.HasFlag("suicidal-ideation")
                == response.Answers["9"] > 0);
}
