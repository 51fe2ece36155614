using System.Text.Json;
using System.Text.Json.Serialization;

namespace KetaClinic.Domain.Instruments;

// The JSON shape of a definition file, close to a FHIR Questionnaire (item, linkId, text, answerOption,
// enableWhen, enableBehavior, required) plus scoring, bands, flags and triage. Everything is nullable here:
// the loader reports a missing field with its JSON path instead of letting the serializer throw.

internal sealed class DefinitionDocument
{
    public string? Id { get; init; }
    public string? Version { get; init; }
    public string? Title { get; init; }
    public string? Description { get; init; }
    public string? Rater { get; init; }
    public int? RecallWindowDays { get; init; }
    public string? Instructions { get; init; }
    public LoincDocument? Loinc { get; init; }
    public LicenceDocument? Licence { get; init; }
    public IReadOnlyList<AnswerSetDocument?>? AnswerSets { get; init; }
    public IReadOnlyList<ItemDocument?>? Item { get; init; }
    public ScoringDocument? Scoring { get; init; }
    public IReadOnlyList<SeverityBandDocument?>? SeverityBands { get; init; }
    public IReadOnlyList<FlagRuleDocument?>? Flags { get; init; }
    public TriageDocument? Triage { get; init; }
}

internal sealed class LoincDocument
{
    public string? Panel { get; init; }
    public string? Total { get; init; }
}

internal sealed class LicenceDocument
{
    public bool? WordingIncluded { get; init; }
    public string? Note { get; init; }
}

internal sealed class AnswerSetDocument
{
    public string? Id { get; init; }
    public IReadOnlyList<AnswerOptionDocument?>? AnswerOption { get; init; }
}

internal sealed class AnswerOptionDocument
{
    public int? Value { get; init; }
    public int? Score { get; init; }
    public string? Display { get; init; }
}

internal sealed class ItemDocument
{
    public string? LinkId { get; init; }
    public string? ShortTitle { get; init; }
    public string? Text { get; init; }
    public bool? Scored { get; init; }
    public bool? Required { get; init; }
    public string? Loinc { get; init; }
    public ScoreRangeDocument? ScoreRange { get; init; }
    public string? AnswerSet { get; init; }
    public IReadOnlyList<AnswerOptionDocument?>? AnswerOption { get; init; }
    public IReadOnlyList<EnableWhenDocument?>? EnableWhen { get; init; }
    public string? EnableBehavior { get; init; }
}

internal sealed class EnableWhenDocument
{
    public string? Question { get; init; }
    public string? Operator { get; init; }
    public int? Answer { get; init; }
}

internal sealed class ScoreRangeDocument
{
    public int? Min { get; init; }
    public int? Max { get; init; }
}

internal sealed class ScoringDocument
{
    public string? Method { get; init; }
    public ScoreRangeDocument? ItemScoreRange { get; init; }
    public ScoreRangeDocument? TotalRange { get; init; }
    public IReadOnlyList<ScoringGroupDocument?>? Groups { get; init; }
}

internal sealed class ScoringGroupDocument
{
    public string? Id { get; init; }
    public string? Title { get; init; }
    public string? Combine { get; init; }
    public IReadOnlyList<string?>? Items { get; init; }
}

internal sealed class SeverityBandDocument
{
    public string? Code { get; init; }
    public string? Display { get; init; }
    public int? Min { get; init; }
    public int? Max { get; init; }
}

internal sealed class ConditionDocument
{
    public string? Item { get; init; }
    public string? Operator { get; init; }
    public int? Value { get; init; }
}

internal sealed class FlagRuleDocument
{
    public string? Code { get; init; }
    public string? Item { get; init; }
    public string? Operator { get; init; }
    public int? Value { get; init; }
    public string? Note { get; init; }
}

internal sealed class TriageDocument
{
    public string? Default { get; init; }
    public IReadOnlyList<TriageLevelDocument?>? Levels { get; init; }
}

internal sealed class TriageLevelDocument
{
    public string? Code { get; init; }
    public string? Flag { get; init; }
    public IReadOnlyList<ConditionDocument?>? AnyOf { get; init; }
}

// Source-generated metadata: no reflection at run time, and unknown properties are rejected so a typo
// ("requried") is an error rather than a silently ignored field.
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    ReadCommentHandling = JsonCommentHandling.Skip,
    AllowTrailingCommas = true)]
[JsonSerializable(typeof(DefinitionDocument))]
internal sealed partial class DefinitionJsonContext : JsonSerializerContext;
