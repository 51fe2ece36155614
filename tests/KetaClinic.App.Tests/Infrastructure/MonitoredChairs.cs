using KetaClinic.App.Data;
using Microsoft.EntityFrameworkCore;

namespace KetaClinic.App.Tests.Infrastructure;

/// <summary>Chairs with a registered monitor and a checked-in session, for tests that feed monitor messages.</summary>
internal static class MonitoredChairs
{
    /// <summary>A new chair whose monitor is <c>equipment:{equipment}</c>, with a patient checked in at it (status and check-in event).</summary>
    public static async Task<Guid> AddAsync(ClinicAppFactory app, string equipment)
    {
        var now = TimeProvider.System.GetUtcNow();
        await using var db = app.NewDbContext();
        var location = await db.Locations.FirstAsync();
        var chair = new Chair { Id = Guid.NewGuid(), LocationId = location.Id, Name = "Sim chair " + Guid.NewGuid().ToString("N")[..6], HasMonitor = true };
        db.Chairs.Add(chair);
        db.MonitorDevices.Add(new MonitorDevice { Id = Guid.NewGuid(), DeviceKey = "equipment:" + equipment, ChairId = chair.Id, Description = "Simulated monitor", CreatedAt = now });
        var patient = await db.Patients.OrderBy(p => p.Mrn).FirstAsync();
        var course = new TreatmentCourse { Id = Guid.NewGuid(), PatientId = patient.Id, LocationId = location.Id, Route = "iv", ProtocolCode = "iv-racemic-ketamine", Status = "active", CreatedAt = now };
        db.TreatmentCourses.Add(course);
        var session = new TreatmentSession { Id = Guid.NewGuid(), CourseId = course.Id, PatientId = patient.Id, LocationId = location.Id, ChairId = chair.Id, SequenceNumber = 1, ScheduledStart = now.AddMinutes(-20), Status = "checked-in", CheckedInAt = now.AddMinutes(-25) };
        db.TreatmentSessions.Add(session);
        db.SessionEvents.Add(CheckInEvent(session));
        await db.SaveChangesAsync();
        return session.Id;
    }

    /// <summary>The check-in as the chair workflow stores it, so the session takes monitor values.</summary>
    public static SessionEventRow CheckInEvent(TreatmentSession session) => new()
    {
        SessionId = session.Id,
        Sequence = 1,
        Kind = "check-in",
        Payload = "{}",
        ActorId = "test-nurse",
        ActorName = "Test nurse",
        ActorRole = "nurse",
        At = session.CheckedInAt!.Value,
    };
}
