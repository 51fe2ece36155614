namespace KetaClinic.Domain.ControlledSubstances;

public enum ContainerState
{
    Sealed,
    Open,
    Empty,
    Returned,
    Destroyed,
    Lost,
}

/// <summary>A container as the ledger stands: where it is, what it holds, and its state.</summary>
public sealed record ContainerView(
    Guid Id, Guid ProductId, string Lot, DateOnly ExpiresOn, Guid StorageLocationId, ContainerState State,
    MassMcg Balance, MassMcg Received, long ReceiptSequence);

/// <summary>A draw and what has become of it so far.</summary>
public sealed record DrawView(
    long Sequence, Guid ContainerId, Guid ProductId, Guid StorageLocationId, Guid SessionId, string DrawnBy,
    DateTimeOffset DrawnAt, MassMcg Drawn, MassMcg Administered, MassMcg Wasted)
{
    /// <summary>Drawn but neither administered nor wasted yet: still in the syringe or device.</summary>
    public MassMcg Remaining => Drawn - Administered - Wasted;
}

/// <summary>
/// What has flowed in and out of one product's stock at one storage place. <see cref="OnHand"/> is the ledger
/// equation: receipts − administered − wasted − returned − destroyed − lost + transfers in − transfers out.
/// </summary>
public sealed record ProductFlows(
    Guid ProductId, Guid StorageLocationId, MassMcg Received, MassMcg Administered, MassMcg Wasted, MassMcg Returned,
    MassMcg Destroyed, MassMcg Lost, MassMcg TransferredIn, MassMcg TransferredOut)
{
    public MassMcg OnHand => Received - Administered - Wasted - Returned - Destroyed - Lost + TransferredIn - TransferredOut;
}

/// <summary>A discrepancy found by a count, with its resolution once there is one.</summary>
public sealed record DiscrepancyView(
    DiscrepancyRef Ref, Discrepancy Discrepancy, CountKind CountKind, Guid ClinicLocationId, DateOnly CountedOn,
    IReadOnlyList<string> CountedBy, long? ResolvedBySequence, string? Resolution, string? ResolvedBy)
{
    public bool IsOpen => ResolvedBySequence is null;
}

/// <summary>A recorded loss or theft with the reports filed about it.</summary>
public sealed record LossView(long Sequence, LossOrTheft Loss, DateOnly? WrittenNoticeFiledOn, DateOnly? Form106FiledOn, bool Reversed);

/// <summary>An inventory (initial, biennial or annual) of a registered location.</summary>
public sealed record InventoryView(long Sequence, Guid ClinicLocationId, CountKind CountKind, DateOnly CountedOn, InventoryTiming? Timing);

/// <summary>
/// The ledger folded into its current standing: containers, draws, per-product flows, open discrepancies,
/// losses and inventories. Built by replaying stored entries in sequence order; <see cref="Apply"/> only
/// applies (the rules are checked when an entry is decided, and again by <see cref="LedgerInvariants"/>).
/// </summary>
public sealed class LedgerState
{
    private readonly Dictionary<long, LedgerEntry> _entries = [];
    private readonly Dictionary<long, long> _reversedBy = [];
    private readonly Dictionary<Guid, ContainerRecord> _containers = [];
    private readonly Dictionary<long, DrawRecord> _draws = [];
    private readonly Dictionary<(Guid Product, Guid Storage), FlowRecord> _flows = [];
    private readonly Dictionary<long, TransferRecord> _transfers = [];
    private readonly Dictionary<long, Guid> _containerWasteLocations = [];
    private readonly Dictionary<long, IReadOnlyList<Guid>> _lossLocations = [];
    private readonly Dictionary<long, LossRecord> _losses = [];
    private readonly Dictionary<DiscrepancyRef, DiscrepancyRecord> _discrepancies = [];
    private readonly List<InventoryView> _inventories = [];

    public long LastSequence { get; private set; }
    public string LastHash { get; private set; } = LedgerChain.GenesisHash;
    public DateTimeOffset? LastRecordedAt { get; private set; }

