using System.Globalization;
using Google.OrTools.Sat;
using KetaClinic.Domain.Scheduling;

namespace KetaClinic.Bench;

/// <summary>
/// The exact optimum of a chair-closure re-plan, by CP-SAT, to measure <see cref="SeriesReplanner"/> against.
/// Only the series hit by the closure change: their displaced sessions and their kept sessions inside the re-fit
/// period get a (day, start, chair) each; every other appointment is fixed and only takes chair time, patient time
/// and nurse capacity. The rules are those of DayGrid and DaySequenceSearch, restated: start on the slot grid, inside
/// opening hours and the patient's hours, on an equipped chair with no closure, no overlap with fixed appointments of
/// the chair or the patient, fixed occupancy + 1 within nurses × chairs per nurse at every minute; among moving
/// sessions one per chair at a time (NoOverlap per chair-day), one per patient at a time, and occupied chairs within
/// the nurse capacity (Cumulative per day). Sessions keep their order; consecutive gaps within [min, max] days, no
/// 7 consecutive days with more than the weekly limit (sorted days: x[i] − x[i−limit] ≥ 7) and first to last within
/// the window. As in the replanner a series is re-fitted whole or not at all: when it is not, its displaced sessions
/// are reported not re-fitted and its kept sessions stay. Objective, lexicographic by weight: fewest not re-fitted
/// appointments, then fewest appointments whose (day, start, chair) changed.
/// </summary>
public static class ReplanReference
{
    private const int MinutesPerDay = 1440;
    private const int UnfittedWeight = 10_000;

    public sealed record Answer(
        string Status, bool Proven, int Moved, int NotRefitted, long BestBound, double Seconds, int MovingSessions, int Options,
        ClinicCalendar Calendar, IReadOnlyList<string> Problems);

    private sealed record Session(Appointment Old, SeriesPlan Plan, bool Displaced, bool Movable);

    private sealed record Option(int Day, Chair Chair, IntVar Start, BoolVar Present, IntervalVar Interval);

