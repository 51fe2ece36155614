namespace KetaClinic.Domain.Sessions;

/// <summary>
/// A physician's decision to discharge although criteria were not met, with the written reason and the criteria that
/// were unmet at that moment (one sentence each), so the record shows what the physician accepted.
/// </summary>
public sealed record DischargeOverride(SessionActor By, DateTimeOffset At, string Reason, IReadOnlyList<string> UnmetCriteria);
