using System.Globalization;
using System.Text.Json;
using KetaClinic.App.Data;
using KetaClinic.App.Security;
using KetaClinic.Domain.Common;
using KetaClinic.Domain.Protocols;
using KetaClinic.Domain.Scheduling;
using Microsoft.EntityFrameworkCore;

namespace KetaClinic.App.Features.Scheduling;

/// <summary>
/// The administrator's clinic resources: opening hours, holidays, chair equipment and closures, nurse shifts and
/// appointment types. Closing a chair or removing a nurse shift re-plans the sessions it hit
/// (<see cref="SeriesReplanner"/>) in the same transaction and keeps the report.
/// </summary>
public sealed class ClinicResources(
    IDbContextFactory<ClinicDbContext> dbFactory,
    AuditTrail audit,
    TimeProvider clock,
    ClinicSettings clinic,
    ProtocolLibrary protocols,
    SchedulingSettings settings,
    ClinicCalendarBuilder calendars,
    Reminders reminders)
{
    public const string RecordType = "clinic-resources";
    public const string ReplanRecord = "replan-report";

    /// <summary>How far ahead a disrupted session may be moved.</summary>
    public const int RefitDays = 42;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<Result<ResourcesView>> GetAsync(Actor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!actor.Can(Permissions.ResourcesManage))
        {
            return Result<ResourcesView>.Forbidden();
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return Result<ResourcesView>.Ok(await ViewAsync(db, ct));
    }

    private async Task<ResourcesView> ViewAsync(ClinicDbContext db, CancellationToken ct)
    {
        var today = clinic.Today(clock);
        var horizon = today.AddDays(28);
        var locations = await db.Locations.AsNoTracking().Include(l => l.Chairs).OrderBy(l => l.Name).ToListAsync(ct);
        var hours = await db.OpeningHours.AsNoTracking().ToListAsync(ct);
        var closures = await db.ClinicClosures.AsNoTracking().Where(c => c.Day >= today).OrderBy(c => c.Day).ToListAsync(ct);
        var chairClosures = await db.ChairClosures.AsNoTracking().Where(c => c.Day >= today).OrderBy(c => c.Day).ToListAsync(ct);
        var shifts = await db.NurseShifts.AsNoTracking().Where(s => s.Day >= today && s.Day <= horizon).OrderBy(s => s.Day).ThenBy(s => s.StartMinute).ToListAsync(ct);
        var types = await db.AppointmentTypes.AsNoTracking().Where(t => t.IsActive).OrderBy(t => t.Code).ToListAsync(ct);
        var nurses = await NursesAsync(db, ct);
        var chairNames = locations.SelectMany(l => l.Chairs).ToDictionary(c => c.Id, c => c.Name);
        var view = locations.Select(l => new LocationResourcesView(
            l.Id, l.Name,
            l.Chairs.OrderBy(c => c.Name, StringComparer.Ordinal).Select(c => new ResourceChairView(c.Id, c.Name, c.HasInfusionPump, c.HasMonitor, c.IsActive)).ToList(),
            hours.Where(h => h.LocationId == l.Id).OrderBy(h => h.DayOfWeek).ThenBy(h => h.OpensMinute).Select(Window).ToList(),
            closures.Where(c => c.LocationId == l.Id).Select(c => new ClosureView(c.Id, c.Day, c.Reason)).ToList(),
            chairClosures.Where(c => l.Chairs.Any(ch => ch.Id == c.ChairId)).Select(c => ChairClosureOf(c, chairNames)).ToList(),
            shifts.Where(s => s.LocationId == l.Id).Select(ShiftOf).ToList())).ToList();
        var typeViews = types.Select(t => new AppointmentTypeView(t.Code, t.Name, t.Minutes, false, "clinic setting"))
            .Concat(protocols.Protocols.Select(p => new AppointmentTypeView(
                "session:" + p.Id, p.Name + " session (with recovery)", p.Timing.AppointmentMinutes, true,
                $"{p.Timing.ChairMinutes.Value} min chair time ({p.Timing.ChairMinutes.Source}) + {p.Timing.RecoveryMinutes.Value} min recovery ({p.Timing.RecoveryMinutes.Source})")))
            .ToList();
        return new ResourcesView(view, typeViews, nurses, settings.ChairsPerNurse.Value, settings.ChairsPerNurse.Source);
    }

    public async Task<Result<ResourcesView>> SetOpeningHoursAsync(SetOpeningHoursRequest request, Actor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!actor.Can(Permissions.ResourcesManage))
        {
            return Result<ResourcesView>.Forbidden();
        }
        var v = new Validator();
        var windows = new List<(DayOfWeek Day, int From, int To)>();
        if (request?.LocationId is null)
        {
            v.Add("locationId", "is required.");
        }
        var list = request?.Windows ?? [];
        for (var i = 0; i < list.Count; i++)
        {
            var field = string.Create(CultureInfo.InvariantCulture, $"windows[{i}]");
            if (ParseWindow(v, field, list[i]) is { } w)
            {
                if (windows.Any(o => o.Day == w.Day && o.From < w.To && w.From < o.To))
                {
                    v.Add(field, $"overlaps another window on {w.Day}.");
                }
                windows.Add(w);
            }
        }
        if (!v.IsValid)
        {
            return Result<ResourcesView>.Invalid(v.Errors);
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await AuditTrail.BeginAsync(db, ct);
        if (!await db.Locations.AnyAsync(l => l.Id == request!.LocationId, ct))
        {
            return Result<ResourcesView>.Invalid("locationId", "is not a location of the clinic.");
        }
        db.OpeningHours.RemoveRange(await db.OpeningHours.Where(h => h.LocationId == request!.LocationId).ToListAsync(ct));
        foreach (var (day, from, to) in windows)
        {
            db.OpeningHours.Add(new OpeningHoursRow { Id = Guid.NewGuid(), LocationId = request!.LocationId!.Value, DayOfWeek = day, OpensMinute = from, ClosesMinute = to });
        }
        await audit.RecordAsync(db, actor, AuditActions.Update, RecordType, "opening-hours:" + request!.LocationId, null,
            new { windows = windows.Select(w => $"{w.Day} {Hm(w.From)}-{Hm(w.To)}") }, ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return Result<ResourcesView>.Ok(await ViewAsync(db, ct));
    }

    public async Task<Result<ClosureView>> AddClosureAsync(AddClosureRequest request, Actor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!actor.Can(Permissions.ResourcesManage))
        {
            return Result<ClosureView>.Forbidden();
        }
        var v = new Validator();
        if (request?.LocationId is null)
        {
            v.Add("locationId", "is required.");
        }
        if (request?.Day is null)
        {
            v.Add("day", "is required.");
        }
        var reason = v.Text("reason", request?.Reason, 200, required: true);
        if (!v.IsValid)
        {
            return Result<ClosureView>.Invalid(v.Errors);
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await AuditTrail.BeginAsync(db, ct);
        if (!await db.Locations.AnyAsync(l => l.Id == request!.LocationId, ct))
        {
            return Result<ClosureView>.Invalid("locationId", "is not a location of the clinic.");
        }
        if (await db.ClinicClosures.AnyAsync(c => c.LocationId == request!.LocationId && c.Day == request.Day, ct))
        {
            return Result<ClosureView>.Invalid("day", "is already a closure day.");
        }
        var start = clinic.StartOfDay(request!.Day!.Value);
        var end = clinic.StartOfDay(request.Day.Value.AddDays(1));
        var booked = await db.TreatmentSessions.CountAsync(s => s.LocationId == request.LocationId && ClinicCalendarBuilder.ActiveStatuses.Contains(s.Status)
            && s.ScheduledStart >= start && s.ScheduledStart < end, ct);
        if (booked > 0)
        {
            return Result<ClosureView>.Invalid("day", string.Create(CultureInfo.InvariantCulture,
                $"has {booked} booked session(s): move or cancel them on the day board before closing the clinic that day."));
        }
        var row = new ClinicClosureRow { Id = Guid.NewGuid(), LocationId = request.LocationId!.Value, Day = request.Day.Value, Reason = reason! };
        db.ClinicClosures.Add(row);
        await audit.RecordAsync(db, actor, AuditActions.Create, RecordType, "closure:" + row.Id, null, new { row.Day, row.Reason }, ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return Result<ClosureView>.Ok(new ClosureView(row.Id, row.Day, row.Reason));
    }

    public async Task<Result<IReadOnlyList<ShiftView>>> AddShiftsAsync(AddShiftsRequest request, Actor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!actor.Can(Permissions.ResourcesManage))
        {
            return Result<IReadOnlyList<ShiftView>>.Forbidden();
        }
        var v = new Validator();
        if (request?.LocationId is null)
        {
            v.Add("locationId", "is required.");
        }
        v.Text("nurseId", request?.NurseId, 450, required: true);
        var from = request?.FromDay;
        var until = request?.UntilDay ?? from;
        if (from is null)
        {
            v.Add("fromDay", "is required.");
        }
        else if (until < from)
        {
            v.Add("untilDay", "must not be before fromDay.");
        }
        else if (until!.Value.DayNumber - from.Value.DayNumber > 366)
        {
            v.Add("untilDay", "at most a year of shifts at once.");
        }
        var window = ParseWindow(v, "shift", new WindowInput("monday", request?.Start, request?.End));
        var weekdays = new HashSet<DayOfWeek>();
        foreach (var (d, i) in (request?.Weekdays ?? []).Select((d, i) => (d, i)))
        {
            if (Enum.TryParse<DayOfWeek>(d, true, out var day) && Enum.IsDefined(day))
            {
                weekdays.Add(day);
            }
            else
            {
                v.Add(string.Create(CultureInfo.InvariantCulture, $"weekdays[{i}]"), "must be a weekday name, e.g. monday.");
            }
        }
        if (!v.IsValid)
        {
            return Result<IReadOnlyList<ShiftView>>.Invalid(v.Errors);
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await AuditTrail.BeginAsync(db, ct);
        if (!await db.Locations.AnyAsync(l => l.Id == request!.LocationId, ct))
        {
            return Result<IReadOnlyList<ShiftView>>.Invalid("locationId", "is not a location of the clinic.");
        }
        var nurse = (await NursesAsync(db, ct)).FirstOrDefault(n => n.Id == request!.NurseId!.Trim());
        if (nurse is null)
        {
            return Result<IReadOnlyList<ShiftView>>.Invalid("nurseId", "is not an active nurse's account.");
        }
        var rows = new List<NurseShiftRow>();
        for (var day = from!.Value; day <= until!.Value; day = day.AddDays(1))
        {
            if (weekdays.Count > 0 && !weekdays.Contains(day.DayOfWeek))
            {
                continue;
            }
            var existing = await db.NurseShifts.AnyAsync(s => s.NurseId == nurse.Id && s.Day == day && s.StartMinute < window!.Value.To && window.Value.From < s.EndMinute, ct);
            if (existing)
            {
                return Result<IReadOnlyList<ShiftView>>.Invalid("fromDay", $"{nurse.Name} already has a shift overlapping {Hm(window!.Value.From)}–{Hm(window.Value.To)} on {day:yyyy-MM-dd}.");
            }
            rows.Add(new NurseShiftRow
            {
                Id = Guid.NewGuid(), LocationId = request!.LocationId!.Value, NurseId = nurse.Id, NurseName = nurse.Name, Day = day,
                StartMinute = window!.Value.From, EndMinute = window.Value.To,
            });
        }
        db.NurseShifts.AddRange(rows);
        await audit.RecordAsync(db, actor, AuditActions.Create, RecordType, "shifts:" + nurse.Id, null,
            new { nurse = nurse.Name, from, until, count = rows.Count, start = Hm(window!.Value.From), end = Hm(window.Value.To) }, ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return Result<IReadOnlyList<ShiftView>>.Ok(rows.Select(ShiftOf).ToList());
    }

    public async Task<Result<ResourceChairView>> SetChairAsync(Guid chairId, ChairEquipmentRequest request, Actor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!actor.Can(Permissions.ResourcesManage))
        {
            return Result<ResourceChairView>.Forbidden();
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await AuditTrail.BeginAsync(db, ct);
        var chair = await db.Chairs.SingleOrDefaultAsync(c => c.Id == chairId, ct);
        if (chair is null)
        {
            return Result<ResourceChairView>.NotFound($"No chair with id {chairId}.");
        }
        chair.HasInfusionPump = request?.HasInfusionPump ?? chair.HasInfusionPump;
        chair.HasMonitor = request?.HasMonitor ?? chair.HasMonitor;
        chair.IsActive = request?.IsActive ?? chair.IsActive;
        await audit.RecordAsync(db, actor, AuditActions.Update, RecordType, "chair:" + chair.Id, null, new { chair.Name, chair.HasInfusionPump, chair.HasMonitor, chair.IsActive }, ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return Result<ResourceChairView>.Ok(new ResourceChairView(chair.Id, chair.Name, chair.HasInfusionPump, chair.HasMonitor, chair.IsActive));
    }

    public async Task<Result<AppointmentTypeView>> SaveAppointmentTypeAsync(SaveAppointmentTypeRequest request, Actor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!actor.Can(Permissions.ResourcesManage))
        {
            return Result<AppointmentTypeView>.Forbidden();
        }
        var v = new Validator();
        var code = v.Text("code", request?.Code, 40, required: true)?.ToLowerInvariant();
        var name = v.Text("name", request?.Name, 100, required: true);
        if (code is not null && (code.StartsWith("session:", StringComparison.Ordinal) || !code.All(c => char.IsAsciiLetterOrDigit(c) || c == '-')))
        {
            v.Add("code", "must be lower-case letters, digits and hyphens (protocol sessions come from the protocol library).");
        }
        if (request?.Minutes is not { } minutes || minutes is < 5 or > 600)
        {
            v.Add("minutes", "must be between 5 and 600.");
        }
        if (!v.IsValid)
        {
            return Result<AppointmentTypeView>.Invalid(v.Errors);
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await AuditTrail.BeginAsync(db, ct);
        var row = await db.AppointmentTypes.SingleOrDefaultAsync(t => t.Code == code, ct);
        if (row is null)
        {
            row = new AppointmentTypeRow { Id = Guid.NewGuid(), Code = code! };
            db.AppointmentTypes.Add(row);
        }
        row.Name = name!;
        row.Minutes = request!.Minutes!.Value;
        row.IsActive = true;
        await audit.RecordAsync(db, actor, AuditActions.Update, RecordType, "appointment-type:" + row.Code, null, new { row.Name, row.Minutes }, ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return Result<AppointmentTypeView>.Ok(new AppointmentTypeView(row.Code, row.Name, row.Minutes, false, "clinic setting"));
    }

    /// <summary>Closes a chair for part of a day and re-plans the sessions it held, in one transaction.</summary>
    public async Task<Result<ReplanReportView>> CloseChairAsync(CloseChairRequest request, Actor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!actor.Can(Permissions.ResourcesManage))
        {
            return Result<ReplanReportView>.Forbidden();
        }
        var v = new Validator();
        if (request?.ChairId is null)
        {
            v.Add("chairId", "is required.");
        }
        if (request?.Day is null)
        {
            v.Add("day", "is required.");
        }
        var reason = v.Text("reason", request?.Reason, 200, required: true);
        var window = ParseWindow(v, "period", new WindowInput("monday", request?.From ?? "00:00", request?.To ?? "23:59"));
        if (!v.IsValid)
        {
            return Result<ReplanReportView>.Invalid(v.Errors);
        }
        var now = clock.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await AuditTrail.BeginAsync(db, ct);
        var chair = await db.Chairs.AsNoTracking().SingleOrDefaultAsync(c => c.Id == request!.ChairId, ct);
        if (chair is null)
        {
            return Result<ReplanReportView>.Invalid("chairId", "is not a chair of the clinic.");
        }
        var day = request!.Day!.Value;
        var (_, from, to) = window!.Value;
        var disruption = new Disruption(DisruptionKind.ChairUnavailable, chair.Id.ToString(), day.ToDateTime(ClinicCalendarBuilder.Time(from)), day.ToDateTime(ClinicCalendarBuilder.Time(to)));
        var cause = $"{chair.Name} closed on {day:yyyy-MM-dd} {Hm(from)}–{Hm(to)}: {reason}";
        var report = await ReplanAsync(db, chair.LocationId, disruption, cause, actor, now, ct);
        db.ChairClosures.Add(new ChairClosureRow
        {
            Id = Guid.NewGuid(), ChairId = chair.Id, Day = day, FromMinute = from, ToMinute = to, Reason = reason!, CreatedAt = now, CreatedBy = actor.UserId,
        });
        await audit.RecordAsync(db, actor, AuditActions.Create, RecordType, "chair-closure:" + chair.Id, null, new { chair.Name, day, from = Hm(from), to = Hm(to), reason, replan = report.Id }, ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return Result<ReplanReportView>.Ok(report);
    }

    /// <summary>Removes a nurse shift and re-plans where the remaining nurses cannot cover the booked chairs.</summary>
    public async Task<Result<ReplanReportView>> RemoveShiftAsync(Guid shiftId, Actor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!actor.Can(Permissions.ResourcesManage))
        {
            return Result<ReplanReportView>.Forbidden();
        }
        var now = clock.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await AuditTrail.BeginAsync(db, ct);
        var shift = await db.NurseShifts.SingleOrDefaultAsync(s => s.Id == shiftId, ct);
        if (shift is null)
        {
            return Result<ReplanReportView>.NotFound($"No nurse shift with id {shiftId}.");
        }
        var disruption = new Disruption(DisruptionKind.NurseUnavailable, shift.NurseId,
            shift.Day.ToDateTime(ClinicCalendarBuilder.Time(shift.StartMinute)), shift.Day.ToDateTime(ClinicCalendarBuilder.Time(shift.EndMinute)));
        var cause = $"{shift.NurseName}'s shift on {shift.Day:yyyy-MM-dd} {Hm(shift.StartMinute)}–{Hm(shift.EndMinute)} removed";
        var report = await ReplanAsync(db, shift.LocationId, disruption, cause, actor, now, ct);
        db.NurseShifts.Remove(shift);
        await audit.RecordAsync(db, actor, AuditActions.Update, RecordType, "shift-removed:" + shift.Id, null, new { shift.NurseName, shift.Day, replan = report.Id }, ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return Result<ReplanReportView>.Ok(report);
    }

    public async Task<Result<IReadOnlyList<ReplanReportView>>> ReportsAsync(Actor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!actor.Can(Permissions.ResourcesManage) && !actor.Can(Permissions.ScheduleBook))
        {
            return Result<IReadOnlyList<ReplanReportView>>.Forbidden();
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await db.ReplanReports.AsNoTracking().OrderByDescending(r => r.CreatedAt).Take(50).ToListAsync(ct);
        return Result<IReadOnlyList<ReplanReportView>>.Ok(rows.Select(r => JsonSerializer.Deserialize<ReplanReportView>(r.Report, Json)!).ToList());
    }

    /// <summary>
    /// Runs the re-planner over the location's calendar as it is before the disruption and applies it: moved sessions
    /// get their new time and chair (and new reminders); sessions that found no slot lose their chair and show as
    /// unassigned on the day board for staff to call the patient. The report is stored and audited.
    /// </summary>
    private async Task<ReplanReportView> ReplanAsync(ClinicDbContext db, Guid locationId, Disruption disruption, string cause, Actor actor, DateTimeOffset now, CancellationToken ct)
    {
        var today = clinic.Today(clock);
        var firstDay = DateOnly.FromDateTime(disruption.From);
        var refitFrom = firstDay < today ? today : firstDay;
        var refitUntil = refitFrom.AddDays(RefitDays);
        var calendar = await calendars.BuildAsync(db, locationId, today, refitUntil, ct);
        var sessionIds = calendar.Appointments.Select(a => Guid.Parse(a.Id)).ToList();
        var sessions = await db.TreatmentSessions.Where(s => sessionIds.Contains(s.Id)).ToDictionaryAsync(s => s.Id, ct);
        var planIds = sessions.Values.Where(s => s.PlanId != null).Select(s => s.PlanId!.Value).Distinct().ToList();
        var plans = await db.TreatmentPlans.AsNoTracking().Where(p => planIds.Contains(p.Id)).ToListAsync(ct);
        var anyDay = Enum.GetValues<DayOfWeek>().Select(d => new WeeklyWindow(d, TimeOnly.MinValue, new TimeOnly(23, 59))).ToList();
        var series = new List<SeriesPlan>();
        foreach (var group in sessions.Values.Where(s => s.SeriesId != null && s.PlanId != null && s.PhaseId != null).GroupBy(s => s.SeriesId!))
        {
            var first = group.First();
            var plan = plans.FirstOrDefault(p => p.Id == first.PlanId);
            var protocol = plan is null ? null : protocols.Find(plan.ProtocolId);
            if (protocol?.Phase(first.PhaseId!) is SeriesPhase)
            {
                var seriesPlan = SeriesPlan.ForProtocol(group.Key, first.PatientId.ToString(), protocol, first.PhaseId!, new PatientAvailability(anyDay, []));
                // A series only partly in the window (earlier sessions done) keeps its rules for the part that is left.
                series.Add(seriesPlan with { Rules = seriesPlan.Rules with { Sessions = Math.Min(seriesPlan.Rules.Sessions, group.Count()) } });
            }
        }
        var result = SeriesReplanner.Replan(calendar, new ReplanRequest(disruption, series, refitFrom, refitUntil), settings);
        var patientIds = sessions.Values.Select(s => s.PatientId).Distinct().ToList();
        var names = await db.Patients.AsNoTracking().Where(p => patientIds.Contains(p.Id))
            .Select(p => new { p.Id, p.LegalGivenName, p.LegalFamilyName, p.PreferredName }).ToDictionaryAsync(p => p.Id, ct);
        string Name(Guid id) => names.TryGetValue(id, out var n) ? $"{n.PreferredName ?? n.LegalGivenName} {n.LegalFamilyName}" : id.ToString();
        var chairNames = await db.Chairs.AsNoTracking().Where(c => c.LocationId == locationId).ToDictionaryAsync(c => c.Id.ToString(), c => c.Name, ct);
        string Describe(Appointment a) => $"{a.Day:ddd yyyy-MM-dd} {a.Start:HH\\:mm} {chairNames.GetValueOrDefault(a.ChairId, a.ChairId)}";

        var moved = new List<MovedSessionView>();
        foreach (var move in result.Moved)
        {
            var session = sessions[Guid.Parse(move.To.Id)];
            session.ScheduledStart = calendars.ToInstant(move.To.Day, move.To.Start);
            session.ScheduledEnd = calendars.ToInstant(move.To.Day, move.To.End);
            session.ChairId = Guid.Parse(move.To.ChairId);
            await reminders.RequeueAsync(db, session, now, ct);
            moved.Add(new MovedSessionView(session.Id, session.PatientId, Name(session.PatientId), Describe(move.From), Describe(move.To)));
        }
        var notRefitted = new List<NotRefittedView>();
        foreach (var unfitted in result.NotRefitted)
        {
            var session = sessions[Guid.Parse(unfitted.Appointment.Id)];
            session.ChairId = null;
            notRefitted.Add(new NotRefittedView(session.Id, session.PatientId, Name(session.PatientId), Describe(unfitted.Appointment), unfitted.Reason));
        }
        // Sessions hit by the disruption that belong to no booked series (booked before plans existed) cannot be
        // re-fitted by the re-planner: they lose their chair and are reported like the others.
        var affectedLoose = disruption.Kind == DisruptionKind.ChairUnavailable
            ? calendar.Appointments.Where(a => a.ChairId == disruption.ResourceId && a.SeriesId == null
                && a.Day.ToDateTime(a.Start) < disruption.To && disruption.From < a.Day.ToDateTime(a.End)).ToList()
            : [];
        foreach (var a in affectedLoose.Where(a => notRefitted.All(n => n.SessionId.ToString() != a.Id)))
        {
            var session = sessions[Guid.Parse(a.Id)];
            session.ChairId = null;
            notRefitted.Add(new NotRefittedView(session.Id, session.PatientId, Name(session.PatientId), Describe(a), "booked outside a treatment plan's series: choose a new slot on the day board."));
        }
        var report = new ReplanReportView(Guid.NewGuid(), now, cause, moved, notRefitted);
        db.ReplanReports.Add(new ReplanReportRow
        {
            Id = report.Id, CreatedAt = now, CreatedBy = actor.UserId, Cause = cause.Length > 300 ? cause[..300] : cause,
            MovedCount = moved.Count, NotRefittedCount = notRefitted.Count, Report = JsonSerializer.Serialize(report, Json),
        });
        await audit.RecordAsync(db, actor, AuditActions.Create, ReplanRecord, report.Id.ToString(), null,
            new { cause, moved = moved.Select(m => m.SessionId), notRefitted = notRefitted.Select(n => n.SessionId) }, ct);
        return report;
    }

    internal static async Task<List<NurseView>> NursesAsync(ClinicDbContext db, CancellationToken ct)
    {
        var roleId = await db.Roles.Where(r => r.Name == ClinicRoles.Nurse).Select(r => r.Id).SingleOrDefaultAsync(ct);
        var userIds = await db.UserRoles.Where(ur => ur.RoleId == roleId).Select(ur => ur.UserId).ToListAsync(ct);
        var users = await db.Users.AsNoTracking().Where(u => userIds.Contains(u.Id) && u.IsActive).ToListAsync(ct);
        return users.OrderBy(u => u.DisplayName, StringComparer.Ordinal).Select(u => new NurseView(u.Id, u.DisplayName)).ToList();
    }

    internal static (DayOfWeek Day, int From, int To)? ParseWindow(Validator v, string field, WindowInput? input)
    {
        if (input is null)
        {
            v.Add(field, "is required.");
            return null;
        }
        if (!Enum.TryParse<DayOfWeek>(input.Day, true, out var day) || !Enum.IsDefined(day) || int.TryParse(input.Day, out _))
        {
            v.Add(field + ".day", "must be a weekday name, e.g. monday.");
            return null;
        }
        var from = ParseTime(input.From);
        var to = ParseTime(input.To);
        if (from is null)
        {
            v.Add(field + ".from", "must be a time HH:mm.");
        }
        if (to is null)
        {
            v.Add(field + ".to", "must be a time HH:mm.");
        }
        if (from is null || to is null)
        {
            return null;
        }
        if (to <= from)
        {
            v.Add(field + ".to", "must be after from.");
            return null;
        }
        return (day, from.Value, to.Value);
    }

    internal static int? ParseTime(string? text) =>
        TimeOnly.TryParseExact(text?.Trim(), ["HH:mm", "H:mm"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var t) ? ClinicCalendarBuilder.Minute(t) : null;

    internal static string Hm(int minute) => ClinicCalendarBuilder.Text(ClinicCalendarBuilder.Time(minute));

    private static WindowView Window(OpeningHoursRow h) => new(h.DayOfWeek.ToString().ToLowerInvariant(), Hm(h.OpensMinute), Hm(h.ClosesMinute));

    internal static ShiftView ShiftOf(NurseShiftRow s) => new(s.Id, s.NurseId, s.NurseName, s.Day, Hm(s.StartMinute), Hm(s.EndMinute));

    internal static ChairClosureView ChairClosureOf(ChairClosureRow c, IReadOnlyDictionary<Guid, string> chairNames) =>
        new(c.Id, c.ChairId, chairNames.GetValueOrDefault(c.ChairId, "?"), c.Day, Hm(c.FromMinute), Hm(c.ToMinute), c.Reason);
}
