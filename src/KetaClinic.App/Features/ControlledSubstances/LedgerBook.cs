using KetaClinic.App.Data;
using KetaClinic.Domain.ControlledSubstances;
using Microsoft.EntityFrameworkCore;

namespace KetaClinic.App.Features.ControlledSubstances;

/// <summary>
/// The ledger as this process last read it: the folded <see cref="LedgerState"/>, the entries in order and a
/// timeline of every product's on-hand balance. Before every use it reads the entries committed since (by this
/// or any other process), so the database stays the only truth and a cold process simply replays everything.
/// One gate guards the in-memory copy; writers use it only while they hold the ledger's row lock.
/// </summary>
public sealed class LedgerBook : IDisposable
{
    private const int Page = 5000;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private LedgerState _state = new();
    private List<LedgerEntry> _entries = [];
    private LedgerTimeline _timeline = new();
    private Dictionary<Guid, ContainerInfo> _containers = [];

    public void Dispose() => _gate.Dispose();

    /// <summary>Times the whole ledger was read from the database (for the benchmark and tests).</summary>
    public int FullLoads { get; private set; }

    /// <summary>
    /// Brings the copy up to the committed end of the ledger and runs <paramref name="read"/> on it. The state must
    /// not be kept or changed by <paramref name="read"/>; copy what is needed out of it.
    /// </summary>
    public async Task<T> ReadAsync<T>(ClinicDbContext db, Func<LedgerView, T> read, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(read);
        await _gate.WaitAsync(ct);
        try
        {
            await CatchUpAsync(db, ct);
            return read(new LedgerView(_state, _entries, _timeline, _containers));
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Folds in an entry this process has just committed, unless the copy has already read it.</summary>
    public async Task AppliedAsync(LedgerEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        await _gate.WaitAsync();
        try
        {
            if (_state.LastSequence == entry.Sequence - 1 && string.Equals(_state.LastHash, entry.PreviousHash, StringComparison.Ordinal))
            {
                Fold(entry);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Drops the copy; the next use reads the whole ledger again.</summary>
    public async Task ResetAsync()
    {
        await _gate.WaitAsync();
        try
        {
            Clear();
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task CatchUpAsync(ClinicDbContext db, CancellationToken ct)
    {
        for (var attempt = 0; attempt < 2; attempt++)
        {
            try
            {
                while (true)
                {
                    var after = _state.LastSequence;
                    var rows = await db.LedgerEntries.AsNoTracking().Where(e => e.Sequence > after).OrderBy(e => e.Sequence).Take(Page).ToListAsync(ct);
                    if (after == 0 && rows.Count > 0)
                    {
                        FullLoads++;
                    }
                    foreach (var row in rows)
                    {
                        Fold(LedgerRows.ToEntry(row));
                    }
                    if (rows.Count < Page)
                    {
                        return;
                    }
                }
            }
            catch (InvalidOperationException) when (attempt == 0)
            {
                // The stored ledger no longer continues this copy (e.g. a restored backup): read it again from the start.
                Clear();
            }
        }
    }

    private void Fold(LedgerEntry entry)
    {
        _state.Apply(entry);
        _entries.Add(entry);
        _timeline.Record(_state, entry);
        if (entry.Event is Receipt receipt)
        {
            for (var i = 0; i < receipt.Containers.Count; i++)
            {
                var c = receipt.Containers[i];
                _containers[c.ContainerId] = new ContainerInfo(c.ContainerId, c.ProductId, c.Lot, c.ExpiresOn, entry.Sequence, i + 1);
            }
        }
    }

    private void Clear()
    {
        _state = new LedgerState();
        _entries = [];
        _timeline = new LedgerTimeline();
        _containers = [];
    }
}

/// <summary>What a reader of the <see cref="LedgerBook"/> sees, while it holds the gate.</summary>
public sealed class LedgerView(LedgerState state, List<LedgerEntry> entries, LedgerTimeline timeline, IReadOnlyDictionary<Guid, ContainerInfo> containers)
{
    /// <summary>Any container ever received, even one whose receipt was reversed.</summary>
    public ContainerInfo? Container(Guid id) => containers.GetValueOrDefault(id);

    /// <summary>The container's label: its receipt entry and place on the receipt, e.g. "12-3".</summary>
    public string Label(Guid containerId) => Container(containerId)?.Label ?? LedgerDescriber.Label(containerId);

    public IReadOnlyDictionary<Guid, ContainerInfo> ContainerIndex() => new Dictionary<Guid, ContainerInfo>(containers);

    public LedgerState State { get; } = state;
    public LedgerTimeline Timeline { get; } = timeline;

    /// <summary>A copy of the entries in sequence order, safe to use after the gate is released.</summary>
    public IReadOnlyList<LedgerEntry> Entries() => [.. entries];

    public int Count => entries.Count;
}

/// <summary>A container as its receipt recorded it; <see cref="Label"/> is what is written on it: receipt entry and place on the receipt.</summary>
public sealed record ContainerInfo(Guid Id, Guid ProductId, string Lot, DateOnly ExpiresOn, long ReceiptSequence, int Ordinal)
{
    public string Label => FormattableString.Invariant($"{ReceiptSequence}-{Ordinal}");
}

/// <summary>
/// On-hand balance of every product (clinic-wide and per storage place) after each entry that changed it, so the
/// balance at any past instant is a binary search, not a replay.
/// </summary>
public sealed class LedgerTimeline
{
    private readonly Dictionary<(Guid Product, Guid? Storage), List<(DateTimeOffset At, long Sequence, MassMcg OnHand)>> _points = [];
    private readonly Dictionary<(Guid Product, Guid? Storage), MassMcg> _last = [];

    public void Record(LedgerState state, LedgerEntry entry)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(entry);
        var totals = new Dictionary<(Guid, Guid?), MassMcg>();
        foreach (var f in state.Flows)
        {
            totals[(f.ProductId, f.StorageLocationId)] = f.OnHand;
            totals[(f.ProductId, null)] = totals.GetValueOrDefault((f.ProductId, null)) + f.OnHand;
        }
        foreach (var (key, onHand) in totals)
        {
            if (_last.TryGetValue(key, out var before) && before == onHand)
            {
                continue;
            }
            _last[key] = onHand;
            if (!_points.TryGetValue(key, out var list))
            {
                list = [];
                _points[key] = list;
            }
            list.Add((entry.RecordedAt, entry.Sequence, onHand));
        }
    }

    /// <summary>On hand at an instant (every entry recorded at or before it), clinic-wide or at one storage place.</summary>
    public MassMcg OnHandAt(Guid productId, Guid? storageLocationId, DateTimeOffset instant)
    {
        if (!_points.TryGetValue((productId, storageLocationId), out var list) || list.Count == 0)
        {
            return MassMcg.Zero;
        }
        int lo = 0, hi = list.Count - 1, found = -1;
        while (lo <= hi)
        {
            var mid = lo + ((hi - lo) / 2);
            if (list[mid].At <= instant)
            {
                found = mid;
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }
        return found < 0 ? MassMcg.Zero : list[found].OnHand;
    }
}

/// <summary>Stored rows and domain entries, both ways.</summary>
public static class LedgerRows
{
    public static LedgerEntry ToEntry(LedgerEntryRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        return new LedgerEntry(row.Sequence, row.RecordedAt, row.RecordedBy, LedgerJson.Deserialize(row.Payload), row.PreviousHash, row.Hash);
    }

    public static LedgerEntryRow ToRow(LedgerEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return new LedgerEntryRow
        {
            Sequence = entry.Sequence,
            RecordedAt = entry.RecordedAt,
            RecordedBy = entry.RecordedBy,
            Kind = entry.Kind,
            Payload = LedgerJson.Serialize(entry.Event),
            PreviousHash = entry.PreviousHash,
            Hash = entry.Hash,
        };
    }

    /// <summary>
    /// Locks the ledger's chain head for this transaction (after the audit head, which every writer takes first), so
    /// ledger writers run one at a time on SQLite and PostgreSQL alike.
    /// </summary>
    public static async Task LockAsync(ClinicDbContext db, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (db.Database.CurrentTransaction is null)
        {
            throw new InvalidOperationException("The ledger is locked inside a transaction: call AuditTrail.BeginAsync first.");
        }
        await db.Database.ExecuteSqlRawAsync("UPDATE ledger_chain_heads SET last_sequence = last_sequence WHERE id = 1", ct);
    }

    public static async Task AdvanceHeadAsync(ClinicDbContext db, LedgerEntry entry, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(entry);
        var updated = await db.Database.ExecuteSqlAsync(
            $"UPDATE ledger_chain_heads SET last_sequence = {entry.Sequence}, last_hash = {entry.Hash} WHERE id = 1 AND last_sequence = {entry.Sequence - 1}", ct);
        if (updated != 1)
        {
            throw new InvalidOperationException($"The ledger's chain head is not at entry {entry.Sequence - 1}; entry {entry.Sequence} was not stored.");
        }
    }
}
