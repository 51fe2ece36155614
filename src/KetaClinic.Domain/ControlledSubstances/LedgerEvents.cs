using System.Text.Json.Serialization;

namespace KetaClinic.Domain.ControlledSubstances;

/// <summary>
/// One stored line of the controlled-substance ledger. Entries are only ever appended: a mistake is undone by
/// a <see cref="Correction"/> that reverses it. Each entry's hash covers its content and the previous hash.
/// </summary>
public sealed record LedgerEntry(long Sequence, DateTimeOffset RecordedAt, string RecordedBy, LedgerEvent Event, string PreviousHash, string Hash)
{
    public string Kind => Event.Kind;
}

/// <summary>What happened, as one ledger entry records it. The set of kinds is closed.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "kind")]
[JsonDerivedType(typeof(Receipt), Receipt.KindName)]
[JsonDerivedType(typeof(Transfer), Transfer.KindName)]
[JsonDerivedType(typeof(Draw), Draw.KindName)]
[JsonDerivedType(typeof(Administration), Administration.KindName)]
[JsonDerivedType(typeof(Waste), Waste.KindName)]
[JsonDerivedType(typeof(ReturnToSupplier), ReturnToSupplier.KindName)]
[JsonDerivedType(typeof(Destruction), Destruction.KindName)]
[JsonDerivedType(typeof(LossOrTheft), LossOrTheft.KindName)]
[JsonDerivedType(typeof(LossReportFiled), LossReportFiled.KindName)]
[JsonDerivedType(typeof(Correction), Correction.KindName)]
[JsonDerivedType(typeof(StockCount), StockCount.KindName)]
[JsonDerivedType(typeof(DiscrepancyResolution), DiscrepancyResolution.KindName)]
public abstract record LedgerEvent
{
    private protected LedgerEvent()
    {
    }

    /// <summary>The kind's name as stored (the JSON discriminator and part of the hashed text).</summary>
    [JsonIgnore]
    public string Kind => EventKind;

    private protected abstract string EventKind { get; }

    internal abstract void WriteCanonical(CanonicalWriter writer);
}

/// <summary>A person's sign-in, made for this entry, as proof they were there to witness it.</summary>
public sealed record WitnessAttestation(string UserId, DateTimeOffset AuthenticatedAt);

public sealed record ReceivedContainer(Guid ContainerId, Guid ProductId, string Lot, DateOnly ExpiresOn, MassMcg Contents);

/// <summary>Containers received from a supplier into a storage place; received and verified by two people.</summary>
public sealed record Receipt(
    Guid StorageLocationId, DateOnly ReceivedOn, Supplier Supplier, string InvoiceNumber,
    IReadOnlyList<ReceivedContainer> Containers, string ReceivedBy, string VerifiedBy) : LedgerEvent
{
    public const string KindName = "receipt";

    private protected override string EventKind => KindName;

    internal override void WriteCanonical(CanonicalWriter writer)
    {
        writer.Guid("storageLocationId", StorageLocationId);
        writer.Date("receivedOn", ReceivedOn);
        writer.Supplier("supplier", Supplier);
        writer.Text("invoiceNumber", InvoiceNumber);
        writer.Count("containers", Containers.Count);
        foreach (var c in Containers)
        {
            writer.Guid("containerId", c.ContainerId);
            writer.Guid("productId", c.ProductId);
            writer.Text("lot", c.Lot);
            writer.Date("expiresOn", c.ExpiresOn);
            writer.Mass("contents", c.Contents);
        }
        writer.Text("receivedBy", ReceivedBy);
        writer.Text("verifiedBy", VerifiedBy);
    }
}

/// <summary>A whole container moved from one storage place to another under the same registration.</summary>
public sealed record Transfer(Guid ContainerId, Guid FromStorageLocationId, Guid ToStorageLocationId, MassMcg Moved, string MovedBy, string? Note) : LedgerEvent
{
    public const string KindName = "transfer";

    private protected override string EventKind => KindName;

    internal override void WriteCanonical(CanonicalWriter writer)
    {
        writer.Guid("containerId", ContainerId);
        writer.Guid("fromStorageLocationId", FromStorageLocationId);
        writer.Guid("toStorageLocationId", ToStorageLocationId);
        writer.Mass("moved", Moved);
        writer.Text("movedBy", MovedBy);
        writer.Text("note", Note);
    }
}

/// <summary>Drug drawn from a container for a session; it is then administered and/or wasted.</summary>
public sealed record Draw(Guid ContainerId, MeasuredAmount Measured, MassMcg Mass, Guid SessionId, string DrawnBy, DateTimeOffset DrawnAt) : LedgerEvent
{
    public const string KindName = "draw";

    private protected override string EventKind => KindName;

    internal override void WriteCanonical(CanonicalWriter writer)
    {
        writer.Guid("containerId", ContainerId);
        writer.Measured("measured", Measured);
        writer.Mass("mass", Mass);
        writer.Guid("sessionId", SessionId);
        writer.Text("drawnBy", DrawnBy);
        writer.Instant("drawnAt", DrawnAt);
    }
}

