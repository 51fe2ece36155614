using System.Collections.ObjectModel;

namespace KetaClinic.Domain.Instruments;

/// <summary>
/// Scores one response against a definition. Every answer is checked first; if anything is wrong the result is
/// the full list of errors and no score, because a missing or impossible answer must never count as zero.
/// </summary>
public static class InstrumentScorer
{
    private enum Enablement
    {
        Enabled,
        Disabled,

        // A condition depends on an item whose own answer is missing or invalid: that error is reported there,
        // and this item is neither required nor forbidden until it is fixed.
        Unknown,
    }

    /// <param name="definition">The instrument definition to score against.</param>
    /// <param name="answers">Item id to answer value (the option's <see cref="AnswerOption.Value"/>).</param>
    public static ScoringResult Score(InstrumentDefinition definition, IReadOnlyDictionary<string, int> answers)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(answers);

        var errors = new List<AnswerError>();
        foreach (var itemId in answers.Keys.Where(k => definition.FindItem(k) is null).Order(StringComparer.Ordinal))
        {
            errors.Add(new AnswerError(itemId, AnswerErrorKind.UnknownItem, $"'{itemId}' is not an item of {definition.Id}."));
        }

        var accepted = new Dictionary<string, int>(StringComparer.Ordinal);
        var unresolved = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in definition.Items)
        {
            var answered = answers.TryGetValue(item.Id, out var value);
            switch (EnablementOf(item, accepted, unresolved))
            {
                case Enablement.Unknown:
                    unresolved.Add(item.Id);
                    break;

                case Enablement.Disabled when answered:
                    errors.Add(new AnswerError(item.Id, AnswerErrorKind.AnsweredWhileDisabled,
                        $"{Describe(item)} was answered, but it is only asked when {DescribeConditions(item)}."));
                    break;

                case Enablement.Disabled:
                    break;

                case Enablement.Enabled when answered && item.FindOption(value) is null:
                    errors.Add(new AnswerError(item.Id, AnswerErrorKind.AnswerNotAllowed,
                        $"{Describe(item)}: answer {value} is not allowed; allowed answers are {string.Join(", ", item.AnswerOptions.Select(o => o.Value))}."));
                    unresolved.Add(item.Id);
                    break;

                case Enablement.Enabled when answered:
                    accepted[item.Id] = value;
                    break;

                case Enablement.Enabled when item.IsRequired:
                    errors.Add(new AnswerError(item.Id, AnswerErrorKind.MissingRequiredAnswer,
                        $"{Describe(item)} is required but has no answer."));
                    unresolved.Add(item.Id);
                    break;

                case Enablement.Enabled:
                    break;
            }
        }

        if (errors.Count > 0)
        {
            return ScoringResult.Failure(errors.AsReadOnly());
        }

        var components = ScoreComponents(definition, accepted);
        int? total = definition.Scoring.Method == ScoringMethod.Sum ? components.Sum(c => c.Score) : null;
        var severity = total is { } t ? definition.BandFor(t) : null;

        var flags = new List<string>();
        foreach (var rule in definition.FlagRules)
        {
            if (IsMet(rule.Condition, accepted) && !flags.Contains(rule.Code, StringComparer.Ordinal))
            {
                flags.Add(rule.Code);
            }
        }

        string? triageLevel = null;
        if (definition.Triage is { } triage)
        {
            // Levels are listed from most to least urgent; the first one reached wins.
            var level = triage.Levels.FirstOrDefault(l => l.AnyOf.Any(c => IsMet(c, accepted)));
            triageLevel = level?.Code ?? triage.DefaultLevel;
            if (level?.Flag is { } flag && !flags.Contains(flag, StringComparer.Ordinal))
            {
                flags.Add(flag);
            }
        }

        return ScoringResult.Success(new InstrumentScore(
            definition.Id,
            definition.Version,
            total,
            severity,
            flags.AsReadOnly(),
            triageLevel,
            components.AsReadOnly(),
            new ReadOnlyDictionary<string, int>(accepted)));
    }

    private static List<ScoreComponent> ScoreComponents(InstrumentDefinition definition, Dictionary<string, int> accepted)
    {
        var components = new List<ScoreComponent>();
        if (definition.Scoring.Method == ScoringMethod.None)
        {
            return components;
        }

        var groupOf = new Dictionary<string, ScoringGroup>(StringComparer.Ordinal);
        foreach (var group in definition.Scoring.Groups)
        {
            foreach (var itemId in group.ItemIds)
            {
                groupOf[itemId] = group;
            }
        }

        var counted = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in definition.Items.Where(i => i.IsScored))
        {
            if (groupOf.TryGetValue(item.Id, out var group))
            {
                // A group counts once, at the position of its first item (QIDS-SR16: sleep = max of items 1–4).
                if (counted.Add(group.Id))
                {
                    var score = group.ItemIds.Max(id => ItemScore(definition, id, accepted));
                    components.Add(new ScoreComponent(group.Id, group.Title, score, group.ItemIds));
                }
            }
            else
            {
                components.Add(new ScoreComponent(item.Id, item.ShortTitle, ItemScore(definition, item.Id, accepted), [item.Id]));
            }
        }

        return components;
    }

    // Scored items are required and have no skip logic (checked on load), so after validation every one is answered.
    private static int ItemScore(InstrumentDefinition definition, string itemId, Dictionary<string, int> accepted) =>
        definition.FindItem(itemId)!.FindOption(accepted[itemId])!.Score!.Value;

    /// <summary>
    /// Whether a form should show the item given the answers so far (skip logic): an item whose condition depends on
    /// an unanswered item stays hidden until that item is answered.
    /// </summary>
    public static bool IsShown(InstrumentDefinition definition, InstrumentItem item, IReadOnlyDictionary<string, int> answers)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(item);
        ArgumentNullException.ThrowIfNull(answers);
        if (!item.HasSkipLogic)
        {
            return true;
        }
        // Items are listed before the items they control, so one pass decides visibility in order.
        var shown = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var i in definition.Items)
        {
            var visible = !i.HasSkipLogic || EnablementOf(i, shown, []) == Enablement.Enabled;
            if (ReferenceEquals(i, item))
            {
                return visible;
            }
            if (visible && answers.TryGetValue(i.Id, out var v))
            {
                shown[i.Id] = v;
            }
        }
        return false;
    }

    private static Enablement EnablementOf(InstrumentItem item, Dictionary<string, int> accepted, HashSet<string> unresolved)
    {
        if (!item.HasSkipLogic)
        {
            return Enablement.Enabled;
        }

        // Three-valued: an unanswered or disabled controlling item makes its condition false (as in FHIR);
        // an invalid or missing-required one makes it unknown.
        var results = item.EnableWhen.Select(c => unresolved.Contains(c.ItemId) ? (bool?)null : IsMet(c, accepted)).ToList();
        return item.EnableBehavior switch
        {
            EnableBehavior.All when results.Any(r => r == false) => Enablement.Disabled,
            EnableBehavior.All when results.Any(r => r is null) => Enablement.Unknown,
            EnableBehavior.All => Enablement.Enabled,
            EnableBehavior.Any when results.Any(r => r == true) => Enablement.Enabled,
            EnableBehavior.Any when results.Any(r => r is null) => Enablement.Unknown,
            _ => Enablement.Disabled,
        };
    }

    private static bool IsMet(AnswerCondition condition, Dictionary<string, int> accepted) =>
        accepted.TryGetValue(condition.ItemId, out var answer) && condition.IsMetBy(answer);

    private static string Describe(InstrumentItem item) => $"Item '{item.Id}' ({item.ShortTitle})";

    private static string DescribeConditions(InstrumentItem item) =>
        string.Join(item.EnableBehavior == EnableBehavior.All ? " and " : " or ", item.EnableWhen);
}
