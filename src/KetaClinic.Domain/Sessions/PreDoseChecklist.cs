namespace KetaClinic.Domain.Sessions;

/// <summary>One gate's outcome: status, a sentence for the nurse, the evidence it rests on and the rule's source.</summary>
/// <param name="Evidence">The facts the status rests on, without relative times (so an override can be matched to
/// the same finding later); null when the facts were missing.</param>
public sealed record PreDoseCheckResult(
    PreDoseGate Gate, GateStatus Status, string Sentence, string? Evidence, string Source, GateOverride? Override)
{
    public string Code => Gate.Code();

    public bool Passes => Status != GateStatus.NotMet;
}

/// <summary>Every pre-dose gate evaluated at one instant.</summary>
public sealed record PreDoseChecklist(IReadOnlyList<PreDoseCheckResult> Checks, DateTimeOffset EvaluatedAt)
{
    /// <summary>True only when every gate is met, overridden or not applicable.</summary>
    public bool CanStartDosing => Checks.Count > 0 && Checks.All(c => c.Passes);

    /// <summary>The gates that still block the dose.</summary>
    public IReadOnlyList<PreDoseCheckResult> Outstanding => [.. Checks.Where(c => !c.Passes)];

    public PreDoseCheckResult this[PreDoseGate gate] => Checks.First(c => c.Gate == gate);
}