/// <summary>Drug from a draw given to a patient, linked to the session's dosing record.</summary>
public sealed record Administration(
    long DrawSequence, Guid SessionId, Guid DosingRecordId, Guid PatientId, MeasuredAmount Measured, MassMcg Mass,
    string AdministeredBy, DateTimeOffset AdministeredAt) : LedgerEvent
{
    public const string KindName = "administration";

    private protected override string EventKind => KindName;

    internal override void WriteCanonical(CanonicalWriter writer)
    {
        writer.Number("drawSequence", DrawSequence);
        writer.Guid("sessionId", SessionId);
        writer.Guid("dosingRecordId", DosingRecordId);
        writer.Guid("patientId", PatientId);
        writer.Measured("measured", Measured);
        writer.Mass("mass", Mass);
        writer.Text("administeredBy", AdministeredBy);
        writer.Instant("administeredAt", AdministeredAt);
    }
}

/// <summary>
/// Routine waste: what is left in a syringe after administration (<see cref="DrawSequence"/>) or in a
/// container (<see cref="ContainerId"/>). Recorded, not reported on Form 41 (REFERENCE.md §8).
/// </summary>
public sealed record Waste(long? DrawSequence, Guid? ContainerId, MeasuredAmount Measured, MassMcg Mass, string Manner, string WastedBy, WitnessAttestation? Witness, DateTimeOffset WastedAt) : LedgerEvent
{
    public const string KindName = "waste";

    private protected override string EventKind => KindName;

    internal override void WriteCanonical(CanonicalWriter writer)
    {
        writer.Number("drawSequence", DrawSequence);
        writer.Guid("containerId", ContainerId);
        writer.Measured("measured", Measured);
        writer.Mass("mass", Mass);
        writer.Text("manner", Manner);
        writer.Text("wastedBy", WastedBy);
        writer.Witness("witness", Witness);
        writer.Instant("wastedAt", WastedAt);
    }
}

/// <summary>A container and the mass that left the ledger with it.</summary>
public sealed record ContainerAmount(Guid ContainerId, MassMcg Mass);

/// <summary>Whole containers sent back to a supplier (or reverse distributor).</summary>
public sealed record ReturnToSupplier(Supplier Supplier, DateOnly ReturnedOn, string Reference, IReadOnlyList<ContainerAmount> Containers, string ReturnedBy, string? Reason) : LedgerEvent
{
    public const string KindName = "return-to-supplier";

    private protected override string EventKind => KindName;

    internal override void WriteCanonical(CanonicalWriter writer)
    {
        writer.Supplier("supplier", Supplier);
        writer.Date("returnedOn", ReturnedOn);
        writer.Text("reference", Reference);
        writer.ContainerAmounts("containers", Containers);
        writer.Text("returnedBy", ReturnedBy);
        writer.Text("reason", Reason);
    }
}

/// <summary>Destruction of stock on DEA Form 41, witnessed by two authorised people.</summary>
public sealed record Destruction(DateOnly DestroyedOn, string Method, string Form41Reference, IReadOnlyList<ContainerAmount> Containers, string DestroyedBy, IReadOnlyList<WitnessAttestation> Witnesses) : LedgerEvent
{
    public const string KindName = "destruction";

    private protected override string EventKind => KindName;

    internal override void WriteCanonical(CanonicalWriter writer)
    {
        writer.Date("destroyedOn", DestroyedOn);
        writer.Text("method", Method);
        writer.Text("form41Reference", Form41Reference);
        writer.ContainerAmounts("containers", Containers);
        writer.Text("destroyedBy", DestroyedBy);
        writer.Count("witnesses", Witnesses.Count);
        foreach (var w in Witnesses)
        {
            writer.Witness("witness", w);
        }
    }
}

[JsonConverter(typeof(JsonStringEnumConverter<LossKind>))]
public enum LossKind
{
    Theft,
    SignificantLoss,
    LossInTransit,
}

/// <summary>A container's share of a loss; <see cref="WholeContainer"/> when the container itself is gone.</summary>
public sealed record LostAmount(Guid ContainerId, MassMcg Mass, bool WholeContainer);

/// <summary>A theft or significant loss, from the day it was discovered.</summary>
public sealed record LossOrTheft(LossKind LossKind, DateOnly DiscoveredOn, string Circumstances, IReadOnlyList<LostAmount> Lines, string ReportedBy) : LedgerEvent
{
    public const string KindName = "loss-or-theft";

    private protected override string EventKind => KindName;

    internal override void WriteCanonical(CanonicalWriter writer)
    {
        writer.Text("lossKind", LossKind.ToString());
        writer.Date("discoveredOn", DiscoveredOn);
        writer.Text("circumstances", Circumstances);
        writer.Count("lines", Lines.Count);
        foreach (var l in Lines)
        {
            writer.Guid("containerId", l.ContainerId);
            writer.Mass("mass", l.Mass);
            writer.Flag("wholeContainer", l.WholeContainer);
        }
        writer.Text("reportedBy", ReportedBy);
    }
}

[JsonConverter(typeof(JsonStringEnumConverter<LossReportKind>))]
public enum LossReportKind
{
    WrittenNotice,
    Form106,
}

