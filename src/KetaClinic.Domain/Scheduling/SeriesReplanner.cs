using System.Globalization;
using KetaClinic.Domain.Common;

namespace KetaClinic.Domain.Scheduling;

public enum DisruptionKind
{
    ChairUnavailable,
    NurseUnavailable,
}

/// <summary>A chair or nurse unavailable from <see cref="From"/> to <see cref="To"/> (clinic-local wall-clock time).</summary>
public sealed record Disruption(DisruptionKind Kind, string ResourceId, DateTime From, DateTime To);

/// <summary>Re-plan after a disruption.</summary>
/// <param name="Disruption">What became unavailable, and when.</param>
/// <param name="Series">The plans of the booked series; an affected appointment of a series not listed here is not re-fitted.</param>
/// <param name="RefitFrom">First day a moved appointment may take (e.g. tomorrow).</param>
/// <param name="RefitUntil">Last day a moved appointment may take.</param>
public sealed record ReplanRequest(Disruption Disruption, IReadOnlyList<SeriesPlan> Series, DateOnly RefitFrom, DateOnly RefitUntil);

/// <summary>An appointment moved to another day, time or chair; the id stays the same.</summary>
public sealed record AppointmentMove(Appointment From, Appointment To);

/// <summary>An appointment that had to leave its slot but found no other; it is no longer in the calendar.</summary>
public sealed record UnfittedAppointment(Appointment Appointment, SeriesConstraint? FailedConstraint, string Reason);

/// <summary>The calendar after re-planning, who moved, and who could not be re-fitted.</summary>
public sealed record ReplanResult(ClinicCalendar Calendar, IReadOnlyList<AppointmentMove> Moved, IReadOnlyList<UnfittedAppointment> NotRefitted)
{
    /// <summary>
    /// The appointments the disruption itself took out of their slot (each is in <see cref="Moved"/> or
    /// <see cref="NotRefitted"/>); any other move is a kept session of the same series moved to keep the series whole.
    /// </summary>
    public IReadOnlyList<Appointment> Displaced { get; init; } = [];
}

/// <summary>
/// Re-fits the series hit by a disruption, moving as few appointments as possible and never an unaffected one.
/// <list type="bullet">
/// <item>Chair unavailable: every appointment on that chair overlapping the period must move.</item>
/// <item>Nurse unavailable: the nurse's shifts lose the period; where the remaining nurses cannot cover the occupied
/// chairs, the fewest appointments are taken out by sweeping the period minute by minute and, at each overflow, taking
/// the active appointment that ends last. That greedy choice is optimal: any solution must drop one of the appointments
/// active at the first overflow, and swapping it for the one ending last frees every later minute the other would have
/// freed, while minutes before the overflow were within capacity with everything kept.</item>
/// </list>
/// Each affected series is then re-fitted whole, with the fewest moved appointments: first its affected appointments
/// alone, around its kept ones (spacing, weekly limit and window still hold with them), on the days that move them
/// the fewest days, then at the time nearest the old one, the same chair if free. Only when the kept sessions leave
/// no room (e.g. the middle session of a tightly spaced series) may kept sessions inside the re-fit period move
/// too, as few as possible: taking a session out and leaving the rest would break the series' spacing. Series
/// compete for freed slots, so with up to four affected series every order is tried and the outcome with the fewest
/// unfitted, then moved appointments kept. A series that cannot be re-fitted even so keeps its other appointments and
/// its affected ones are reported with the reason. A series that still had to move kept sessions of its own may then
/// take the slots of another hit series' kept sessions inside the re-fit period (ejection): those that clash are
/// re-fitted with their own series, and the exchange is kept only if the total improves and every ejected session
/// finds a new slot. Minimal moves are exact per series (complete search, see <see cref="DaySequenceSearch"/>); across
/// series the order and ejection search is a heuristic whose gap the benchmarks measure against an exact CP-SAT model.
/// </summary>
public static class SeriesReplanner
{
    private const int MinutesPerDay = 1440;

