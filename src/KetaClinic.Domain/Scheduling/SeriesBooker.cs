using System.Globalization;
using KetaClinic.Domain.Common;

namespace KetaClinic.Domain.Scheduling;

/// <summary>
/// Proposes a whole series at once: the earliest possible last session, then the earliest first session, each session
/// at the earliest free time on its day in the first suitable chair. The search is complete (see
/// <see cref="DaySequenceSearch"/> and <see cref="DayGrid"/>): when it finds nothing, no series satisfies the rules,
/// and the explanation names the first constraint that rules it out.
/// </summary>
public static class SeriesBooker
{
    public static SeriesProposal Propose(SeriesRequest request, ClinicCalendar calendar, SchedulingSettings settings)
    {
        ArgumentNullException.ThrowIfNull(request);
        var errors = new List<FieldError>();
        SchedulingValidation.Calendar(calendar, settings, errors);
        SchedulingValidation.Plan(request.Plan, "plan", errors);
        SchedulingValidation.Days(request.EarliestDay, request.LatestDay, "earliestDay", "latestDay", errors);
        SchedulingValidation.ThrowIfInvalid(errors);

        var plan = request.Plan;
        var rules = plan.Rules;
        var grid = new DayGrid(calendar, settings, plan);
        var from = request.EarliestDay.DayNumber;
        var until = request.LatestDay.DayNumber;
        var what = string.Create(CultureInfo.InvariantCulture, $"the {rules.Sessions} sessions ({rules})");

        string SequenceProblem() => string.Create(CultureInfo.InvariantCulture,
            $"The search period {SeriesFit.Period(from, until)} is too short: {rules.Sessions} sessions spaced at least {rules.SpacingMinDays} days apart, at most {rules.MaxSessionsPer7Days} in any 7 days, need at least {rules.MinimumSpanDays()} days.");

        var result = SeriesFit.Solve(
            grid,
            plan,
            allowed => [.. Enumerable.Range(0, rules.Sessions).Select(_ => DaySequenceSearch.Layer.Free(allowed))],
            from,
            until,
            SequenceProblem,
            what);
        if (result.Days is null)
        {
            return new SeriesProposal([], result.Failed, result.Explanation);
        }

        var appointments = result.Days.Select((day, i) =>
        {
            var (start, chair) = grid.Slots(day)[0];
            return new Appointment(
                string.Create(CultureInfo.InvariantCulture, $"{plan.SeriesId}-{i + 1}"),
                plan.PatientId,
                chair.Id,
                DateOnly.FromDayNumber(day),
                DayGrid.Time(start),
                DayGrid.Time(start + plan.AppointmentMinutes),
                plan.SeriesId,
                i + 1);
        }).ToList();
        var first = appointments[0];
        var last = appointments[^1];
        return new SeriesProposal(appointments, null, string.Create(CultureInfo.InvariantCulture,
            $"{appointments.Count} sessions from {SeriesFit.Date(first.Day.DayNumber)} to {SeriesFit.Date(last.Day.DayNumber)}: the earliest possible finish, then the earliest start."));
    }
}
