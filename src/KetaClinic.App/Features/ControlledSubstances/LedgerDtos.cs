using KetaClinic.Domain.ControlledSubstances;

namespace KetaClinic.App.Features.ControlledSubstances;

/// <summary>An amount as typed: a number and its unit ("mL", "mg" or "devices").</summary>
public sealed record AmountInput(decimal? Value, string? Unit);

/// <summary>A second person's own email and password, checked at the moment of the entry.</summary>
public sealed record WitnessInput(string? Email, string? Password);

public sealed record SupplierInput(string? Name, string? Address, string? DeaNumber);

/// <summary>One line of a delivery: <see cref="Containers"/> identical containers of a product and lot; each gets its own id.</summary>
public sealed record ReceiptLineInput(Guid ProductId, string? Lot, DateOnly? ExpiresOn, int? Containers);

public sealed record ReceiptRequest(
    Guid StorageLocationId, DateOnly? ReceivedOn, SupplierInput? Supplier, string? InvoiceNumber,
    List<ReceiptLineInput>? Lines, WitnessInput? Verifier);

public sealed record TransferRequest(Guid ContainerId, Guid? FromStorageLocationId, Guid ToStorageLocationId, string? Note);

public sealed record DrawRequest(Guid SessionId, Guid ContainerId, AmountInput? Amount, DateTimeOffset? DrawnAt);

/// <summary>
/// Drug from a draw given to the session's patient. <see cref="DosingRecordId"/> links the session's dosing record
/// (the session module's); <see cref="AdministeredBy"/> is a user id and defaults to the signed-in user.
/// </summary>
public sealed record AdministrationRequest(
    Guid SessionId, long DrawSequence, Guid? PatientId, Guid? DosingRecordId, AmountInput? Amount, string? AdministeredBy, DateTimeOffset? AdministeredAt);

/// <summary>What the session module hands to the ledger when a dose is given (the seam between the two).</summary>
public sealed record AdministrationFromSession(
    Guid SessionId, Guid PatientId, long DrawSequence, Guid DosingRecordId, MeasuredAmount Amount, string AdministeredBy, DateTimeOffset AdministeredAt);

/// <summary>Waste from a draw (<see cref="DrawSequence"/>) or straight from a container (<see cref="ContainerId"/>).</summary>
public sealed record WasteRequest(long? DrawSequence, Guid? ContainerId, AmountInput? Amount, string? Manner, WitnessInput? Witness, DateTimeOffset? WastedAt);

public sealed record ReturnRequest(List<Guid>? ContainerIds, SupplierInput? Supplier, DateOnly? ReturnedOn, string? Reference, string? Reason);

public sealed record DestructionRequest(List<Guid>? ContainerIds, DateOnly? DestroyedOn, string? Method, string? Form41Reference, List<WitnessInput>? Witnesses);

/// <summary>A container's part in a loss; no amount means the whole container.</summary>
public sealed record LossLineInput(Guid ContainerId, AmountInput? Amount);

public sealed record LossRequest(string? LossKind, DateOnly? DiscoveredOn, string? Circumstances, List<LossLineInput>? Lines);

public sealed record LossReportRequest(string? Report, DateOnly? FiledOn, string? Reference);

public sealed record CorrectionRequest(long OriginalSequence, string? Reason);

public sealed record CountLineInput(Guid ContainerId, AmountInput? Counted, bool Estimated);

/// <summary>A shift or daily count of one storage place, or an inventory of a registered location.</summary>
public sealed record CountRequest(
    string? CountKind, Guid? ClinicLocationId, Guid? StorageLocationId, DateOnly? CountedOn, string? Timing,
    List<CountLineInput>? Lines, WitnessInput? SecondCounter, string? Signature);

public sealed record ResolveDiscrepancyRequest(long CountSequence, int Index, string? Reason);

public sealed record AcknowledgeLedgerAlertRequest(string? Key, string? Reason);