    public static ReplanResult Replan(ClinicCalendar calendar, ReplanRequest request, SchedulingSettings settings)
    {
        ArgumentNullException.ThrowIfNull(request);
        var errors = new List<FieldError>();
        SchedulingValidation.Calendar(calendar, settings, errors);
        Validate(calendar, request, errors);
        SchedulingValidation.ThrowIfInvalid(errors);

        var periods = DayPeriods(request.Disruption);
        var disrupted = Apply(calendar, request.Disruption, periods);
        var affected = request.Disruption.Kind == DisruptionKind.ChairUnavailable
            ? ChairAffected(calendar, request.Disruption.ResourceId, periods)
            : NurseAffected(disrupted, settings, periods);

        var affectedIds = affected.Select(a => a.Id).ToHashSet(StringComparer.Ordinal);
        var start = disrupted with { Appointments = [.. calendar.Appointments.Where(a => !affectedIds.Contains(a.Id))] };
        var plans = request.Series.ToDictionary(p => p.SeriesId, StringComparer.Ordinal);
        var unfitted = new List<UnfittedAppointment>();

        var groups = new List<List<Appointment>>();
        foreach (var group in affected
            .OrderBy(a => a.Day).ThenBy(a => a.Start).ThenBy(a => a.Id, StringComparer.Ordinal)
            .GroupBy(a => a.SeriesId is not null && plans.ContainsKey(a.SeriesId) ? a.SeriesId : null))
        {
            if (group.Key is null)
            {
                unfitted.AddRange(group.Select(a => new UnfittedAppointment(a, null,
                    a.SeriesId is null
                        ? "Not part of a series: rebook by hand with the patient."
                        : $"Series '{a.SeriesId}' was not given for re-planning: rebook by hand with the patient.")));
            }
            else
            {
                groups.Add([.. group]);
            }
        }

        // Series compete for the freed slots, so the order they are re-fitted in matters. Moving exactly the displaced
        // appointments and re-fitting all is optimal (every displaced one must move), so the search stops there.
        // Otherwise, with few series hit every order is tried; with more, a series that had to move kept sessions or
        // could not be re-fitted is moved to the front while that improves the outcome (fewest not re-fitted, then
        // fewest moved, then least shift), within a bounded number of orders.
        var displacedCount = groups.Sum(g => g.Count);
        Outcome Run(int[] order) => RefitAll(start, settings, plans, groups, order, [], request) with { Order = order };
        bool Optimal(Outcome o) => o.Unfitted.Count == 0 && o.Moved.Count == displacedCount;

        var best = Run([.. Enumerable.Range(0, groups.Count)]);
        if (!Optimal(best) && groups.Count <= AllOrdersUpTo)
        {
            foreach (var order in Permutations(groups.Count).Skip(1))
            {
                var outcome = Run(order);
                best = outcome.CompareTo(best) < 0 ? outcome : best;
                if (Optimal(best))
                {
                    break;
                }
            }
        }
        else if (!Optimal(best))
        {
            var tried = 1;
            for (var improved = true; improved && tried < MaxOrders && !Optimal(best);)
            {
                improved = false;
                foreach (var costly in best.Costly(groups))
                {
                    if (tried++ >= MaxOrders)
                    {
                        break;
                    }

                    var outcome = Run([costly, .. best.Order.Where(i => i != costly)]);
                    if (outcome.CompareTo(best) < 0)
                    {
                        best = outcome;
                        improved = true;
                        break;
                    }
                }
            }
        }

        // Ejection: a series that had to move kept sessions of its own may do better taking the slots of another hit
        // series' kept sessions, which are then re-fitted with that series; kept if the total improves and every
        // ejected session is re-fitted.
        if (!Optimal(best))
        {
            var displacedIds = affected.Select(a => a.Id).ToHashSet(StringComparer.Ordinal);
            var ejections = new List<(int Taker, int Giver)>();
            var runs = 0;
            for (var improved = true; improved && runs < MaxEjectionRuns && !Optimal(best);)
            {
                improved = false;
                foreach (var (taker, giver) in best.Costly(groups).Where(x => !ejections.Any(e => e.Taker == x || e.Giver == x))
                    .SelectMany(x => best.Order.Where(y => y != x && !ejections.Any(e => e.Taker == y)).Select(y => (x, y))).ToList())
                {
                    if (runs++ >= MaxEjectionRuns)
                    {
                        break;
                    }

                    List<(int Taker, int Giver)> trial = [.. ejections, (taker, giver)];
                    int[] order = [.. trial.Select(e => e.Taker), .. best.Order.Where(i => !trial.Any(e => e.Taker == i))];
                    var outcome = RefitAll(start, settings, plans, groups, order, trial, request) with { Order = order };
                    if (outcome.Unfitted.All(u => displacedIds.Contains(u.Appointment.Id)) && outcome.CompareTo(best) < 0)
                    {
                        best = outcome;
                        ejections = trial;
                        improved = true;
                        break;
                    }
                }
            }
        }

        return new ReplanResult(best.Calendar, best.Moved, [.. unfitted, .. best.Unfitted]) { Displaced = affected };
    }

