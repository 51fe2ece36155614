namespace KetaClinic.App.Data;

/// <summary>
/// A course of ketamine treatment: one route and protocol, from the first session until it is completed or
/// stopped. The treatment-plan module fills in its details; outcomes are classified per course.
/// </summary>
public sealed class TreatmentCourse
{
    public Guid Id { get; set; }
    public Guid PatientId { get; set; }
    public Guid LocationId { get; set; }

    /// <summary>iv, im, oral, sublingual or intranasal-esketamine.</summary>
    public string Route { get; set; } = string.Empty;
    public string ProtocolCode { get; set; } = string.Empty;

    /// <summary>planned, active, completed or stopped.</summary>
    public string Status { get; set; } = "planned";
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? EndedAt { get; set; }
}

/// <summary>One treatment session of a course. The session module adds the chair workflow.</summary>
public sealed class TreatmentSession
{
    public Guid Id { get; set; }
    public Guid CourseId { get; set; }
    public Guid PatientId { get; set; }
    public Guid LocationId { get; set; }
    public Guid? ChairId { get; set; }
    public int SequenceNumber { get; set; }
    public DateTimeOffset ScheduledStart { get; set; }

    /// <summary>
    /// The session workflow's state code (scheduled, checked-in, pre-dose-checks-passed, dosing, monitoring, recovery,
    /// stopped-early, cancelled, no-show), except that a discharged session is stored as completed.
    /// </summary>
    public string Status { get; set; } = "scheduled";
    public DateTimeOffset? CheckedInAt { get; set; }
    public DateTimeOffset? CompletedAt { get; set; }

    /// <summary>End of the booked chair time including recovery; null for sessions booked before plans existed.</summary>
    public DateTimeOffset? ScheduledEnd { get; set; }

    /// <summary>The treatment plan and phase the session was booked from (series booking).</summary>
    public Guid? PlanId { get; set; }
    public string? PhaseId { get; set; }
    public string? SeriesId { get; set; }
    public DateTimeOffset? CancelledAt { get; set; }
    public string? CancelledBy { get; set; }
    public string? CancelReason { get; set; }
}

/// <summary>A completed rating instrument, stored as scored: answers, total, severity and flags at that version.</summary>
public sealed class InstrumentResponse
{
    public Guid Id { get; set; }
    public Guid PatientId { get; set; }
    public Guid? SessionId { get; set; }
    public string InstrumentId { get; set; } = string.Empty;
    public string InstrumentVersion { get; set; } = string.Empty;

    /// <summary>JSON array of { item, value, score, loinc }.</summary>
    public string Answers { get; set; } = "[]";
    public int? Total { get; set; }
    public string? SeverityCode { get; set; }
    public string? SeverityDisplay { get; set; }

    /// <summary>Safety flags, comma-separated (e.g. suicidal-ideation).</summary>
    public string Flags { get; set; } = string.Empty;
    public string? TriageLevel { get; set; }
    public string? LoincPanel { get; set; }
    public string? LoincTotal { get; set; }
    public DateTimeOffset TakenAt { get; set; }
    public DateTimeOffset RecordedAt { get; set; }
    public string RecordedBy { get; set; } = string.Empty;
    public string RecordedByName { get; set; } = string.Empty;

    /// <summary>clinician or patient-link.</summary>
    public string Source { get; set; } = "clinician";
    public Guid? LinkId { get; set; }
}

/// <summary>
/// A single-use link for a patient to fill in one instrument without an account. Only the SHA-256 of the
/// token is stored, so the database alone cannot be used to answer in a patient's name.
/// </summary>
public sealed class PatientLink
{
    public Guid Id { get; set; }
    public string TokenHash { get; set; } = string.Empty;
    public Guid PatientId { get; set; }
    public string InstrumentId { get; set; } = string.Empty;
    public Guid? SessionId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public string CreatedBy { get; set; } = string.Empty;
    public string CreatedByName { get; set; } = string.Empty;
    public DateTimeOffset ExpiresAt { get; set; }
    public DateTimeOffset? UsedAt { get; set; }
    public Guid? ResponseId { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }

    /// <summary>How the link went out: sms, email or handed (shown to staff, given in person).</summary>
    public string SentVia { get; set; } = "handed";
    public string? SentTo { get; set; }

    /// <summary>What the link opens: one instrument, or the pre-screening questionnaire (see <see cref="LinkPurposes"/>).</summary>
    public string Purpose { get; set; } = LinkPurposes.Instrument;
}

/// <summary>What a single-use patient link is for; a token only opens the page of its own purpose.</summary>
public static class LinkPurposes
{
    public const string Instrument = "instrument";
    public const string PreScreening = "pre-screening";
}

/// <summary>A safety alert raised from a response; it stays open until a physician acknowledges it with the action taken.</summary>
public sealed class SafetyAlert
{
    public Guid Id { get; set; }
    public Guid PatientId { get; set; }

    /// <summary>The flag that raised it: suicidal-ideation, suicide-risk-moderate, suicide-risk-high.</summary>
    public string Kind { get; set; } = string.Empty;

    /// <summary>high or moderate.</summary>
    public string Severity { get; set; } = string.Empty;
    public string Message { get; set; } = string.Empty;
    public Guid? ResponseId { get; set; }
    public DateTimeOffset RaisedAt { get; set; }
    public DateTimeOffset? AcknowledgedAt { get; set; }
    public string? AcknowledgedBy { get; set; }
    public string? AcknowledgedByName { get; set; }
    public string? ActionTaken { get; set; }
    public string? Note { get; set; }
}

/// <summary>
/// The outcome of one course on one instrument, recomputed in the same transaction whenever a score or session
/// of the course changes, so the clinic dashboard aggregates one row per course instead of every score.
/// </summary>
public sealed class CourseOutcomeRow
{
    public Guid CourseId { get; set; }
    public string InstrumentId { get; set; } = string.Empty;
    public Guid PatientId { get; set; }
    public Guid LocationId { get; set; }
    public string Route { get; set; } = string.Empty;
    public string ProtocolCode { get; set; } = string.Empty;
    public string? DiagnosisCode { get; set; }
    public DateTimeOffset? CourseStartedAt { get; set; }
    public string Status { get; set; } = string.Empty;
    public int? BaselineTotal { get; set; }
    public int? LatestTotal { get; set; }
    public decimal? ChangePercent { get; set; }
    public DateTimeOffset? FirstResponseAt { get; set; }
    public DateTimeOffset? FirstRemissionAt { get; set; }
    public DateTimeOffset? RelapseAt { get; set; }
    public int? SessionsToResponse { get; set; }
    public int? DaysToRelapse { get; set; }
    public int Assessments { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}
