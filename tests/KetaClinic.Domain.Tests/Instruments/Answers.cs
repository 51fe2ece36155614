using KetaClinic.Domain.Instruments;

namespace KetaClinic.Domain.Tests.Instruments;

internal static class Answers
{
    public static InstrumentDefinition Instrument(string id) => InstrumentCatalog.BuiltIn.Get(id);

    /// <summary>Answers for items "1", "2", … in order.</summary>
    public static Dictionary<string, int> InOrder(params int[] values) =>
        values.Select((v, i) => (Id: (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), Value: v))
            .ToDictionary(p => p.Id, p => p.Value);

    public static Dictionary<string, int> With(this Dictionary<string, int> answers, string itemId, int value) =>
        new(answers) { [itemId] = value };

    public static Dictionary<string, int> Without(this Dictionary<string, int> answers, string itemId)
    {
        var copy = new Dictionary<string, int>(answers);
        copy.Remove(itemId);
        return copy;
    }

    /// <summary>
    /// Answers to the scored items of a built-in sum instrument (value = score) that reach <paramref name="total"/>:
    /// each component (an item, or a whole max-group set to one value) is filled greedily in order.
    /// </summary>
    public static Dictionary<string, int> ForTotal(InstrumentDefinition definition, int total)
    {
        var answers = definition.Items.Where(i => i.IsScored).ToDictionary(i => i.Id, _ => 0);
        var remaining = total;
        var grouped = definition.Scoring.Groups.SelectMany(g => g.ItemIds).ToHashSet();
        var components = definition.Scoring.Groups.Select(g => g.ItemIds)
            .Concat(definition.Items.Where(i => i.IsScored && !grouped.Contains(i.Id)).Select(i => (IReadOnlyList<string>)[i.Id]));
        foreach (var members in components)
        {
            var max = definition.FindItem(members[0])!.AnswerOptions.Max(o => o.Score!.Value);
            var value = Math.Min(max, remaining);
            foreach (var id in members)
            {
                answers[id] = value;
            }

            remaining -= value;
        }

        if (remaining != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(total), total, "Total is above the instrument's maximum.");
        }

        return answers;
    }

    public static InstrumentScore ScoreOf(InstrumentDefinition definition, IReadOnlyDictionary<string, int> answers)
    {
        var result = InstrumentScorer.Score(definition, answers);
        Assert.True(result.IsSuccess, string.Join("; ", result.Errors));
        return result.Score!;
    }
}