    private const int MaxEjectionRuns = 100;

    private const int AllOrdersUpTo = 4;
    private const int MaxOrders = 24;

    private static IEnumerable<int[]> Permutations(int count)
    {
        IEnumerable<int[]> Permute(int[] prefix, List<int> rest) => rest.Count == 0
            ? [prefix]
            : rest.SelectMany(i => Permute([.. prefix, i], [.. rest.Where(j => j != i)]));

        return Permute([], [.. Enumerable.Range(0, count)]);
    }

    private sealed record Outcome(ClinicCalendar Calendar, List<AppointmentMove> Moved, List<UnfittedAppointment> Unfitted, long Shift)
    {
        public int[] Order { get; init; } = [];

        /// <summary>Indexes of the series that moved more than their displaced sessions or were not re-fitted, in order.</summary>
        public IEnumerable<int> Costly(List<List<Appointment>> groups) => Order.Where(i =>
        {
            var series = groups[i][0].SeriesId;
            return Unfitted.Any(u => u.Appointment.SeriesId == series) || Moved.Count(m => m.From.SeriesId == series) > groups[i].Count;
        });

        public int CompareTo(Outcome other) =>
            Unfitted.Count != other.Unfitted.Count ? Unfitted.Count.CompareTo(other.Unfitted.Count)
            : Moved.Count != other.Moved.Count ? Moved.Count.CompareTo(other.Moved.Count)
            : Shift.CompareTo(other.Shift);
    }

    /// <summary>
    /// Re-fits the groups in order. For an ejection (taker, giver) the taker is re-fitted as if the giver's kept sessions
    /// inside the re-fit period were gone; those that then clash with it (chair, patient or nurse ratio) join the
    /// giver's group and are re-fitted with it.
    /// </summary>
    private static Outcome RefitAll(
        ClinicCalendar current, SchedulingSettings settings, Dictionary<string, SeriesPlan> plans, List<List<Appointment>> groups,
        int[] order, List<(int Taker, int Giver)> ejections, ReplanRequest request)
    {
        var moved = new List<AppointmentMove>();
        var unfitted = new List<UnfittedAppointment>();
        var ejected = new Dictionary<int, List<Appointment>>();
        foreach (var index in order)
        {
            List<Appointment> group = ejected.TryGetValue(index, out var more) ? [.. groups[index], .. more] : groups[index];
            var view = current;
            List<Appointment> hidden = [];
            var giver = ejections.FindIndex(e => e.Taker == index) is var e and >= 0 ? ejections[e].Giver : -1;
            if (giver >= 0)
            {
                var giverSeries = groups[giver][0].SeriesId;
                hidden = [.. current.Appointments.Where(a => a.SeriesId == giverSeries && a.Day >= request.RefitFrom && a.Day <= request.RefitUntil)];
                var hiddenIds = hidden.Select(a => a.Id).ToHashSet(StringComparer.Ordinal);
                view = current with { Appointments = [.. current.Appointments.Where(a => !hiddenIds.Contains(a.Id))] };
            }

            var (placed, failure) = Refit(view, settings, plans[group[0].SeriesId!], group, request);
            if (placed is null)
            {
                unfitted.AddRange(group.Select(a => new UnfittedAppointment(a, failure!.Failed, failure.Explanation)));
                continue;
            }

            var leaving = placed.Select(m => m.From.Id).ToHashSet(StringComparer.Ordinal);
            moved.AddRange(placed);
            current = current with { Appointments = [.. current.Appointments.Where(a => !leaving.Contains(a.Id)), .. placed.Select(m => m.To)] };
            var clashing = hidden.Where(h => Clashes(current, settings, h)).ToList();
            if (clashing.Count > 0)
            {
                ejected[giver] = clashing;
                current = current with { Appointments = [.. current.Appointments.Where(a => !clashing.Contains(a))] };
            }
        }

        var shift = moved.Sum(m => (long)Math.Abs(m.To.Day.DayNumber - m.From.Day.DayNumber) * MinutesPerDay
            + Math.Abs(DayGrid.OccupiedStart(m.To.Start) - DayGrid.OccupiedStart(m.From.Start)));
        return new Outcome(current, moved, unfitted, shift);
    }

