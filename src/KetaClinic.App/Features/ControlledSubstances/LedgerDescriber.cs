using System.Globalization;
using KetaClinic.App.Data;
using KetaClinic.Domain.ControlledSubstances;
using Microsoft.EntityFrameworkCore;

namespace KetaClinic.App.Features.ControlledSubstances;

/// <summary>Staff names by user id, for showing who received, drew, witnessed or counted.</summary>
public sealed class LedgerPeople(IReadOnlyDictionary<string, PersonView> people)
{
    public static async Task<LedgerPeople> LoadAsync(ClinicDbContext db, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        var users = await db.Users.AsNoTracking().Select(u => new { u.Id, u.DisplayName, u.Email }).ToListAsync(ct);
        return new LedgerPeople(users.ToDictionary(u => u.Id, u => new PersonView(u.Id, string.IsNullOrWhiteSpace(u.DisplayName) ? u.Email ?? u.Id : u.DisplayName, u.Email), StringComparer.Ordinal));
    }

    public IEnumerable<PersonView> All => people.Values.OrderBy(p => p.Name, StringComparer.Ordinal);

    public string Name(string? id) => id is null ? string.Empty : people.TryGetValue(id, out var p) ? p.Name : id;

    /// <summary>Name and email, as a record of who did it.</summary>
    public string Full(string? id) => id is null ? string.Empty : people.TryGetValue(id, out var p) ? (p.Email is null ? p.Name : $"{p.Name} ({p.Email})") : id;
}

