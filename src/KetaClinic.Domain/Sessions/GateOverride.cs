namespace KetaClinic.Domain.Sessions;

/// <summary>
/// A physician's decision to dose although <see cref="Gate"/> was not met, with the written reason. It holds for the
/// finding it was given for: <see cref="Evidence"/> is the gate's evidence at the time, and a changed finding (a new
/// blood pressure, another fasting time) needs a new override.
/// </summary>
public sealed record GateOverride(PreDoseGate Gate, SessionActor By, DateTimeOffset At, string Reason, string? Evidence);