    // Whether the appointment shares its chair or patient with another at the same time, or its minutes need more nurses than are on shift.
    private static bool Clashes(ClinicCalendar calendar, SchedulingSettings settings, Appointment appointment)
    {
        var start = DayGrid.OccupiedStart(appointment.Start);
        var end = DayGrid.OccupiedEnd(appointment.End);
        var sameDay = calendar.Appointments.Where(a => a.Day == appointment.Day && a.Id != appointment.Id
            && DayGrid.OccupiedStart(a.Start) < end && start < DayGrid.OccupiedEnd(a.End)).ToList();
        if (sameDay.Any(a => a.ChairId == appointment.ChairId || a.PatientId == appointment.PatientId))
        {
            return true;
        }

        var nurses = DayGrid.NursesOnShift(calendar.NurseShifts.Where(s => s.Day == appointment.Day));
        for (var m = start; m < Math.Min(end, MinutesPerDay); m++)
        {
            var occupied = 1 + sameDay.Count(a => DayGrid.OccupiedStart(a.Start) <= m && m < DayGrid.OccupiedEnd(a.End));
            if (occupied > nurses[m] * settings.ChairsPerNurse.Value)
            {
                return true;
            }
        }

        return false;
    }

    private static void Validate(ClinicCalendar calendar, ReplanRequest request, List<FieldError> errors)
    {
        var disruption = request.Disruption;
        if (disruption is null)
        {
            errors.Add(new("disruption", "is required."));
            return;
        }

        if (disruption.To <= disruption.From)
        {
            errors.Add(new("disruption.to", "must be after disruption.from."));
        }
        else if ((disruption.To - disruption.From).TotalDays > 366)
        {
            errors.Add(new("disruption.to", "a disruption may last at most 366 days."));
        }

        var known = disruption.Kind == DisruptionKind.ChairUnavailable
            ? calendar.Chairs?.Any(c => c.Id == disruption.ResourceId) == true
            : calendar.NurseShifts?.Any(s => s.NurseId == disruption.ResourceId) == true;
        if (!known)
        {
            errors.Add(new("disruption.resourceId", disruption.Kind == DisruptionKind.ChairUnavailable
                ? $"'{disruption.ResourceId}' is not a chair of the clinic."
                : $"'{disruption.ResourceId}' has no shift in the calendar."));
        }

        SchedulingValidation.Days(request.RefitFrom, request.RefitUntil, "refitFrom", "refitUntil", errors);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < (request.Series ?? []).Count; i++)
        {
            var plan = request.Series![i];
            var prefix = string.Create(CultureInfo.InvariantCulture, $"series[{i}]");
            SchedulingValidation.Plan(plan, prefix, errors);
            if (plan.SeriesId is not null && !seen.Add(plan.SeriesId))
            {
                errors.Add(new(prefix + ".seriesId", $"series '{plan.SeriesId}' is listed twice."));
            }

            var other = calendar.Appointments?.FirstOrDefault(a => a.SeriesId == plan.SeriesId && a.PatientId != plan.PatientId);
            if (other is not null)
            {
                errors.Add(new(prefix + ".patientId", $"appointment '{other.Id}' of series '{plan.SeriesId}' belongs to another patient."));
            }
        }

