using System.Globalization;
using KetaClinic.App.Data;
using KetaClinic.App.Security;
using KetaClinic.Domain.Protocols;
using Microsoft.EntityFrameworkCore;

namespace KetaClinic.App.Features.Scheduling;

/// <summary>Clinic settings of reminders (section "Scheduling:Reminders").</summary>
public sealed class ReminderSettings
{
    public const string Section = "Scheduling:Reminders";

    /// <summary>Hours before a session its reminder is due.</summary>
    public int HoursBefore { get; set; } = 24;
}

/// <summary>
/// Pre-visit reminders written to the outbox (reminder_outbox) in the same transaction as the booking; a delivery
/// adapter sends them later. The text carries the pre-visit rules of the session's protocol (fasting, REFERENCE.md §5)
/// and the ride home (no driving until the next day), and nothing clinical beyond "treatment session".
/// </summary>
public sealed class Reminders(IDbContextFactory<ClinicDbContext> dbFactory, ClinicSettings clinic, ProtocolLibrary protocols, ReminderSettings settings)
{
    public const string Pending = "pending";
    public const string Cancelled = "cancelled";

    public async Task QueueAsync(ClinicDbContext db, TreatmentSession session, DateTimeOffset now, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(session);
        var patient = await db.Patients.AsNoTracking().Where(p => p.Id == session.PatientId).Select(p => new { p.Phone, p.Email, p.PreferredName, p.LegalGivenName }).SingleAsync(ct);
        var (channel, recipient) = patient.Phone is { Length: > 0 } phone ? ("sms", phone) : patient.Email is { Length: > 0 } email ? ("email", email) : (null, null);
        if (channel is null)
        {
            return;
        }
        var protocolCode = await db.TreatmentCourses.AsNoTracking().Where(c => c.Id == session.CourseId).Select(c => c.ProtocolCode).SingleAsync(ct);
        var location = await db.Locations.AsNoTracking().Where(l => l.Id == session.LocationId).Select(l => new { l.Name, l.AddressLine1, l.City }).SingleAsync(ct);
        var due = session.ScheduledStart.AddHours(-settings.HoursBefore);
        db.ReminderOutbox.Add(new ReminderMessageRow
        {
            Id = Guid.NewGuid(),
            SessionId = session.Id,
            PatientId = session.PatientId,
            Channel = channel,
            Recipient = recipient!,
            Body = Text(patient.PreferredName ?? patient.LegalGivenName, session.ScheduledStart, $"{location.Name}, {location.AddressLine1}, {location.City}", protocols.Find(protocolCode)),
            DueAt = due < now ? now : due,
            CreatedAt = now,
            Status = Pending,
        });
    }

    /// <summary>After a move: the pending reminder is cancelled and a new one queued for the new time.</summary>
    public async Task RequeueAsync(ClinicDbContext db, TreatmentSession session, DateTimeOffset now, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(session);
        await CancelAsync(db, session.Id, ct);
        await QueueAsync(db, session, now, ct);
    }

    public static async Task CancelAsync(ClinicDbContext db, Guid sessionId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        foreach (var r in await db.ReminderOutbox.Where(r => r.SessionId == sessionId && r.Status == Pending).ToListAsync(ct))
        {
            r.Status = Cancelled;
        }
    }

    /// <summary>The outbox for staff: pending and recent messages, newest due first.</summary>
    public async Task<Result<IReadOnlyList<ReminderView>>> OutboxAsync(Guid? patientId, Actor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!actor.Can(Permissions.ScheduleBook))
        {
            return Result<IReadOnlyList<ReminderView>>.Forbidden();
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var query = db.ReminderOutbox.AsNoTracking();
        if (patientId is { } p)
        {
            query = query.Where(r => r.PatientId == p);
        }
        var rows = await query.OrderByDescending(r => r.DueAt).Take(200).ToListAsync(ct);
        return Result<IReadOnlyList<ReminderView>>.Ok(rows.Select(r => new ReminderView(r.Id, r.SessionId, r.Channel, r.Recipient, r.Body, r.DueAt, r.Status)).ToList());
    }

    internal string Text(string name, DateTimeOffset start, string place, TreatmentProtocol? protocol)
    {
        var local = clinic.ToClinicTime(start);
        var when = local.ToString("dddd d MMMM 'at' HH:mm", CultureInfo.InvariantCulture);
        return $"{clinic.Name}: Hello {name}, your treatment session is on {when} at {place}. {Instructions(protocol)} To change the time, call the clinic.";
    }

    /// <summary>The pre-visit rules: the protocol's fasting times (REFERENCE.md §5), a ride home, no driving until the next day.</summary>
    public static string Instructions(TreatmentProtocol? protocol)
    {
        // Without a known protocol no fasting time is invented: the patient is told to ask the clinic.
        var fasting = protocol is null
            ? "Before it: ask the clinic how long to go without food and drink."
            : $"Before it: no food for {Duration(protocol.Fasting.NoFoodMinutes.Value)} and no drinks for {Duration(protocol.Fasting.NoDrinkMinutes.Value)} before your appointment.";
        return $"{fasting} Arrange a ride home: you must not drive until the next day.";
    }

    private static string Duration(int minutes) => minutes % 60 == 0
        ? string.Create(CultureInfo.InvariantCulture, $"{minutes / 60} hour{(minutes == 60 ? "" : "s")}")
        : string.Create(CultureInfo.InvariantCulture, $"{minutes} minutes");
}
