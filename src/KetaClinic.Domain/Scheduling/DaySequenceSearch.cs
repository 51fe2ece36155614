using System.Numerics;

namespace KetaClinic.Domain.Scheduling;

/// <summary>
/// Chooses the days of a series: one day per session, in order, with the gap between consecutive sessions within
/// [min, max] days, at most a given number of sessions in any 7 consecutive days, and first-to-last span within the
/// window. Some sessions may be pinned to a day (appointments that must not move).
///
/// Completeness and optimality. For a fixed first day F the search is a layered dynamic programme. Layer i holds the
/// states (day of session i, which of the 6 days before it hold sessions). Whether a partial sequence can be extended,
/// and at what cost, depends only on that state and F: the next gap is measured from the day, the weekly limit only
/// looks at the trailing 7 days (checking the window ending on each session day is enough, because the fullest
/// 7-day window can always be slid right until it ends on a session), and the span only on F. So by induction layer i
/// holds exactly the states reachable by some valid partial sequence, each with its least cost; the last layer
/// therefore contains every feasible last day with its least cost. Trying every possible F and keeping the least
/// (cost, last day, first day) returns an optimal sequence whenever one exists, and null only when none does.
/// Size: at most sessions × window × 128 states per F, so a few milliseconds for a clinic's 21-day window.
/// </summary>
internal static class DaySequenceSearch
{
    private const int WeekMask = 0x7F;

    internal sealed class Layer
    {
        private Layer(int? pinnedDay, Func<int, bool>? allowed, Func<int, long>? cost)
        {
            PinnedDay = pinnedDay;
            Allowed = allowed;
            Cost = cost;
        }

        /// <summary>The day this session keeps; pinned sessions are not checked against the free-day range.</summary>
        public int? PinnedDay { get; }

        public Func<int, bool>? Allowed { get; }

        public Func<int, long>? Cost { get; }

        public static Layer Pinned(int day) => new(day, null, null);

        public static Layer Free(Func<int, bool> allowed, Func<int, long>? cost = null) => new(null, allowed, cost);

        public bool Accepts(int day, int fromDay, int untilDay) =>
            PinnedDay is { } pinned ? day == pinned : day >= fromDay && day <= untilDay && Allowed!(day);

        public long CostOf(int day) => Cost?.Invoke(day) ?? 0;
    }

    /// <summary>The chosen day numbers, one per layer, or null when no sequence satisfies every rule.</summary>
    /// <param name="layers">One entry per session, in session order.</param>
    /// <param name="spacingMin">Least gap in days between consecutive sessions (at least 1).</param>
    /// <param name="spacingMax">Greatest gap in days.</param>
    /// <param name="maxPer7Days">Most sessions in any 7 consecutive days (1–7).</param>
    /// <param name="windowDays">Most calendar days from first to last session, inclusive.</param>
    /// <param name="fromDay">First day a free session may take.</param>
    /// <param name="untilDay">Last day a free session may take.</param>
    public static int[]? Solve(
        IReadOnlyList<Layer> layers, int spacingMin, int spacingMax, int maxPer7Days, int windowDays, int fromDay, int untilDay)
    {
        if (layers.Count == 0 || spacingMin < 1 || spacingMax < spacingMin || maxPer7Days < 1)
        {
            return null;
        }

        var firstDays = layers[0].PinnedDay is { } pinned
            ? [pinned]
            : Enumerable.Range(fromDay, Math.Max(0, untilDay - fromDay + 1)).Where(d => layers[0].Allowed!(d));

        Node? best = null;
        foreach (var first in firstDays)
        {
            var end = BestFrom(first, layers, spacingMin, spacingMax, maxPer7Days, windowDays, fromDay, untilDay);
            if (end is not null
                && (best is null || end.Cost < best.Cost || (end.Cost == best.Cost && end.Day < best.Day)))
            {
                best = end;
            }
        }

        if (best is null)
        {
            return null;
        }

        var days = new int[layers.Count];
        for (var (node, i) = (best, layers.Count - 1); node is not null; node = node.Previous, i--)
        {
            days[i] = node.Day;
        }
        return days;
    }

    private static Node? BestFrom(
        int first, IReadOnlyList<Layer> layers, int spacingMin, int spacingMax, int maxPer7Days, int windowDays, int fromDay, int untilDay)
    {
        // The last day any session may take without breaking the window.
        var lastAllowed = windowDays == int.MaxValue ? int.MaxValue : first + windowDays - 1;
        var current = new Dictionary<long, Node> { [Key(first, 1)] = new Node(first, 1, layers[0].CostOf(first), null) };
        for (var i = 1; i < layers.Count && current.Count > 0; i++)
        {
            var layer = layers[i];
            var next = new Dictionary<long, Node>();
            foreach (var node in current.Values)
            {
                for (var gap = spacingMin; gap <= spacingMax; gap++)
                {
                    var day = node.Day + gap;
                    if (day > lastAllowed || (layer.PinnedDay is null && day > untilDay))
                    {
                        break;
                    }

                    if (!layer.Accepts(day, fromDay, untilDay))
                    {
                        continue;
                    }

                    var mask = gap >= 7 ? 1 : ((node.Mask << gap) & WeekMask) | 1;
                    if (BitOperations.PopCount((uint)mask) > maxPer7Days)
                    {
                        continue;
                    }

                    var cost = node.Cost + layer.CostOf(day);
                    var key = Key(day, mask);
                    if (!next.TryGetValue(key, out var existing) || cost < existing.Cost)
                    {
                        next[key] = new Node(day, mask, cost, node);
                    }
                }
            }

            current = next;
        }

        Node? best = null;
        foreach (var node in current.Values)
        {
            if (best is null || node.Cost < best.Cost || (node.Cost == best.Cost && node.Day < best.Day))
            {
                best = node;
            }
        }

        return best;
    }

    private static long Key(int day, int mask) => ((long)day << 7) | (uint)mask;

    private sealed record Node(int Day, int Mask, long Cost, Node? Previous);
}
