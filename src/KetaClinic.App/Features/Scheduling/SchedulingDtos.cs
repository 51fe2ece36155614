namespace KetaClinic.App.Features.Scheduling;

// Times of day are "HH:mm" in the clinic's wall-clock time; weekdays are English names ("monday").

public sealed record WindowInput(string? Day, string? From, string? To);

public sealed record WindowView(string Day, string From, string To);

public sealed record SetOpeningHoursRequest(Guid? LocationId, IReadOnlyList<WindowInput>? Windows);

public sealed record AddClosureRequest(Guid? LocationId, DateOnly? Day, string? Reason);

public sealed record ClosureView(Guid Id, DateOnly Day, string Reason);

public sealed record AddShiftsRequest(Guid? LocationId, string? NurseId, DateOnly? FromDay, DateOnly? UntilDay, IReadOnlyList<string>? Weekdays, string? Start, string? End);

public sealed record ShiftView(Guid Id, string NurseId, string NurseName, DateOnly Day, string Start, string End);

public sealed record CloseChairRequest(Guid? ChairId, DateOnly? Day, string? From, string? To, string? Reason);

public sealed record ChairClosureView(Guid Id, Guid ChairId, string ChairName, DateOnly Day, string From, string To, string Reason);

public sealed record ChairEquipmentRequest(bool? HasInfusionPump, bool? HasMonitor, bool? IsActive);

public sealed record ResourceChairView(Guid Id, string Name, bool HasInfusionPump, bool HasMonitor, bool IsActive);

public sealed record SaveAppointmentTypeRequest(string? Code, string? Name, int? Minutes);

/// <summary>An appointment type; protocol sessions are derived from the protocol library (chair time plus recovery) and read-only.</summary>
public sealed record AppointmentTypeView(string Code, string Name, int Minutes, bool FromProtocol, string Source);

public sealed record NurseView(string Id, string Name);

public sealed record LocationResourcesView(
    Guid Id, string Name, IReadOnlyList<ResourceChairView> Chairs, IReadOnlyList<WindowView> Hours, IReadOnlyList<ClosureView> Closures,
    IReadOnlyList<ChairClosureView> ChairClosures, IReadOnlyList<ShiftView> Shifts);

public sealed record ResourcesView(
    IReadOnlyList<LocationResourcesView> Locations, IReadOnlyList<AppointmentTypeView> AppointmentTypes, IReadOnlyList<NurseView> Nurses,
    int ChairsPerNurse, string ChairsPerNurseSource);

public sealed record MovedSessionView(Guid SessionId, Guid PatientId, string PatientName, string From, string To);

public sealed record NotRefittedView(Guid SessionId, Guid PatientId, string PatientName, string Was, string Reason);

/// <summary>What a re-plan did; kept in replan_reports.</summary>
public sealed record ReplanReportView(Guid Id, DateTimeOffset CreatedAt, string Cause, IReadOnlyList<MovedSessionView> Moved, IReadOnlyList<NotRefittedView> NotRefitted);

public sealed record ProposeSeriesRequest(
    string? PhaseId, DateOnly? EarliestDay, DateOnly? LatestDay, IReadOnlyList<WindowInput>? Availability, IReadOnlyList<DateOnly>? UnavailableDates);

public sealed record ProposedSessionView(int Number, DateOnly Day, string Start, string End, Guid ChairId, string ChairName, DateTimeOffset StartsAt, DateTimeOffset EndsAt);

public sealed record SeriesProposalView(
    Guid PlanId, string PhaseId, string PhaseName, bool Found, string? FailedConstraint, string Explanation, IReadOnlyList<ProposedSessionView> Sessions);

public sealed record ConfirmSessionInput(int Number, Guid ChairId, DateTimeOffset StartsAt, DateTimeOffset EndsAt);

public sealed record ConfirmSeriesRequest(string? PhaseId, IReadOnlyList<ConfirmSessionInput>? Sessions);

public sealed record BookedSessionView(Guid Id, int SequenceNumber, Guid? ChairId, string ChairName, DateTimeOffset StartsAt, DateTimeOffset EndsAt, string Status);

public sealed record BookedSeriesView(Guid PlanId, string PhaseId, IReadOnlyList<BookedSessionView> Sessions, int RemindersQueued);

public sealed record BoardSessionView(
    Guid Id, Guid PatientId, string PatientName, string Mrn, int SequenceNumber, string ProtocolCode, DateTimeOffset StartsAt, DateTimeOffset EndsAt,
    string Start, string End, string Status, Guid? ChairId, string? CancelReason);

public sealed record BoardChairView(Guid Id, string Name, bool HasInfusionPump, IReadOnlyList<BoardSessionView> Sessions, IReadOnlyList<ChairClosureView> Closures);

public sealed record BoardDayView(
    DateOnly Day, bool Closed, IReadOnlyList<WindowView> Hours, IReadOnlyList<BoardChairView> Chairs, IReadOnlyList<BoardSessionView> Unassigned,
    IReadOnlyList<BoardSessionView> CancelledOrMissed, IReadOnlyList<ShiftView> Shifts);

public sealed record BoardView(Guid LocationId, string LocationName, IReadOnlyList<BoardDayView> Days);

public sealed record SessionReasonRequest(string? Reason);

public sealed record RescheduleRequest(Guid? ChairId, DateTimeOffset? StartsAt);

public sealed record CalendarFeedView(string Url, string OwnerKind, DateTimeOffset CreatedAt);

public sealed record ReminderView(Guid Id, Guid SessionId, string Channel, string Recipient, string Body, DateTimeOffset DueAt, string Status);

public sealed record WaitlistRequest(string? Note);

public sealed record WaitlistEntryView(Guid Id, Guid PatientId, string PatientName, Guid PlanId, string? Note, DateTimeOffset CreatedAt, string Status, string? OfferedSlot);
