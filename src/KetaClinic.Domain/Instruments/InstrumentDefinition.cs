namespace KetaClinic.Domain.Instruments;

/// <summary>
/// A validated rating instrument (questionnaire or clinician scale), loaded from a definition file.
/// Instances only come out of <see cref="InstrumentDefinitionLoader"/>, so every instance has passed validation:
/// item ids are unique, answer scores lie in the declared ranges and severity bands cover the total range exactly.
/// </summary>
public sealed class InstrumentDefinition
{
    private readonly Dictionary<string, InstrumentItem> _itemsById;

    internal InstrumentDefinition(
        string id,
        string version,
        string title,
        string? description,
        Rater rater,
        int? recallWindowDays,
        string? instructions,
        LoincCodes loinc,
        LicenceNote licence,
        IReadOnlyList<InstrumentItem> items,
        ScoringRule scoring,
        IReadOnlyList<SeverityBand> severityBands,
        IReadOnlyList<FlagRule> flagRules,
        TriageRule? triage,
        string source)
    {
        Id = id;
        Version = version;
        Title = title;
        Description = description;
        Rater = rater;
        RecallWindowDays = recallWindowDays;
        Instructions = instructions;
        Loinc = loinc;
        Licence = licence;
        // Read-only copies: the built-in catalog is shared by the whole process and must not be changed through a cast.
        Items = items.ToList().AsReadOnly();
        Scoring = scoring;
        SeverityBands = severityBands.ToList().AsReadOnly();
        FlagRules = flagRules.ToList().AsReadOnly();
        Triage = triage;
        Source = source;
        _itemsById = items.ToDictionary(i => i.Id, StringComparer.Ordinal);
    }

    /// <summary>Stable instrument id, lower case with hyphens, e.g. <c>phq9</c>, <c>qids-sr16</c>.</summary>
    public string Id { get; }

    /// <summary>Definition version (major.minor.patch); a stored response records the version it was scored with.</summary>
    public string Version { get; }

    public string Title { get; }

    public string? Description { get; }

    public Rater Rater { get; }

    /// <summary>Recall window in days (PHQ-9 14, QIDS-SR16 7), or null when the instrument has none fixed.</summary>
    public int? RecallWindowDays { get; }

    /// <summary>Lead-in shown above the items, when the licence allows its wording.</summary>
    public string? Instructions { get; }

    public LoincCodes Loinc { get; }

    public LicenceNote Licence { get; }

    /// <summary>Items in presentation order.</summary>
    public IReadOnlyList<InstrumentItem> Items { get; }

    public ScoringRule Scoring { get; }

    /// <summary>Bands ordered by score; empty when the instrument has no severity bands.</summary>
    public IReadOnlyList<SeverityBand> SeverityBands { get; }

    public IReadOnlyList<FlagRule> FlagRules { get; }

    public TriageRule? Triage { get; }

    /// <summary>Where the definition came from (embedded resource or clinic file name), for audit and error messages.</summary>
    public string Source { get; }

    public InstrumentItem? FindItem(string itemId) =>
        _itemsById.GetValueOrDefault(itemId);

    /// <summary>The single band containing <paramref name="total"/>, or null when the instrument has no bands.</summary>
    public SeverityBand? BandFor(int total)
    {
        if (SeverityBands.Count == 0)
        {
            return null;
        }

        // Validation guarantees the bands tile the total range, so a total inside the range has exactly one band.
        return SeverityBands.SingleOrDefault(b => b.Contains(total))
            ?? throw new ArgumentOutOfRangeException(nameof(total), total, $"Total {total} is outside the range of {Id}.");
    }

    public override string ToString() => $"{Id} {Version}";
}

/// <summary>One question of an instrument.</summary>
public sealed class InstrumentItem
{
    internal InstrumentItem(
        string id,
        string shortTitle,
        string? text,
        bool isScored,
        bool isRequired,
        string? loincCode,
        IReadOnlyList<AnswerOption> answerOptions,
        IReadOnlyList<AnswerCondition> enableWhen,
        EnableBehavior enableBehavior)
    {
        Id = id;
        ShortTitle = shortTitle;
        Text = text;
        IsScored = isScored;
        IsRequired = isRequired;
        LoincCode = loincCode;
        AnswerOptions = answerOptions.ToList().AsReadOnly();
        EnableWhen = enableWhen.ToList().AsReadOnly();
        EnableBehavior = enableBehavior;
    }

    /// <summary>The item's link id, unique within the instrument.</summary>
    public string Id { get; }

    public string ShortTitle { get; }

    /// <summary>Full wording; null for licensed instruments whose wording the clinic loads under its own licence.</summary>
    public string? Text { get; }

    public bool IsScored { get; }

    /// <summary>Required when enabled: an item switched off by skip logic is never required.</summary>
    public bool IsRequired { get; }

    public string? LoincCode { get; }

    public IReadOnlyList<AnswerOption> AnswerOptions { get; }

    /// <summary>Skip logic: the item is asked only when these conditions on earlier items hold.</summary>
    public IReadOnlyList<AnswerCondition> EnableWhen { get; }

    public EnableBehavior EnableBehavior { get; }

    public bool HasSkipLogic => EnableWhen.Count > 0;

    public AnswerOption? FindOption(int value) => AnswerOptions.FirstOrDefault(o => o.Value == value);

