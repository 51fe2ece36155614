using KetaClinic.Domain.Protocols;
using KetaClinic.Domain.Scheduling;

namespace KetaClinic.Domain.Tests.Scheduling;

/// <summary>
/// Deliberately simple re-statements of the booking rules, minute by minute, written apart from the solver so the
/// properties compare two independent readings of the rules.
/// </summary>
internal static class Naive
{
    public static int Minute(TimeOnly t) => (t.Hour * 60) + t.Minute;

    public static bool Overlap(int s1, int e1, int s2, int e2) => s1 < e2 && s2 < e1;

    public static int NursesAt(ClinicCalendar calendar, DateOnly day, int minute) =>
        calendar.NurseShifts.Where(s => s.Day == day && Minute(s.Start) <= minute && minute < Minute(s.End))
            .Select(s => s.NurseId).Distinct().Count();

    public static int OccupiedAt(IEnumerable<Appointment> appointments, DateOnly day, int minute) =>
        appointments.Count(a => a.Day == day && Minute(a.Start) <= minute && minute < Minute(a.End));

    /// <summary>Whether one appointment of the plan may start at this minute in this chair, given the calendar.</summary>
    public static bool SlotOk(ClinicCalendar calendar, SchedulingSettings settings, SeriesPlan plan, DateOnly day, int start, Chair chair)
    {
        var end = start + plan.AppointmentMinutes;
        if (start % settings.SlotMinutes.Value != 0 || end > 1440 || calendar.Closures.Contains(day))
        {
            return false;
        }

        bool Inside(IEnumerable<WeeklyWindow> windows) =>
            windows.Any(w => w.Day == day.DayOfWeek && Minute(w.From) <= start && end <= Minute(w.To));

        if (!Inside(calendar.OpeningHours) || plan.Availability.UnavailableDates.Contains(day) || !Inside(plan.Availability.Windows))
        {
            return false;
        }

        if (!plan.RequiredEquipment.All(chair.Equipment.Contains)
            || calendar.ChairClosures.Any(c => c.ChairId == chair.Id && c.Day == day && Overlap(start, end, Minute(c.From), ClosureEnd(c))))
        {
            return false;
        }

        var sameDay = calendar.Appointments.Where(a => a.Day == day).ToList();
        if (sameDay.Any(a => (a.ChairId == chair.Id || a.PatientId == plan.PatientId) && Overlap(start, end, Minute(a.Start), Minute(a.End))))
        {
            return false;
        }

        for (var m = start; m < end; m++)
        {
            if (OccupiedAt(sameDay, day, m) + 1 > NursesAt(calendar, day, m) * settings.ChairsPerNurse.Value)
            {
                return false;
            }
        }

        return true;
    }