        if (request.Series is null)
        {
            errors.Add(new("series", "is required (an empty list when no series is to be re-fitted)."));
        }
    }

    // The disruption as [from, to) minutes on each day it touches.
    private static List<(DateOnly Day, int From, int To)> DayPeriods(Disruption disruption)
    {
        var periods = new List<(DateOnly, int, int)>();
        var first = DateOnly.FromDateTime(disruption.From);
        var last = DateOnly.FromDateTime(disruption.To);
        for (var day = first; day <= last; day = day.AddDays(1))
        {
            var from = day == first ? DayGrid.OccupiedStart(TimeOnly.FromDateTime(disruption.From)) : 0;
            var to = day == last ? DayGrid.OccupiedEnd(TimeOnly.FromDateTime(disruption.To)) : MinutesPerDay;
            if (to > from)
            {
                periods.Add((day, from, to));
            }
        }

        return periods;
    }

    private static TimeOnly EndTime(int minute) => minute >= MinutesPerDay ? TimeOnly.MaxValue : DayGrid.Time(minute);

    private static ClinicCalendar Apply(ClinicCalendar calendar, Disruption disruption, List<(DateOnly Day, int From, int To)> periods)
    {
        if (disruption.Kind == DisruptionKind.ChairUnavailable)
        {
            return calendar with
            {
                ChairClosures =
                [
                    .. calendar.ChairClosures,
                    .. periods.Select(p => new ChairClosure(disruption.ResourceId, p.Day, DayGrid.Time(p.From), EndTime(p.To))),
                ],
            };
        }

        var shifts = new List<NurseShift>();
        foreach (var shift in calendar.NurseShifts)
        {
            var cut = shift.NurseId == disruption.ResourceId ? periods.Where(p => p.Day == shift.Day).ToList() : [];
            var pieces = new List<(int From, int To)> { (DayGrid.WindowStart(shift.Start), DayGrid.WindowEnd(shift.End)) };
            foreach (var (_, from, to) in cut)
            {
                pieces = [.. pieces.SelectMany(p => new[] { (p.From, Math.Min(p.To, from)), (Math.Max(p.From, to), p.To) }).Where(p => p.Item2 > p.Item1)];
            }

            shifts.AddRange(cut.Count == 0
                ? [shift]
                : pieces.Select(p => shift with { Start = DayGrid.Time(p.From), End = EndTime(p.To) }));
        }

        return calendar with { NurseShifts = shifts };
    }

    private static List<Appointment> ChairAffected(ClinicCalendar calendar, string chairId, List<(DateOnly Day, int From, int To)> periods) =>
        [.. calendar.Appointments.Where(a => a.ChairId == chairId && periods.Any(p =>
            p.Day == a.Day && DayGrid.OccupiedStart(a.Start) < p.To && p.From < DayGrid.OccupiedEnd(a.End)))];

    private static List<Appointment> NurseAffected(ClinicCalendar disrupted, SchedulingSettings settings, List<(DateOnly Day, int From, int To)> periods)
    {
        var evicted = new List<Appointment>();
        foreach (var (day, from, to) in periods)
        {
            var nurses = DayGrid.NursesOnShift(disrupted.NurseShifts.Where(s => s.Day == day));
            var active = disrupted.Appointments.Where(a => a.Day == day).ToList();
            for (var m = from; m < to; m++)
            {
                var covering = active.Where(a => DayGrid.OccupiedStart(a.Start) <= m && m < DayGrid.OccupiedEnd(a.End)).ToList();
                var capacity = nurses[m] * settings.ChairsPerNurse.Value;
                while (covering.Count > capacity)
                {
                    var last = covering
                        .OrderByDescending(a => DayGrid.OccupiedEnd(a.End))
                        .ThenByDescending(a => DayGrid.OccupiedStart(a.Start))
                        .ThenByDescending(a => a.Id, StringComparer.Ordinal)
                        .First();
                    covering.Remove(last);
                    active.Remove(last);
                    evicted.Add(last);
                }
            }
        }

        return evicted;
    }

    // A move costs this much plus its shift in days, so fewer moves always beat shorter shifts.
    private const long MoveCost = 1_000_000;

    /// <summary>
    /// Re-fits one series: first moving only its affected sessions around the kept ones; when the kept sessions leave
    /// them no room, also moving kept sessions on or after the re-fit start, as few as possible (a series with a
    /// session taken out and nothing in its place would break its spacing).
    /// </summary>
    private static (List<AppointmentMove>? Moves, SeriesFit.Result? Failure) Refit(
        ClinicCalendar current, SchedulingSettings settings, SeriesPlan plan, List<Appointment> affected, ReplanRequest request)
    {
        var alone = Refit(current, settings, plan, affected, request, moveKept: false, explain: false);
        if (alone.Moves is not null)
        {
            return alone;
        }

        var together = Refit(current, settings, plan, affected, request, moveKept: true, explain: false);
        return together.Moves is not null ? together : Refit(current, settings, plan, affected, request, moveKept: false, explain: true);
    }

    private static (List<AppointmentMove>? Moves, SeriesFit.Result? Failure) Refit(
        ClinicCalendar current, SchedulingSettings settings, SeriesPlan plan, List<Appointment> affected, ReplanRequest request, bool moveKept, bool explain)
    {
        var sessions = current.Appointments
            .Where(a => a.SeriesId == plan.SeriesId)
            .Concat(affected)
            .OrderBy(a => a.Day).ThenBy(a => a.Start).ThenBy(a => a.SessionNumber)
            .ToList();
        var from = request.RefitFrom.DayNumber;
        var until = request.RefitUntil.DayNumber;
        var moving = affected.Select(a => a.Id).ToHashSet(StringComparer.Ordinal);

        // Kept sessions that may move (inside the re-fit period) leave the calendar the grid sees; staying costs 0.
        var movable = moveKept
            ? sessions.Where(a => !moving.Contains(a.Id) && a.Day.DayNumber >= from && a.Day.DayNumber <= until)
                .Select(a => a.Id).ToHashSet(StringComparer.Ordinal)
            : [];
        var grid = new DayGrid(
            movable.Count == 0 ? current : current with { Appointments = [.. current.Appointments.Where(a => !movable.Contains(a.Id))] },
            settings,
            plan);
        var kept = sessions.Where(a => !moving.Contains(a.Id)).Select(a => SeriesFit.Date(a.Day.DayNumber)).ToList();
        var numbers = string.Join(", ", affected.Select(a => a.SessionNumber?.ToString(CultureInfo.InvariantCulture) ?? a.Id));
        var what = $"session {numbers} of series '{plan.SeriesId}' next to its kept sessions ({plan.Rules with { Sessions = sessions.Count }})";

        string SequenceProblem() => kept.Count == 0
            ? $"No days {SeriesFit.Period(from, until)} can hold {what}."
            : $"The kept sessions of series '{plan.SeriesId}' ({string.Join(", ", kept)}) leave no day {SeriesFit.Period(from, until)} for session {numbers} within the series' rules ({plan.Rules with { Sessions = sessions.Count }}).";

        var result = SeriesFit.Solve(
            grid,
            plan,
            allowed => [.. sessions.Select(a =>
            {
                var day = a.Day.DayNumber;
                return moving.Contains(a.Id) ? DaySequenceSearch.Layer.Free(allowed, d => MoveCost + Math.Abs(d - day))
                    : movable.Contains(a.Id) ? DaySequenceSearch.Layer.Free(d => d == day || allowed(d), d => d == day ? 0 : MoveCost + Math.Abs(d - day))
                    : DaySequenceSearch.Layer.Pinned(day);
            })],
            from,
            until,
            SequenceProblem,
            what,
            explain);
        if (result.Days is null)
        {
            return (null, result);
        }

        var moves = new List<AppointmentMove>();
        for (var i = 0; i < sessions.Count; i++)
        {
            var old = sessions[i];
            if (!moving.Contains(old.Id) && (!movable.Contains(old.Id) || result.Days[i] == old.Day.DayNumber))
            {
                continue;
            }

            var oldStart = DayGrid.OccupiedStart(old.Start);
            var (start, chair) = grid.Slots(result.Days[i])
                .OrderBy(s => Math.Abs(s.Start - oldStart))
                .ThenBy(s => s.Start)
                .ThenBy(s => s.Chair.Id == old.ChairId ? 0 : 1)
                .First();
            moves.Add(new AppointmentMove(old, old with
            {
                ChairId = chair.Id,
                Day = DateOnly.FromDayNumber(result.Days[i]),
                Start = DayGrid.Time(start),
                End = DayGrid.Time(start + plan.AppointmentMinutes),
            }));
        }

        return (moves, null);
    }
}
