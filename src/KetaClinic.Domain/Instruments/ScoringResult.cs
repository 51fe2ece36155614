using System.Diagnostics.CodeAnalysis;

namespace KetaClinic.Domain.Instruments;

public enum AnswerErrorKind
{
    /// <summary>A required item (that skip logic did not switch off) has no answer.</summary>
    MissingRequiredAnswer,

    /// <summary>The answer is not one of the item's allowed values (out of range).</summary>
    AnswerNotAllowed,

    /// <summary>The answer names an item the instrument does not have.</summary>
    UnknownItem,

    /// <summary>The item was answered although skip logic says it must not be asked.</summary>
    AnsweredWhileDisabled,
}

/// <summary>A problem with one answer; always names the item.</summary>
public sealed record AnswerError(string ItemId, AnswerErrorKind Kind, string Message)
{
    public override string ToString() => Message;
}

/// <summary>One term of the total: a single item, or a group counted as its highest item (QIDS-SR16 domains).</summary>
public sealed record ScoreComponent(string Id, string Title, int Score, IReadOnlyList<string> ItemIds);

/// <summary>A successfully scored response.</summary>
/// <param name="InstrumentId">The instrument's id.</param>
/// <param name="InstrumentVersion">The definition version used, to be stored with the response.</param>
/// <param name="Total">The total score; null for instruments without one (C-SSRS screener).</param>
/// <param name="Severity">The band the total falls in; null when the instrument has no bands.</param>
/// <param name="Flags">Safety flags raised by the definition's flag rules and triage, in definition order, without repeats.</param>
/// <param name="TriageLevel">The triage level (C-SSRS: none, low, moderate, high); null when the instrument has no triage.</param>
/// <param name="Components">The terms that make up the total, in item order.</param>
/// <param name="Answers">The validated answers (item id to answer value), for storage.</param>
public sealed record InstrumentScore(
    string InstrumentId,
    string InstrumentVersion,
    int? Total,
    SeverityBand? Severity,
    IReadOnlyList<string> Flags,
    string? TriageLevel,
    IReadOnlyList<ScoreComponent> Components,
    IReadOnlyDictionary<string, int> Answers)
{
    public bool HasFlag(string code) => Flags.Contains(code, StringComparer.Ordinal);
}

/// <summary>Either a score or the list of answer errors; never a partial score.</summary>
public sealed record ScoringResult
{
    private ScoringResult(InstrumentScore? score, IReadOnlyList<AnswerError> errors)
    {
        Score = score;
        Errors = errors;
    }

    public InstrumentScore? Score { get; }

    public IReadOnlyList<AnswerError> Errors { get; }

    [MemberNotNullWhen(true, nameof(Score))]
    public bool IsSuccess => Score is not null;

    internal static ScoringResult Success(InstrumentScore score) => new(score, []);

    internal static ScoringResult Failure(IReadOnlyList<AnswerError> errors) => new(null, errors);
}
