using System.Globalization;
using KetaClinic.Domain.Scheduling;

namespace KetaClinic.Domain.Protocols;

/// <summary>
/// The calendar rules of a series of sessions. Spacing is the number of days from one session's date to the next
/// one's (Monday → Wednesday is 2). "Per 7 days" is rolling: no 7 consecutive days may hold more than
/// <see cref="MaxSessionsPer7Days"/> sessions. The window is inclusive: first to last session spans at most
/// <see cref="WindowDays"/> calendar days.
/// </summary>
public sealed record SeriesRules(int Sessions, int SpacingMinDays, int SpacingMaxDays, int MaxSessionsPer7Days, int WindowDays)
{
    /// <summary>Largest series the solver accepts; far above any protocol's induction.</summary>
    public const int MaxSessions = 60;

    /// <summary>Problems with the rules themselves, each naming the field; empty when usable.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (Sessions is < 1 or > MaxSessions)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"sessions must be between 1 and {MaxSessions} (was {Sessions})."));
        }

        if (SpacingMinDays < 1)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"spacingMinDays must be at least 1: one session a day at most (was {SpacingMinDays})."));
        }

        if (SpacingMaxDays < SpacingMinDays)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"spacingMaxDays ({SpacingMaxDays}) must not be below spacingMinDays ({SpacingMinDays})."));
        }

        if (MaxSessionsPer7Days is < 1 or > 7)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"maxSessionsPer7Days must be between 1 and 7 (was {MaxSessionsPer7Days})."));
        }

        if (WindowDays < 1)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"windowDays must be at least 1 (was {WindowDays})."));
        }

        if (problems.Count == 0)
        {
            var span = MinimumSpanDays();
            if (span is null)
            {
                problems.Add(string.Create(CultureInfo.InvariantCulture,
                    $"spacing of {SpacingMinDays}–{SpacingMaxDays} days and at most {MaxSessionsPer7Days} sessions in any 7 days cannot both hold for {Sessions} sessions."));
            }
            else if (span > WindowDays)
            {
                problems.Add(string.Create(CultureInfo.InvariantCulture,
                    $"{Sessions} sessions spaced at least {SpacingMinDays} days apart, at most {MaxSessionsPer7Days} in any 7 days, need at least {span} days; the window is {WindowDays} days."));
            }
        }

        return problems;
    }

    /// <summary>
    /// The fewest calendar days (first to last session, inclusive) the series can span when every day is free,
    /// or null when spacing and the weekly limit contradict each other. Ignores <see cref="WindowDays"/>.
    /// </summary>
    public int? MinimumSpanDays()
    {
        if (Sessions < 1 || SpacingMinDays < 1 || SpacingMaxDays < SpacingMinDays || MaxSessionsPer7Days < 1)
        {
            return null;
        }

        var layers = Enumerable.Range(0, Sessions)
            .Select(i => i == 0 ? DaySequenceSearch.Layer.Pinned(0) : DaySequenceSearch.Layer.Free(_ => true))
            .ToList();
        var days = DaySequenceSearch.Solve(
            layers, SpacingMinDays, SpacingMaxDays, MaxSessionsPer7Days, int.MaxValue, 0, (Sessions - 1) * SpacingMaxDays);
        return days is null ? null : days[^1] - days[0] + 1;
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Sessions} sessions spaced {SpacingMinDays}–{SpacingMaxDays} days apart, at most {MaxSessionsPer7Days} in any 7 days, within {WindowDays} days");
}
