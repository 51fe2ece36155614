using System.Globalization;

namespace KetaClinic.Domain.Scheduling;

/// <summary>
/// Fits the days of one series on a <see cref="DayGrid"/> and, when nothing fits, finds the constraint to blame:
/// the search is repeated with day sets that honour the constraints one at a time, in <see cref="SeriesConstraint"/>
/// order; the first constraint whose days no longer hold the series is the one named. Since every added constraint can
/// only remove days, the failures are monotone and the first failing level is well defined.
/// </summary>
internal static class SeriesFit
{
    internal sealed record Result(int[]? Days, SeriesConstraint? Failed, string Explanation);

    /// <param name="grid">The days' levels for this series.</param>
    /// <param name="plan">The series.</param>
    /// <param name="layersFor">Builds the session layers given which free days are allowed.</param>
    /// <param name="from">First day a moved or new session may take.</param>
    /// <param name="until">Last day a moved or new session may take.</param>
    /// <param name="sequenceProblem">Explains a failure with every day open (spacing, window, kept sessions, period).</param>
    /// <param name="what">Names what must fit, e.g. "the 6 sessions (…)".</param>
    /// <param name="explain">False to skip finding the constraint to blame when nothing fits (Failed is then null).</param>
    public static Result Solve(
        DayGrid grid,
        SeriesPlan plan,
        Func<Func<int, bool>, IReadOnlyList<DaySequenceSearch.Layer>> layersFor,
        int from,
        int until,
        Func<string> sequenceProblem,
        string what,
        bool explain = true)
    {
        var rules = plan.Rules;
        int[]? Run(int level) => DaySequenceSearch.Solve(
            layersFor(d => level == 0 || grid.Level(d) >= level),
            rules.SpacingMinDays,
            rules.SpacingMaxDays,
            rules.MaxSessionsPer7Days,
            rules.WindowDays,
            from,
            until);

        var days = Run(DayGrid.FullLevel);
        if (days is not null)
        {
            return new Result(days, null, string.Empty);
        }

        if (!explain)
        {
            return new Result(null, null, string.Empty);
        }

        for (var level = 0; level < DayGrid.FullLevel; level++)
        {
            if (Run(level) is null)
            {
                return level == 0
                    ? new Result(null, SeriesConstraint.SeriesRules, sequenceProblem())
                    : Explain(grid, plan, level, from, until, what);
            }
        }

        return Explain(grid, plan, DayGrid.FullLevel, from, until, what);
    }

    public static string Date(int day) => DateOnly.FromDayNumber(day).ToString("ddd yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static string Period(int from, int until) => string.Create(CultureInfo.InvariantCulture,
        $"from {Date(from)} to {Date(until)} ({until - from + 1} days)");

    private static Result Explain(DayGrid grid, SeriesPlan plan, int level, int from, int until, string what)
    {
        var constraint = (SeriesConstraint)level;
        var phrase = Phrase(constraint, plan, grid.Duration);
        var days = Enumerable.Range(from, until - from + 1).Where(d => grid.Level(d) >= level).ToList();
        if (days.Count == 0)
        {
            return new Result(null, constraint, $"No day {Period(from, until)} has {phrase}.");
        }

        const int Shown = 10;
        var list = string.Join(", ", days.Take(Shown).Select(Date)) + (days.Count > Shown ? ", …" : string.Empty);
        var count = days.Count == 1 ? "Only 1 day" : string.Create(CultureInfo.InvariantCulture, $"Only {days.Count} days");
        return new Result(null, constraint, $"{count} {Period(from, until)} {(days.Count == 1 ? "has" : "have")} {phrase} ({list}); they cannot hold {what}.");
    }

    private static string Phrase(SeriesConstraint constraint, SeriesPlan plan, int minutes)
    {
        var length = string.Create(CultureInfo.InvariantCulture, $"{minutes}-minute");
        return constraint switch
        {
            SeriesConstraint.ClinicHours => $"the clinic open for a {length} appointment",
            SeriesConstraint.PatientHours => $"a {length} appointment inside both the clinic's and the patient's hours",
            SeriesConstraint.Equipment => $"{Chair("working", plan)} for a {length} appointment inside the clinic's and the patient's hours",
            SeriesConstraint.PatientBusy => $"{Chair("working", plan)} for a {length} appointment during the patient's hours and outside their other appointments",
            SeriesConstraint.ChairFree => $"{Chair("free", plan)} for a {length} appointment during the patient's hours",
            _ => $"{Chair("free", plan)} and enough nurses on shift for a {length} appointment during the patient's hours",
        };
    }

    private static string Chair(string adjective, SeriesPlan plan)
    {
        if (plan.RequiredEquipment.Count == 0)
        {
            return $"a {adjective} chair";
        }

        var items = plan.RequiredEquipment.Select(code =>
        {
            var words = code.Replace('-', ' ');
            return ("aeiou".Contains(words[0], StringComparison.Ordinal) ? "an " : "a ") + words;
        }).ToList();
        var joined = items.Count == 1 ? items[0] : string.Join(", ", items.Take(items.Count - 1)) + " and " + items[^1];
        return $"a {adjective} chair with {joined}";
    }
}
