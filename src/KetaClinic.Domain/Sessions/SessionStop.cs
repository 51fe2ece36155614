namespace KetaClinic.Domain.Sessions;

/// <summary>Why and when a session ended before discharge, from which state, and the follow-up arranged.</summary>
public sealed record SessionStop(SessionState StoppedFrom, string Reason, string FollowUp, SessionActor By, DateTimeOffset At);
