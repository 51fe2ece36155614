using System.Globalization;
using KetaClinic.App.Data;
using KetaClinic.App.Realtime;
using KetaClinic.App.Security;
using KetaClinic.Domain.Common;
using KetaClinic.Domain.Protocols;
using KetaClinic.Domain.Scheduling;
using Microsoft.EntityFrameworkCore;

namespace KetaClinic.App.Features.Scheduling;

/// <summary>
/// Books a plan's series phase as a whole: <see cref="ProposeAsync"/> runs <see cref="SeriesBooker"/> over the clinic's
/// real calendar and the patient's available times; <see cref="ConfirmAsync"/> checks every slot again against the
/// calendar as it is then and creates the sessions (status scheduled) with their reminders in one audited transaction,
/// or refuses naming the slot that was taken meanwhile.
/// </summary>
public sealed class SeriesBooking(
    IDbContextFactory<ClinicDbContext> dbFactory,
    AuditTrail audit,
    TimeProvider clock,
    ClinicSettings clinic,
    ProtocolLibrary protocols,
    SchedulingSettings settings,
    ClinicCalendarBuilder calendars,
    Reminders reminders,
    ClinicNotifier notifier)
{
    public const string RecordType = "series-booking";

    /// <summary>Days searched after the earliest day when no latest day is given, beyond the phase's own window.</summary>
    public const int ExtraSearchDays = 28;

    public async Task<Result<SeriesProposalView>> ProposeAsync(Guid planId, ProposeSeriesRequest request, Actor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!actor.Can(Permissions.ScheduleBook))
        {
            return Result<SeriesProposalView>.Forbidden();
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await AuditTrail.BeginAsync(db, ct);
        var prepared = await PrepareAsync(db, planId, request?.PhaseId, ct);
        if (prepared.Error is { } error)
        {
            return error.Carry<SeriesProposalView>();
        }
        var (plan, course, protocol, phase) = prepared.Value!.Value;
        var v = new Validator();
        var windows = new List<WeeklyWindow>();
        var availability = request?.Availability ?? [];
        for (var i = 0; i < availability.Count; i++)
        {
            if (ClinicResources.ParseWindow(v, string.Create(CultureInfo.InvariantCulture, $"availability[{i}]"), availability[i]) is { } w)
            {
                windows.Add(new WeeklyWindow(w.Day, ClinicCalendarBuilder.Time(w.From), ClinicCalendarBuilder.Time(w.To)));
            }
        }
        if (availability.Count == 0)
        {
            windows.AddRange(Enum.GetValues<DayOfWeek>().Select(d => new WeeklyWindow(d, TimeOnly.MinValue, new TimeOnly(23, 59))));
        }
        var today = clinic.Today(clock);
        var earliest = request?.EarliestDay ?? today.AddDays(1);
        if (earliest <= today)
        {
            v.Add("earliestDay", "must be after today.");
        }
        var latest = request?.LatestDay ?? earliest.AddDays(phase.WindowDays.Value + ExtraSearchDays);
        if (latest < earliest)
        {
            v.Add("latestDay", "must not be before earliestDay.");
        }
        else if (latest.DayNumber - earliest.DayNumber > 366)
        {
            v.Add("latestDay", "the search covers at most a year.");
        }
        if (!v.IsValid)
        {
            return Result<SeriesProposalView>.Invalid(v.Errors);
        }
        var calendar = await calendars.BuildAsync(db, course.LocationId, earliest, latest, ct);
        var seriesPlan = SeriesPlan.ForProtocol(SeriesId(plan, phase), plan.PatientId.ToString(), protocol, phase.Id,
            new PatientAvailability(windows, request?.UnavailableDates ?? []));
        SeriesProposal proposal;
        try
        {
            proposal = SeriesBooker.Propose(new SeriesRequest(seriesPlan, earliest, latest), calendar, settings);
        }
        catch (DomainValidationException e)
        {
            return Result<SeriesProposalView>.Invalid(e.Errors);
        }
        var chairNames = await db.Chairs.AsNoTracking().Where(c => c.LocationId == course.LocationId).ToDictionaryAsync(c => c.Id.ToString(), c => c.Name, ct);
        var sessions = proposal.Appointments.Select(a => new ProposedSessionView(
            a.SessionNumber ?? 0, a.Day, ClinicCalendarBuilder.Text(a.Start), ClinicCalendarBuilder.Text(a.End), Guid.Parse(a.ChairId),
            chairNames.GetValueOrDefault(a.ChairId, a.ChairId), calendars.ToInstant(a.Day, a.Start), calendars.ToInstant(a.Day, a.End))).ToList();
        await audit.RecordAsync(db, actor, AuditActions.Read, RecordType, plan.Id.ToString(), plan.PatientId,
            new { phase = phase.Id, earliest, latest, proposal.Found, failed = proposal.FailedConstraint?.ToString() }, ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return Result<SeriesProposalView>.Ok(new SeriesProposalView(
            plan.Id, phase.Id, phase.Name, proposal.Found, proposal.FailedConstraint?.ToString(), proposal.Explanation, sessions));
    }

    public async Task<Result<BookedSeriesView>> ConfirmAsync(Guid planId, ConfirmSeriesRequest request, Actor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!actor.Can(Permissions.ScheduleBook))
        {
            return Result<BookedSeriesView>.Forbidden();
        }
        var slots = request?.Sessions ?? [];
        var now = clock.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await AuditTrail.BeginAsync(db, ct);
        var prepared = await PrepareAsync(db, planId, request?.PhaseId, ct);
        if (prepared.Error is { } error)
        {
            return error.Carry<BookedSeriesView>();
        }
        var (plan, course, protocol, phase) = prepared.Value!.Value;
        if (slots.Count != phase.Sessions.Value)
        {
            return Result<BookedSeriesView>.Invalid("sessions", string.Create(CultureInfo.InvariantCulture,
                $"must list the {phase.Sessions.Value} sessions of {phase.Name} as proposed (got {slots.Count})."));
        }
        var locals = slots.OrderBy(s => s.StartsAt).Select(s => (Slot: s, Start: calendars.ToLocal(s.StartsAt), End: calendars.ToLocal(s.EndsAt))).ToList();
        var from = locals.Min(l => l.Start.Day);
        var until = locals.Max(l => l.Start.Day);
        if (from <= clinic.Today(clock))
        {
            return Result<BookedSeriesView>.Invalid("sessions", "every session must be after today.");
        }
        // The calendar as it is now, inside the booking transaction: a slot taken since the proposal is refused.
        var calendar = await calendars.BuildAsync(db, course.LocationId, from, until, ct);
        var chairNames = await db.Chairs.AsNoTracking().Where(c => c.LocationId == course.LocationId).ToDictionaryAsync(c => c.Id, c => c.Name, ct);
        var booked = new List<Appointment>();
        foreach (var (slot, start, end) in locals)
        {
            var chairName = chairNames.GetValueOrDefault(slot.ChairId, "the chair");
            if (end.Day != start.Day || (ClinicCalendarBuilder.Minute(end.Time) - ClinicCalendarBuilder.Minute(start.Time)) != protocol.Timing.AppointmentMinutes)
            {
                return Result<BookedSeriesView>.Invalid("sessions", string.Create(CultureInfo.InvariantCulture,
                    $"session {slot.Number} must last {protocol.Timing.AppointmentMinutes} minutes (chair time and recovery of {protocol.Name})."));
            }
            var withBooked = calendar with { Appointments = [.. calendar.Appointments, .. booked] };
            if (SlotCheck.Problem(withBooked, settings, plan.PatientId.ToString(), slot.ChairId.ToString(), chairName, protocol.RequiredEquipment.Value, start.Day, start.Time, end.Time) is { } problem)
            {
                return Result<BookedSeriesView>.Conflict($"Session {slot.Number.ToString(CultureInfo.InvariantCulture)} cannot be booked: {problem} Propose the series again.");
            }
            booked.Add(new Appointment(Guid.NewGuid().ToString(), plan.PatientId.ToString(), slot.ChairId.ToString(), start.Day, start.Time, end.Time));
        }
        var rules = phase.Rules;
        var days = booked.Select(b => b.Day.DayNumber).ToList();
        for (var i = 1; i < days.Count; i++)
        {
            var gap = days[i] - days[i - 1];
            if (gap < rules.SpacingMinDays || gap > rules.SpacingMaxDays)
            {
                return Result<BookedSeriesView>.Invalid("sessions", string.Create(CultureInfo.InvariantCulture,
                    $"sessions {i} and {i + 1} are {gap} days apart; {phase.Name} needs {rules.SpacingMinDays}–{rules.SpacingMaxDays} ({phase.SpacingMinDays.Source})."));
            }
        }
        if (days[^1] - days[0] + 1 > rules.WindowDays)
        {
            return Result<BookedSeriesView>.Invalid("sessions", $"the series spans more than {rules.WindowDays} days ({phase.WindowDays.Source}).");
        }

        var sequence = await db.TreatmentSessions.Where(s => s.CourseId == course.Id).MaxAsync(s => (int?)s.SequenceNumber, ct) ?? 0;
        var seriesId = SeriesId(plan, phase);
        var created = new List<TreatmentSession>();
        foreach (var (slot, _, _) in locals)
        {
            var session = new TreatmentSession
            {
                Id = Guid.NewGuid(), CourseId = course.Id, PatientId = plan.PatientId, LocationId = course.LocationId, ChairId = slot.ChairId,
                SequenceNumber = ++sequence, ScheduledStart = slot.StartsAt, ScheduledEnd = slot.EndsAt, Status = "scheduled",
                PlanId = plan.Id, PhaseId = phase.Id, SeriesId = seriesId,
            };
            db.TreatmentSessions.Add(session);
            created.Add(session);
        }
        if (course.Status == "planned")
        {
            course.Status = "active";
        }
        await db.SaveChangesAsync(ct);
        foreach (var session in created)
        {
            await reminders.QueueAsync(db, session, now, ct);
        }
        var queued = db.ChangeTracker.Entries<ReminderMessageRow>().Count(e => e.State == EntityState.Added);
        await audit.RecordAsync(db, actor, AuditActions.Create, RecordType, plan.Id.ToString(), plan.PatientId,
            new { phase = phase.Id, seriesId, sessions = created.Select(s => new { s.Id, s.ScheduledStart, s.ChairId }) }, ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        await notifier.PublishAsync(new ClinicChange(Schedule.Changed, plan.PatientId));
        return Result<BookedSeriesView>.Ok(new BookedSeriesView(plan.Id, phase.Id,
            created.Select(s => new BookedSessionView(s.Id, s.SequenceNumber, s.ChairId, chairNames.GetValueOrDefault(s.ChairId!.Value, "?"), s.ScheduledStart, s.ScheduledEnd!.Value, s.Status)).ToList(),
            queued));
    }

    private static string SeriesId(TreatmentPlanRow plan, SeriesPhase phase) => $"{plan.Id:N}-{phase.Id}";

    private async Task<(Result<object>? Error, (TreatmentPlanRow, TreatmentCourse, TreatmentProtocol, SeriesPhase)? Value)> PrepareAsync(
        ClinicDbContext db, Guid planId, string? phaseId, CancellationToken ct)
    {
        var plan = await db.TreatmentPlans.AsNoTracking().SingleOrDefaultAsync(p => p.Id == planId, ct);
        if (plan is null)
        {
            return (Result<object>.NotFound($"No treatment plan with id {planId}."), null);
        }
        if (plan.Status != "active")
        {
            return (Result<object>.Conflict("The plan is closed."), null);
        }
        var protocol = protocols.Find(plan.ProtocolId);
        if (protocol is null)
        {
            return (Result<object>.Conflict($"Protocol '{plan.ProtocolId}' is no longer in the clinic's library."), null);
        }
        var id = string.IsNullOrWhiteSpace(phaseId) ? plan.PhaseId : phaseId.Trim();
        if (protocol.Phases.FirstOrDefault(p => p.Id == id) is not SeriesPhase phase)
        {
            return (Result<object>.Invalid("phaseId", $"must be a series phase of {protocol.Name} ({string.Join(", ", protocol.SeriesPhases.Select(p => p.Id))})."), null);
        }
        var course = await db.TreatmentCourses.SingleAsync(c => c.Id == plan.CourseId, ct);
        if (await db.TreatmentSessions.AnyAsync(s => s.PlanId == plan.Id && s.PhaseId == phase.Id && s.Status != "cancelled", ct))
        {
            return (Result<object>.Conflict($"{phase.Name} of this plan is already booked; reschedule single sessions on the day board."), null);
        }
        return (null, (plan, course, protocol, phase));
    }
}

internal static class ResultStatusExtensions
{
    /// <summary>Carries a failed result's status, errors and message (not found, conflict...) over to another result type.</summary>
    public static Result<T> Carry<T>(this Result<object> failed) => new(failed.Status, default, failed.Errors, failed.Message);
}
