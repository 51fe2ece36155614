namespace KetaClinic.App.Data;

/// <summary>
/// One accepted command of a treatment session's workflow, in order. The session is rebuilt by replaying these
/// through the domain (<c>KetaClinic.Domain.Sessions.TreatmentSession</c>); rows are only ever added.
/// </summary>
public sealed class SessionEventRow
{
    public Guid SessionId { get; set; }
    public int Sequence { get; set; }

    /// <summary>The command, e.g. check-in, pass-checks, complete-dosing, vitals, acknowledge-alert.</summary>
    public string Kind { get; set; } = string.Empty;

    /// <summary>The command's data as JSON.</summary>
    public string Payload { get; set; } = "{}";
    public string ActorId { get; set; } = string.Empty;
    public string ActorName { get; set; } = string.Empty;

    /// <summary>nurse, physician or other: the role the person acted in.</summary>
    public string ActorRole { get; set; } = string.Empty;
    public DateTimeOffset At { get; set; }
}
