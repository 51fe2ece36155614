using System.Globalization;
using KetaClinic.App.Data;
using KetaClinic.Domain.Protocols;
using KetaClinic.Domain.Scheduling;
using Microsoft.EntityFrameworkCore;

namespace KetaClinic.App.Features.Scheduling;

/// <summary>
/// Builds the scheduling domain's <see cref="ClinicCalendar"/> of one location for a range of days from the database:
/// opening hours, holidays, active chairs with their equipment, chair closures, nurse shifts and the sessions that
/// hold a chair. Everything is in the clinic's wall-clock time.
/// </summary>
public sealed class ClinicCalendarBuilder(ClinicSettings clinic, ProtocolLibrary protocols)
{
    public const string InfusionPump = "infusion-pump";
    public const string VitalSignsMonitor = "vital-signs-monitor";

    /// <summary>Statuses of a session that still holds its chair: booked, or a patient at the chair in any workflow step.</summary>
    public static readonly IReadOnlyList<string> ActiveStatuses = ["scheduled", .. KetaClinic.App.Hl7.VitalsIntake.SessionsAtChair];

    /// <summary>
    /// Chair time of a session booked without an end whose protocol the clinic does not know (every protocol, built-in
    /// or the clinic's own, names its own chair and recovery time; this only keeps such a session from taking no time).
    /// </summary>
    public const int UnknownProtocolMinutes = 90;

    /// <summary>Chair time of a session booked without an end (before plans existed): its protocol's appointment length.</summary>
    public int DefaultMinutes(string? protocolCode) =>
        (protocolCode is null ? null : protocols.Find(protocolCode)?.Timing.AppointmentMinutes) ?? UnknownProtocolMinutes;

    /// <summary>When the session leaves its chair: its booked end, else its protocol's appointment length after the start.</summary>
    public DateTimeOffset EndOf(Data.TreatmentSession session, string? protocolCode)
    {
        ArgumentNullException.ThrowIfNull(session);
        return session.ScheduledEnd ?? session.ScheduledStart.AddMinutes(DefaultMinutes(protocolCode));
    }

    public static IReadOnlyCollection<string> Equipment(Data.Chair chair)
    {
        ArgumentNullException.ThrowIfNull(chair);
        var list = new List<string>();
        if (chair.HasInfusionPump)
        {
            list.Add(InfusionPump);
        }
        if (chair.HasMonitor)
        {
            list.Add(VitalSignsMonitor);
        }
        return list;
    }

    public (DateOnly Day, TimeOnly Time) ToLocal(DateTimeOffset instant)
    {
        var local = clinic.ToClinicTime(instant).DateTime;
        return (DateOnly.FromDateTime(local), TimeOnly.FromDateTime(local));
    }

    public DateTimeOffset ToInstant(DateOnly day, TimeOnly time) => clinic.FromClinicTime(day.ToDateTime(time));

    public static TimeOnly Time(int minute) => TimeOnly.FromTimeSpan(TimeSpan.FromMinutes(minute));

    public static int Minute(TimeOnly time) => (time.Hour * 60) + time.Minute;

    public static string Text(TimeOnly time) => time.ToString("HH:mm", CultureInfo.InvariantCulture);

    /// <summary>The calendar of <paramref name="locationId"/> from <paramref name="from"/> to <paramref name="until"/> (inclusive).</summary>
    public async Task<ClinicCalendar> BuildAsync(ClinicDbContext db, Guid locationId, DateOnly from, DateOnly until, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        var hours = await db.OpeningHours.AsNoTracking().Where(h => h.LocationId == locationId).ToListAsync(ct);
        var closures = await db.ClinicClosures.AsNoTracking()
            .Where(c => c.LocationId == locationId && c.Day >= from && c.Day <= until).Select(c => c.Day).ToListAsync(ct);
        var chairs = await db.Chairs.AsNoTracking().Where(c => c.LocationId == locationId && c.IsActive).ToListAsync(ct);
        chairs = chairs.OrderBy(c => c.Name, StringComparer.Ordinal).ToList();
        var chairIds = chairs.Select(c => c.Id).ToList();
        var chairClosures = await db.ChairClosures.AsNoTracking()
            .Where(c => chairIds.Contains(c.ChairId) && c.Day >= from && c.Day <= until).ToListAsync(ct);
        var shifts = await db.NurseShifts.AsNoTracking()
            .Where(s => s.LocationId == locationId && s.Day >= from && s.Day <= until).ToListAsync(ct);
        var appointments = await AppointmentsAsync(db, locationId, from, until, chairIds, ct);
        return new ClinicCalendar(
            hours.OrderBy(h => h.DayOfWeek).ThenBy(h => h.OpensMinute)
                .Select(h => new WeeklyWindow(h.DayOfWeek, Time(h.OpensMinute), Time(h.ClosesMinute))).ToList(),
            closures,
            chairs.Select(c => new KetaClinic.Domain.Scheduling.Chair(c.Id.ToString(), Equipment(c))).ToList(),
            chairClosures.Select(c => new ChairClosure(c.ChairId.ToString(), c.Day, Time(c.FromMinute), Time(c.ToMinute))).ToList(),
            shifts.Select(s => new NurseShift(s.NurseId, s.Day, Time(s.StartMinute), Time(s.EndMinute))).ToList(),
            appointments);
    }

    /// <summary>Sessions holding a chair of the location in the range, as appointments (id = session id).</summary>
    public async Task<List<Appointment>> AppointmentsAsync(ClinicDbContext db, Guid locationId, DateOnly from, DateOnly until, IReadOnlyCollection<Guid> chairIds, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        var start = clinic.StartOfDay(from);
        var end = clinic.StartOfDay(until.AddDays(1));
        var rows = await (from s in db.TreatmentSessions.AsNoTracking()
                          join c in db.TreatmentCourses.AsNoTracking() on s.CourseId equals c.Id
                          where s.LocationId == locationId && s.ChairId != null && ActiveStatuses.Contains(s.Status)
                                && s.ScheduledStart >= start && s.ScheduledStart < end
                          select new { Session = s, c.ProtocolCode }).ToListAsync(ct);
        return rows.Where(r => chairIds.Contains(r.Session.ChairId!.Value)).Select(r => ToAppointment(r.Session, r.ProtocolCode)).ToList();
    }

    public Appointment ToAppointment(TreatmentSession session, string protocolCode)
    {
        ArgumentNullException.ThrowIfNull(session);
        var (day, startTime) = ToLocal(session.ScheduledStart);
        var endInstant = EndOf(session, protocolCode);
        var (endDay, endTime) = ToLocal(endInstant);
        if (endDay != day || endTime <= startTime)
        {
            endTime = new TimeOnly(23, 59);
        }
        return new Appointment(session.Id.ToString(), session.PatientId.ToString(), session.ChairId!.Value.ToString(), day, startTime, endTime, session.SeriesId, session.SequenceNumber);
    }
}