    public static Answer Solve(ClinicCalendar calendar, ReplanRequest request, SchedulingSettings settings, ReplanResult? hint, double maxSeconds)
    {
        ArgumentNullException.ThrowIfNull(calendar);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(settings);
        if (request.Disruption.Kind != DisruptionKind.ChairUnavailable)
        {
            throw new ArgumentException("Only chair closures are modelled.", nameof(request));
        }

        var closures = Periods(request.Disruption)
            .Select(p => new ChairClosure(request.Disruption.ResourceId, p.Day, Time(p.From), p.To >= MinutesPerDay ? TimeOnly.MaxValue : Time(p.To)))
            .ToList();
        var disrupted = calendar with { ChairClosures = [.. calendar.ChairClosures, .. closures] };
        var displaced = calendar.Appointments.Where(a => a.ChairId == request.Disruption.ResourceId
            && closures.Any(c => c.Day == a.Day && Start(c.From) < End(a.End) && Start(a.Start) < End(c.To))).ToList();
        var plans = request.Series.ToDictionary(p => p.SeriesId, StringComparer.Ordinal);
        var displacedIds = displaced.Select(a => a.Id).ToHashSet(StringComparer.Ordinal);
        var notGiven = displaced.Count(a => a.SeriesId is null || !plans.ContainsKey(a.SeriesId));
        var hitSeries = displaced.Select(a => a.SeriesId).OfType<string>().Where(plans.ContainsKey).Distinct(StringComparer.Ordinal).ToList();
        var from = request.RefitFrom.DayNumber;
        var until = request.RefitUntil.DayNumber;

        var series = hitSeries.ToDictionary(
            s => s,
            s => calendar.Appointments.Where(a => a.SeriesId == s)
                .OrderBy(a => a.Day).ThenBy(a => a.Start).ThenBy(a => a.SessionNumber)
                .Select(a => new Session(a, plans[s], displacedIds.Contains(a.Id),
                    displacedIds.Contains(a.Id) || (a.Day.DayNumber >= from && a.Day.DayNumber <= until)))
                .ToList(),
            StringComparer.Ordinal);
        var movingIds = series.Values.SelectMany(l => l).Where(s => s.Movable).Select(s => s.Old.Id).ToHashSet(StringComparer.Ordinal);
        var notGivenIds = displaced.Where(a => a.SeriesId is null || !plans.ContainsKey(a.SeriesId)).Select(a => a.Id).ToHashSet(StringComparer.Ordinal);
        var fixedAppointments = calendar.Appointments.Where(a => !movingIds.Contains(a.Id) && !notGivenIds.Contains(a.Id)).ToList();
        var fixedCalendar = disrupted with { Appointments = fixedAppointments };
        var hinted = hint?.Moved.ToDictionary(m => m.From.Id, m => m.To, StringComparer.Ordinal) ?? [];

        var model = new CpModel();
        var options = new Dictionary<string, List<Option>>(StringComparer.Ordinal);
        var dayOf = new Dictionary<string, LinearExpr>(StringComparer.Ordinal);
        var movedTerms = new List<LinearExpr>();
        var unfittedTerms = new List<LinearExpr>();
        var byChairDay = new Dictionary<(int, string), List<IntervalVar>>();
        var byPatientDay = new Dictionary<(int, string), List<IntervalVar>>();
        var byDay = new Dictionary<int, List<IntervalVar>>();
        var optionCount = 0;
        foreach (var (seriesId, sessions) in series)
        {
            var plan = plans[seriesId];
            var rules = plan.Rules;
            var unfit = model.NewBoolVar($"unfit_{seriesId}");
            unfittedTerms.Add(unfit * sessions.Count(s => s.Displaced));
            var hintUnfit = hint?.NotRefitted.Any(u => u.Appointment.SeriesId == seriesId) == true;
            model.AddHint(unfit, hintUnfit ? 1 : 0);
            var (low, high) = DayBounds(sessions, rules, from, until);
            for (var i = 0; i < sessions.Count; i++)
            {
                var session = sessions[i];
                var old = session.Old;
                if (!session.Movable)
                {
                    dayOf[old.Id] = LinearExpr.Constant(old.Day.DayNumber);
                    continue;
                }

                var list = new List<Option>();
                for (var day = low[i]; day <= high[i]; day++)
                {
                    foreach (var chair in calendar.Chairs)
                    {
                        var starts = Starts(fixedCalendar, settings, plan, day, chair);
                        if (starts.Count == 0)
                        {
                            continue;
                        }

                        var tag = string.Create(CultureInfo.InvariantCulture, $"{old.Id}_{day}_{chair.Id}");
                        var present = model.NewBoolVar("p_" + tag);
                        var start = model.NewIntVarFromDomain(Google.OrTools.Util.Domain.FromValues([.. starts.Select(s => (long)s)]), "s_" + tag);
                        var interval = model.NewOptionalFixedSizeIntervalVar(start, plan.AppointmentMinutes, present, "i_" + tag);
                        list.Add(new Option(day, chair, start, present, interval));
                        Add(byChairDay, (day, chair.Id), interval);
                        Add(byPatientDay, (day, plan.PatientId), interval);
                        Add(byDay, day, interval);
                    }
                }

                optionCount += list.Count;
                options[old.Id] = list;
                var presence = LinearExpr.Sum(list.Select(o => o.Present));
                var target = session.Displaced ? null : old;
                if (hinted.TryGetValue(old.Id, out var to))
                {
                    target = to;
                }

                foreach (var o in list)
                {
                    var chosen = target is not null && o.Day == target.Day.DayNumber && o.Chair.Id == target.ChairId;
                    model.AddHint(o.Present, chosen && !(session.Displaced && hintUnfit) ? 1 : 0);
                    if (chosen)
                    {
                        model.AddHint(o.Start, Start(target!.Start));
                    }
                }

                if (session.Displaced)
                {
                    model.Add(presence + unfit == 1);
                    movedTerms.Add(1 - unfit);
                }
                else
                {
                    model.Add(presence == 1);
                    var stay = model.NewBoolVar("stay_" + old.Id);
                    var home = list.FirstOrDefault(o => o.Day == old.Day.DayNumber && o.Chair.Id == old.ChairId);
                    if (home is null)
                    {
                        model.Add(stay == 0);
                    }
                    else
                    {
                        model.AddImplication(stay, home.Present);
                        model.Add(home.Start == Start(old.Start)).OnlyEnforceIf(stay);
                    }

                    model.AddImplication(unfit, stay);
                    movedTerms.Add(1 - stay);
                }

                dayOf[old.Id] = LinearExpr.WeightedSum(list.Select(o => o.Present), list.Select(o => (long)o.Day));
            }

            // Series rules, only for a re-fitted series.
            var x = sessions.Select(s => dayOf[s.Old.Id]).ToList();
            for (var i = 1; i < x.Count; i++)
            {
                model.Add(x[i] - x[i - 1] >= rules.SpacingMinDays).OnlyEnforceIf(unfit.Not());
                model.Add(x[i] - x[i - 1] <= rules.SpacingMaxDays).OnlyEnforceIf(unfit.Not());
                if (i >= rules.MaxSessionsPer7Days)
                {
                    model.Add(x[i] - x[i - rules.MaxSessionsPer7Days] >= 7).OnlyEnforceIf(unfit.Not());
                }
            }

            model.Add(x[^1] - x[0] <= rules.WindowDays - 1).OnlyEnforceIf(unfit.Not());
        }

        foreach (var intervals in byChairDay.Values.Where(l => l.Count > 1))
        {
            model.AddNoOverlap(intervals);
        }

        foreach (var intervals in byPatientDay.Values.Where(l => l.Count > 1))
        {
            model.AddNoOverlap(intervals);
        }

        foreach (var (day, intervals) in byDay)
        {
            NurseCapacity(model, fixedCalendar, settings, day, intervals);
        }

        model.Minimize((UnfittedWeight * LinearExpr.Sum(unfittedTerms)) + LinearExpr.Sum(movedTerms));
        var solver = new CpSolver
        {
            StringParameters = string.Create(CultureInfo.InvariantCulture, $"max_time_in_seconds:{maxSeconds} num_workers:2"),
        };
        var status = solver.Solve(model);
        if (status is not (CpSolverStatus.Optimal or CpSolverStatus.Feasible))
        {
            return new Answer(status.ToString(), false, -1, -1, -1, solver.WallTime(), movingIds.Count, optionCount, calendar, ["no solution"]);
        }

        var placed = new List<Appointment>();
        var moved = 0;
        var unfitted = notGiven;
        foreach (var (seriesId, sessions) in series)
        {
            foreach (var session in sessions.Where(s => s.Movable))
            {
                var chosen = options[session.Old.Id].FirstOrDefault(o => solver.BooleanValue(o.Present));
                if (chosen is null)
                {
                    unfitted++;
                    continue;
                }

                var start = (int)solver.Value(chosen.Start);
                var now = session.Old with
                {
                    Day = DateOnly.FromDayNumber(chosen.Day),
                    ChairId = chosen.Chair.Id,
                    Start = Time(start),
                    End = Time(start + session.Plan.AppointmentMinutes),
                };
                moved += now == session.Old ? 0 : 1;
                placed.Add(now);
            }
        }

        var result = disrupted with { Appointments = [.. fixedAppointments, .. placed] };
        var fitted = hitSeries.Where(s => series[s].Where(x => x.Displaced).All(x => placed.Any(a => a.Id == x.Old.Id))).Select(s => plans[s]).ToList();
        var problems = Problems(result, settings, [.. placed.Where(a => !calendar.Appointments.Contains(a))], fitted);
        return new Answer(
            status.ToString(), status == CpSolverStatus.Optimal, moved, unfitted, (long)solver.BestObjectiveBound, solver.WallTime(), movingIds.Count, optionCount,
            result, problems);
    }

