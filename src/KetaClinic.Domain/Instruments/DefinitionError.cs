using System.Diagnostics.CodeAnalysis;

namespace KetaClinic.Domain.Instruments;

/// <summary>
/// A problem found while loading a definition file: which file, where in it (a JSON path such as
/// <c>$.item[3].answerOption[1].score</c>), which rule was broken and a message a clinic administrator can act on.
/// </summary>
public sealed record DefinitionError(string Source, string Path, string Rule, string Message)
{
    public override string ToString() => $"{Source}: {Path}: {Message} [{Rule}]";
}

/// <summary>The rule names carried by <see cref="DefinitionError.Rule"/>.</summary>
public static class DefinitionRules
{
    public const string JsonSyntax = "json-syntax";
    public const string RequiredField = "required-field";
    public const string InvalidFormat = "invalid-format";
    public const string InvalidValue = "invalid-value";
    public const string InvalidLoinc = "invalid-loinc";
    public const string DuplicateId = "duplicate-id";
    public const string UnknownReference = "unknown-reference";
    public const string AnswerOptions = "answer-options";
    public const string MissingScore = "missing-score";
    public const string UnexpectedScore = "unexpected-score";
    public const string ScoreOutOfRange = "score-out-of-range";
    public const string ScoredItemOptional = "scored-item-optional";
    public const string SkipLogic = "skip-logic";
    public const string ConditionValue = "condition-value";
    public const string ScoringGroup = "scoring-group";
    public const string TotalRange = "total-range";
    public const string ScoringNone = "scoring-none";
    public const string BandGap = "band-gap";
    public const string BandOverlap = "band-overlap";
    public const string BandInvalid = "band-invalid";
    public const string LicenceWording = "licence-wording";
    public const string Triage = "triage";
    public const string DuplicateVersion = "duplicate-version";
}

/// <summary>Either a valid definition or the list of everything wrong with the file.</summary>
public sealed record DefinitionLoadResult
{
    private DefinitionLoadResult(InstrumentDefinition? definition, IReadOnlyList<DefinitionError> errors)
    {
        Definition = definition;
        Errors = errors;
    }

    public InstrumentDefinition? Definition { get; }

    public IReadOnlyList<DefinitionError> Errors { get; }

    [MemberNotNullWhen(true, nameof(Definition))]
    public bool IsSuccess => Definition is not null;

    internal static DefinitionLoadResult Success(InstrumentDefinition definition) => new(definition, []);

    internal static DefinitionLoadResult Failure(IReadOnlyList<DefinitionError> errors) => new(null, errors);
}

/// <summary>Thrown when a built-in definition fails validation: a defect in the product, not in clinic data.</summary>
public sealed class InstrumentDefinitionException : Exception
{
    public InstrumentDefinitionException()
        : this([])
    {
    }

    public InstrumentDefinitionException(string message)
        : base(message)
    {
        Errors = [];
    }

    public InstrumentDefinitionException(string message, Exception innerException)
        : base(message, innerException)
    {
        Errors = [];
    }

    public InstrumentDefinitionException(IReadOnlyList<DefinitionError> errors)
        : base(errors.Count == 0
            ? "Instrument definition is invalid."
            : "Instrument definition is invalid:" + Environment.NewLine + string.Join(Environment.NewLine, errors))
    {
        Errors = errors;
    }

    public IReadOnlyList<DefinitionError> Errors { get; }
}