    public static LedgerState Replay(IEnumerable<LedgerEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var state = new LedgerState();
        foreach (var entry in entries.OrderBy(e => e.Sequence))
        {
            state.Apply(entry);
        }
        return state;
    }

    /// <summary>
    /// The ledger as it stood at an instant: every entry recorded at or before it (entries are in time order, the
    /// decision sees to that). Its <see cref="Flows"/> and <see cref="StockOnHand"/> give on-hand at that instant.
    /// </summary>
    public static LedgerState AsOf(IEnumerable<LedgerEntry> entries, DateTimeOffset instant)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var state = new LedgerState();
        foreach (var entry in entries.OrderBy(e => e.Sequence).TakeWhile(e => e.RecordedAt <= instant))
        {
            state.Apply(entry);
        }
        return state;
    }

    /// <summary>The stored entries, in sequence order.</summary>
    public IEnumerable<LedgerEntry> Entries => _entries.Values.OrderBy(e => e.Sequence);

    public LedgerEntry? Entry(long sequence) => _entries.GetValueOrDefault(sequence);

    /// <summary>The correction that reversed an entry, if one did.</summary>
    public long? ReversedBy(long sequence) => _reversedBy.TryGetValue(sequence, out var by) ? by : null;

    public bool IsReversed(long sequence) => _reversedBy.ContainsKey(sequence);

    /// <summary>Containers currently on the ledger (a reversed receipt's containers are not).</summary>
    public IReadOnlyList<ContainerView> Containers =>
        [.. _containers.Values.Where(c => !c.Voided).OrderBy(c => c.ReceiptSequence).ThenBy(c => c.Id).Select(c => c.View())];

    public ContainerView? Container(Guid id) => _containers.TryGetValue(id, out var c) && !c.Voided ? c.View() : null;

    /// <summary>Whether a container id was ever used, even by a reversed receipt: ids are never reused.</summary>
    public bool ContainerIdUsed(Guid id) => _containers.ContainsKey(id);

    /// <summary>Draws that stand (not reversed), in sequence order.</summary>
    public IReadOnlyList<DrawView> Draws => [.. _draws.Values.Where(d => !d.Reversed).OrderBy(d => d.Sequence).Select(d => d.View())];

    public DrawView? Draw(long sequence) => _draws.TryGetValue(sequence, out var d) && !d.Reversed ? d.View() : null;

    /// <summary>Draws with drug neither administered nor wasted yet.</summary>
    public IReadOnlyList<DrawView> OpenDraws => [.. Draws.Where(d => d.Remaining.Micrograms != 0)];

    public IReadOnlyList<ProductFlows> Flows =>
        [.. _flows.OrderBy(f => f.Key.Product).ThenBy(f => f.Key.Storage).Select(f => f.Value.View(f.Key.Product, f.Key.Storage))];

    /// <summary>
    /// Stock counted from the things themselves: what the containers hold plus what is drawn and not yet given or
    /// wasted. Per storage place when <paramref name="storageLocationId"/> is given, else across the clinic.
    /// </summary>
    public MassMcg StockOnHand(Guid productId, Guid? storageLocationId = null)
    {
        var total = MassMcg.Zero;
        foreach (var c in _containers.Values)
        {
            if (!c.Voided && c.ProductId == productId && (storageLocationId is null || c.StorageLocationId == storageLocationId))
            {
                total += c.Balance;
            }
        }
        foreach (var d in _draws.Values)
        {
            if (!d.Reversed && d.ProductId == productId && (storageLocationId is null || d.StorageLocationId == storageLocationId))
            {
                total += d.Drawn - d.Administered - d.Wasted;
            }
        }
        return total;
    }

    /// <summary>On hand by the ledger equation (flows), per storage place or across the clinic.</summary>
    public MassMcg OnHandByFlows(Guid productId, Guid? storageLocationId = null) =>
        _flows
            .Where(f => f.Key.Product == productId && (storageLocationId is null || f.Key.Storage == storageLocationId))
            .Aggregate(MassMcg.Zero, (sum, f) => sum + f.Value.View(f.Key.Product, f.Key.Storage).OnHand);

    public IReadOnlyList<DiscrepancyView> Discrepancies =>
        [.. _discrepancies.Values.OrderBy(d => d.Ref.CountSequence).ThenBy(d => d.Ref.Index).Select(d => d.View())];

    public IReadOnlyList<DiscrepancyView> OpenDiscrepancies => [.. Discrepancies.Where(d => d.IsOpen)];

    public DiscrepancyView? Discrepancy(DiscrepancyRef reference) => _discrepancies.TryGetValue(reference, out var d) ? d.View() : null;

    public IReadOnlyList<LossView> Losses => [.. _losses.Values.OrderBy(l => l.Sequence).Select(l => l.View(IsReversed(l.Sequence)))];

    public IReadOnlyList<InventoryView> Inventories => _inventories;

    /// <summary>
    /// Folds one stored entry into the state. The entry must follow the last one (sequence and previous hash).
    /// An entry that refers to something not on the ledger throws; the state is then not to be used further.
    /// </summary>
    public void Apply(LedgerEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (entry.Sequence != LastSequence + 1)
        {
            throw new InvalidOperationException($"Ledger entry {entry.Sequence} cannot follow entry {LastSequence}: the sequence must have no gaps.");
        }
        if (!string.Equals(entry.PreviousHash, LastHash, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"Ledger entry {entry.Sequence} does not link to the hash of entry {LastSequence}.");
        }
        var seq = entry.Sequence;
        switch (entry.Event)
        {
            case Receipt r:
                foreach (var line in r.Containers)
                {
                    if (_containers.ContainsKey(line.ContainerId))
                    {
                        throw Corrupt(seq, $"receives container {line.ContainerId} a second time");
                    }
                    _containers[line.ContainerId] = new ContainerRecord(line, r.StorageLocationId, seq);
                    Flow(line.ProductId, r.StorageLocationId).Received += line.Contents;
                }
                break;
            case Transfer t:
                {
                    var c = ContainerFor(seq, t.ContainerId);
                    _transfers[seq] = new TransferRecord(c.LastMoveSequence);
                    Flow(c.ProductId, t.FromStorageLocationId).TransferredOut += t.Moved;
                    Flow(c.ProductId, t.ToStorageLocationId).TransferredIn += t.Moved;
                    c.StorageLocationId = t.ToStorageLocationId;
                    c.LastMoveSequence = seq;
                    break;
                }
            case Draw d:
                {
                    var c = ContainerFor(seq, d.ContainerId);
                    c.Balance -= d.Mass;
                    c.Withdrawals++;
                    _draws[seq] = new DrawRecord(seq, d, c.ProductId, c.StorageLocationId);
                    break;
                }
            case Administration a:
                {
                    var draw = DrawFor(seq, a.DrawSequence);
                    draw.Administered += a.Mass;
                    Flow(draw.ProductId, draw.StorageLocationId).Administered += a.Mass;
                    break;
                }
            case Waste w:
                if (w.DrawSequence is { } drawSeq)
                {
                    var draw = DrawFor(seq, drawSeq);
                    draw.Wasted += w.Mass;
                    Flow(draw.ProductId, draw.StorageLocationId).Wasted += w.Mass;
                }
                else
                {
                    var c = ContainerFor(seq, w.ContainerId ?? Guid.Empty);
                    c.Balance -= w.Mass;
                    c.Withdrawals++;
                    _containerWasteLocations[seq] = c.StorageLocationId;
                    Flow(c.ProductId, c.StorageLocationId).Wasted += w.Mass;
                }
                break;
            case ReturnToSupplier ret:
                foreach (var line in ret.Containers)
                {
                    var c = ContainerFor(seq, line.ContainerId);
                    c.Balance -= line.Mass;
                    c.Disposition = ContainerState.Returned;
                    Flow(c.ProductId, c.StorageLocationId).Returned += line.Mass;
                }
                break;
            case Destruction des:
                foreach (var line in des.Containers)
                {
                    var c = ContainerFor(seq, line.ContainerId);
                    c.Balance -= line.Mass;
                    c.Disposition = ContainerState.Destroyed;
                    Flow(c.ProductId, c.StorageLocationId).Destroyed += line.Mass;
                }
                break;
            case LossOrTheft loss:
                {
                    var locations = new List<Guid>();
                    foreach (var line in loss.Lines)
                    {
                        var c = ContainerFor(seq, line.ContainerId);
                        c.Balance -= line.Mass;
                        if (line.WholeContainer)
                        {
                            c.Disposition = ContainerState.Lost;
                        }
                        else
                        {
                            c.Withdrawals++;
                        }
                        locations.Add(c.StorageLocationId);
                        Flow(c.ProductId, c.StorageLocationId).Lost += line.Mass;
                    }
                    _lossLocations[seq] = locations;
                    _losses[seq] = new LossRecord(seq, loss);
                    break;
                }
            case LossReportFiled filed:
                {
                    var loss = _losses.GetValueOrDefault(filed.LossSequence) ?? throw Corrupt(seq, $"reports on entry {filed.LossSequence}, which is not a loss");
                    loss.Filings[filed.Report] = filed.FiledOn;
                    break;
                }
            case StockCount count:
                for (var i = 0; i < count.Discrepancies.Count; i++)
                {
                    _discrepancies[new DiscrepancyRef(seq, i)] = new DiscrepancyRecord(new DiscrepancyRef(seq, i), count);
                }
                if (count.IsInventory)
                {
                    _inventories.Add(new InventoryView(seq, count.ClinicLocationId, count.CountKind, count.CountedOn, count.Timing));
                }
                break;
            case DiscrepancyResolution res:
                {
                    var d = _discrepancies.GetValueOrDefault(res.Discrepancy) ?? throw Corrupt(seq, $"resolves a discrepancy that does not exist ({res.CountSequence}/{res.DiscrepancyIndex})");
                    d.Resolve(seq, res);
                    break;
                }
            case Correction correction:
                Reverse(seq, correction.OriginalSequence);
                break;
            default:
                throw Corrupt(seq, "is of an unknown kind");
        }
        _entries[seq] = entry;
        LastSequence = seq;
        LastHash = entry.Hash;
        LastRecordedAt = entry.RecordedAt;
    }

    private void Reverse(long seq, long originalSequence)
    {
        var original = _entries.GetValueOrDefault(originalSequence) ?? throw Corrupt(seq, $"corrects entry {originalSequence}, which does not exist");
        if (!_reversedBy.TryAdd(originalSequence, seq))
        {
            throw Corrupt(seq, $"reverses entry {originalSequence} a second time");
        }
        switch (original.Event)
        {
            case Receipt r:
                foreach (var line in r.Containers)
                {
                    var c = _containers[line.ContainerId];
                    c.Balance -= line.Contents;
                    c.Voided = true;
                    Flow(line.ProductId, r.StorageLocationId).Received -= line.Contents;
                }
                break;
            case Transfer t:
                {
                    var c = ContainerFor(seq, t.ContainerId);
                    Flow(c.ProductId, t.FromStorageLocationId).TransferredOut -= t.Moved;
                    Flow(c.ProductId, t.ToStorageLocationId).TransferredIn -= t.Moved;
                    c.StorageLocationId = t.FromStorageLocationId;
                    c.LastMoveSequence = _transfers[originalSequence].PreviousMoveSequence;
                    break;
                }
            case Draw d:
                {
                    var c = ContainerFor(seq, d.ContainerId);
                    c.Balance += d.Mass;
                    c.Withdrawals--;
                    _draws[originalSequence].Reversed = true;
                    break;
                }
            case Administration a:
                {
                    var draw = _draws[a.DrawSequence];
                    draw.Administered -= a.Mass;
                    Flow(draw.ProductId, draw.StorageLocationId).Administered -= a.Mass;
                    break;
                }
            case Waste w:
                if (w.DrawSequence is { } drawSeq)
                {
                    var draw = _draws[drawSeq];
                    draw.Wasted -= w.Mass;
                    Flow(draw.ProductId, draw.StorageLocationId).Wasted -= w.Mass;
                }
                else
                {
                    var c = ContainerFor(seq, w.ContainerId ?? Guid.Empty);
                    c.Balance += w.Mass;
                    c.Withdrawals--;
                    Flow(c.ProductId, _containerWasteLocations[originalSequence]).Wasted -= w.Mass;
                }
                break;
            case ReturnToSupplier ret:
                foreach (var line in ret.Containers)
                {
                    var c = ContainerFor(seq, line.ContainerId);
                    c.Balance += line.Mass;
                    c.Disposition = null;
                    Flow(c.ProductId, c.StorageLocationId).Returned -= line.Mass;
                }
                break;
            case Destruction des:
                foreach (var line in des.Containers)
                {
                    var c = ContainerFor(seq, line.ContainerId);
                    c.Balance += line.Mass;
                    c.Disposition = null;
                    Flow(c.ProductId, c.StorageLocationId).Destroyed -= line.Mass;
                }
                break;
            case LossOrTheft loss:
                {
                    var locations = _lossLocations[originalSequence];
                    for (var i = 0; i < loss.Lines.Count; i++)
                    {
                        var line = loss.Lines[i];
                        var c = ContainerFor(seq, line.ContainerId);
                        c.Balance += line.Mass;
                        if (line.WholeContainer)
                        {
                            c.Disposition = null;
                        }
                        else
                        {
                            c.Withdrawals--;
                        }
                        Flow(c.ProductId, locations[i]).Lost -= line.Mass;
                    }
                    break;
                }
            case LossReportFiled filed:
                _losses[filed.LossSequence].Filings.Remove(filed.Report);
                break;
            case DiscrepancyResolution res:
                _discrepancies[res.Discrepancy].Reopen();
                break;
            default:
                throw Corrupt(seq, $"reverses entry {originalSequence}, a {original.Kind}, which cannot be reversed");
        }
    }

    internal ContainerRecord? ContainerRecordOf(Guid id) => _containers.TryGetValue(id, out var c) && !c.Voided ? c : null;

    internal DrawRecord? DrawRecordOf(long sequence) => _draws.GetValueOrDefault(sequence);

    /// <summary>A container even when its receipt was reversed.</summary>
    internal ContainerRecord? AnyContainerRecord(Guid id) => _containers.GetValueOrDefault(id);

    internal IEnumerable<ContainerRecord> AllContainerRecords => _containers.Values;

    internal IEnumerable<DrawRecord> AllDrawRecords => _draws.Values;

    internal IReadOnlyDictionary<(Guid Product, Guid Storage), FlowRecord> FlowRecords => _flows;

    internal Guid? ContainerWasteLocation(long sequence) => _containerWasteLocations.TryGetValue(sequence, out var l) ? l : null;

    internal IReadOnlyList<Guid>? LossLocations(long sequence) => _lossLocations.GetValueOrDefault(sequence);

    private FlowRecord Flow(Guid product, Guid storage)
    {
        if (!_flows.TryGetValue((product, storage), out var flow))
        {
            flow = new FlowRecord();
            _flows[(product, storage)] = flow;
        }
        return flow;
    }

    private ContainerRecord ContainerFor(long seq, Guid id) =>
        ContainerRecordOf(id) ?? throw Corrupt(seq, $"refers to container {id}, which is not on the ledger");

    private DrawRecord DrawFor(long seq, long drawSequence) =>
        _draws.TryGetValue(drawSequence, out var d) && !d.Reversed ? d : throw Corrupt(seq, $"refers to draw {drawSequence}, which is not a standing draw");

    private static InvalidOperationException Corrupt(long seq, string problem) => new($"Ledger entry {seq} {problem}.");
}

