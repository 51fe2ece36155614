using KetaClinic.App.Data;
using KetaClinic.Domain.Outcomes;
using KetaClinic.Domain.Patients;
using Microsoft.EntityFrameworkCore;

namespace KetaClinic.App.Features.Measurement;

/// <summary>
/// Keeps <see cref="CourseOutcomeRow"/> in step with a patient's scores and sessions: called inside the writing
/// transaction, so the dashboard never disagrees with the chart.
/// </summary>
public sealed class OutcomeProjector(ClinicInstruments instruments)
{
    /// <summary>Flushes pending changes, then recomputes every course of the patient on every instrument with thresholds.</summary>
    public async Task RecomputeAsync(ClinicDbContext db, Guid patientId, DateTimeOffset now, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        await db.SaveChangesAsync(ct);
        var courses = await db.TreatmentCourses.AsNoTracking().Where(c => c.PatientId == patientId).ToListAsync(ct);
        var existing = await db.CourseOutcomes.Where(o => o.PatientId == patientId).ToListAsync(ct);
        if (courses.Count == 0)
        {
            db.CourseOutcomes.RemoveRange(existing);
            return;
        }
        var sessions = await db.TreatmentSessions.AsNoTracking().Where(s => s.PatientId == patientId && s.Status == "completed")
            .Select(s => new { s.CourseId, s.ScheduledStart }).ToListAsync(ct);
        var scores = await db.InstrumentResponses.AsNoTracking().Where(r => r.PatientId == patientId && r.Total != null)
            .Select(r => new AssessmentScore(r.InstrumentId, r.Total!.Value, r.TakenAt)).ToListAsync(ct);
        var diagnosis = await PrimaryDiagnosisAsync(db, patientId, ct);

        var fresh = Project(patientId, courses, sessions.Select(s => (s.CourseId, s.ScheduledStart)).ToList(), scores, diagnosis, now);
        foreach (var row in existing)
        {
            var match = fresh.Find(f => f.CourseId == row.CourseId && f.InstrumentId == row.InstrumentId);
            if (match is null)
            {
                db.CourseOutcomes.Remove(row);
            }
            else
            {
                db.Entry(row).CurrentValues.SetValues(match);
                fresh.Remove(match);
            }
        }
        db.CourseOutcomes.AddRange(fresh);
    }

    /// <summary>The outcome rows of a patient's courses, from its courses, completed sessions and scores (pure).</summary>
    public List<CourseOutcomeRow> Project(Guid patientId, IReadOnlyList<TreatmentCourse> courses, IReadOnlyList<(Guid CourseId, DateTimeOffset Start)> sessions, IReadOnlyList<AssessmentScore> scores, string? diagnosis, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(courses);
        ArgumentNullException.ThrowIfNull(sessions);
        ArgumentNullException.ThrowIfNull(scores);
        var fresh = new List<CourseOutcomeRow>();
        var starts = courses.Select(c => (Course: c, First: sessions.Where(s => s.CourseId == c.Id).Select(s => (DateTimeOffset?)s.Start).Min()))
            .Where(x => x.First is not null).OrderBy(x => x.First).ToList();
        for (var i = 0; i < starts.Count; i++)
        {
            var (course, first) = starts[i];
            var until = i + 1 < starts.Count ? starts[i + 1].First!.Value : DateTimeOffset.MaxValue;
            var courseSessions = sessions.Where(s => s.CourseId == course.Id).Select(s => s.Start).ToList();
            foreach (var instrumentId in scores.Select(s => s.InstrumentId).Distinct(StringComparer.Ordinal).Where(instruments.Outcomes.Instruments.ContainsKey))
            {
                var input = new CourseOutcomeInput(instrumentId, first!.Value, scores.Where(s => s.InstrumentId == instrumentId && s.TakenAt < until).ToList(), courseSessions, []);
                var c = OutcomeClassifier.Classify(input, instruments.Outcomes);
                fresh.Add(new CourseOutcomeRow
                {
                    CourseId = course.Id,
                    InstrumentId = instrumentId,
                    PatientId = patientId,
                    LocationId = course.LocationId,
                    Route = course.Route,
                    ProtocolCode = course.ProtocolCode,
                    DiagnosisCode = diagnosis,
                    CourseStartedAt = first,
                    // A baseline and nothing since is not yet a non-response: it stays out of the dashboard's rates.
                    Status = c.Baseline is not null && c.Latest == c.Baseline ? OutcomeStatistics.AwaitingFollowUp : c.Status.ToCode(),
                    BaselineTotal = c.Baseline?.Total,
                    LatestTotal = c.Latest?.Total,
                    ChangePercent = c.ChangePercent,
                    FirstResponseAt = c.FirstResponseAt,
                    FirstRemissionAt = c.FirstRemissionAt,
                    RelapseAt = c.RelapseAt,
                    SessionsToResponse = c.FirstResponseAt is { } r ? courseSessions.Count(s => s <= r) : null,
                    DaysToRelapse = c.FirstResponseAt is { } fr && c.RelapseAt is { } ra ? (int)(ra - fr).TotalDays : null,
                    Assessments = input.Assessments.Count,
                    UpdatedAt = now,
                });
            }
        }
        return fresh;
    }

    /// <summary>The depressive-disorder diagnosis the dashboard groups by: the first active F32/F33 code, else the first active code.</summary>
    internal static async Task<string?> PrimaryDiagnosisAsync(ClinicDbContext db, Guid patientId, CancellationToken ct)
    {
        var codes = await db.Diagnoses.AsNoTracking().Where(d => d.PatientId == patientId && d.Status == DiagnosisStatus.Active)
            .OrderBy(d => d.RecordedAt).Select(d => d.Code).ToListAsync(ct);
        return codes.Find(c => c.StartsWith("F32", StringComparison.Ordinal) || c.StartsWith("F33", StringComparison.Ordinal)) ?? codes.FirstOrDefault();
    }
}
