namespace KetaClinic.Domain.Sessions;

/// <summary>A check that must be met (or overridden by a physician) before the dose.</summary>
public enum PreDoseGate
{
    Consent,
    Eligibility,
    RemsEnrollment,
    RatingScales,
    VitalsTaken,
    BloodPressure,
    Fasting,
    Companion,
    Pregnancy,
    MedicationReview,
    Weight,
    SafetyAlerts,
}

/// <summary>How a gate stands.</summary>
public enum GateStatus
{
    Met,
    NotMet,

    /// <summary>Not met, but a physician overrode it with a written reason for this session.</summary>
    Overridden,

    /// <summary>Does not apply to this patient or protocol, decided from recorded facts (never from missing ones).</summary>
    NotApplicable,
}

public static class PreDoseGates
{
    /// <summary>Every gate, in checklist order.</summary>
    public static IReadOnlyList<PreDoseGate> All { get; } = Enum.GetValues<PreDoseGate>();

    /// <summary>Stable kebab-case code, e.g. "blood-pressure". Never rename one: stored overrides refer to them.</summary>
    public static string Code(this PreDoseGate gate) => gate switch
    {
        PreDoseGate.Consent => "consent",
        PreDoseGate.Eligibility => "eligibility",
        PreDoseGate.RemsEnrollment => "rems-enrollment",
        PreDoseGate.RatingScales => "rating-scales",
        PreDoseGate.VitalsTaken => "vitals-taken",
        PreDoseGate.BloodPressure => "blood-pressure",
        PreDoseGate.Fasting => "fasting",
        PreDoseGate.Companion => "companion",
        PreDoseGate.Pregnancy => "pregnancy",
        PreDoseGate.MedicationReview => "medication-review",
        PreDoseGate.Weight => "weight",
        PreDoseGate.SafetyAlerts => "safety-alerts",
        _ => throw new ArgumentOutOfRangeException(nameof(gate), gate, "Unknown pre-dose gate."),
    };

    public static PreDoseGate Parse(string code) =>
        All.Cast<PreDoseGate?>().FirstOrDefault(g => string.Equals(g!.Value.Code(), code, StringComparison.Ordinal))
        ?? throw new ArgumentException($"'{code}' is not a pre-dose check (known: {string.Join(", ", All.Select(g => g.Code()))}).", nameof(code));

    public static string Title(this PreDoseGate gate) => gate switch
    {
        PreDoseGate.Consent => "Consent current for the route",
        PreDoseGate.Eligibility => "Eligibility current",
        PreDoseGate.RemsEnrollment => "Enrolled in the esketamine REMS",
        PreDoseGate.RatingScales => "Rating scales done for this visit",
        PreDoseGate.VitalsTaken => "Pre-dose vitals taken",
        PreDoseGate.BloodPressure => "Blood pressure under the hold limit",
        PreDoseGate.Fasting => "Fasting",
        PreDoseGate.Companion => "Companion to drive home",
        PreDoseGate.Pregnancy => "Pregnancy status",
        PreDoseGate.MedicationReview => "Medications since last visit reviewed",
        PreDoseGate.Weight => "Weight current for a weight-based dose",
        PreDoseGate.SafetyAlerts => "Safety alerts acknowledged",
        _ => throw new ArgumentOutOfRangeException(nameof(gate), gate, "Unknown pre-dose gate."),
    };

    public static string Code(this GateStatus status) => status switch
    {
        GateStatus.Met => "met",
        GateStatus.NotMet => "not-met",
        GateStatus.Overridden => "overridden",
        GateStatus.NotApplicable => "not-applicable",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "Unknown gate status."),
    };
}