    /// <summary>
    /// Independent checks of a re-planned calendar, as the domain's property tests state them: no chair or patient
    /// double-booked, nurse ratio at every minute, each changed appointment on the slot grid inside opening and patient
    /// hours on an equipped open chair, and every given series' days within spacing, weekly limit and window.
    /// </summary>
    public static List<string> Problems(ClinicCalendar calendar, SchedulingSettings settings, IReadOnlyList<Appointment> changed, IReadOnlyList<SeriesPlan> plans)
    {
        ArgumentNullException.ThrowIfNull(calendar);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(changed);
        ArgumentNullException.ThrowIfNull(plans);
        var problems = new List<string>();
        foreach (var day in calendar.Appointments.GroupBy(a => a.Day))
        {
            var list = day.ToList();
            for (var i = 0; i < list.Count; i++)
            {
                for (var j = i + 1; j < list.Count; j++)
                {
                    var (a, b) = (list[i], list[j]);
                    if (Start(a.Start) < End(b.End) && Start(b.Start) < End(a.End) && (a.ChairId == b.ChairId || a.PatientId == b.PatientId))
                    {
                        problems.Add($"{a.Id} and {b.Id} overlap on chair or patient");
                    }
                }
            }

            var nurses = Nurses(calendar, day.Key);
            for (var m = 0; m < MinutesPerDay; m++)
            {
                if (list.Count(a => Start(a.Start) <= m && m < End(a.End)) > nurses[m] * settings.ChairsPerNurse.Value)
                {
                    problems.Add($"{day.Key}: too few nurses at minute {m}");
                    break;
                }
            }
        }

        var byPlan = plans.ToDictionary(p => p.SeriesId, StringComparer.Ordinal);
        foreach (var a in changed)
        {
            var plan = byPlan[a.SeriesId!];
            var others = calendar with { Appointments = [.. calendar.Appointments.Where(b => b.Id != a.Id)] };
            var chair = calendar.Chairs.Single(c => c.Id == a.ChairId);
            if (End(a.End) - Start(a.Start) != plan.AppointmentMinutes || !Starts(others, settings, plan, a.Day.DayNumber, chair).Contains(Start(a.Start)))
            {
                problems.Add($"{a.Id}: slot {a.Day} {a.Start} {a.ChairId} not allowed");
            }
        }

        foreach (var plan in plans)
        {
            var days = calendar.Appointments.Where(a => a.SeriesId == plan.SeriesId).Select(a => a.Day.DayNumber).Order().ToList();
            var rules = plan.Rules;
            var ok = days.Zip(days.Skip(1)).All(p => p.Second - p.First >= rules.SpacingMinDays && p.Second - p.First <= rules.SpacingMaxDays)
                && days.All(d => days.Count(e => e <= d && e > d - 7) <= rules.MaxSessionsPer7Days)
                && (days.Count == 0 || days[^1] - days[0] + 1 <= rules.WindowDays);
            if (!ok)
            {
                problems.Add($"series {plan.SeriesId}: days {string.Join(",", days)} break its rules");
            }
        }

        return problems;
    }