internal sealed class ContainerRecord(ReceivedContainer line, Guid storageLocationId, long receiptSequence)
{
    public Guid Id { get; } = line.ContainerId;
    public Guid ProductId { get; } = line.ProductId;
    public string Lot { get; } = line.Lot;
    public DateOnly ExpiresOn { get; } = line.ExpiresOn;
    public MassMcg Received { get; } = line.Contents;
    public Guid ReceiptStorageLocationId { get; } = storageLocationId;
    public long ReceiptSequence { get; } = receiptSequence;
    public Guid StorageLocationId { get; set; } = storageLocationId;
    public MassMcg Balance { get; set; } = line.Contents;

    /// <summary>Standing draws, container wastes and partial losses; none means the container is still sealed.</summary>
    public int Withdrawals { get; set; }

    /// <summary>Returned, destroyed or lost; null while the container is in stock.</summary>
    public ContainerState? Disposition { get; set; }
    public long? LastMoveSequence { get; set; }
    public bool Voided { get; set; }

    public ContainerState State =>
        Disposition ?? (Withdrawals == 0 ? ContainerState.Sealed : Balance.Micrograms == 0 ? ContainerState.Empty : ContainerState.Open);

    public bool InStock => Disposition is null;

    public ContainerView View() => new(Id, ProductId, Lot, ExpiresOn, StorageLocationId, State, Balance, Received, ReceiptSequence);
}

