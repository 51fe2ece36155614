using KetaClinic.Domain.Evaluation;
using KetaClinic.Domain.Sessions;

namespace KetaClinic.App.Features.Sessions;

public sealed record TransitionView(string? From, string To, string By, string Role, DateTimeOffset At, string? Reason);

public sealed record CheckView(string Gate, string Title, string Status, string Sentence, string Source, string? OverriddenBy, string? OverrideReason);

public sealed record DoseView(
    string Calculated, string Trace, bool Allowed, IReadOnlyList<string> HardStops, decimal? DoseMg, int? DeviceCount, string? WeightUsed);

public sealed record DosingView(
    Guid Id, decimal CalculatedMg, decimal GivenMg, string? DifferenceReason, string Route, string? Site, DateTimeOffset StartedAt,
    DateTimeOffset EndedAt, decimal? InfusionVolumeMl, decimal? RateMlPerHour, int? DeviceCount, string Product, string Lot,
    string PreparedBy, string AdministeredBy, string? SecondCheckBy, long? LedgerEntrySequence);

public sealed record VitalTileView(string Kind, string Value, DateTimeOffset ObservedAt, string Trend);

public sealed record VitalReadingView(string Kind, decimal Value, string Unit, DateTimeOffset ObservedAt, string Device);

public sealed record AlertView(
    int Number, string Kind, string Severity, string Message, string Source, DateTimeOffset RaisedAt, string Level,
    string? AcknowledgedBy, DateTimeOffset? AcknowledgedAt, string? Action)
{
    public bool IsOpen => AcknowledgedAt is null;

    /// <summary>Who an unacknowledged alert has climbed to, in words; null while it is with the chair nurse.</summary>
    public string? EscalatedTo => Level switch
    {
        "second-level" => "escalated to the second level",
        "physician" => "escalated to physician",
        _ => null,
    };
}

public sealed record SideEffectView(
    int Number, string Kind, string Severity, DateTimeOffset ObservedAt, string? Description, int? Cadss6Score, string? ActionTaken,
    string? MedicationGiven, bool SeriousAdverseEvent, string RecordedBy);

public sealed record CriterionView(string Code, string Status, string Sentence, string Source);

public sealed record DueView(string Code, string Label, DateTimeOffset DueAt, string Status);

public sealed record SessionView(
    Guid Id,
    Guid PatientId,
    string PatientName,
    string Mrn,
    string ProtocolId,
    string ProtocolName,
    string Route,
    string? ChairName,
    string State,
    string StateWords,
    DateTimeOffset ScheduledStart,
    IReadOnlyList<TransitionView> History,
    IReadOnlyList<CheckView> Checks,
    bool CanStartDosing,
    DoseView? Dose,
    DosingView? Dosing,
    IReadOnlyList<VitalTileView> LatestVitals,
    IReadOnlyList<VitalReadingView> Vitals,
    IReadOnlyList<AlertView> Alerts,
    IReadOnlyList<SideEffectView> SideEffects,
    IReadOnlyList<CriterionView> Discharge,
    bool CanDischarge,
    DueView? NextCheck,
    IReadOnlyList<DueView> Overdue,
    ChairFacts Facts,
    string? StopReason,
    DischargeOverrideView? DischargeOverride = null);

public sealed record ChairRowView(
    string Chair, Guid SessionId, string Patient, string Protocol, string Phase, int MinutesInPhase, int? MinutesSinceDose,
    IReadOnlyList<VitalTileView> LatestVitals, IReadOnlyList<AlertView> OpenAlerts, DueView? NextCheck, IReadOnlyList<DueView> Overdue,
    bool? ReadyForDischarge, IReadOnlyList<string> DischargeMissing);

public sealed record SessionListItem(Guid Id, Guid PatientId, string PatientName, string? ChairName, DateTimeOffset ScheduledStart, string Status);

public sealed record ChairFactsRequest(
    DateTimeOffset? LastFoodAt,
    DateTimeOffset? LastDrinkAt,
    string? CompanionName,
    string? CompanionPhone,
    bool? CanBecomePregnant,
    string? PregnancyResult,
    DateTimeOffset? PregnancyTestedAt,
    List<string>? Medications,
    bool MedicationsReviewed);

public sealed record OverrideRequest(string? Gate, string? Reason);

public sealed record DosingRequest(
    decimal? GivenDoseMg,
    string? DoseDifferenceReason,
    string? Site,
    DateTimeOffset? StartedAt,
    DateTimeOffset? EndedAt,
    string? DurationDifferenceReason,
    decimal? InfusionVolumeMl,
    List<DateTimeOffset>? DeviceTimes,
    Guid? ProductId,
    string? Lot,
    string? PreparedByUserId,
    string? SecondCheckUserId,
    DateTimeOffset? SecondCheckAt,
    long? LedgerDrawSequence);

public sealed record AcknowledgeAlertRequest(string? Action);

public sealed record DischargeOverrideRequest(string? Reason);

/// <summary>A discharge with criteria unmet: who, when, why, and the criteria that were unmet.</summary>
public sealed record DischargeOverrideView(string By, DateTimeOffset At, string Reason, IReadOnlyList<string> UnmetCriteria);

public sealed record StopRequest(string? Reason, string? FollowUp);

public sealed record SideEffectRequest(
    string? Kind, string? Severity, DateTimeOffset? ObservedAt, string? Description, int? Cadss6Score, string? ActionTaken,
    string? MedicationGiven, bool SeriousAdverseEvent);

internal static class SessionViews
{
    public static string Code(this SideEffectKind kind) => SideEffect.Code(kind);

    public static IReadOnlyList<CurrentMedication> Medications(IEnumerable<string>? names) =>
        [.. (names ?? []).Where(n => !string.IsNullOrWhiteSpace(n)).Select(n => new CurrentMedication(n.Trim(), null))];
}