    // Day range of each session from the pinned sessions, spacing and window; free sessions also within the period.
    private static (int[] Low, int[] High) DayBounds(List<Session> sessions, Domain.Protocols.SeriesRules rules, int from, int until)
    {
        var low = new int[sessions.Count];
        var high = new int[sessions.Count];
        for (var i = 0; i < sessions.Count; i++)
        {
            (low[i], high[i]) = sessions[i].Movable ? (from, until) : (sessions[i].Old.Day.DayNumber, sessions[i].Old.Day.DayNumber);
            for (var j = 0; j < sessions.Count; j++)
            {
                if (sessions[j].Movable)
                {
                    continue;
                }

                var pinned = sessions[j].Old.Day.DayNumber;
                var steps = i - j;
                if (steps > 0)
                {
                    low[i] = Math.Max(low[i], pinned + (steps * rules.SpacingMinDays));
                    high[i] = Math.Min(high[i], Math.Min(pinned + (steps * rules.SpacingMaxDays), pinned + rules.WindowDays - 1));
                }
                else if (steps < 0)
                {
                    low[i] = Math.Max(low[i], Math.Max(pinned + (steps * rules.SpacingMaxDays), pinned - rules.WindowDays + 1));
                    high[i] = Math.Min(high[i], pinned + (steps * rules.SpacingMinDays));
                }
            }
        }

        return (low, high);
    }

    // Nurse ratio among the moving sessions: capacity left by the fixed ones, as fixed demand under a constant cap.
    private static void NurseCapacity(CpModel model, ClinicCalendar fixedCalendar, SchedulingSettings settings, int day, List<IntervalVar> intervals)
    {
        var date = DateOnly.FromDayNumber(day);
        var nurses = Nurses(fixedCalendar, date);
        var left = new int[MinutesPerDay];
        var sameDay = fixedCalendar.Appointments.Where(a => a.Day == date).ToList();
        for (var m = 0; m < MinutesPerDay; m++)
        {
            left[m] = Math.Max(0, (nurses[m] * settings.ChairsPerNurse.Value) - sameDay.Count(a => Start(a.Start) <= m && m < End(a.End)));
        }

        var cap = left.Max();
        if (left.Min() >= intervals.Count)
        {
            return;
        }

        var cumulative = model.AddCumulative(cap);
        foreach (var interval in intervals)
        {
            cumulative.AddDemand(interval, 1);
        }

        for (var m = 0; m < MinutesPerDay;)
        {
            var end = m;
            while (end < MinutesPerDay && left[end] == left[m])
            {
                end++;
            }

            if (left[m] < cap)
            {
                cumulative.AddDemand(model.NewFixedSizeIntervalVar(m, end - m, $"cap_{day}_{m}"), cap - left[m]);
            }

            m = end;
        }
    }

