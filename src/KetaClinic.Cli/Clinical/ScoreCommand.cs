using System.Globalization;
using KetaClinic.Domain.Instruments;

namespace KetaClinic.Cli.Clinical;

/// <summary>
/// <c>ketaclinic score &lt;instrument-id&gt; &lt;answer&gt;...</c>: one answer per required item, in item order. Unscored
/// optional items (the PHQ-9 function question) are not given. An item that skip logic leaves unasked (C-SSRS
/// items 3–5 when item 2 is 0, item 6-recent when item 6 is 0) is given as <c>-</c>.
/// </summary>
internal static class ScoreCommand
{
    public const string NotAsked = "-";

    public static object Run(IReadOnlyList<string> args, InstrumentCatalog catalog)
    {
        if (args.Count == 0)
        {
            throw new CliInputException(
                $"score needs an instrument id and its answers, e.g. 'ketaclinic score phq9 1 2 0 3 1 0 2 1 0'. Known instruments: {string.Join(", ", catalog.InstrumentIds)}.");
        }

        var definition = catalog.Find(args[0])
            ?? throw new CliInputException($"Unknown instrument '{args[0]}'. Known instruments: {string.Join(", ", catalog.InstrumentIds)}.");
        var items = CommandLineItems(definition);
        var given = args.Skip(1).ToList();
        if (given.Count != items.Count)
        {
            throw new CliInputException(
                $"{definition.Id} takes {items.Count} answers, one per item in order ({DescribeItems(items)}); {given.Count} {(given.Count == 1 ? "was" : "were")} given.");
        }

        var errors = new List<string>();
        var answers = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i];
            var text = given[i];
            if (text == NotAsked)
            {
                continue;
            }

            if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
            {
                errors.Add($"{Name(definition, item)}: '{text}' is not a whole number; allowed answers are {Allowed(item)}{NotAskedHint(item)}.");
            }
            else if (item.FindOption(value) is null)
            {
                errors.Add($"{Name(definition, item)}: answer {value} is {(IsContiguous(item) ? "out of range" : "not allowed; allowed answers are")} {Allowed(item)}.");
            }
            else
            {
                answers[item.Id] = value;
            }
        }

        if (errors.Count > 0)
        {
            throw new CliInputException(string.Join(" ", errors));
        }

        var result = InstrumentScorer.Score(definition, answers);
        if (!result.IsSuccess)
        {
            // Skip-logic errors, e.g. a C-SSRS item answered although the item controlling it was 0.
            var problems = result.Errors.Select(e => (Item: definition.FindItem(e.ItemId)!, e.Kind, e.Message)).ToList();
            var hint = problems.Exists(p => p.Kind == AnswerErrorKind.AnsweredWhileDisabled) ? $" Give '{NotAsked}' for an item that skip logic leaves unasked." : string.Empty;
            throw new CliInputException(
                string.Join(" ", problems.Select(p => $"{Name(definition, p.Item)}: {WithoutItemPrefix(p.Message, p.Item)}.")) + hint);
        }

        var score = result.Score;
        return new
        {
            instrument = score.InstrumentId,
            version = score.InstrumentVersion,
            total = score.Total,
            severity = score.Severity?.Code,
            flags = score.Flags,
            triage = score.TriageLevel,
        };
    }

    /// <summary>The items answered on the command line: every required item, in presentation order.</summary>
    public static IReadOnlyList<InstrumentItem> CommandLineItems(InstrumentDefinition definition) =>
        definition.Items.Where(i => i.IsRequired).ToList();

    private static string Name(InstrumentDefinition definition, InstrumentItem item) => $"{definition.Id} item {item.Id} ({item.ShortTitle})";

    private static string DescribeItems(IReadOnlyList<InstrumentItem> items) =>
        items.Count <= 1 ? $"item {items[0].Id}" : $"items {string.Join(", ", items.Select(i => i.Id))}";

    private static bool IsContiguous(InstrumentItem item)
    {
        var values = item.AnswerOptions.Select(o => o.Value).Order().ToList();
        return values.Count > 1 && values[^1] - values[0] == values.Count - 1;
    }

    private static string Allowed(InstrumentItem item)
    {
        var values = item.AnswerOptions.Select(o => o.Value).Order().ToList();
        return IsContiguous(item) ? $"{values[0]}–{values[^1]}" : string.Join(", ", values);
    }

    private static string NotAskedHint(InstrumentItem item) =>
        item.HasSkipLogic ? $", or '{NotAsked}' when the item is not asked" : string.Empty;

    // The domain's messages begin "Item 'x' (title)"; the CLI names the item itself.
    private static string WithoutItemPrefix(string message, InstrumentItem item)
    {
        var prefix = $"Item '{item.Id}' ({item.ShortTitle})";
        var rest = message.StartsWith(prefix, StringComparison.Ordinal) ? message[prefix.Length..].TrimStart(':', ' ') : message;
        return rest.TrimEnd('.');
    }
}