/// <summary>A report about a loss was sent: the written notice to the field office or DEA Form 106.</summary>
public sealed record LossReportFiled(long LossSequence, LossReportKind Report, DateOnly FiledOn, string Reference, string FiledBy) : LedgerEvent
{
    public const string KindName = "loss-report-filed";

    private protected override string EventKind => KindName;

    internal override void WriteCanonical(CanonicalWriter writer)
    {
        writer.Number("lossSequence", LossSequence);
        writer.Text("report", Report.ToString());
        writer.Date("filedOn", FiledOn);
        writer.Text("reference", Reference);
        writer.Text("filedBy", FiledBy);
    }
}

/// <summary>Reverses an earlier entry, which stays in the ledger; the reason is part of the record.</summary>
public sealed record Correction(long OriginalSequence, string Reason, string CorrectedBy) : LedgerEvent
{
    public const string KindName = "correction";

    private protected override string EventKind => KindName;

    internal override void WriteCanonical(CanonicalWriter writer)
    {
        writer.Number("originalSequence", OriginalSequence);
        writer.Text("reason", Reason);
        writer.Text("correctedBy", CorrectedBy);
    }
}

[JsonConverter(typeof(JsonStringEnumConverter<CountKind>))]
public enum CountKind
{
    Shift,
    Daily,

    /// <summary>The inventory taken when the registrant first handles controlled substances.</summary>
    Initial,

    /// <summary>The federal inventory, at least every two years.</summary>
    Biennial,

    /// <summary>A yearly inventory some states require.</summary>
    Annual,
}

[JsonConverter(typeof(JsonStringEnumConverter<InventoryTiming>))]
public enum InventoryTiming
{
    OpeningOfBusiness,
    CloseOfBusiness,
}

/// <summary>One container as counted; <see cref="Estimated"/> for an opened container's estimated contents.</summary>
public sealed record CountLine(Guid ContainerId, MeasuredAmount Counted, MassMcg CountedMass, bool Estimated);

/// <summary>A difference between the ledger's balance and what was counted; open until resolved.</summary>
public sealed record Discrepancy(Guid ContainerId, Guid ProductId, MassMcg Expected, MassMcg Counted, bool Estimated)
{
    public MassMcg Difference => Counted - Expected;
}

/// <summary>
/// A count (shift or daily) of a storage place, or an inventory (initial, biennial, annual) of a whole
/// registered location; carries the discrepancies found against the ledger at that moment.
/// </summary>
public sealed record StockCount(
    CountKind CountKind, Guid ClinicLocationId, Guid? StorageLocationId, DateOnly CountedOn, InventoryTiming? Timing,
    IReadOnlyList<CountLine> Lines, IReadOnlyList<string> CountedBy, string? Signature, IReadOnlyList<Discrepancy> Discrepancies) : LedgerEvent
{
    public const string KindName = "stock-count";

    private protected override string EventKind => KindName;

    [JsonIgnore]
    public bool IsInventory => CountKind is CountKind.Initial or CountKind.Biennial or CountKind.Annual;

    internal override void WriteCanonical(CanonicalWriter writer)
    {
        writer.Text("countKind", CountKind.ToString());
        writer.Guid("clinicLocationId", ClinicLocationId);
        writer.Guid("storageLocationId", StorageLocationId);
        writer.Date("countedOn", CountedOn);
        writer.Text("timing", Timing?.ToString());
        writer.Count("lines", Lines.Count);
        foreach (var l in Lines)
        {
            writer.Guid("containerId", l.ContainerId);
            writer.Measured("counted", l.Counted);
            writer.Mass("countedMass", l.CountedMass);
            writer.Flag("estimated", l.Estimated);
        }
        writer.Count("countedBy", CountedBy.Count);
        foreach (var person in CountedBy)
        {
            writer.Text("person", person);
        }
        writer.Text("signature", Signature);
        writer.Count("discrepancies", Discrepancies.Count);
        foreach (var d in Discrepancies)
        {
            writer.Guid("containerId", d.ContainerId);
            writer.Guid("productId", d.ProductId);
            writer.Mass("expected", d.Expected);
            writer.Mass("counted", d.Counted);
            writer.Flag("estimated", d.Estimated);
        }
    }
}

/// <summary>Names one discrepancy: the count that found it and its place in that count's list.</summary>
public readonly record struct DiscrepancyRef(long CountSequence, int Index);

/// <summary>A discrepancy explained and closed by an authorised person.</summary>
public sealed record DiscrepancyResolution(long CountSequence, int DiscrepancyIndex, string Reason, string ResolvedBy) : LedgerEvent
{
    public const string KindName = "discrepancy-resolution";

    private protected override string EventKind => KindName;

    [JsonIgnore]
    public DiscrepancyRef Discrepancy => new(CountSequence, DiscrepancyIndex);

    internal override void WriteCanonical(CanonicalWriter writer)
    {
        writer.Number("countSequence", CountSequence);
        writer.Number("discrepancyIndex", DiscrepancyIndex);
        writer.Text("reason", Reason);
        writer.Text("resolvedBy", ResolvedBy);
    }
}
