namespace KetaClinic.Domain.ControlledSubstances;

/// <summary>Administrations from <see cref="From"/> (inclusive) to <see cref="To"/> (exclusive); the person matches who drew or who administered.</summary>
public sealed record AdministrationLogFilter(
    DateTimeOffset From, DateTimeOffset To, Guid? ProductId = null, Guid? PatientId = null, string? Person = null, bool IncludeReversed = false);

public sealed record AdministrationRow(
    long Sequence, DateTimeOffset AdministeredAt, Guid PatientId, Guid SessionId, Guid DosingRecordId,
    Guid ProductId, Guid ContainerId, string Lot, MeasuredAmount Measured, MassMcg Mass, string AdministeredBy,
    long DrawSequence, string DrawnBy, DateTimeOffset DrawnAt, long? ReversedBy);

/// <summary>A change to one product's on-hand stock (clinic-wide, or at one storage place).</summary>
public sealed record ProductBalanceRow(long Sequence, DateTimeOffset RecordedAt, string Kind, Guid ProductId, MassMcg Change, MassMcg OnHand);

/// <summary>A change to one container: its balance, place or state (null once its receipt is reversed).</summary>
public sealed record ContainerBalanceRow(
    long Sequence, DateTimeOffset RecordedAt, string Kind, Guid ContainerId, Guid ProductId, Guid StorageLocationId,
    MassMcg Change, MassMcg Balance, ContainerState? State);

public enum DisposalKind
{
    Waste,
    Destruction,
}

public sealed record DisposalRow(
    long Sequence, DateTimeOffset RecordedAt, DisposalKind Disposal, Guid ProductId, Guid ContainerId, long? DrawSequence,
    MassMcg Mass, string Manner, string By, IReadOnlyList<string> Witnesses, DateTimeOffset? WastedAt, DateOnly? DestroyedOn,
    string? Form41Reference, long? ReversedBy);

public sealed record LossRow(LossView Loss, LossReportStatus Reports, MassMcg TotalLost, int Containers);

/// <summary>
/// Reports as pure projections over the ledger's entries. Each takes the entries in any order (they are put in
/// sequence order first) and returns rows; rendering to screen or CSV is the app's.
/// </summary>
public static class LedgerReports
{
    /// <summary>The dispensing/administration log (21 CFR 1304.22(c)): who got how much, from which container, given by whom.</summary>
    public static IReadOnlyList<AdministrationRow> AdministrationLog(IEnumerable<LedgerEntry> entries, AdministrationLogFilter filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var state = LedgerState.Replay(entries);
        var person = filter.Person?.Trim();
        return [.. state.Entries
            .Where(e => e.Event is Administration)
            .Select(e => ToRow(state, e))
            .Where(r => r.AdministeredAt >= filter.From && r.AdministeredAt < filter.To)
            .Where(r => filter.ProductId is null || r.ProductId == filter.ProductId)
            .Where(r => filter.PatientId is null || r.PatientId == filter.PatientId)
            .Where(r => string.IsNullOrEmpty(person)
                || string.Equals(r.AdministeredBy, person, StringComparison.Ordinal)
                || string.Equals(r.DrawnBy, person, StringComparison.Ordinal))
            .Where(r => filter.IncludeReversed || r.ReversedBy is null)
            .OrderBy(r => r.AdministeredAt)
            .ThenBy(r => r.Sequence)];
    }

    /// <summary>Every standing administration to one patient, oldest first.</summary>
    public static IReadOnlyList<AdministrationRow> PatientHistory(IEnumerable<LedgerEntry> entries, Guid patientId) =>
        AdministrationLog(entries, new AdministrationLogFilter(DateTimeOffset.MinValue, DateTimeOffset.MaxValue, PatientId: patientId));

