using KetaClinic.Domain.Common;

namespace KetaClinic.Domain.ControlledSubstances;

/// <summary>A request to add one entry to the ledger; the decision turns it into an entry or refuses it.</summary>
public abstract record LedgerCommand
{
    private protected LedgerCommand()
    {
    }
}

/// <summary>A container on a receipt; the app gives each received container its id.</summary>
public sealed record ReceiptLine(Guid ContainerId, Guid ProductId, string Lot, DateOnly ExpiresOn);

public sealed record RecordReceipt(
    Guid StorageLocationId, DateOnly ReceivedOn, Supplier Supplier, string InvoiceNumber,
    IReadOnlyList<ReceiptLine> Containers, string ReceivedBy, string VerifiedBy) : LedgerCommand;

public sealed record RecordTransfer(Guid ContainerId, Guid FromStorageLocationId, Guid ToStorageLocationId, string MovedBy, string? Note) : LedgerCommand;

public sealed record RecordDraw(Guid ContainerId, MeasuredAmount Amount, Guid SessionId, string DrawnBy, DateTimeOffset DrawnAt) : LedgerCommand;

public sealed record RecordAdministration(
    long DrawSequence, Guid SessionId, Guid DosingRecordId, Guid PatientId, MeasuredAmount Amount,
    string AdministeredBy, DateTimeOffset AdministeredAt) : LedgerCommand;

/// <summary>Waste from a draw (<paramref name="DrawSequence"/>) or from a container (<paramref name="ContainerId"/>): exactly one.</summary>
public sealed record RecordWaste(
    long? DrawSequence, Guid? ContainerId, MeasuredAmount Amount, string Manner, string WastedBy,
    WitnessAttestation? Witness, DateTimeOffset WastedAt) : LedgerCommand;

public sealed record RecordReturnToSupplier(
    IReadOnlyList<Guid> ContainerIds, Supplier Supplier, DateOnly ReturnedOn, string Reference, string ReturnedBy, string? Reason) : LedgerCommand;

public sealed record RecordDestruction(
    IReadOnlyList<Guid> ContainerIds, DateOnly DestroyedOn, string Method, string Form41Reference, string DestroyedBy,
    IReadOnlyList<WitnessAttestation> Witnesses) : LedgerCommand;

/// <summary>One container's part in a loss; a null amount means the whole container (and what it holds) is gone.</summary>
public sealed record LossLine(Guid ContainerId, MeasuredAmount? Amount);

public sealed record RecordLossOrTheft(LossKind LossKind, DateOnly DiscoveredOn, string Circumstances, IReadOnlyList<LossLine> Lines, string ReportedBy) : LedgerCommand;

public sealed record RecordLossReportFiled(long LossSequence, LossReportKind Report, DateOnly FiledOn, string Reference, string FiledBy) : LedgerCommand;

/// <summary>
/// Reverses an entry. A correction cannot itself be corrected (record the original again instead), an entry is
/// reversed at most once, and counts are not reversed (a miscount is explained by resolving its discrepancy).
/// </summary>
public sealed record RecordCorrection(long OriginalSequence, string Reason, string CorrectedBy) : LedgerCommand;

/// <summary>A container as counted. <paramref name="Estimated"/> only for an opened container, where the rules allow it.</summary>
public sealed record CountEntry(Guid ContainerId, MeasuredAmount Counted, bool Estimated);

/// <summary>
/// A shift or daily count of one storage place, or an inventory (initial, biennial, annual) of a whole registered
/// location with its timing and signature.
/// </summary>
public sealed record RecordCount(
    CountKind CountKind, Guid ClinicLocationId, Guid? StorageLocationId, DateOnly CountedOn, InventoryTiming? Timing,
    IReadOnlyList<CountEntry> Lines, IReadOnlyList<string> CountedBy, string? Signature) : LedgerCommand;

public sealed record RecordDiscrepancyResolution(DiscrepancyRef Discrepancy, string Reason, string ResolvedBy) : LedgerCommand;

/// <summary>The outcome of a decision: the entry to store, or the reasons it was refused (each naming a field).</summary>
public sealed record LedgerDecision(LedgerEntry? Entry, IReadOnlyList<FieldError> Errors)
{
    public bool Accepted => Entry is not null;

    internal static LedgerDecision Refused(IReadOnlyList<FieldError> errors) => new(null, errors);
}
