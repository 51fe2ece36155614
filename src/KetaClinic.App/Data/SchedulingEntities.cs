namespace KetaClinic.App.Data;

// Clinic resources for booking. Times of day are minutes after midnight in the clinic's wall-clock time; days are
// clinic days. The scheduling domain works in that local time (Domain/Scheduling/SchedulingModel.cs).

/// <summary>One opening window of a location on a weekday; several a day are allowed.</summary>
public sealed class OpeningHoursRow
{
    public Guid Id { get; set; }
    public Guid LocationId { get; set; }
    public DayOfWeek DayOfWeek { get; set; }
    public int OpensMinute { get; set; }
    public int ClosesMinute { get; set; }
}

/// <summary>A whole day the location is closed (holiday, training day).</summary>
public sealed class ClinicClosureRow
{
    public Guid Id { get; set; }
    public Guid LocationId { get; set; }
    public DateOnly Day { get; set; }
    public string Reason { get; set; } = string.Empty;
}

/// <summary>A chair out of service on one day between two times; closing one re-plans the sessions it held.</summary>
public sealed class ChairClosureRow
{
    public Guid Id { get; set; }
    public Guid ChairId { get; set; }
    public DateOnly Day { get; set; }
    public int FromMinute { get; set; }
    public int ToMinute { get; set; }
    public string Reason { get; set; } = string.Empty;
    public DateTimeOffset CreatedAt { get; set; }
    public string CreatedBy { get; set; } = string.Empty;
}

/// <summary>A nurse on shift at a location on one day.</summary>
public sealed class NurseShiftRow
{
    public Guid Id { get; set; }
    public Guid LocationId { get; set; }
    public string NurseId { get; set; } = string.Empty;
    public string NurseName { get; set; } = string.Empty;
    public DateOnly Day { get; set; }
    public int StartMinute { get; set; }
    public int EndMinute { get; set; }
}

/// <summary>An appointment type and its length (consultation, evaluation, therapy, group, IOP block).</summary>
public sealed class AppointmentTypeRow
{
    public Guid Id { get; set; }
    public string Code { get; set; } = string.Empty;
    public string Name { get; set; } = string.Empty;
    public int Minutes { get; set; }
    public bool IsActive { get; set; } = true;
}

/// <summary>
/// The treatment plan of one course: protocol (id and version as planned), current phase and planned sessions.
/// The dose is the latest of its <see cref="DoseOrderRow"/> versions.
/// </summary>
public sealed class TreatmentPlanRow
{
    public Guid Id { get; set; }
    public Guid CourseId { get; set; }
    public Guid PatientId { get; set; }
    public string ProtocolId { get; set; } = string.Empty;
    public string ProtocolVersion { get; set; } = string.Empty;
    public string PhaseId { get; set; } = string.Empty;
    public int PlannedSessions { get; set; }

    /// <summary>In maintenance: the interval between sessions now used.</summary>
    public int? IntervalDays { get; set; }

    /// <summary>active or closed.</summary>
    public string Status { get; set; } = "active";
    public DateTimeOffset CreatedAt { get; set; }
    public string CreatedBy { get; set; } = string.Empty;
    public string CreatedByName { get; set; } = string.Empty;
    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>One version of a physician's dose order; never edited, only superseded (append-only in the database).</summary>
public sealed class DoseOrderRow
{
    public Guid Id { get; set; }
    public Guid PlanId { get; set; }
    public int Version { get; set; }

    /// <summary>mg-per-kg, fixed-mg or devices.</summary>
    public string DoseBasis { get; set; } = string.Empty;
    public decimal DoseValue { get; set; }
    public DateTimeOffset OrderedAt { get; set; }
    public string OrderedBy { get; set; } = string.Empty;
    public string OrderedByName { get; set; } = string.Empty;
    public string Reason { get; set; } = string.Empty;
}

/// <summary>A physician's decision on a phase proposal: accepted as proposed, or edited (with a reason).</summary>
public sealed class PlanDecisionRow
{
    public Guid Id { get; set; }
    public Guid PlanId { get; set; }
    public string ProposalKind { get; set; } = string.Empty;
    public string ProposedPhaseId { get; set; } = string.Empty;
    public int? ProposedIntervalDays { get; set; }
    public string ChosenPhaseId { get; set; } = string.Empty;
    public int? ChosenIntervalDays { get; set; }
    public bool Edited { get; set; }
    public string? Reason { get; set; }
    public DateTimeOffset DecidedAt { get; set; }
    public string DecidedBy { get; set; } = string.Empty;
    public string DecidedByName { get; set; } = string.Empty;
}

/// <summary>A per-person iCalendar feed; only the SHA-256 of the unguessable token is stored.</summary>
public sealed class CalendarFeedRow
{
    public Guid Id { get; set; }
    public string TokenHash { get; set; } = string.Empty;

    /// <summary>patient or clinician.</summary>
    public string OwnerKind { get; set; } = string.Empty;
    public Guid? PatientId { get; set; }
    public string? UserId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public string CreatedBy { get; set; } = string.Empty;
    public DateTimeOffset? RevokedAt { get; set; }
}

/// <summary>A reminder waiting for the delivery adapter (email or SMS); nothing here sends it.</summary>
public sealed class ReminderMessageRow
{
    public Guid Id { get; set; }
    public Guid SessionId { get; set; }
    public Guid PatientId { get; set; }

    /// <summary>sms or email.</summary>
    public string Channel { get; set; } = string.Empty;
    public string Recipient { get; set; } = string.Empty;
    public string Body { get; set; } = string.Empty;
    public DateTimeOffset DueAt { get; set; }
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>pending, sent or cancelled.</summary>
    public string Status { get; set; } = "pending";
    public DateTimeOffset? SentAt { get; set; }
}

/// <summary>What a re-plan did after a chair closed or a nurse shift was removed: who moved, who could not be re-fitted.</summary>
public sealed class ReplanReportRow
{
    public Guid Id { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public string CreatedBy { get; set; } = string.Empty;
    public string Cause { get; set; } = string.Empty;
    public int MovedCount { get; set; }
    public int NotRefittedCount { get; set; }

    /// <summary>JSON: the moves and the sessions not re-fitted, each with the reason.</summary>
    public string Report { get; set; } = "{}";
}

/// <summary>A patient waiting for an earlier slot; a cancelled session's slot is offered to the first who fits it.</summary>
public sealed class WaitlistEntryRow
{
    public Guid Id { get; set; }
    public Guid PatientId { get; set; }
    public Guid PlanId { get; set; }
    public string? Note { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public string CreatedBy { get; set; } = string.Empty;

    /// <summary>waiting, offered or removed.</summary>
    public string Status { get; set; } = "waiting";
    public DateTimeOffset? OfferedAt { get; set; }
    public string? OfferedSlot { get; set; }
}