/// <summary>One sentence per ledger entry in the clinic's words, for screens, the journal and the audit trail.</summary>
public sealed class LedgerDescriber(LedgerView book, LedgerReferenceData reference, LedgerPeople people, Func<Guid, string?>? patientName = null)
{
    /// <summary>A short, stable name for an id that has no number of its own (a session, a patient).</summary>
    public static string Label(Guid id) => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(id.ToByteArray()))[..8];

    public LedgerEntryView View(LedgerEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var (session, patient) = Links(entry.Event);
        return new LedgerEntryView(entry.Sequence, entry.RecordedAt, entry.RecordedBy, people.Name(entry.RecordedBy), entry.Kind, Describe(entry),
            book.State.ReversedBy(entry.Sequence), session, patient, entry.Hash);
    }

    public (Guid? SessionId, Guid? PatientId) Links(LedgerEvent e) => e switch
    {
        Draw d => (d.SessionId, null),
        Administration a => (a.SessionId, a.PatientId),
        Waste { DrawSequence: { } ds } => (DrawEvent(ds)?.SessionId, null),
        _ => (null, null),
    };

    public string Describe(LedgerEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return entry.Event switch
        {
            Receipt r => $"Received {Count(r.Containers.Count, "container")} into {reference.StorageName(r.StorageLocationId)} from {r.Supplier.Name} (DEA {r.Supplier.DeaNumber}, invoice {r.InvoiceNumber}): "
                + string.Join("; ", r.Containers.GroupBy(c => (c.ProductId, c.Lot)).Select(g => $"{g.Count()} × {reference.ProductName(g.Key.ProductId)}, lot {g.Key.Lot}"))
                + $". Received by {people.Name(r.ReceivedBy)}, verified by {people.Name(r.VerifiedBy)}.",
            Transfer t => $"Moved {Container(t.ContainerId)} holding {Amount(t.ContainerId, t.Moved)} from {reference.StorageName(t.FromStorageLocationId)} to {reference.StorageName(t.ToStorageLocationId)}{Note(t.Note)}.",
            Draw d => $"Drew {Amount(d.ContainerId, d.Mass)} from {Container(d.ContainerId)} for session {Label(d.SessionId)}; drawn by {people.Name(d.DrawnBy)}.",
            Administration a => $"Gave {DrawAmount(a.DrawSequence, a.Mass)} from draw {a.DrawSequence} to {Patient(a.PatientId)}; administered by {people.Name(a.AdministeredBy)}.",
            Waste w => $"Wasted {(w.DrawSequence is { } ds ? DrawAmount(ds, w.Mass) + $" left from draw {ds}" : Amount(w.ContainerId!.Value, w.Mass) + " from " + Container(w.ContainerId!.Value))} ({w.Manner}); wasted by {people.Name(w.WastedBy)}"
                + (w.Witness is null ? ", no witness." : $", witnessed by {people.Name(w.Witness.UserId)}."),
            ReturnToSupplier ret => $"Returned {Count(ret.Containers.Count, "container")} to {ret.Supplier.Name} (DEA {ret.Supplier.DeaNumber}, reference {ret.Reference}): {Containers(ret.Containers)}; by {people.Name(ret.ReturnedBy)}.",
            Destruction des => $"Destroyed {Count(des.Containers.Count, "container")} ({des.Method}, DEA Form 41 {des.Form41Reference}): {Containers(des.Containers)}; by {people.Name(des.DestroyedBy)}, witnessed by {string.Join(" and ", des.Witnesses.Select(w => people.Name(w.UserId)))}.",
            LossOrTheft loss => $"{LossKindText(loss.LossKind)} discovered {Day(loss.DiscoveredOn)}: {string.Join("; ", loss.Lines.Select(l => $"{Amount(l.ContainerId, l.Mass)} from {Container(l.ContainerId)}{(l.WholeContainer ? " (whole container)" : string.Empty)}"))}. {loss.Circumstances} Reported by {people.Name(loss.ReportedBy)}.",
            LossReportFiled f => $"{(f.Report == LossReportKind.Form106 ? "DEA Form 106" : "Written notice to the DEA field office")} for loss {f.LossSequence} filed {Day(f.FiledOn)} (reference {f.Reference}); by {people.Name(f.FiledBy)}.",
            Correction c => $"Reversed entry {c.OriginalSequence} ({book.State.Entry(c.OriginalSequence)?.Kind ?? "unknown"}): {c.Reason} Corrected by {people.Name(c.CorrectedBy)}.",
            StockCount sc => $"{sc.CountKind} {(sc.IsInventory ? "inventory" : "count")} of {(sc.StorageLocationId is { } s ? reference.StorageName(s) : reference.LocationNames.GetValueOrDefault(sc.ClinicLocationId, "the location"))} on {Day(sc.CountedOn)}"
                + (sc.Timing is { } timing ? $" at {(timing == InventoryTiming.OpeningOfBusiness ? "opening" : "close")} of business" : string.Empty)
                + $": {Count(sc.Lines.Count, "container")} counted by {string.Join(" and ", sc.CountedBy.Select(people.Name))}, "
                + (sc.Discrepancies.Count == 0 ? "no discrepancy." : $"{Count(sc.Discrepancies.Count, "discrepancy", "discrepancies")}."),
            DiscrepancyResolution res => $"Resolved discrepancy {res.DiscrepancyIndex + 1} of count {res.CountSequence}: {res.Reason} Resolved by {people.Name(res.ResolvedBy)}.",
            _ => entry.Kind,
        };
    }

    public string Container(Guid id)
    {
        var info = book.Container(id);
        return info is null ? $"container {Label(id)}" : $"container {info.Label} ({reference.ProductName(info.ProductId)}, lot {info.Lot})";
    }

    public string Amount(Guid containerId, MassMcg mass) =>
        book.Container(containerId) is { } info ? reference.Describe(info.ProductId, mass) : mass.ToString();

    public string DrawAmount(long drawSequence, MassMcg mass) =>
        DrawEvent(drawSequence) is { } d ? Amount(d.ContainerId, mass) : mass.ToString();

    public Draw? DrawEvent(long sequence) => book.State.Entry(sequence)?.Event as Draw;

    public string Patient(Guid id) => patientName?.Invoke(id) ?? $"patient {Label(id)}";

    private string Containers(IReadOnlyList<ContainerAmount> items) =>
        string.Join("; ", items.Select(c => $"{Container(c.ContainerId)} holding {Amount(c.ContainerId, c.Mass)}"));

    public static string LossKindText(LossKind kind) => kind switch
    {
        LossKind.Theft => "Theft",
        LossKind.SignificantLoss => "Significant loss",
        _ => "Loss in transit",
    };

    private static string Count(int n, string one, string? many = null) =>
        n.ToString(CultureInfo.InvariantCulture) + " " + (n == 1 ? one : many ?? one + "s");

    private static string Note(string? note) => string.IsNullOrWhiteSpace(note) ? string.Empty : $" ({note})";

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
