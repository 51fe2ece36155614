namespace KetaClinic.App.Features.Plans;

/// <summary>A new plan: for an existing course without a plan, or a new course at a location.</summary>
public sealed record CreatePlanRequest(string? ProtocolId, Guid? CourseId, Guid? LocationId, decimal? StartingDose, string? Reason);

/// <summary>A physician-ordered dose change (a titration), in the protocol's dose unit.</summary>
public sealed record OrderDoseRequest(decimal? Dose, string? Reason);

public sealed record DoseLimitsView(
    string Basis, string Unit, decimal Default, decimal Minimum, decimal Maximum, decimal HardMaximum, decimal TitrationStep, decimal AbsoluteMaximumMg,
    string DefaultSource, string RangeSource, string HardMaximumSource, string TitrationStepSource);

public sealed record DoseOrderView(int Version, decimal Value, string Unit, string Text, DateTimeOffset OrderedAt, string OrderedByName, string Reason);

public sealed record HardStopView(string Kind, string Field, string Message);

/// <summary>The dose the next session would give from the current order and the latest weight, or the hard stops.</summary>
public sealed record DoseCalculationView(
    bool Allowed, decimal? DoseMg, int? DeviceCount, decimal? WeightKg, DateTimeOffset? WeightMeasuredAt, string Trace, IReadOnlyList<HardStopView> HardStops);

public sealed record PlanSessionView(Guid Id, int SequenceNumber, DateTimeOffset StartsAt, string Status, string? PhaseId, string? ChairName);

public sealed record PhaseView(string Id, string Name, string Kind, int? Sessions, string Rules);

public sealed record PlanView(
    Guid Id, Guid CourseId, Guid PatientId, Guid LocationId, string ProtocolId, string ProtocolName, string ProtocolVersion, string Route,
    string PhaseId, string PhaseName, int PlannedSessions, int? IntervalDays, string Status, DateTimeOffset CreatedAt, string CreatedByName,
    DoseLimitsView Limits, DoseOrderView CurrentOrder, IReadOnlyList<DoseOrderView> Orders, DoseCalculationView NextDose,
    IReadOnlyList<PhaseView> Phases, IReadOnlyList<PlanSessionView> Sessions, IReadOnlyList<PlanDecisionView> Decisions);

public sealed record CourseChoiceView(Guid CourseId, string Route, string ProtocolCode, string Status, DateTimeOffset CreatedAt);

public sealed record ReadinessGapView(string Code, string Message);

/// <summary>A patient's plans, courses still without a plan, and what keeps each route from starting.</summary>
public sealed record PatientPlansView(
    Guid PatientId, string PatientName, IReadOnlyList<PlanView> Plans, IReadOnlyList<CourseChoiceView> CoursesWithoutPlan,
    IReadOnlyDictionary<string, IReadOnlyList<ReadinessGapView>> ReadinessByRoute);

public sealed record ProposalReasonView(string Code, string Message);

/// <summary>The response-guided proposal for the plan's next step (nothing changes until a physician decides).</summary>
public sealed record PhaseProposalView(
    Guid PlanId, string Kind, string PhaseId, string PhaseName, int? IntervalDays, bool NeedsPhysicianReview, string OutcomeStatus,
    IReadOnlyList<ProposalReasonView> Reasons);

/// <summary>Accept the proposal as it is, or edit it: another phase or interval, with a reason.</summary>
public sealed record DecideProposalRequest(bool? Accept, string? PhaseId, int? IntervalDays, string? Reason);

public sealed record PlanDecisionView(
    DateTimeOffset DecidedAt, string DecidedByName, string ProposalKind, string ProposedPhaseId, int? ProposedIntervalDays, string ChosenPhaseId,
    int? ChosenIntervalDays, bool Edited, string? Reason);

public sealed record ProtocolSettingView(string Name, string Value, string Source);

public sealed record ProtocolView(string Id, string Version, string Name, string Drug, string Route, string Source, IReadOnlyList<ProtocolSettingView> Settings, IReadOnlyList<PhaseView> Phases);
