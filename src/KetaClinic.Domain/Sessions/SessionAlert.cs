using KetaClinic.Domain.Monitoring;

namespace KetaClinic.Domain.Sessions;

public enum SessionAlertKind
{
    /// <summary>A vital sign crossed an alert threshold (<see cref="VitalAlerts.Evaluate"/>).</summary>
    VitalThreshold,

    /// <summary>A scheduled vital-sign check is overdue.</summary>
    VitalsOverdue,
}

/// <summary>Who an open alert is with: the chair's nurse first, then the second level, then the physician.</summary>
public enum AlertLevel
{
    ChairNurse,
    SecondLevel,
    Physician,
}

/// <summary>An escalation: the level reached, when it was due and when it was applied.</summary>
public sealed record AlertEscalationStep(AlertLevel Level, DateTimeOffset DueAt, DateTimeOffset At);

/// <summary>The acknowledgement of an alert with the action taken (audited by the app).</summary>
public sealed record AlertAcknowledgement(SessionActor By, DateTimeOffset At, string Action);

/// <summary>
/// An alert raised during a session: raised → (escalated …) → acknowledged. Numbered within the session.
/// <see cref="CheckCode"/> and <see cref="CheckDueAt"/> name the overdue check for <see cref="SessionAlertKind.VitalsOverdue"/>.
/// </summary>
public sealed record SessionAlert(
    int Number,
    SessionAlertKind Kind,
    VitalKind? Vital,
    ThresholdDirection? Direction,
    VitalAlertSeverity Severity,
    string Message,
    string Source,
    DateTimeOffset RaisedAt,
    string? CheckCode,
    DateTimeOffset? CheckDueAt,
    AlertLevel Level,
    IReadOnlyList<AlertEscalationStep> Escalations,
    AlertAcknowledgement? Acknowledgement)
{
    public bool IsOpen => Acknowledgement is null;

    public static string Code(AlertLevel level) => level switch
    {
        AlertLevel.ChairNurse => "chair-nurse",
        AlertLevel.SecondLevel => "second-level",
        AlertLevel.Physician => "physician",
        _ => throw new ArgumentOutOfRangeException(nameof(level), level, "Unknown alert level."),
    };
}
