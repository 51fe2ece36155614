namespace KetaClinic.Domain.Outcomes;

/// <summary>A scored assessment: which instrument, its total, and when it was taken.</summary>
public sealed record AssessmentScore(string InstrumentId, int Total, DateTimeOffset TakenAt);

public enum CourseEventKind
{
    HospitalisationForWorseningDepression,
    HospitalisationForSuicidePrevention,
    SuicideAttempt,
}

/// <summary>A clinical event that counts as relapse after response (SUSTAIN-1, REFERENCE.md §2); the date is the admission or attempt date.</summary>
public sealed record CourseEvent(CourseEventKind Kind, DateTimeOffset OccurredAt);

/// <summary>
/// What outcome classification needs for one patient, one instrument and one treatment course.
/// Assessments on other instruments may be included; only those on <see cref="InstrumentId"/> are used.
/// </summary>
/// <param name="InstrumentId">The instrument to classify on.</param>
/// <param name="FirstSessionAt">Start of the first treatment session of the course; the baseline is the last score strictly before it.</param>
/// <param name="Assessments">Scored assessments, in any order.</param>
/// <param name="Sessions">Treatment session start times, in any order; the first session is implied by <paramref name="FirstSessionAt"/>.</param>
/// <param name="Events">Hospitalisations and suicide attempts, in any order.</param>
public sealed record CourseOutcomeInput(
    string InstrumentId,
    DateTimeOffset FirstSessionAt,
    IReadOnlyList<AssessmentScore> Assessments,
    IReadOnlyList<DateTimeOffset> Sessions,
    IReadOnlyList<CourseEvent> Events);

public enum OutcomeStatus
{
    /// <summary>No score on the instrument before the first session: nothing can be classified.</summary>
    NeedsBaseline,

    /// <summary>The data cannot be classified as they stand (e.g. a baseline of 0); see <see cref="OutcomeClassification.Reason"/>.</summary>
    NeedsReview,

    NotResponding,
    Response,
    Remission,
    Relapse,
}

public enum RelapseTrigger
{
    /// <summary>Two consecutive assessments at or above the relapse cut-off, within the relapse window.</summary>
    ConsecutiveAssessments,
    Hospitalisation,
    SuicideAttempt,
}

/// <summary>The outcome of a course on one instrument.</summary>
/// <param name="InstrumentId">The instrument classified on.</param>
/// <param name="Status">Current status, from the latest assessment (or an unresolved relapse).</param>
/// <param name="Baseline">Last assessment strictly before the first session; null when missing.</param>
/// <param name="Latest">Most recent assessment on the instrument; null when there is none.</param>
/// <param name="ChangePercent">Change of the latest total from baseline in percent, rounded to one decimal (negative is improvement).</param>
/// <param name="FirstResponseAt">First assessment meeting the response criterion.</param>
/// <param name="FirstRemissionAt">First assessment meeting remission, which here implies response.</param>
/// <param name="RelapseAt">First relapse: the first of the two qualifying assessments, or the event date.</param>
/// <param name="RelapseTrigger">What the first relapse was.</param>
/// <param name="LossOfResponseAt">First assessment after first response no longer meeting response.</param>
/// <param name="DurabilityDays">Calendar days from the last session before <paramref name="LossOfResponseAt"/> to it; null while response holds.</param>
/// <param name="Reason">Why the status is <see cref="OutcomeStatus.NeedsBaseline"/> or <see cref="OutcomeStatus.NeedsReview"/>.</param>
public sealed record OutcomeClassification(
    string InstrumentId,
    OutcomeStatus Status,
    AssessmentScore? Baseline,
    AssessmentScore? Latest,
    decimal? ChangePercent,
    DateTimeOffset? FirstResponseAt,
    DateTimeOffset? FirstRemissionAt,
    DateTimeOffset? RelapseAt,
    RelapseTrigger? RelapseTrigger,
    DateTimeOffset? LossOfResponseAt,
    int? DurabilityDays,
    string? Reason);

public static class OutcomeStatusCodes
{
    /// <summary>Lower-case code for APIs and the CLI: needs-baseline, needs-review, non-response, response, remission, relapse.</summary>
    public static string ToCode(this OutcomeStatus status) => status switch
    {
        OutcomeStatus.NeedsBaseline => "needs-baseline",
        OutcomeStatus.NeedsReview => "needs-review",
        OutcomeStatus.NotResponding => "non-response",
        OutcomeStatus.Response => "response",
        OutcomeStatus.Remission => "remission",
        OutcomeStatus.Relapse => "relapse",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "Unknown outcome status."),
    };
}
