namespace KetaClinic.Domain.ControlledSubstances;

/// <summary>One rule of the ledger that does not hold, at the entry where it first fails (null: the state as a whole).</summary>
public sealed record InvariantViolation(long? Sequence, string Rule, string Message);

/// <summary>
/// The ledger's invariants as pure functions: no container or draw below zero, terminal containers empty, and
/// per product and storage place, stock counted from containers and open draws equals the ledger equation
/// (receipts − administered − wasted − returned − destroyed − lost ± transfers).
/// </summary>
public static class LedgerInvariants
{
    public const string ContainerNotNegative = "container-not-negative";
    public const string ContainerNotAboveReceived = "container-not-above-received";
    public const string DrawWithinDrawn = "draw-within-drawn";
    public const string GoneContainerIsEmpty = "gone-container-is-empty";
    public const string OnHandEquation = "on-hand-equation";
    public const string Applicable = "entry-applicable";

    /// <summary>Checks the state as it stands (one pass over containers and draws).</summary>
    public static IReadOnlyList<InvariantViolation> Check(LedgerState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var violations = new List<InvariantViolation>();
        foreach (var c in state.AllContainerRecords)
        {
            CheckContainer(null, c, violations);
        }
        foreach (var d in state.AllDrawRecords.Where(d => !d.Reversed))
        {
            CheckDraw(null, d, violations);
        }
        var stock = new Dictionary<(Guid, Guid), MassMcg>();
        foreach (var c in state.AllContainerRecords.Where(c => !c.Voided))
        {
            stock[(c.ProductId, c.StorageLocationId)] = stock.GetValueOrDefault((c.ProductId, c.StorageLocationId)) + c.Balance;
        }
        foreach (var d in state.AllDrawRecords.Where(d => !d.Reversed))
        {
            stock[(d.ProductId, d.StorageLocationId)] = stock.GetValueOrDefault((d.ProductId, d.StorageLocationId)) + d.Remaining;
        }
        foreach (var key in stock.Keys.Union(state.FlowRecords.Keys).OrderBy(k => k.Item1).ThenBy(k => k.Item2))
        {
            var byFlows = state.FlowRecords.TryGetValue(key, out var f) ? f.View(key.Item1, key.Item2).OnHand : MassMcg.Zero;
            var counted = stock.GetValueOrDefault(key);
            if (byFlows != counted)
            {
                violations.Add(new(null, OnHandEquation, EquationMessage(key, byFlows, counted)));
            }
        }
        return violations;
    }

    /// <summary>
    /// Replays entries in sequence order and checks every invariant after each one, touching only what the entry
    /// changed; reports the violations at the first entry that breaks a rule (empty when none does).
    /// </summary>
    public static IReadOnlyList<InvariantViolation> CheckEveryPrefix(IEnumerable<LedgerEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var state = new LedgerState();
        foreach (var entry in entries.OrderBy(e => e.Sequence))
        {
            var touched = Touched(state, entry);
            var before = Contributions(state, touched);
            var flowsBefore = state.FlowRecords.ToDictionary(f => f.Key, f => f.Value.View(f.Key.Product, f.Key.Storage).OnHand);
            try
            {
                state.Apply(entry);
            }
            catch (InvalidOperationException ex)
            {
                return [new InvariantViolation(entry.Sequence, Applicable, ex.Message)];
            }
            var violations = new List<InvariantViolation>();
            foreach (var id in touched.Containers)
            {
                if (state.AnyContainerRecord(id) is { } c)
                {
                    CheckContainer(entry.Sequence, c, violations);
                }
            }
            foreach (var seq in touched.Draws)
            {
                if (state.DrawRecordOf(seq) is { Reversed: false } d)
                {
                    CheckDraw(entry.Sequence, d, violations);
                }
            }
            var after = Contributions(state, touched);
            var flowsAfter = state.FlowRecords.ToDictionary(f => f.Key, f => f.Value.View(f.Key.Product, f.Key.Storage).OnHand);
            foreach (var key in flowsAfter.Keys.Union(flowsBefore.Keys).Union(after.Keys).Union(before.Keys))
            {
                var flowChange = flowsAfter.GetValueOrDefault(key) - flowsBefore.GetValueOrDefault(key);
                var stockChange = after.GetValueOrDefault(key) - before.GetValueOrDefault(key);
                if (flowChange != stockChange)
                {
                    violations.Add(new(entry.Sequence, OnHandEquation,
                        $"product {key.Product} in storage {key.Storage}: the entry changes on-hand by {flowChange} by the ledger equation but stock by {stockChange}."));
                }
            }
            if (violations.Count > 0)
            {
                return violations;
            }
        }
        return Check(state);
    }

    /// <summary>
    /// The close-draw check: draws of a session whose drawn amount is not yet fully administered or wasted.
    /// A session closes only when this is empty.
    /// </summary>
    public static IReadOnlyList<DrawView> UnbalancedDraws(LedgerState state, Guid sessionId)
    {
        ArgumentNullException.ThrowIfNull(state);
        return [.. state.OpenDraws.Where(d => d.SessionId == sessionId)];
    }

