namespace KetaClinic.Domain.Sessions;

/// <summary>
/// One step of a session's history: from which state to which, who moved it and when. <see cref="From"/> is null for
/// the first entry (the booking); <see cref="Reason"/> holds the words of a stop, cancellation or no-show.
/// </summary>
public sealed record SessionTransition(SessionState? From, SessionState To, SessionActor By, DateTimeOffset At, string? Reason);
