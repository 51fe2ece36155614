using System.Security.Cryptography;
using System.Text;
using Ical.Net;
using Ical.Net.CalendarComponents;
using Ical.Net.DataTypes;
using Ical.Net.Serialization;
using KetaClinic.App.Data;
using KetaClinic.App.Security;
using Microsoft.EntityFrameworkCore;

namespace KetaClinic.App.Features.Scheduling;

/// <summary>
/// Per-person iCalendar feeds (<c>/calendar/{token}.ics</c>): a patient's own sessions, or a clinician's clinic
/// sessions. The token is unguessable (256 random bits) and only its SHA-256 is stored; issuing a new feed revokes the
/// person's older one. The feed holds the minimum: time, place, "Treatment session" and the pre-visit rules for the
/// patient; chair and session number for clinicians, never a patient's name.
/// </summary>
public sealed class CalendarFeeds(IDbContextFactory<ClinicDbContext> dbFactory, AuditTrail audit, TimeProvider clock, ClinicSettings clinic, KetaClinic.Domain.Protocols.ProtocolLibrary protocols, ClinicCalendarBuilder calendars)
{
    public const string RecordType = "calendar-feed";
    public const string Patient = "patient";
    public const string Clinician = "clinician";

    /// <summary>How far back and ahead a feed reaches.</summary>
    public const int PastDays = 30;
    public const int FutureDays = 180;

    public async Task<Result<CalendarFeedView>> IssueForPatientAsync(Guid patientId, Actor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!actor.Can(Permissions.ScheduleBook))
        {
            return Result<CalendarFeedView>.Forbidden();
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await AuditTrail.BeginAsync(db, ct);
        if (!await db.Patients.AnyAsync(p => p.Id == patientId, ct))
        {
            return Result<CalendarFeedView>.NotFound($"No patient with id {patientId}.");
        }
        var view = await IssueAsync(db, Patient, patientId, null, actor, ct);
        await audit.RecordAsync(db, actor, AuditActions.Create, RecordType, Patient, patientId, null, ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return Result<CalendarFeedView>.Ok(view);
    }

    public async Task<Result<CalendarFeedView>> IssueForMeAsync(Actor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!actor.Can(Permissions.ScheduleRead))
        {
            return Result<CalendarFeedView>.Forbidden();
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await AuditTrail.BeginAsync(db, ct);
        var view = await IssueAsync(db, Clinician, null, actor.UserId, actor, ct);
        await audit.RecordAsync(db, actor, AuditActions.Create, RecordType, Clinician + ":" + actor.UserId, null, null, ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return Result<CalendarFeedView>.Ok(view);
    }

    private async Task<CalendarFeedView> IssueAsync(ClinicDbContext db, string kind, Guid? patientId, string? userId, Actor actor, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        foreach (var old in await db.CalendarFeeds.Where(f => f.OwnerKind == kind && f.PatientId == patientId && f.UserId == userId && f.RevokedAt == null).ToListAsync(ct))
        {
            old.RevokedAt = now;
        }
        var token = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        db.CalendarFeeds.Add(new CalendarFeedRow { Id = Guid.NewGuid(), TokenHash = Hash(token), OwnerKind = kind, PatientId = patientId, UserId = userId, CreatedAt = now, CreatedBy = actor.UserId });
        return new CalendarFeedView($"{clinic.PublicBaseUrl.TrimEnd('/')}/calendar/{token}.ics", kind, now);
    }

    /// <summary>The feed's iCalendar text, or null for an unknown or revoked token. Each fetch is audited.</summary>
    public async Task<string?> RenderAsync(string token, string? remoteAddress, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(token) || token.Length > 100)
        {
            return null;
        }
        var hash = Hash(token);
        var now = clock.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await AuditTrail.BeginAsync(db, ct);
        var feed = await db.CalendarFeeds.AsNoTracking().SingleOrDefaultAsync(f => f.TokenHash == hash && f.RevokedAt == null, ct);
        if (feed is null)
        {
            return null;
        }
        var since = now.AddDays(-PastDays);
        var until = now.AddDays(FutureDays);
        var query = from s in db.TreatmentSessions.AsNoTracking()
                    join c in db.TreatmentCourses.AsNoTracking() on s.CourseId equals c.Id
                    join l in db.Locations.AsNoTracking() on s.LocationId equals l.Id
                    where ClinicCalendarBuilder.ActiveStatuses.Contains(s.Status) && s.ScheduledStart >= since && s.ScheduledStart < until
                    select new { Session = s, c.ProtocolCode, l.Name, l.AddressLine1, l.City };
        if (feed.OwnerKind == Patient)
        {
            query = query.Where(r => r.Session.PatientId == feed.PatientId);
        }
        var rows = await query.OrderBy(r => r.Session.ScheduledStart).ToListAsync(ct);
        var chairIds = rows.Where(r => r.Session.ChairId != null).Select(r => r.Session.ChairId!.Value).Distinct().ToList();
        var chairs = await db.Chairs.AsNoTracking().Where(c => chairIds.Contains(c.Id)).ToDictionaryAsync(c => c.Id, c => c.Name, ct);
        var calendar = new Calendar { ProductId = "-//KetaClinic//Schedule//EN" };
        calendar.AddProperty("X-WR-CALNAME", feed.OwnerKind == Patient ? $"{clinic.Name} appointments" : $"{clinic.Name} sessions");
        foreach (var r in rows)
        {
            var s = r.Session;
            var end = calendars.EndOf(s, r.ProtocolCode);
            var chair = s.ChairId is { } id ? chairs.GetValueOrDefault(id, "chair") : "chair to be assigned";
            calendar.Events.Add(new CalendarEvent
            {
                Uid = $"{s.Id:N}@ketaclinic",
                DtStamp = new CalDateTime(now.UtcDateTime),
                Start = new CalDateTime(s.ScheduledStart.UtcDateTime),
                End = new CalDateTime(end.UtcDateTime),
                Summary = feed.OwnerKind == Patient ? $"Treatment session at {r.Name}" : $"Session {s.SequenceNumber} – {chair}",
                Location = $"{r.Name}, {r.AddressLine1}, {r.City}",
                Description = feed.OwnerKind == Patient
                    ? Reminders.Instructions(protocols.Find(r.ProtocolCode))
                    : $"{chair}; details on the day board.",
            });
        }
        await audit.RecordAsync(db, new Actor("calendar-feed", "iCalendar feed", [feed.OwnerKind], remoteAddress), AuditActions.Read, RecordType,
            feed.Id.ToString(), feed.PatientId, new { events = rows.Count }, ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return new CalendarSerializer().SerializeToString(calendar);
    }

    private static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}