    public static bool DayOk(ClinicCalendar calendar, SchedulingSettings settings, SeriesPlan plan, DateOnly day)
    {
        for (var start = 0; start + plan.AppointmentMinutes <= 1440; start += settings.SlotMinutes.Value)
        {
            foreach (var chair in calendar.Chairs)
            {
                if (SlotOk(calendar, settings, plan, day, start, chair))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>Spacing, rolling 7-day limit and window of a sequence of session days.</summary>
    public static bool RulesHold(SeriesRules rules, IReadOnlyList<DateOnly> days)
    {
        for (var i = 1; i < days.Count; i++)
        {
            var gap = days[i].DayNumber - days[i - 1].DayNumber;
            if (gap < rules.SpacingMinDays || gap > rules.SpacingMaxDays)
            {
                return false;
            }
        }

        foreach (var day in days)
        {
            if (days.Count(d => d <= day && d.DayNumber > day.DayNumber - 7) > rules.MaxSessionsPer7Days)
            {
                return false;
            }
        }

        return days.Count == 0 || days[^1].DayNumber - days[0].DayNumber + 1 <= rules.WindowDays;
    }

    /// <summary>The best (last day, first day) over every sequence of feasible days, by enumeration; null when none.</summary>
    public static (DateOnly First, DateOnly Last)? BestByEnumeration(
        ClinicCalendar calendar, SchedulingSettings settings, SeriesRequest request)
    {
        var feasible = new List<DateOnly>();
        for (var day = request.EarliestDay; day <= request.LatestDay; day = day.AddDays(1))
        {
            if (DayOk(calendar, settings, request.Plan, day))
            {
                feasible.Add(day);
            }
        }

        (DateOnly First, DateOnly Last)? best = null;
        foreach (var combination in Combinations(feasible, request.Plan.Rules.Sessions))
        {
            if (!RulesHold(request.Plan.Rules, combination))
            {
                continue;
            }

            var candidate = (combination[0], combination[^1]);
            if (best is null || candidate.Item2 < best.Value.Last || (candidate.Item2 == best.Value.Last && candidate.Item1 < best.Value.First))
            {
                best = candidate;
            }
        }

        return best;
    }

    /// <summary>
    /// The fewest sessions of one series that must move so that its displaced sessions find new days, by enumerating
    /// every set of kept sessions (inside the period) to move with them and every choice of days; null when none works.
    /// <paramref name="others"/> is the calendar without any session of the series.
    /// </summary>
    public static int? FewestMoves(
        ClinicCalendar others, SchedulingSettings settings, SeriesPlan plan, IReadOnlyList<Appointment> sessions,
        IReadOnlySet<string> displaced, DateOnly from, DateOnly until)
    {
        var ordered = sessions.OrderBy(a => a.Day).ThenBy(a => a.Start).ToList();
        var optional = ordered.Where(a => !displaced.Contains(a.Id) && a.Day >= from && a.Day <= until).ToList();
        var feasible = new List<DateOnly>();
        for (var day = from; day <= until; day = day.AddDays(1))
        {
            if (DayOk(others, settings, plan, day))
            {
                feasible.Add(day);
            }
        }

        for (var extra = 0; extra <= optional.Count; extra++)
        {
            foreach (var also in Combinations(optional, extra))
            {
                var moving = ordered.Where(a => displaced.Contains(a.Id) || also.Contains(a)).ToList();
                foreach (var days in Combinations(feasible, moving.Count))
                {
                    var assigned = new Queue<DateOnly>(days);
                    var sequence = ordered.Select(a => moving.Contains(a) ? assigned.Dequeue() : a.Day).ToList();
                    if (sequence.Zip(sequence.Skip(1)).All(p => p.First < p.Second)
                        && RulesHold(plan.Rules with { Sessions = int.MaxValue }, sequence))
                    {
                        return moving.Count;
                    }
                }
            }
        }

        return null;
    }

    /// <summary>Problems with a proposed or re-planned calendar: chair and patient double-booking, nurse ratio.</summary>
    public static IEnumerable<string> CalendarProblems(ClinicCalendar calendar, SchedulingSettings settings, IEnumerable<Appointment> toCheck)
    {
        foreach (var a in toCheck)
        {
            foreach (var b in calendar.Appointments.Where(b => b.Id != a.Id && b.Day == a.Day
                && Overlap(Minute(a.Start), Minute(a.End), Minute(b.Start), Minute(b.End))))
            {
                if (b.ChairId == a.ChairId)
                {
                    yield return $"{a.Id} and {b.Id} share chair {a.ChairId}";
                }

                if (b.PatientId == a.PatientId)
                {
                    yield return $"{a.Id} and {b.Id} book patient {a.PatientId} twice";
                }
            }

            for (var m = Minute(a.Start); m < Minute(a.End); m++)
            {
                if (OccupiedAt(calendar.Appointments, a.Day, m) > NursesAt(calendar, a.Day, m) * settings.ChairsPerNurse.Value)
                {
                    yield return $"{a.Id}: too few nurses at minute {m}";
                    break;
                }
            }

            if (calendar.ChairClosures.Any(c => c.ChairId == a.ChairId && c.Day == a.Day
                && Overlap(Minute(a.Start), Minute(a.End), Minute(c.From), ClosureEnd(c))))
            {
                yield return $"{a.Id} sits in a closed chair";
            }
        }
    }

    private static int ClosureEnd(ChairClosure c) => c.To == TimeOnly.MaxValue ? 1440 : Minute(c.To);

    private static IEnumerable<List<T>> Combinations<T>(List<T> days, int count, int from = 0)
    {
        if (count == 0)
        {
            yield return [];
            yield break;
        }

        for (var i = from; i <= days.Count - count; i++)
        {
            foreach (var rest in Combinations(days, count - 1, i + 1))
            {
                rest.Insert(0, days[i]);
                yield return rest;
            }
        }
    }
}