internal sealed class DrawRecord(long sequence, Draw draw, Guid productId, Guid storageLocationId)
{
    public long Sequence { get; } = sequence;
    public Draw Draw { get; } = draw;
    public Guid ProductId { get; } = productId;
    public Guid StorageLocationId { get; } = storageLocationId;
    public MassMcg Drawn => Draw.Mass;
    public MassMcg Administered { get; set; }
    public MassMcg Wasted { get; set; }
    public bool Reversed { get; set; }
    public MassMcg Remaining => Drawn - Administered - Wasted;

    public DrawView View() => new(Sequence, Draw.ContainerId, ProductId, StorageLocationId, Draw.SessionId, Draw.DrawnBy, Draw.DrawnAt, Drawn, Administered, Wasted);
}

internal sealed class FlowRecord
{
    public MassMcg Received { get; set; }
    public MassMcg Administered { get; set; }
    public MassMcg Wasted { get; set; }
    public MassMcg Returned { get; set; }
    public MassMcg Destroyed { get; set; }
    public MassMcg Lost { get; set; }
    public MassMcg TransferredIn { get; set; }
    public MassMcg TransferredOut { get; set; }

    public ProductFlows View(Guid product, Guid storage) =>
        new(product, storage, Received, Administered, Wasted, Returned, Destroyed, Lost, TransferredIn, TransferredOut);
}

