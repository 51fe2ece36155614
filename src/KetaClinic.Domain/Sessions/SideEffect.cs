namespace KetaClinic.Domain.Sessions;

public enum SideEffectKind
{
    Nausea,
    Vomiting,
    Dissociation,
    Dizziness,
    Headache,
    AnxietyOrAgitation,
    BloodPressureElevation,
    Sedation,
    AllergicReaction,
    Other,
}

public enum SideEffectSeverity
{
    Mild,
    Moderate,
    Severe,
}

/// <summary>A side effect as the nurse enters it.</summary>
/// <param name="Cadss6Score">Dissociation only: the CADSS-6 total when it was rated.</param>
/// <param name="ActionTaken">What was done; required unless the effect is mild.</param>
/// <param name="MedicationGiven">Any medication given for it, in words (e.g. "ondansetron 4 mg IV").</param>
/// <param name="SeriousAdverseEvent">Flagged for reporting (and for the REMS form).</param>
public sealed record SideEffectEntry(
    SideEffectKind Kind,
    SideEffectSeverity Severity,
    DateTimeOffset ObservedAt,
    string? Description,
    int? Cadss6Score,
    string? ActionTaken,
    string? MedicationGiven,
    bool SeriousAdverseEvent);

/// <summary>A side effect recorded on the session, numbered within it.</summary>
public sealed record SideEffect(int Number, SideEffectEntry Entry, SessionActor RecordedBy, DateTimeOffset RecordedAt)
{
    public static string Code(SideEffectKind kind) => kind switch
    {
        SideEffectKind.Nausea => "nausea",
        SideEffectKind.Vomiting => "vomiting",
        SideEffectKind.Dissociation => "dissociation",
        SideEffectKind.Dizziness => "dizziness",
        SideEffectKind.Headache => "headache",
        SideEffectKind.AnxietyOrAgitation => "anxiety-agitation",
        SideEffectKind.BloodPressureElevation => "blood-pressure-elevation",
        SideEffectKind.Sedation => "sedation",
        SideEffectKind.AllergicReaction => "allergic-reaction",
        SideEffectKind.Other => "other",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown side effect."),
    };
}