    /// <summary>Draws still holding drug after every entry recorded at or before <paramref name="instant"/>.</summary>
    public static IReadOnlyList<DrawView> OpenDrawsAt(IEnumerable<LedgerEntry> entries, DateTimeOffset instant)
    {
        ArgumentNullException.ThrowIfNull(entries);
        return LedgerState.AsOf(entries, instant).OpenDraws;
    }

    /// <summary>Draws still open at the end of a clinic day (every entry recorded before the next day began in the clinic's zone).</summary>
    public static IReadOnlyList<DrawView> OpenDrawsAtEndOfDay(IEnumerable<LedgerEntry> entries, DateOnly day, TimeZoneInfo clinicZone)
    {
        ArgumentNullException.ThrowIfNull(clinicZone);
        var nextMidnight = day.AddDays(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        var start = new DateTimeOffset(nextMidnight, clinicZone.GetUtcOffset(nextMidnight));
        return OpenDrawsAt(entries, start.AddTicks(-1));
    }

    private static void CheckContainer(long? seq, ContainerRecord c, List<InvariantViolation> violations)
    {
        if (c.Balance.Micrograms < 0)
        {
            violations.Add(new(seq, ContainerNotNegative, $"container {c.Id} (lot {c.Lot}) holds {c.Balance}, below zero."));
        }
        if (c.Balance > c.Received)
        {
            violations.Add(new(seq, ContainerNotAboveReceived, $"container {c.Id} (lot {c.Lot}) holds {c.Balance}, more than the {c.Received} received."));
        }
        if ((c.Voided || !c.InStock) && c.Balance.Micrograms != 0)
        {
            violations.Add(new(seq, GoneContainerIsEmpty, $"container {c.Id} (lot {c.Lot}) is {(c.Voided ? "reversed" : c.State.ToString().ToLowerInvariant())} but still holds {c.Balance}."));
        }
    }

    private static void CheckDraw(long? seq, DrawRecord d, List<InvariantViolation> violations)
    {
        if (d.Administered.Micrograms < 0 || d.Wasted.Micrograms < 0 || d.Remaining.Micrograms < 0)
        {
            violations.Add(new(seq, DrawWithinDrawn, $"draw {d.Sequence}: {d.Drawn} drawn, {d.Administered} administered and {d.Wasted} wasted do not fit."));
        }
    }

    private static string EquationMessage((Guid Product, Guid Storage) key, MassMcg byFlows, MassMcg counted) =>
        $"product {key.Product} in storage {key.Storage}: the ledger equation gives {byFlows} on hand but containers and open draws hold {counted}.";

    private sealed record TouchedItems(HashSet<Guid> Containers, HashSet<long> Draws);

    private static TouchedItems Touched(LedgerState state, LedgerEntry entry)
    {
        var containers = new HashSet<Guid>();
        var draws = new HashSet<long>();
        void Add(LedgerEvent e, long seq)
        {
            switch (e)
            {
                case Receipt r:
                    containers.UnionWith(r.Containers.Select(c => c.ContainerId));
                    break;
                case Transfer t:
                    containers.Add(t.ContainerId);
                    break;
                case Draw d:
                    containers.Add(d.ContainerId);
                    draws.Add(seq);
                    break;
                case Administration a:
                    draws.Add(a.DrawSequence);
                    break;
                case Waste w:
                    if (w.DrawSequence is { } ds)
                    {
                        draws.Add(ds);
                    }
                    if (w.ContainerId is { } cid)
                    {
                        containers.Add(cid);
                    }
                    break;
                case ReturnToSupplier ret:
                    containers.UnionWith(ret.Containers.Select(c => c.ContainerId));
                    break;
                case Destruction des:
                    containers.UnionWith(des.Containers.Select(c => c.ContainerId));
                    break;
                case LossOrTheft loss:
                    containers.UnionWith(loss.Lines.Select(l => l.ContainerId));
                    break;
                case Correction c when state.Entry(c.OriginalSequence) is { } original:
                    Add(original.Event, original.Sequence);
                    break;
                default:
                    break;
            }
        }
        Add(entry.Event, entry.Sequence);
        foreach (var seq in draws.ToList())
        {
            if (state.DrawRecordOf(seq) is { } d)
            {
                containers.Add(d.Draw.ContainerId);
            }
        }
        return new TouchedItems(containers, draws);
    }

    /// <summary>What the touched containers and draws add to stock, per product and storage place.</summary>
    private static Dictionary<(Guid Product, Guid Storage), MassMcg> Contributions(LedgerState state, TouchedItems touched)
    {
        var result = new Dictionary<(Guid Product, Guid Storage), MassMcg>();
        foreach (var id in touched.Containers)
        {
            if (state.AnyContainerRecord(id) is { Voided: false } c)
            {
                result[(c.ProductId, c.StorageLocationId)] = result.GetValueOrDefault((c.ProductId, c.StorageLocationId)) + c.Balance;
            }
        }
        foreach (var seq in touched.Draws)
        {
            if (state.DrawRecordOf(seq) is { Reversed: false } d)
            {
                result[(d.ProductId, d.StorageLocationId)] = result.GetValueOrDefault((d.ProductId, d.StorageLocationId)) + d.Remaining;
            }
        }
        return result;
    }
}