internal sealed record TransferRecord(long? PreviousMoveSequence);

internal sealed class LossRecord(long sequence, LossOrTheft loss)
{
    public long Sequence { get; } = sequence;
    public LossOrTheft Loss { get; } = loss;
    public Dictionary<LossReportKind, DateOnly> Filings { get; } = [];

    public LossView View(bool reversed) =>
        new(Sequence, Loss, Filings.TryGetValue(LossReportKind.WrittenNotice, out var n) ? n : null,
            Filings.TryGetValue(LossReportKind.Form106, out var f) ? f : null, reversed);
}

internal sealed class DiscrepancyRecord(DiscrepancyRef reference, StockCount count)
{
    public DiscrepancyRef Ref { get; } = reference;
    public StockCount Count { get; } = count;
    public long? ResolvedBySequence { get; private set; }
    public DiscrepancyResolution? Resolution { get; private set; }

    public void Resolve(long sequence, DiscrepancyResolution resolution)
    {
        ResolvedBySequence = sequence;
        Resolution = resolution;
    }

    public void Reopen()
    {
        ResolvedBySequence = null;
        Resolution = null;
    }

    public DiscrepancyView View() =>
        new(Ref, Count.Discrepancies[Ref.Index], Count.CountKind, Count.ClinicLocationId, Count.CountedOn, Count.CountedBy,
            ResolvedBySequence, Resolution?.Reason, Resolution?.ResolvedBy);
}
