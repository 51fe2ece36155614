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

    /// <summary>The clinical settings the command was applied under (<see cref="SessionSettingsVersion"/>); null before versioning.</summary>
    public string? SettingsVersion { get; set; }
}

/// <summary>One version of the chair's clinical settings, as a session's steps were applied under it; only ever added.</summary>
public sealed class SessionSettingsVersion
{
    /// <summary>SHA-256 of <see cref="Settings"/>, in hex.</summary>
    public string Id { get; set; } = string.Empty;

    /// <summary>The settings as JSON (without the medication tables, which belong to the evaluation module).</summary>
    public string Settings { get; set; } = string.Empty;

    public DateTimeOffset RecordedAt { get; set; }
}
