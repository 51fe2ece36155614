using KetaClinic.Domain.Evaluation;
using KetaClinic.Domain.Protocols;
using KetaClinic.Domain.Sessions;

namespace KetaClinic.App.Features.Sessions;

/// <summary>Stored command kinds of session_events; never rename one, stored sessions refer to them.</summary>
public static class SessionEventKinds
{
    public const string CheckIn = "check-in";
    public const string ChairFacts = "chair-facts";
    public const string OverrideGate = "override-gate";
    public const string PassChecks = "pass-checks";
    public const string StartDosing = "start-dosing";
    public const string CompleteDosing = "complete-dosing";
    public const string Vitals = "vitals";
    public const string AcknowledgeAlert = "acknowledge-alert";
    public const string BeginRecovery = "begin-recovery";
    public const string DischargeAssessment = "discharge-assessment";
    public const string Discharge = "discharge";
    public const string StopEarly = "stop-early";
    public const string SideEffect = "side-effect";
    public const string Escalate = "escalate";
    public const string RaiseOverdue = "raise-overdue";
    public const string Cancel = "cancel";
    public const string NoShow = "no-show";
    public const string DischargeOverride = "discharge-override";

    /// <summary>REMS form fields a clinician completed (not a workflow step: replay skips it).</summary>
    public const string RemsFields = "rems-fields";

    /// <summary>The REMS form marked as sent (not a workflow step: replay skips it).</summary>
    public const string RemsSubmitted = "rems-submitted";
}

/// <summary>What the nurse records at the chair for the pre-dose checks (each field null = not recorded now).</summary>
public sealed record ChairFacts(
    DateTimeOffset? LastFoodAt,
    DateTimeOffset? LastDrinkAt,
    string? CompanionName,
    string? CompanionPhone,
    bool? CanBecomePregnant,
    PregnancyTestResult? PregnancyResult,
    DateTimeOffset? PregnancyTestedAt,
    IReadOnlyList<CurrentMedication>? Medications,
    bool MedicationsReviewed)
{
    /// <summary>Who marked the medication list reviewed (set from the stored event, not from input).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public SessionActor? ReviewedBy { get; init; }

    [System.Text.Json.Serialization.JsonIgnore]
    public DateTimeOffset? ReviewedAt { get; init; }
}

/// <summary>A physician's discharge with criteria unmet: the reason (the unmet criteria are re-derived on replay and recorded by the domain).</summary>
public sealed record DischargeOverridePayload(string Reason);

public sealed record GateOverridePayload(PreDoseGate Gate, string Reason, PreDoseFacts Facts);

public sealed record PassChecksPayload(PreDoseFacts Facts);

/// <summary>A dosing record as stored: the calculation's inputs (recalculated on replay) and what the nurse recorded.</summary>
public sealed record DosingPayload(
    Guid DosingRecordId,
    DoseAmount Ordered,
    RecordedWeight? Weight,
    int SessionNumberInCourse,
    DateTimeOffset CalculatedAt,
    decimal GivenDoseMg,
    string? DoseDifferenceReason,
    string? Site,
    DateTimeOffset StartedAt,
    DateTimeOffset EndedAt,
    string? DurationDifferenceReason,
    decimal? InfusionVolumeMl,
    IReadOnlyList<DateTimeOffset>? DeviceTimes,
    DrugProduct Product,
    SessionActor PreparedBy,
    SessionActor AdministeredBy,
    CalculationCheck? SecondCheck,
    long? LedgerDrawSequence,
    long? LedgerEntrySequence);

public sealed record VitalsPayload(IReadOnlyList<Guid> VitalIds);

public sealed record AcknowledgePayload(int AlertNumber, string Action);

public sealed record AssessmentPayload(
    bool? AlertAndOriented,
    bool? WalksSteadily,
    bool? NauseaOrVomitingNeedingTreatment,
    bool? DissociationResolved,
    string? CompanionPresentName,
    bool? NoDrivingUntilNextDayAcknowledged,
    bool? ClinicianJudgesStable,
    DateTimeOffset? ReadyToLeaveWithoutTwoHourRuleAt);

public sealed record StopPayload(string Reason, string FollowUp);

public sealed record ReasonPayload(string Reason);

public sealed record EmptyPayload;