public sealed record RegistrationRequest(
    Guid LocationId, string? Number, string? RegistrantName, string? RegistrantUserId, List<string>? Schedules, DateOnly? ValidFrom, DateOnly? ExpiresOn);

public sealed record StorageLocationRequest(Guid LocationId, string? Name, string? Kind);

public sealed record ProductRequest(
    string? Drug, string? Form, string? Ndc, decimal? ConcentrationMgPerMl, decimal? VolumeMl, decimal? MassPerDeviceMg, int? DevicesPerContainer, string? DeaDrugCode);

// ---- views ----

public sealed record PersonView(string Id, string Name, string? Email);

public sealed record RegistrationView(
    Guid Id, Guid LocationId, string LocationName, string Number, string RegistrantName, string? RegistrantUserId, IReadOnlyList<string> Schedules,
    DateOnly ValidFrom, DateOnly ExpiresOn, string Status, int DaysUntilExpiry);

public sealed record StorageView(Guid Id, Guid LocationId, string LocationName, string Name, string Kind);

public sealed record ProductView(
    Guid Id, string Drug, string DrugName, string Form, string Ndc, string DeaDrugCode, string Schedule, string Description,
    long MassPerContainerMcg, decimal? ConcentrationMgPerMl, decimal? VolumeMl, decimal? MassPerDeviceMg, int? DevicesPerContainer, string DefaultUnit);

public sealed record ReferenceView(IReadOnlyList<RegistrationView> Registrations, IReadOnlyList<StorageView> StorageLocations, IReadOnlyList<ProductView> Products);

public sealed record LedgerEntryView(
    long Sequence, DateTimeOffset RecordedAt, string RecordedBy, string RecordedByName, string Kind, string Summary,
    long? ReversedBy, Guid? SessionId, Guid? PatientId, string Hash);

public sealed record ContainerStockView(
    Guid Id, string Label, Guid ProductId, string Product, string Lot, DateOnly ExpiresOn, Guid StorageLocationId, string Storage,
    string State, long BalanceMcg, string Balance, long ReceiptSequence);

public sealed record DrawStockView(
    long Sequence, Guid SessionId, Guid ContainerId, string Container, Guid ProductId, string Product, string DrawnBy, string DrawnByName,
    DateTimeOffset DrawnAt, long DrawnMcg, long AdministeredMcg, long WastedMcg, long RemainingMcg, string Drawn, string Remaining);

public sealed record ProductStockView(
    Guid ProductId, string Product, Guid StorageLocationId, string Storage, long OnHandMcg, string OnHand, long InContainersMcg, long InOpenDrawsMcg, int Containers);

public sealed record StockView(
    long LastSequence, IReadOnlyList<ProductStockView> Balances, IReadOnlyList<ContainerStockView> Containers, IReadOnlyList<DrawStockView> OpenDraws);

public sealed record BalanceAtView(Guid ProductId, string Product, Guid? StorageLocationId, DateTimeOffset At, long OnHandMcg, string OnHand);

public sealed record SessionChoice(Guid Id, Guid PatientId, string PatientName, string Mrn, int SequenceNumber, DateTimeOffset ScheduledStart, string Status, string Route);

public sealed record SessionLedgerView(
    SessionChoice Session, IReadOnlyList<DrawStockView> Draws, IReadOnlyList<LedgerEntryView> Entries,
    IReadOnlyList<ContainerStockView> AvailableContainers, bool Balanced);

public sealed record SessionDrawCheck(Guid SessionId, bool Balanced, IReadOnlyList<DrawStockView> OpenDraws, string Message);

public sealed record LedgerAlertView(
    string Key, string Kind, string Severity, string Message, DateOnly? Due, string Action,
    Guid? RegistrationId, long? CountSequence, int? DiscrepancyIndex, long? LossSequence);

public sealed record OpenDrawsView(DateOnly Day, IReadOnlyList<DrawStockView> OpenDraws);

public sealed record LedgerVerification(bool Intact, long EntriesChecked, long? FirstBrokenSequence, string? Problem, IReadOnlyList<string> InvariantViolations);
