namespace KetaClinic.Domain.Outcomes;

/// <summary>A proportion with its Wilson score interval (95 % by default).</summary>
public sealed record Proportion(int Successes, int Total, decimal? Rate, decimal? Lower, decimal? Upper)
{
    public override string ToString() => Rate is null
        ? $"{Successes}/{Total}"
        : $"{Rate:P0} ({Successes}/{Total}; 95 % CI {Lower:P0}–{Upper:P0})";
}

/// <summary>One course's outcome facts, as the clinic dashboard aggregates them.</summary>
/// <param name="Status">Current status code (see <see cref="OutcomeStatusCodes"/>).</param>
/// <param name="Responded">The course reached response at some point.</param>
/// <param name="Remitted">The course reached remission at some point.</param>
/// <param name="Relapsed">The course relapsed after response.</param>
/// <param name="SessionsToResponse">Sessions given up to the first response; null without response.</param>
/// <param name="DaysToRelapse">Days from first response to relapse; null without relapse.</param>
public sealed record CourseOutcomeFacts(
    string Status,
    bool Responded,
    bool Remitted,
    bool Relapsed,
    int? SessionsToResponse,
    int? DaysToRelapse);

/// <summary>The dashboard figures for one group of courses.</summary>
/// <param name="Courses">Courses in the group.</param>
/// <param name="Classified">Courses with a baseline and at least one later score (the denominator of the rates).</param>
/// <param name="Response">Courses that reached response, of those classified.</param>
/// <param name="Remission">Courses that reached remission, of those classified.</param>
/// <param name="Relapse">Courses that relapsed, of those that responded.</param>
public sealed record OutcomeSummary(
    int Courses,
    int Classified,
    Proportion Response,
    Proportion Remission,
    decimal? MedianSessionsToResponse,
    Proportion Relapse,
    decimal? MedianDaysToRelapse);

public static class OutcomeStatistics
{
    /// <summary>Status of a course with a baseline but no score since the first session.</summary>
    public const string AwaitingFollowUp = "awaiting-follow-up";

    /// <summary>z for a two-sided 95 % interval.</summary>
    public const double Z95 = 1.959963984540054;

    /// <summary>
    /// Wilson score interval for a binomial proportion (Wilson 1927; recommended over the Wald interval for small
    /// counts and rates near 0 or 1, Brown, Cai &amp; DasGupta 2001). Rates are fractions 0–1, rounded to 4 places.
    /// </summary>
    public static Proportion Wilson(int successes, int total, double z = Z95)
    {
        if (total < 0 || successes < 0 || successes > total)
        {
            throw new ArgumentOutOfRangeException(nameof(successes), $"Need 0 ≤ successes ≤ total; got {successes} of {total}.");
        }
        if (total == 0)
        {
            return new Proportion(0, 0, null, null, null);
        }
        double n = total;
        var p = successes / n;
        var z2 = z * z;
        var centre = (p + (z2 / (2 * n))) / (1 + (z2 / n));
        var half = z / (1 + (z2 / n)) * Math.Sqrt((p * (1 - p) / n) + (z2 / (4 * n * n)));
        var lower = Math.Max(0, centre - half);
        var upper = Math.Min(1, centre + half);
        return new Proportion(successes, total, Round(p), Round(lower), Round(upper));
    }

    /// <summary>The median, or null for an empty list.</summary>
    public static decimal? Median(IEnumerable<int> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var sorted = values.Order().ToList();
        if (sorted.Count == 0)
        {
            return null;
        }
        var mid = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2m;
    }

    public static OutcomeSummary Summarise(IReadOnlyCollection<CourseOutcomeFacts> courses)
    {
        ArgumentNullException.ThrowIfNull(courses);
        return Summarise(courses.Select(c => (c, 1)).ToList());
    }

    /// <summary>The same figures from counted groups of identical facts (as a GROUP BY in the database returns them).</summary>
    public static OutcomeSummary Summarise(IReadOnlyCollection<(CourseOutcomeFacts Facts, int Count)> groups)
    {
        ArgumentNullException.ThrowIfNull(groups);
        if (groups.Any(g => g.Count < 0))
        {
            throw new ArgumentOutOfRangeException(nameof(groups), "A group cannot have a negative count.");
        }
        var classified = groups.Where(g => g.Facts.Status is not ("needs-baseline" or "needs-review" or AwaitingFollowUp)).ToList();
        var responders = classified.Where(g => g.Facts.Responded).ToList();
        var classifiedCount = classified.Sum(g => g.Count);
        var responderCount = responders.Sum(g => g.Count);
        return new OutcomeSummary(
            groups.Sum(g => g.Count),
            classifiedCount,
            Wilson(responderCount, classifiedCount),
            Wilson(classified.Where(g => g.Facts.Remitted).Sum(g => g.Count), classifiedCount),
            WeightedMedian(responders.Where(g => g.Facts.SessionsToResponse is not null).Select(g => (g.Facts.SessionsToResponse!.Value, g.Count))),
            Wilson(responders.Where(g => g.Facts.Relapsed).Sum(g => g.Count), responderCount),
            WeightedMedian(responders.Where(g => g.Facts.Relapsed && g.Facts.DaysToRelapse is not null).Select(g => (g.Facts.DaysToRelapse!.Value, g.Count))));
    }

    /// <summary>The median of values given with their multiplicities; null when there are none.</summary>
    public static decimal? WeightedMedian(IEnumerable<(int Value, int Count)> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var sorted = values.Where(v => v.Count > 0).GroupBy(v => v.Value).Select(g => (Value: g.Key, Count: g.Sum(v => v.Count))).OrderBy(v => v.Value).ToList();
        long total = sorted.Sum(v => (long)v.Count);
        if (total == 0)
        {
            return null;
        }
        int At(long index)
        {
            foreach (var (value, count) in sorted)
            {
                if (index < count)
                {
                    return value;
                }
                index -= count;
            }
            throw new InvalidOperationException("Index beyond the values.");
        }
        return total % 2 == 1 ? At(total / 2) : (At((total / 2) - 1) + At(total / 2)) / 2m;
    }

    private static decimal Round(double value) => Math.Round((decimal)value, 4, MidpointRounding.AwayFromZero);
}