    /// <summary>
    /// Running on-hand of a product after each entry that changes it: clinic-wide (transfers do not show) or at one
    /// storage place.
    /// </summary>
    public static IReadOnlyList<ProductBalanceRow> ProductRunningBalance(IEnumerable<LedgerEntry> entries, Guid productId, Guid? storageLocationId = null)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var state = new LedgerState();
        var rows = new List<ProductBalanceRow>();
        var onHand = MassMcg.Zero;
        foreach (var entry in entries.OrderBy(e => e.Sequence))
        {
            state.Apply(entry);
            var now = state.OnHandByFlows(productId, storageLocationId);
            if (now != onHand)
            {
                rows.Add(new ProductBalanceRow(entry.Sequence, entry.RecordedAt, entry.Kind, productId, now - onHand, now));
                onHand = now;
            }
        }
        return rows;
    }

    /// <summary>Running balance, place and state of each container (or one) after every entry that changes it.</summary>
    public static IReadOnlyList<ContainerBalanceRow> ContainerRunningBalance(IEnumerable<LedgerEntry> entries, Guid? containerId = null)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var state = new LedgerState();
        var rows = new List<ContainerBalanceRow>();
        var last = new Dictionary<Guid, (MassMcg Balance, Guid Storage, ContainerState? State)>();
        foreach (var entry in entries.OrderBy(e => e.Sequence))
        {
            state.Apply(entry);
            foreach (var id in ContainersOf(state, entry.Event).Where(id => containerId is null || id == containerId).Order())
            {
                var c = state.AnyContainerRecord(id);
                if (c is null)
                {
                    continue;
                }
                var stateNow = c.Voided ? (ContainerState?)null : c.State;
                var before = last.GetValueOrDefault(id, (MassMcg.Zero, c.StorageLocationId, null));
                if (!last.ContainsKey(id) || before.Balance != c.Balance || before.Storage != c.StorageLocationId || before.State != stateNow)
                {
                    rows.Add(new ContainerBalanceRow(entry.Sequence, entry.RecordedAt, entry.Kind, id, c.ProductId, c.StorageLocationId,
                        c.Balance - before.Balance, c.Balance, stateNow));
                    last[id] = (c.Balance, c.StorageLocationId, stateNow);
                }
            }
        }
        return rows;
    }

    /// <summary>Waste and destruction, one row per container or draw, in ledger order.</summary>
    public static IReadOnlyList<DisposalRow> WasteAndDestructionLog(IEnumerable<LedgerEntry> entries, DateTimeOffset from, DateTimeOffset to, bool includeReversed = false)
    {
        var state = LedgerState.Replay(entries);
        var rows = new List<DisposalRow>();
        foreach (var entry in state.Entries.Where(e => e.RecordedAt >= from && e.RecordedAt < to))
        {
            var reversedBy = state.ReversedBy(entry.Sequence);
            if (reversedBy is not null && !includeReversed)
            {
                continue;
            }
            switch (entry.Event)
            {
                case Waste w:
                    {
                        var draw = w.DrawSequence is { } ds ? state.DrawRecordOf(ds) : null;
                        var containerId = draw?.Draw.ContainerId ?? w.ContainerId ?? Guid.Empty;
                        var productId = draw?.ProductId ?? state.AnyContainerRecord(containerId)?.ProductId ?? Guid.Empty;
                        rows.Add(new DisposalRow(entry.Sequence, entry.RecordedAt, DisposalKind.Waste, productId, containerId, w.DrawSequence,
                            w.Mass, w.Manner, w.WastedBy, w.Witness is null ? [] : [w.Witness.UserId], w.WastedAt, null, null, reversedBy));
                        break;
                    }
                case Destruction d:
                    foreach (var line in d.Containers)
                    {
                        rows.Add(new DisposalRow(entry.Sequence, entry.RecordedAt, DisposalKind.Destruction,
                            state.AnyContainerRecord(line.ContainerId)?.ProductId ?? Guid.Empty, line.ContainerId, null, line.Mass, d.Method,
                            d.DestroyedBy, [.. d.Witnesses.Select(x => x.UserId)], null, d.DestroyedOn, d.Form41Reference, reversedBy));
                    }
                    break;
                default:
                    break;
            }
        }
        return rows;
    }

    /// <summary>Thefts and losses with their report deadlines and whether they are overdue on <paramref name="today"/>.</summary>
    public static IReadOnlyList<LossRow> LossRecords(IEnumerable<LedgerEntry> entries, DateOnly today, IReadOnlySet<DateOnly> holidays, LedgerSettings settings, bool includeReversed = false)
    {
        var state = LedgerState.Replay(entries);
        return [.. state.Losses
            .Where(l => includeReversed || !l.Reversed)
            .Select(l => new LossRow(l, LossDeadlines.Status(l, today, holidays, settings),
                l.Loss.Lines.Aggregate(MassMcg.Zero, (sum, x) => sum + x.Mass), l.Loss.Lines.Count))];
    }

    private static AdministrationRow ToRow(LedgerState state, LedgerEntry entry)
    {
        var a = (Administration)entry.Event;
        var draw = state.DrawRecordOf(a.DrawSequence)!;
        var container = state.AnyContainerRecord(draw.Draw.ContainerId)!;
        return new AdministrationRow(entry.Sequence, a.AdministeredAt, a.PatientId, a.SessionId, a.DosingRecordId,
            draw.ProductId, container.Id, container.Lot, a.Measured, a.Mass, a.AdministeredBy,
            draw.Sequence, draw.Draw.DrawnBy, draw.Draw.DrawnAt, state.ReversedBy(entry.Sequence));
    }

    private static IEnumerable<Guid> ContainersOf(LedgerState state, LedgerEvent e) => e switch
    {
        Receipt r => r.Containers.Select(c => c.ContainerId),
        Transfer t => [t.ContainerId],
        Draw d => [d.ContainerId],
        Waste { ContainerId: { } id } => [id],
        ReturnToSupplier r => r.Containers.Select(c => c.ContainerId),
        Destruction d => d.Containers.Select(c => c.ContainerId),
        LossOrTheft l => l.Lines.Select(x => x.ContainerId),
        Correction c when state.Entry(c.OriginalSequence) is { } original => ContainersOf(state, original.Event),
        _ => [],
    };
}
