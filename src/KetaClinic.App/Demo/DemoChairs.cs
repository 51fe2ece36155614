using KetaClinic.App.Data;
using KetaClinic.App.Features;
using KetaClinic.App.Features.Evaluation;
using KetaClinic.App.Features.Measurement;
using KetaClinic.App.Features.Monitoring;
using KetaClinic.App.Features.Patients;
using KetaClinic.App.Features.Sessions;
using KetaClinic.App.Security;
using Microsoft.EntityFrameworkCore;

namespace KetaClinic.App.Demo;

/// <summary>
/// Today's chairs for the demo: a few sessions booked later today, one IV patient in monitoring with vitals and one
/// esketamine (REMS) patient between devices, put there through the real handlers (check-in, chair facts, vitals,
/// pre-dose checks, dosing record), so the chair board is alive on first start.
/// </summary>
public sealed partial class DemoChairs(
    IDbContextFactory<ClinicDbContext> dbFactory,
    TimeProvider clock,
    ClinicSettings clinic,
    Sessions sessions,
    Measurements measurements,
    MonitoringService monitoring,
    PatientRegistry patients,
    TreatmentReadiness readiness,
    ILogger<DemoChairs> logger)
{
    public async Task SeedAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var staff = await db.Users.AsNoTracking().ToListAsync(ct);
        var nurseUser = staff.Single(u => u.Email == "nurse@demo.clinic");
        var nurse2 = staff.Single(u => u.Email == "nurse2@demo.clinic");
        var nurse = new Actor(nurseUser.Id, nurseUser.Email!, [ClinicRoles.Nurse], null);
        var chairs = await db.Chairs.AsNoTracking().OrderBy(c => c.Name).ToListAsync(ct);
        var ready = await ReadyCoursesAsync(db, "iv", now, ct);
        if (ready.Count == 0 || chairs.Count == 0)
        {
            return;
        }

        var booked = new List<Guid>();
        for (var i = 0; i < Math.Min(ready.Count, Math.Min(chairs.Count, 4)); i++)
        {
            booked.Add(await BookAsync(db, ready[i], chairs[i], i == 0 ? now.AddMinutes(-50) : now.AddHours(i), now, ct));
        }

        // An esketamine session (REMS) at the fifth chair, between its devices: its REMS form fills as the session goes.
        Guid? esketamine = null;
        if (chairs.Count > 4 && (await ReadyCoursesAsync(db, "intranasal-esketamine", now, ct)).FirstOrDefault() is { } eskCourse)
        {
            esketamine = await BookAsync(db, eskCourse, chairs[4], now.AddMinutes(-30), now, ct);
        }

        await db.SaveChangesAsync(ct);
        var ketamine = await db.ControlledProducts.AsNoTracking().Where(p => p.Drug == "KetamineHydrochloride").Select(p => (Guid?)p.Id).FirstOrDefaultAsync(ct);
        await RunChairStepsAsync(booked[0], 78.4m, nurse, dosing =>
        {
            var start = clock.GetUtcNow();
            return new DosingRequest(dosing?.Dose?.DoseMg, null, "left antecubital", start, clock.GetUtcNow(),
                "Demo data: the infusion is recorded when the demo starts, not over 40 minutes.", 50m, null, ketamine, "DEMO-LOT", null, nurse2.Id, start, null);
        }, ct);

        if (esketamine is { } eskId)
        {
            // Dosing has started (the first device now); the next device is due in five minutes, then the nurse records
            // the devices' times and the lot, and monitoring begins.
            await RunChairStepsAsync(eskId, 66.0m, nurse, null, ct);
        }
    }

    /// <summary>Courses of the route whose patient may be treated today (<see cref="TreatmentReadiness"/>) and has no open safety alert.</summary>
    private async Task<List<TreatmentCourse>> ReadyCoursesAsync(ClinicDbContext db, string route, DateTimeOffset now, CancellationToken ct)
    {
        var today = DateOnly.FromDateTime(clinic.ToClinicTime(now).DateTime);
        var ready = new List<TreatmentCourse>();
        foreach (var course in await db.TreatmentCourses.AsNoTracking().Where(c => c.Route == route).OrderBy(c => c.Id).ToListAsync(ct))
        {
            if ((await readiness.CheckAsync(db, course.PatientId, route, today, ct)).Count == 0
                && !await db.SafetyAlerts.AnyAsync(a => a.PatientId == course.PatientId && a.AcknowledgedAt == null, ct))
            {
                ready.Add(course);
            }
        }

        return ready;
    }

    private static async Task<Guid> BookAsync(ClinicDbContext db, TreatmentCourse course, Chair chair, DateTimeOffset start, DateTimeOffset now, CancellationToken ct)
    {
        var session = new TreatmentSession
        {
            Id = Guid.CreateVersion7(now),
            CourseId = course.Id,
            PatientId = course.PatientId,
            LocationId = course.LocationId,
            ChairId = chair.Id,
            SequenceNumber = await db.TreatmentSessions.CountAsync(s => s.CourseId == course.Id, ct) + 1,
            ScheduledStart = start,
            Status = "scheduled",
        };
        db.TreatmentSessions.Add(session);
        return session.Id;
    }

    /// <summary>
    /// Takes a booked session through the real handlers: weight and this visit's scales, check-in, chair facts,
    /// pre-dose vitals, checks and the start of dosing; then, with a <paramref name="record"/>, the dosing record and a
    /// first value after the dose (monitoring).
    /// </summary>
    private async Task RunChairStepsAsync(Guid sessionId, decimal weightKg, Actor nurse, Func<SessionView?, DosingRequest>? record, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var session = await db.TreatmentSessions.AsNoTracking().SingleAsync(s => s.Id == sessionId, ct);
        await RunAsync("weight", patients.RecordMeasurementAsync(session.PatientId, new RecordMeasurementRequest("weight", weightKg, now.AddMinutes(-5)), nurse, ct));
        foreach (var (instrument, items) in new[] { ("phq9", 9), ("gad7", 7) })
        {
            var answers = Enumerable.Range(1, items).ToDictionary(n => n.ToString(System.Globalization.CultureInfo.InvariantCulture), n => n % 3 == 0 ? 2 : 1);
            answers["9"] = 0;
            if (items < 9)
            {
                answers.Remove("9");
                answers.Remove("8");
            }

            await RunAsync(instrument, measurements.RecordAsync(session.PatientId, new RecordResponseRequest(instrument, answers, now.AddMinutes(-4), session.Id), nurse, ct));
        }

        await RunAsync("check-in", measurements.CheckInAsync(session.Id, "handed", nurse, ct));
        await RunAsync("facts", sessions.RecordFactsAsync(session.Id, new ChairFactsRequest(now.AddHours(-9), now.AddHours(-3), "Jamie Rivera", "+1 217 555 0188",
            true, "negative", now.AddMinutes(-10), ["sertraline 100 mg daily"], true), nurse, ct));
        await RunAsync("pre-dose vitals", monitoring.RecordManualAsync(session.Id, new Features.Monitoring.ManualVitalsRequest(128, 82, 74, 98, 14, null, null), nurse, ct));
        await RunAsync("checks", sessions.PassChecksAsync(session.Id, nurse, ct));
        var dosing = await RunAsync("dosing", sessions.StartDosingAsync(session.Id, nurse, ct));
        if (record is null)
        {
            return;
        }

        await RunAsync("dosing record", sessions.CompleteDosingAsync(session.Id, record(dosing), nurse, ct));
        await RunAsync("monitoring vitals", monitoring.RecordManualAsync(session.Id, new Features.Monitoring.ManualVitalsRequest(134, 86, 80, 97, null, null, null), nurse, ct));
    }

    private async Task<T?> RunAsync<T>(string step, Task<Result<T>> call)
    {
        var r = await call;
        if (!r.IsOk)
        {
            LogStep(logger, step, (r.Message ?? "") + " " + string.Join(" ", r.Errors.Select(e => $"{e.Field} {e.Message}")));
        }

        return r.Value;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Demo chair step {Step} refused: {Reason}")]
    private static partial void LogStep(ILogger logger, string step, string reason);
}
