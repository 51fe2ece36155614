using KetaClinic.App.Data;
using KetaClinic.App.Realtime;
using KetaClinic.App.Security;
using KetaClinic.Domain.Common;
using KetaClinic.Domain.Protocols;
using KetaClinic.Domain.Scheduling;
using Microsoft.EntityFrameworkCore;

namespace KetaClinic.App.Features.Scheduling;

/// <summary>
/// The day board (chairs × time for a day or a week) and changes to single sessions: quick reschedule to another
/// free slot or chair, cancellation and no-show with a reason. Reads are audited (the board names patients).
/// </summary>
public sealed class Schedule(
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
    public const string Changed = "schedule";
    public const string RecordType = "schedule";
    public const string SessionRecord = "treatment-session";

    public async Task<Result<BoardView>> BoardAsync(Guid? locationId, DateOnly? day, int days, Actor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!actor.Can(Permissions.ScheduleRead))
        {
            return Result<BoardView>.Forbidden();
        }
        if (days is < 1 or > 14)
        {
            return Result<BoardView>.Invalid("days", "must be between 1 and 14.");
        }
        var first = day ?? clinic.Today(clock);
        var last = first.AddDays(days - 1);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await AuditTrail.BeginAsync(db, ct);
        var location = locationId is { } id
            ? await db.Locations.AsNoTracking().Include(l => l.Chairs).SingleOrDefaultAsync(l => l.Id == id, ct)
            : await db.Locations.AsNoTracking().Include(l => l.Chairs).OrderBy(l => l.Name).FirstOrDefaultAsync(ct);
        if (location is null)
        {
            return Result<BoardView>.NotFound("No such location.");
        }
        var chairs = location.Chairs.Where(c => c.IsActive).OrderBy(c => c.Name, StringComparer.Ordinal).ToList();
        var chairNames = location.Chairs.ToDictionary(c => c.Id, c => c.Name);
        var start = clinic.StartOfDay(first);
        var end = clinic.StartOfDay(last.AddDays(1));
        var rows = await (from s in db.TreatmentSessions.AsNoTracking()
                          join c in db.TreatmentCourses.AsNoTracking() on s.CourseId equals c.Id
                          join p in db.Patients.AsNoTracking() on s.PatientId equals p.Id
                          where s.LocationId == location.Id && s.ScheduledStart >= start && s.ScheduledStart < end
                          orderby s.ScheduledStart
                          select new { Session = s, c.ProtocolCode, p.Mrn, p.PreferredName, p.LegalGivenName, p.LegalFamilyName }).ToListAsync(ct);
        var sessions = rows.Select(r =>
        {
            var endsAt = calendars.EndOf(r.Session, r.ProtocolCode);
            return (Day: calendars.ToLocal(r.Session.ScheduledStart).Day, View: new BoardSessionView(
                r.Session.Id, r.Session.PatientId, $"{r.PreferredName ?? r.LegalGivenName} {r.LegalFamilyName}", r.Mrn, r.Session.SequenceNumber, r.ProtocolCode,
                r.Session.ScheduledStart, endsAt, ClinicCalendarBuilder.Text(calendars.ToLocal(r.Session.ScheduledStart).Time),
                ClinicCalendarBuilder.Text(calendars.ToLocal(endsAt).Time), r.Session.Status, r.Session.ChairId, r.Session.CancelReason));
        }).ToList();
        var calendar = await calendars.BuildAsync(db, location.Id, first, last, ct);
        var closures = await db.ChairClosures.AsNoTracking().Where(c => c.Day >= first && c.Day <= last).ToListAsync(ct);
        var shifts = await db.NurseShifts.AsNoTracking().Where(s => s.LocationId == location.Id && s.Day >= first && s.Day <= last).ToListAsync(ct);
        var dayViews = new List<BoardDayView>();
        for (var d = first; d <= last; d = d.AddDays(1))
        {
            var today = sessions.Where(s => s.Day == d).Select(s => s.View).ToList();
            var active = today.Where(s => ClinicCalendarBuilder.ActiveStatuses.Contains(s.Status) || s.Status == "completed").ToList();
            var current = d;
            dayViews.Add(new BoardDayView(
                d, calendar.Closures.Contains(d),
                calendar.OpeningHours.Where(w => w.Day == d.DayOfWeek).Select(w => new WindowView(w.Day.ToString().ToLowerInvariant(), ClinicCalendarBuilder.Text(w.From), ClinicCalendarBuilder.Text(w.To))).ToList(),
                chairs.Select(c => new BoardChairView(c.Id, c.Name, c.HasInfusionPump,
                    active.Where(s => s.ChairId == c.Id).ToList(),
                    closures.Where(x => x.ChairId == c.Id && x.Day == current).Select(x => ClinicResources.ChairClosureOf(x, chairNames)).ToList())).ToList(),
                active.Where(s => s.ChairId is null || chairs.All(c => c.Id != s.ChairId)).ToList(),
                today.Where(s => s.Status is "cancelled" or "no-show").ToList(),
                shifts.Where(s => s.Day == d).OrderBy(s => s.StartMinute).Select(ClinicResources.ShiftOf).ToList()));
        }
        await audit.RecordAsync(db, actor, AuditActions.Search, RecordType, location.Id.ToString(), null, new { first, last, sessions = sessions.Count }, ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return Result<BoardView>.Ok(new BoardView(location.Id, location.Name, dayViews));
    }

    public Task<Result<BoardSessionView>> CancelAsync(Guid sessionId, SessionReasonRequest request, Actor actor, CancellationToken ct) =>
        CloseAsync(sessionId, "cancelled", request, actor, ct);

    public Task<Result<BoardSessionView>> NoShowAsync(Guid sessionId, SessionReasonRequest request, Actor actor, CancellationToken ct) =>
        CloseAsync(sessionId, "no-show", request, actor, ct);

    private async Task<Result<BoardSessionView>> CloseAsync(Guid sessionId, string status, SessionReasonRequest request, Actor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!actor.Can(Permissions.ScheduleBook))
        {
            return Result<BoardSessionView>.Forbidden();
        }
        var v = new Validator();
        var reason = v.Text("reason", request?.Reason, 500, required: true);
        if (!v.IsValid)
        {
            return Result<BoardSessionView>.Invalid(v.Errors);
        }
        var now = clock.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await AuditTrail.BeginAsync(db, ct);
        var session = await db.TreatmentSessions.SingleOrDefaultAsync(s => s.Id == sessionId, ct);
        if (session is null)
        {
            return Result<BoardSessionView>.NotFound($"No session with id {sessionId}.");
        }
        if (session.Status != "scheduled")
        {
            // After check-in the chair workflow owns the session: it ends by discharge or by stopping early with a reason.
            return Result<BoardSessionView>.Conflict($"The session is {session.Status}; only a scheduled session can be {(status == "cancelled" ? "cancelled" : "marked as a no-show")}. A session already checked in is stopped early on its session page.");
        }
        if (status == "no-show" && session.ScheduledStart > now)
        {
            return Result<BoardSessionView>.Invalid("status", "a session can be marked as a no-show only once its start time has passed.");
        }
        var before = session.Status;
        session.Status = status;
        session.CancelledAt = now;
        session.CancelledBy = actor.UserId;
        session.CancelReason = reason;
        await Reminders.CancelAsync(db, session.Id, ct);
        await audit.RecordAsync(db, actor, AuditActions.Update, SessionRecord, session.Id.ToString(), session.PatientId, new { from = before, to = status, reason }, ct);
        if (status == "cancelled" && session.ScheduledStart > now && session.ChairId is not null)
        {
            await OfferFreedSlotAsync(db, session, actor, now, ct);
        }
        await db.SaveChangesAsync(ct);
        var view = await ViewAsync(db, session, ct);
        await tx.CommitAsync(ct);
        await notifier.PublishAsync(new ClinicChange(Changed, session.PatientId));
        return Result<BoardSessionView>.Ok(view);
    }

    /// <summary>Puts a patient with a plan on the waitlist for an earlier slot.</summary>
    public async Task<Result<WaitlistEntryView>> AddToWaitlistAsync(Guid planId, WaitlistRequest request, Actor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!actor.Can(Permissions.ScheduleBook))
        {
            return Result<WaitlistEntryView>.Forbidden();
        }
        var v = new Validator();
        var note = v.Text("note", request?.Note, 500, required: false);
        if (!v.IsValid)
        {
            return Result<WaitlistEntryView>.Invalid(v.Errors);
        }
        var now = clock.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await AuditTrail.BeginAsync(db, ct);
        var plan = await db.TreatmentPlans.AsNoTracking().SingleOrDefaultAsync(p => p.Id == planId, ct);
        if (plan is null)
        {
            return Result<WaitlistEntryView>.NotFound($"No treatment plan with id {planId}.");
        }
        if (await db.Waitlist.AnyAsync(w => w.PlanId == planId && w.Status == "waiting", ct))
        {
            return Result<WaitlistEntryView>.Conflict("This plan is already on the waitlist.");
        }
        var entry = new WaitlistEntryRow { Id = Guid.NewGuid(), PatientId = plan.PatientId, PlanId = plan.Id, Note = note, CreatedAt = now, CreatedBy = actor.UserId };
        db.Waitlist.Add(entry);
        await audit.RecordAsync(db, actor, AuditActions.Create, "waitlist-entry", entry.Id.ToString(), plan.PatientId, new { note }, ct);
        await db.SaveChangesAsync(ct);
        var view = (await WaitlistViewsAsync(db, [entry], ct))[0];
        await tx.CommitAsync(ct);
        return Result<WaitlistEntryView>.Ok(view);
    }

    public async Task<Result<IReadOnlyList<WaitlistEntryView>>> WaitlistAsync(Actor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!actor.Can(Permissions.ScheduleRead))
        {
            return Result<IReadOnlyList<WaitlistEntryView>>.Forbidden();
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await AuditTrail.BeginAsync(db, ct);
        var rows = await db.Waitlist.AsNoTracking().Where(w => w.Status != "removed").OrderBy(w => w.CreatedAt).ToListAsync(ct);
        var views = await WaitlistViewsAsync(db, rows, ct);
        await audit.RecordAsync(db, actor, AuditActions.Search, "waitlist-entry", null, null, new { entries = rows.Count }, ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return Result<IReadOnlyList<WaitlistEntryView>>.Ok(views);
    }

    public async Task<Result<WaitlistEntryView>> RemoveFromWaitlistAsync(Guid entryId, Actor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!actor.Can(Permissions.ScheduleBook))
        {
            return Result<WaitlistEntryView>.Forbidden();
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await AuditTrail.BeginAsync(db, ct);
        var entry = await db.Waitlist.SingleOrDefaultAsync(w => w.Id == entryId, ct);
        if (entry is null)
        {
            return Result<WaitlistEntryView>.NotFound($"No waitlist entry with id {entryId}.");
        }
        entry.Status = "removed";
        await audit.RecordAsync(db, actor, AuditActions.Update, "waitlist-entry", entry.Id.ToString(), entry.PatientId, new { status = entry.Status }, ct);
        await db.SaveChangesAsync(ct);
        var view = (await WaitlistViewsAsync(db, [entry], ct))[0];
        await tx.CommitAsync(ct);
        return Result<WaitlistEntryView>.Ok(view);
    }

    /// <summary>
    /// Offers a cancelled session's slot to the first waiting patient (oldest entry) whose protocol fits the chair and
    /// the slot's length: the entry is marked offered and a message to the patient goes to the outbox.
    /// </summary>
    private async Task OfferFreedSlotAsync(ClinicDbContext db, TreatmentSession freed, Actor actor, DateTimeOffset now, CancellationToken ct)
    {
        var chair = await db.Chairs.AsNoTracking().SingleAsync(c => c.Id == freed.ChairId, ct);
        var equipment = ClinicCalendarBuilder.Equipment(chair);
        var freedProtocol = await db.TreatmentCourses.AsNoTracking().Where(c => c.Id == freed.CourseId).Select(c => c.ProtocolCode).SingleOrDefaultAsync(ct);
        var freedEnd = calendars.EndOf(freed, freedProtocol);
        var waiting = await (from w in db.Waitlist
                             join p in db.TreatmentPlans on w.PlanId equals p.Id
                             where w.Status == "waiting" && w.PatientId != freed.PatientId
                             orderby w.CreatedAt
                             select new { Entry = w, p.ProtocolId }).ToListAsync(ct);
        var fit = waiting.FirstOrDefault(w => protocols.Find(w.ProtocolId) is { } p
            && p.RequiredEquipment.Value.All(equipment.Contains)
            && p.Timing.AppointmentMinutes <= (freedEnd - freed.ScheduledStart).TotalMinutes);
        if (fit is null)
        {
            return;
        }
        var local = clinic.ToClinicTime(freed.ScheduledStart);
        var slot = $"{local.ToString("dddd d MMMM 'at' HH:mm", System.Globalization.CultureInfo.InvariantCulture)}, {chair.Name}";
        fit.Entry.Status = "offered";
        fit.Entry.OfferedAt = now;
        fit.Entry.OfferedSlot = slot;
        var patient = await db.Patients.AsNoTracking().Where(p => p.Id == fit.Entry.PatientId).Select(p => new { p.Phone, p.Email, p.PreferredName, p.LegalGivenName }).SingleAsync(ct);
        var (channel, recipient) = patient.Phone is { Length: > 0 } phone ? ("sms", phone) : patient.Email is { Length: > 0 } email ? ("email", email) : (null, null);
        if (channel is not null)
        {
            db.ReminderOutbox.Add(new ReminderMessageRow
            {
                Id = Guid.NewGuid(), SessionId = freed.Id, PatientId = fit.Entry.PatientId, Channel = channel, Recipient = recipient!, DueAt = now, CreatedAt = now,
                Status = Reminders.Pending,
                Body = $"{clinic.Name}: Hello {patient.PreferredName ?? patient.LegalGivenName}, an earlier treatment slot is free on {local.ToString("dddd d MMMM 'at' HH:mm", System.Globalization.CultureInfo.InvariantCulture)}. Call the clinic to take it.",
            });
        }
        await audit.RecordAsync(db, actor, AuditActions.Update, "waitlist-entry", fit.Entry.Id.ToString(), fit.Entry.PatientId, new { status = "offered", slot, freed = freed.Id }, ct);
    }

    private static async Task<List<WaitlistEntryView>> WaitlistViewsAsync(ClinicDbContext db, IReadOnlyList<WaitlistEntryRow> rows, CancellationToken ct)
    {
        var ids = rows.Select(r => r.PatientId).Distinct().ToList();
        var names = await db.Patients.AsNoTracking().Where(p => ids.Contains(p.Id))
            .Select(p => new { p.Id, p.PreferredName, p.LegalGivenName, p.LegalFamilyName }).ToDictionaryAsync(p => p.Id, ct);
        return rows.Select(r => new WaitlistEntryView(r.Id, r.PatientId,
            names.TryGetValue(r.PatientId, out var n) ? $"{n.PreferredName ?? n.LegalGivenName} {n.LegalFamilyName}" : "?", r.PlanId, r.Note, r.CreatedAt, r.Status, r.OfferedSlot)).ToList();
    }

    /// <summary>Moves a scheduled session to another free slot or chair (no drag): the same checks as booking.</summary>
    public async Task<Result<BoardSessionView>> RescheduleAsync(Guid sessionId, RescheduleRequest request, Actor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!actor.Can(Permissions.ScheduleBook))
        {
            return Result<BoardSessionView>.Forbidden();
        }
        var v = new Validator();
        if (request?.ChairId is null)
        {
            v.Add("chairId", "is required.");
        }
        if (request?.StartsAt is null)
        {
            v.Add("startsAt", "is required.");
        }
        if (!v.IsValid)
        {
            return Result<BoardSessionView>.Invalid(v.Errors);
        }
        var now = clock.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await AuditTrail.BeginAsync(db, ct);
        var session = await db.TreatmentSessions.SingleOrDefaultAsync(s => s.Id == sessionId, ct);
        if (session is null)
        {
            return Result<BoardSessionView>.NotFound($"No session with id {sessionId}.");
        }
        if (session.Status != "scheduled")
        {
            return Result<BoardSessionView>.Conflict($"The session is {session.Status}; only a scheduled session can be moved.");
        }
        if (request!.StartsAt!.Value <= now)
        {
            return Result<BoardSessionView>.Invalid("startsAt", "must be in the future.");
        }
        var protocolCode = await db.TreatmentCourses.Where(c => c.Id == session.CourseId).Select(c => c.ProtocolCode).SingleAsync(ct);
        var protocol = protocols.Find(protocolCode);
        var minutes = session.ScheduledEnd is { } e ? (int)(e - session.ScheduledStart).TotalMinutes : calendars.DefaultMinutes(protocolCode);
        var chair = await db.Chairs.AsNoTracking().SingleOrDefaultAsync(c => c.Id == request.ChairId && c.LocationId == session.LocationId, ct);
        if (chair is null)
        {
            return Result<BoardSessionView>.Invalid("chairId", "is not a chair of the session's location.");
        }
        var newStart = request.StartsAt.Value;
        var newEnd = newStart.AddMinutes(minutes);
        var (day, startTime) = calendars.ToLocal(newStart);
        var (endDay, endTime) = calendars.ToLocal(newEnd);
        if (endDay != day)
        {
            return Result<BoardSessionView>.Invalid("startsAt", "the session would run past midnight.");
        }
        var calendar = await calendars.BuildAsync(db, session.LocationId, day, day, ct);
        var problem = SlotCheck.Problem(calendar, settings, session.PatientId.ToString(), chair.Id.ToString(), chair.Name,
            protocol?.RequiredEquipment.Value ?? [], day, startTime, endTime, session.Id.ToString());
        if (problem is not null)
        {
            return Result<BoardSessionView>.Conflict(problem);
        }
        var before = new { session.ScheduledStart, session.ChairId };
        session.ScheduledStart = newStart;
        session.ScheduledEnd = newEnd;
        session.ChairId = chair.Id;
        await reminders.RequeueAsync(db, session, now, ct);
        await audit.RecordAsync(db, actor, AuditActions.Update, SessionRecord, session.Id.ToString(), session.PatientId,
            new { from = before, to = new { session.ScheduledStart, session.ChairId } }, ct);
        await db.SaveChangesAsync(ct);
        var view = await ViewAsync(db, session, ct);
        await tx.CommitAsync(ct);
        await notifier.PublishAsync(new ClinicChange(Changed, session.PatientId));
        return Result<BoardSessionView>.Ok(view);
    }

    /// <summary>Free start times on a day for a session's length, per chair with the equipment it needs (for quick reschedule).</summary>
    public async Task<Result<IReadOnlyList<ProposedSessionView>>> FreeSlotsAsync(Guid sessionId, DateOnly day, Actor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!actor.Can(Permissions.ScheduleBook))
        {
            return Result<IReadOnlyList<ProposedSessionView>>.Forbidden();
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var session = await db.TreatmentSessions.AsNoTracking().SingleOrDefaultAsync(s => s.Id == sessionId, ct);
        if (session is null)
        {
            return Result<IReadOnlyList<ProposedSessionView>>.NotFound($"No session with id {sessionId}.");
        }
        var protocolCode = await db.TreatmentCourses.Where(c => c.Id == session.CourseId).Select(c => c.ProtocolCode).SingleAsync(ct);
        var equipment = protocols.Find(protocolCode)?.RequiredEquipment.Value ?? [];
        var minutes = session.ScheduledEnd is { } e ? (int)(e - session.ScheduledStart).TotalMinutes : calendars.DefaultMinutes(protocolCode);
        var calendar = await calendars.BuildAsync(db, session.LocationId, day, day, ct);
        var names = await db.Chairs.AsNoTracking().Where(c => c.LocationId == session.LocationId).ToDictionaryAsync(c => c.Id.ToString(), c => c.Name, ct);
        var now = clock.GetUtcNow();
        var free = new List<ProposedSessionView>();
        foreach (var window in calendar.OpeningHours.Where(w => w.Day == day.DayOfWeek))
        {
            for (var m = ClinicCalendarBuilder.Minute(window.From); m + minutes <= ClinicCalendarBuilder.Minute(window.To); m += settings.SlotMinutes.Value)
            {
                var start = ClinicCalendarBuilder.Time(m);
                var end = ClinicCalendarBuilder.Time(m + minutes);
                if (calendars.ToInstant(day, start) <= now)
                {
                    continue;
                }
                foreach (var chair in calendar.Chairs)
                {
                    if (SlotCheck.Problem(calendar, settings, session.PatientId.ToString(), chair.Id, names[chair.Id], equipment, day, start, end, session.Id.ToString()) is null)
                    {
                        free.Add(new ProposedSessionView(session.SequenceNumber, day, ClinicCalendarBuilder.Text(start), ClinicCalendarBuilder.Text(end),
                            Guid.Parse(chair.Id), names[chair.Id], calendars.ToInstant(day, start), calendars.ToInstant(day, end)));
                    }
                }
            }
        }
        return Result<IReadOnlyList<ProposedSessionView>>.Ok(free);
    }

    private async Task<BoardSessionView> ViewAsync(ClinicDbContext db, TreatmentSession s, CancellationToken ct)
    {
        var p = await db.Patients.AsNoTracking().Where(x => x.Id == s.PatientId).Select(x => new { x.Mrn, x.PreferredName, x.LegalGivenName, x.LegalFamilyName }).SingleAsync(ct);
        var code = await db.TreatmentCourses.AsNoTracking().Where(c => c.Id == s.CourseId).Select(c => c.ProtocolCode).SingleAsync(ct);
        var end = calendars.EndOf(s, code);
        return new BoardSessionView(s.Id, s.PatientId, $"{p.PreferredName ?? p.LegalGivenName} {p.LegalFamilyName}", p.Mrn, s.SequenceNumber, code, s.ScheduledStart, end,
            ClinicCalendarBuilder.Text(calendars.ToLocal(s.ScheduledStart).Time), ClinicCalendarBuilder.Text(calendars.ToLocal(end).Time), s.Status, s.ChairId, s.CancelReason);
    }
}
