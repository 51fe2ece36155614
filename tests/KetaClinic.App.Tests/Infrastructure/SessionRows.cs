using KetaClinic.App.Data;
using Microsoft.EntityFrameworkCore;

namespace KetaClinic.App.Tests.Infrastructure;

/// <summary>Sessions stored directly, for tests of what the database itself keeps or counts.</summary>
internal static class SessionRows
{
    /// <summary>A course and a scheduled session for each of the first two patients (by MRN): (session, patient) pairs.</summary>
    public static async Task<((Guid Session, Guid Patient) First, (Guid Session, Guid Patient) Second)> ForTwoPatientsAsync(ClinicAppFactory app, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(app);
        await using var db = app.NewDbContext();
        var location = await db.Locations.FirstAsync();
        var patients = await db.Patients.OrderBy(p => p.Mrn).Select(p => p.Id).Take(2).ToListAsync();
        var made = new List<(Guid, Guid)>();
        foreach (var patient in patients)
        {
            var course = new TreatmentCourse { Id = Guid.NewGuid(), PatientId = patient, LocationId = location.Id, Route = "iv", ProtocolCode = "iv-racemic-ketamine", Status = "active", CreatedAt = at };
            var session = new TreatmentSession { Id = Guid.NewGuid(), CourseId = course.Id, PatientId = patient, LocationId = location.Id, SequenceNumber = 1, ScheduledStart = at, Status = "scheduled" };
            db.TreatmentCourses.Add(course);
            db.TreatmentSessions.Add(session);
            made.Add((session.Id, patient));
        }
        await db.SaveChangesAsync();
        return (made[0], made[1]);
    }
}
