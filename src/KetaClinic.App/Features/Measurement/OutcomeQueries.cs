using System.Globalization;
using KetaClinic.App.Data;
using KetaClinic.App.Security;
using KetaClinic.Domain.Outcomes;
using Microsoft.EntityFrameworkCore;

namespace KetaClinic.App.Features.Measurement;

/// <summary>The patient's outcome view (chart, table, status) and the clinic's outcome dashboard.</summary>
public sealed class OutcomeQueries(
    IDbContextFactory<ClinicDbContext> dbFactory,
    AuditTrail audit,
    TimeProvider clock,
    ClinicSettings clinic,
    ClinicInstruments instruments,
    Measurements measurements,
    KetaClinic.Domain.Sessions.SessionSettings sessionSettings)
{
    public const string OutcomesRecord = "patient-outcomes";
    public const string DashboardRecord = "outcome-dashboard";

    public async Task<Result<PatientOutcomes>> PatientAsync(Guid patientId, Guid? courseId, Actor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!actor.Can(Permissions.MeasuresRead))
        {
            return Result<PatientOutcomes>.Forbidden();
        }
        var now = clock.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await AuditTrail.BeginAsync(db, ct);
        var patient = await db.Patients.AsNoTracking().Where(p => p.Id == patientId)
            .Select(p => new { p.LegalGivenName, p.LegalFamilyName, p.PreferredName, p.Mrn }).SingleOrDefaultAsync(ct);
        if (patient is null)
        {
            return Result<PatientOutcomes>.NotFound($"No patient with id {patientId}.");
        }
        var courses = await db.TreatmentCourses.AsNoTracking().Where(c => c.PatientId == patientId).ToListAsync(ct);
        var sessions = await db.TreatmentSessions.AsNoTracking().Where(s => s.PatientId == patientId).OrderBy(s => s.ScheduledStart).ToListAsync(ct);
        var responses = await db.InstrumentResponses.AsNoTracking().Where(r => r.PatientId == patientId).OrderBy(r => r.TakenAt).ToListAsync(ct);
        var alerts = await db.SafetyAlerts.AsNoTracking().Where(a => a.PatientId == patientId && a.AcknowledgedAt == null).OrderByDescending(a => a.RaisedAt).ToListAsync(ct);
        var links = await db.PatientLinks.AsNoTracking().Where(l => l.PatientId == patientId).OrderByDescending(l => l.CreatedAt).Take(20).ToListAsync(ct);

        // The course shown: the one asked for, else the one most recently started (or planned).
        var firstByCourse = courses.ToDictionary(c => c.Id, c => sessions.Where(s => s.CourseId == c.Id && s.Status == "completed").Select(s => (DateTimeOffset?)s.ScheduledStart).Min());
        var course = courseId is { } cid ? courses.Find(c => c.Id == cid) : courses.OrderByDescending(c => firstByCourse[c.Id] ?? c.CreatedAt).FirstOrDefault();
        if (courseId is not null && course is null)
        {
            return Result<PatientOutcomes>.NotFound($"No course {courseId} for this patient.");
        }
        CourseView? courseView = null;
        DateTimeOffset? firstSession = null;
        var until = DateTimeOffset.MaxValue;
        if (course is not null)
        {
            firstSession = firstByCourse[course.Id];
            var later = courses.Where(c => c.Id != course.Id).Select(c => firstByCourse[c.Id]).Where(f => f is not null && firstSession is not null && f > firstSession).Min();
            until = later ?? DateTimeOffset.MaxValue;
            courseView = new CourseView(course.Id, course.Route, course.ProtocolCode, course.Status, firstSession,
                sessions.Where(s => s.CourseId == course.Id).Select(ToMark).ToList());
        }
        var completed = course is null ? [] : sessions.Where(s => s.CourseId == course.Id && s.Status == "completed").Select(s => s.ScheduledStart).ToList();
        var views = responses.Select(measurements.ToView).ToList();
        var perInstrument = new List<InstrumentOutcomeView>();
        foreach (var group in views.Where(v => v.Total is not null).GroupBy(v => v.InstrumentId, StringComparer.Ordinal).OrderBy(g => InstrumentOrder(g.Key)))
        {
            var definition = instruments.Catalog.Find(group.Key);
            if (definition?.Scoring.TotalRange is not { } range)
            {
                continue;
            }
            var shown = group.Where(v => v.TakenAt < until).ToList();
            perInstrument.Add(Classify(definition.Id, definition.Title, range.Min, range.Max,
                definition.SeverityBands.Select(b => new ChartBand(b.Code, b.Display, b.Min, b.Max)).ToList(), shown, firstSession, completed));
        }
        var patientName = $"{patient.PreferredName ?? patient.LegalGivenName} {patient.LegalFamilyName}";
        var other = views.Where(v => !perInstrument.Any(i => i.InstrumentId == v.InstrumentId)).OrderByDescending(v => v.TakenAt).ToList();
        var result = new PatientOutcomes(patientId, patientName, patient.Mrn, courseView, perInstrument, other,
            alerts.Select(a => Measurements.ToView(a, patientName, patient.Mrn)).ToList(),
            links.Select(l => Measurements.ToView(l, now)).ToList(),
            sessions.Where(s => s.Status is "scheduled" or "checked-in" && s.ScheduledStart >= now.AddHours(-sessionSettings.PreDose.VisitWindowHours.Value)).Take(10).Select(ToMark).ToList());
        await audit.RecordAsync(db, actor, AuditActions.Read, OutcomesRecord, patientId.ToString(), patientId,
            new { course = course?.Id, responses = views.Count, openAlerts = alerts.Count }, ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return Result<PatientOutcomes>.Ok(result);
    }

    private InstrumentOutcomeView Classify(string id, string title, int min, int max, IReadOnlyList<ChartBand> bands, List<ResponseView> responses, DateTimeOffset? firstSession, List<DateTimeOffset> sessions)
    {
        if (!instruments.Outcomes.Instruments.TryGetValue(id, out var thresholds))
        {
            return new InstrumentOutcomeView(id, title, min, max, bands, responses, null, null, null, null, "not-classified",
                "Not used for response and remission: no thresholds are set for this instrument.", null, null, null, null, null);
        }
        if (firstSession is null)
        {
            return new InstrumentOutcomeView(id, title, min, max, bands, responses, null, null, null, thresholds.RemissionAtOrBelow.Value, "not-started",
                "No treatment session yet: the latest score before the first session will be the baseline.", null, null, null, null, thresholds.RemissionAtOrBelow.Source);
        }
        var c = OutcomeClassifier.Classify(new CourseOutcomeInput(id, firstSession.Value,
            responses.Select(r => new AssessmentScore(id, r.Total!.Value, r.TakenAt)).ToList(), sessions, []), instruments.Outcomes);
        int? responseLine = c.Baseline is { } b
            ? (int)Math.Floor(b.Total * (1 - (instruments.Outcomes.ResponseReductionPercent.Value / 100m)))
            : null;
        return new InstrumentOutcomeView(id, title, min, max, bands, responses, c.Baseline?.Total, c.Baseline?.TakenAt, responseLine, thresholds.RemissionAtOrBelow.Value,
            c.Status.ToCode(), StatusText(c), c.ChangePercent, c.FirstResponseAt, c.FirstRemissionAt, c.RelapseAt,
            $"Response: {instruments.Outcomes.ResponseReductionPercent.Source}. Remission: {thresholds.RemissionAtOrBelow.Source}. Relapse: {thresholds.RelapseAtOrAbove.Source}.");
    }

    private string StatusText(OutcomeClassification c)
    {
        string Day(DateTimeOffset? t) => t is null ? "" : clinic.ToClinicTime(t.Value).ToString("d MMM yyyy", CultureInfo.InvariantCulture);
        var change = c.ChangePercent is { } p
            ? p <= 0 ? $"{Math.Abs(p).ToString("0.#", CultureInfo.InvariantCulture)} % below baseline" : $"{p.ToString("0.#", CultureInfo.InvariantCulture)} % above baseline"
            : "";
        return c.Status switch
        {
            OutcomeStatus.NeedsBaseline or OutcomeStatus.NeedsReview => c.Reason ?? "Needs review.",
            OutcomeStatus.NotResponding when c.Latest == c.Baseline => $"Baseline {c.Baseline!.Total} on {Day(c.Baseline.TakenAt)}; no score since the first session.",
            OutcomeStatus.NotResponding => $"No response yet: latest {c.Latest!.Total}, {change}.",
            OutcomeStatus.Response => $"Response since {Day(c.FirstResponseAt)}, {change}.",
            OutcomeStatus.Remission => $"Remission since {Day(c.FirstRemissionAt)}, {change}.",
            OutcomeStatus.Relapse => $"Relapse on {Day(c.RelapseAt)} after response on {Day(c.FirstResponseAt)}; latest {c.Latest!.Total}.",
            _ => c.Status.ToCode(),
        };
    }

    private static int InstrumentOrder(string id) => id switch
    {
        "phq9" => 0,
        "qids-sr16" => 1,
        "madrs" => 2,
        "gad7" => 3,
        _ => 9,
    };

    private static SessionMark ToMark(TreatmentSession s) => new(s.Id, s.SequenceNumber, s.ScheduledStart, s.Status);

    public async Task<Result<OutcomeDashboard>> DashboardAsync(OutcomeDashboardQuery query, Actor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(query);
        if (!actor.Can(Permissions.OutcomesReport))
        {
            return Result<OutcomeDashboard>.Forbidden();
        }
        var instrumentId = string.IsNullOrWhiteSpace(query.InstrumentId) ? "phq9" : query.InstrumentId.Trim();
        if (!instruments.Outcomes.Instruments.TryGetValue(instrumentId, out var thresholds))
        {
            return Result<OutcomeDashboard>.Invalid("instrument", $"must be one of {string.Join(", ", instruments.Outcomes.Instruments.Keys.Order(StringComparer.Ordinal))} (instruments with remission and relapse thresholds).");
        }
        if (query.From is { } f && query.To is { } t && t < f)
        {
            return Result<OutcomeDashboard>.Invalid("to", "must be on or after from.");
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var q = db.CourseOutcomes.AsNoTracking().Where(o => o.InstrumentId == instrumentId);
        if (query.From is { } from)
        {
            var start = clinic.StartOfDay(from);
            q = q.Where(o => o.CourseStartedAt >= start);
        }
        if (query.To is { } to)
        {
            var end = clinic.StartOfDay(to.AddDays(1));
            q = q.Where(o => o.CourseStartedAt < end);
        }
        if (query.LocationId is { } location)
        {
            q = q.Where(o => o.LocationId == location);
        }
        // PostgreSQL counts in the database (one row per distinct combination); SQLite reads the few columns and
        // counts here, which measured faster than its sorting GROUP BY over nine columns.
        List<(DashboardKey Key, int Count)> counted;
        if (db.IsSqlite)
        {
            var keys = await q.Select(o => new DashboardKey(o.Route, o.ProtocolCode, o.DiagnosisCode, o.Status,
                    o.FirstResponseAt != null, o.FirstRemissionAt != null, o.RelapseAt != null, o.SessionsToResponse, o.DaysToRelapse))
                .ToListAsync(ct);
            counted = keys.GroupBy(k => k).Select(g => (g.Key, g.Count())).ToList();
        }
        else
        {
            counted = (await q
                .GroupBy(o => new
                {
                    o.Route,
                    o.ProtocolCode,
                    o.DiagnosisCode,
                    o.Status,
                    Responded = o.FirstResponseAt != null,
                    Remitted = o.FirstRemissionAt != null,
                    Relapsed = o.RelapseAt != null,
                    o.SessionsToResponse,
                    o.DaysToRelapse,
                })
                .Select(g => new { g.Key, Count = g.Count() })
                .ToListAsync(ct))
                .Select(g => (new DashboardKey(g.Key.Route, g.Key.ProtocolCode, g.Key.DiagnosisCode, g.Key.Status, g.Key.Responded, g.Key.Remitted, g.Key.Relapsed, g.Key.SessionsToResponse, g.Key.DaysToRelapse), g.Count))
                .ToList();
        }
        var rows = counted.Select(c => new DashboardRow(c.Key.Route, c.Key.Protocol, c.Key.Diagnosis,
            new CourseOutcomeFacts(c.Key.Status, c.Key.Responded, c.Key.Remitted, c.Key.Relapsed, c.Key.SessionsToResponse, c.Key.DaysToRelapse), c.Count)).ToList();
        var groups = new List<OutcomeGroup>();
        foreach (var (dimension, key) in new (string, Func<DashboardRow, string>)[] { ("route", r => r.Route), ("protocol", r => r.Protocol), ("diagnosis", r => r.Diagnosis ?? "none recorded") })
        {
            groups.AddRange(rows.GroupBy(key, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => new OutcomeGroup(dimension, g.Key, OutcomeStatistics.Summarise(g.Select(r => (r.Facts, r.Count)).ToList()))));
        }
        var result = new OutcomeDashboard(instrumentId, query.From, query.To, query.LocationId, OutcomeStatistics.Summarise(rows.Select(r => (r.Facts, r.Count)).ToList()), groups,
            instruments.Outcomes.ResponseReductionPercent.Source, thresholds.RemissionAtOrBelow.Source, thresholds.RelapseAtOrAbove.Source);

        // Aggregates name no patient; the report is still audited as a read of clinical data.
        await using (var tx = await AuditTrail.BeginAsync(db, ct))
        {
            await audit.RecordAsync(db, actor, "report", DashboardRecord, null, null, new { instrumentId, query.From, query.To, query.LocationId, courses = rows.Sum(r => r.Count) }, ct);
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }
        return Result<OutcomeDashboard>.Ok(result);
    }

    private sealed record DashboardRow(string Route, string Protocol, string? Diagnosis, CourseOutcomeFacts Facts, int Count);

    private sealed record DashboardKey(string Route, string Protocol, string? Diagnosis, string Status, bool Responded, bool Remitted, bool Relapsed, int? SessionsToResponse, int? DaysToRelapse);
}