    public override string ToString() => $"item '{Id}' ({ShortTitle})";
}

public enum Rater
{
    Patient,
    Clinician,
}

/// <summary>How several enableWhen conditions combine, as in FHIR Questionnaire.enableBehavior.</summary>
public enum EnableBehavior
{
    All,
    Any,
}

/// <summary>An allowed answer. <see cref="Value"/> is what is recorded; <see cref="Score"/> is what counts toward the total.</summary>
public sealed record AnswerOption(int Value, int? Score, string Display);

/// <summary>Comparison operators, written in definition files as in FHIR enableWhen: = != &gt; &gt;= &lt; &lt;=.</summary>
public enum ComparisonOperator
{
    Equal,
    NotEqual,
    GreaterThan,
    GreaterThanOrEqual,
    LessThan,
    LessThanOrEqual,
}

/// <summary>A test on the answer value recorded for one item; used by skip logic, flag rules and triage.</summary>
public sealed record AnswerCondition(string ItemId, ComparisonOperator Operator, int Value)
{
    public bool IsMetBy(int answer) => Operator switch
    {
        ComparisonOperator.Equal => answer == Value,
        ComparisonOperator.NotEqual => answer != Value,
        ComparisonOperator.GreaterThan => answer > Value,
        ComparisonOperator.GreaterThanOrEqual => answer >= Value,
        ComparisonOperator.LessThan => answer < Value,
        ComparisonOperator.LessThanOrEqual => answer <= Value,
        _ => throw new InvalidOperationException($"Unknown operator {Operator}."),
    };

    public override string ToString() => $"item '{ItemId}' {OperatorSymbols.ToSymbol(Operator)} {Value}";
}

internal static class OperatorSymbols
{
    public static string ToSymbol(ComparisonOperator op) => op switch
    {
        ComparisonOperator.Equal => "=",
        ComparisonOperator.NotEqual => "!=",
        ComparisonOperator.GreaterThan => ">",
        ComparisonOperator.GreaterThanOrEqual => ">=",
        ComparisonOperator.LessThan => "<",
        ComparisonOperator.LessThanOrEqual => "<=",
        _ => throw new InvalidOperationException($"Unknown operator {op}."),
    };

    public static ComparisonOperator? Parse(string? symbol) => symbol switch
    {
        "=" => ComparisonOperator.Equal,
        "!=" => ComparisonOperator.NotEqual,
        ">" => ComparisonOperator.GreaterThan,
        ">=" => ComparisonOperator.GreaterThanOrEqual,
        "<" => ComparisonOperator.LessThan,
        "<=" => ComparisonOperator.LessThanOrEqual,
        _ => null,
    };
}

/// <summary>An inclusive integer range.</summary>
public sealed record ScoreRange(int Min, int Max)
{
    public bool Contains(int value) => value >= Min && value <= Max;

    public override string ToString() => $"{Min}–{Max}";
}

public enum ScoringMethod
{
    /// <summary>No total (e.g. the C-SSRS screener, which only triages).</summary>
    None,

    /// <summary>Sum of the scored items, with each scoring group counted once as its highest item.</summary>
    Sum,
}

/// <summary>How a total is formed.</summary>
public sealed class ScoringRule
{
    internal ScoringRule(ScoringMethod method, ScoreRange? totalRange, IReadOnlyList<ScoringGroup> groups)
    {
        Method = method;
        TotalRange = totalRange;
        Groups = groups.ToList().AsReadOnly();
    }

    public ScoringMethod Method { get; }

    /// <summary>The declared total range (checked on load against what the items can produce); null for <see cref="ScoringMethod.None"/>.</summary>
    public ScoreRange? TotalRange { get; }

    /// <summary>Groups of items that count once, as their highest score (QIDS-SR16 sleep, appetite/weight, psychomotor).</summary>
    public IReadOnlyList<ScoringGroup> Groups { get; }
}

/// <summary>Items that together contribute the maximum of their scores to the total.</summary>
public sealed record ScoringGroup(string Id, string Title, IReadOnlyList<string> ItemIds);

/// <summary>A severity band over the total, inclusive at both ends. <see cref="Code"/> is lower case with hyphens.</summary>
public sealed record SeverityBand(string Code, string Display, int Min, int Max)
{
    public bool Contains(int total) => total >= Min && total <= Max;
}

/// <summary>Raises <see cref="Code"/> (e.g. <c>suicidal-ideation</c>) when the answer to an item meets the condition.</summary>
public sealed record FlagRule(string Code, AnswerCondition Condition, string? Note);

/// <summary>Ordered risk levels; the first level with a matching condition wins, otherwise <see cref="DefaultLevel"/>.</summary>
public sealed record TriageRule(string DefaultLevel, IReadOnlyList<TriageLevel> Levels);

/// <summary>A triage level reached when any of its conditions holds; may raise a flag.</summary>
public sealed record TriageLevel(string Code, string? Flag, IReadOnlyList<AnswerCondition> AnyOf);

/// <summary>What the licence allows this definition to carry, and why.</summary>
public sealed record LicenceNote(bool WordingIncluded, string Note);

/// <summary>LOINC codes for the panel and the total score, where LOINC has them.</summary>
public sealed record LoincCodes(string? Panel, string? Total);