    /// <summary>Starts on the slot grid where one appointment of the plan fits beside the calendar's appointments.</summary>
    private static List<int> Starts(ClinicCalendar calendar, SchedulingSettings settings, SeriesPlan plan, int day, Chair chair)
    {
        var date = DateOnly.FromDayNumber(day);
        var starts = new List<int>();
        if (calendar.Closures.Contains(date) || plan.Availability.UnavailableDates.Contains(date)
            || !plan.RequiredEquipment.All(e => chair.Equipment.Contains(e, StringComparer.Ordinal)))
        {
            return starts;
        }

        var sameDay = calendar.Appointments.Where(a => a.Day == date).ToList();
        var nurses = Nurses(calendar, date);
        var duration = plan.AppointmentMinutes;
        for (var start = 0; start + duration <= MinutesPerDay; start += settings.SlotMinutes.Value)
        {
            var end = start + duration;
            bool Inside(IEnumerable<WeeklyWindow> windows) =>
                windows.Any(w => w.Day == date.DayOfWeek && WindowStart(w.From) <= start && end <= w.To.Hour * 60 + w.To.Minute);
            if (!Inside(calendar.OpeningHours) || !Inside(plan.Availability.Windows)
                || calendar.ChairClosures.Any(c => c.ChairId == chair.Id && c.Day == date && Start(c.From) < end && start < End(c.To))
                || sameDay.Any(a => (a.ChairId == chair.Id || a.PatientId == plan.PatientId) && Start(a.Start) < end && start < End(a.End)))
            {
                continue;
            }

            var ok = true;
            for (var m = start; m < end && ok; m++)
            {
                ok = sameDay.Count(a => Start(a.Start) <= m && m < End(a.End)) + 1 <= nurses[m] * settings.ChairsPerNurse.Value;
            }

            if (ok)
            {
                starts.Add(start);
            }
        }

        return starts;
    }

    private static int[] Nurses(ClinicCalendar calendar, DateOnly date)
    {
        var nurses = new int[MinutesPerDay];
        foreach (var ofNurse in calendar.NurseShifts.Where(s => s.Day == date).GroupBy(s => s.NurseId, StringComparer.Ordinal))
        {
            for (var m = 0; m < MinutesPerDay; m++)
            {
                nurses[m] += ofNurse.Any(s => WindowStart(s.Start) <= m && m < s.End.Hour * 60 + s.End.Minute) ? 1 : 0;
            }
        }

        return nurses;
    }

    private static List<(DateOnly Day, int From, int To)> Periods(Disruption disruption)
    {
        var periods = new List<(DateOnly, int, int)>();
        var first = DateOnly.FromDateTime(disruption.From);
        var last = DateOnly.FromDateTime(disruption.To);
        for (var day = first; day <= last; day = day.AddDays(1))
        {
            var from = day == first ? Start(TimeOnly.FromDateTime(disruption.From)) : 0;
            var to = day == last ? End(TimeOnly.FromDateTime(disruption.To)) : MinutesPerDay;
            if (to > from)
            {
                periods.Add((day, from, to));
            }
        }

        return periods;
    }

    private static void Add<TKey>(Dictionary<TKey, List<IntervalVar>> map, TKey key, IntervalVar interval)
        where TKey : notnull
    {
        if (!map.TryGetValue(key, out var list))
        {
            map[key] = list = [];
        }

        list.Add(interval);
    }

    private static int WindowStart(TimeOnly t) => (t.Hour * 60) + t.Minute + (t.Second > 0 || t.Millisecond > 0 ? 1 : 0);

    private static int Start(TimeOnly t) => (t.Hour * 60) + t.Minute;

    private static int End(TimeOnly t) => WindowStart(t);

    private static TimeOnly Time(int minute) => new(minute / 60, minute % 60);
}
