using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using KetaClinic.App.Data;
using KetaClinic.App.Features.Measurement;
using KetaClinic.App.Features.Patients;
using KetaClinic.App.Security;
using KetaClinic.App.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace KetaClinic.App.Tests;

public abstract class MeasurementTests(AppFixture fixture)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private ClinicAppFactory App => fixture.App;

    private static DateTimeOffset Now => TimeProvider.System.GetUtcNow();

    internal static Dictionary<string, int> Phq9(params int[] items) =>
        items.Select((v, i) => (Key: (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), v)).ToDictionary(x => x.Key, x => x.v);

    internal async Task<Guid> NewPatientAsync(string family = "Scaleperson")
    {
        var desk = await App.ClientForAsync(ClinicRoles.FrontDesk);
        var created = await desk.PostAsJsonAsync("/api/patients", PatientRegistryTests.ValidPatient(family + Guid.NewGuid().ToString("N")[..6]));
        return (await created.Content.ReadFromJsonAsync<PatientRecord>(Json))!.Id;
    }

    [Fact]
    public async Task Nurse_records_a_phq9_stored_with_score_severity_version_loinc_and_an_audit_entry()
    {
        var id = await NewPatientAsync();
        var nurse = await App.ClientForAsync(ClinicRoles.Nurse);
        var response = await nurse.PostAsJsonAsync($"/api/patients/{id}/responses", new { instrumentId = "phq9", answers = Phq9(1, 2, 0, 3, 1, 0, 2, 1, 0) });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var view = (await response.Content.ReadFromJsonAsync<ResponseView>(Json))!;
        Assert.Equal(10, view.Total);
        Assert.Equal("moderate", view.SeverityCode);
        Assert.Empty(view.Flags);
        Assert.Equal("1.0.0", view.InstrumentVersion);
        Assert.Equal("44249-1", view.LoincPanel);
        Assert.Equal("44261-6", view.LoincTotal);
        Assert.Equal("44260-8", view.Items.Single(i => i.ItemId == "9").Loinc);

        await using var db = App.NewDbContext();
        var stored = await db.InstrumentResponses.SingleAsync(r => r.Id == view.Id);
        Assert.Equal(id, stored.PatientId);
        Assert.Equal("nurse@demo.clinic", stored.RecordedByName);
        Assert.Contains("\"item\":\"4\",\"value\":3", stored.Answers, StringComparison.Ordinal);
        Assert.True(await db.AuditEntries.AnyAsync(a => a.RecordType == Measurements.ResponseRecord && a.RecordId == view.Id.ToString() && a.PatientId == id && a.Action == "create"));
    }

    [Fact]
    public async Task A_missing_or_impossible_answer_is_refused_by_item_and_nothing_is_saved()
    {
        var id = await NewPatientAsync();
        var nurse = await App.ClientForAsync(ClinicRoles.Nurse);
        var answers = Phq9(1, 2, 0, 3, 1, 0, 2, 1, 0);
        answers.Remove("3");
        answers["5"] = 4;
        var response = await nurse.PostAsJsonAsync($"/api/patients/{id}/responses", new { instrumentId = "phq9", answers });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Json);
        var errors = problem.GetProperty("errors");
        Assert.True(errors.TryGetProperty("answers.3", out _), problem.ToString());
        Assert.True(errors.TryGetProperty("answers.5", out _), problem.ToString());

        var unknown = await nurse.PostAsJsonAsync($"/api/patients/{id}/responses", new { instrumentId = "hamd99", answers });
        Assert.Contains("instrumentId", await unknown.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        await using var db = App.NewDbContext();
        Assert.False(await db.InstrumentResponses.AnyAsync(r => r.PatientId == id));
    }

    [Fact]
    public async Task Phq9_item9_above_zero_raises_an_alert_that_stays_until_a_physician_acknowledges_it_with_an_action()
    {
        var id = await NewPatientAsync();
        var nurse = await App.ClientForAsync(ClinicRoles.Nurse);
        var recorded = await nurse.PostAsJsonAsync($"/api/patients/{id}/responses", new { instrumentId = "phq9", answers = Phq9(2, 2, 2, 2, 2, 2, 2, 2, 1) });
        var view = (await recorded.Content.ReadFromJsonAsync<ResponseView>(Json))!;
        Assert.Contains("suicidal-ideation", view.Flags);

        var open = await nurse.GetFromJsonAsync<List<AlertView>>($"/api/alerts?patientId={id}", Json);
        var alert = Assert.Single(open!);
        Assert.Equal("high", alert.Severity);
        Assert.Contains("item 9", alert.Message, StringComparison.Ordinal);
        var outcomes = await nurse.GetFromJsonAsync<PatientOutcomes>($"/api/patients/{id}/outcomes", Json);
        Assert.Contains(outcomes!.OpenAlerts, a => a.Id == alert.Id);

        // A nurse sees it but cannot close it; a physician must say what was done.
        Assert.Equal(HttpStatusCode.Forbidden, (await nurse.PostAsJsonAsync($"/api/alerts/{alert.Id}/acknowledge", new { action = "safety-plan" })).StatusCode);
        var physician = await App.ClientForAsync(ClinicRoles.Physician);
        var noAction = await physician.PostAsJsonAsync($"/api/alerts/{alert.Id}/acknowledge", new { note = "seen" });
        Assert.Equal(HttpStatusCode.BadRequest, noAction.StatusCode);
        Assert.Contains("action", await noAction.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var otherWithoutNote = await physician.PostAsJsonAsync($"/api/alerts/{alert.Id}/acknowledge", new { action = "other" });
        Assert.Equal(HttpStatusCode.BadRequest, otherWithoutNote.StatusCode);
        Assert.Single((await nurse.GetFromJsonAsync<List<AlertView>>($"/api/alerts?patientId={id}", Json))!);

        var ack = await physician.PostAsJsonAsync($"/api/alerts/{alert.Id}/acknowledge", new { action = "safety-plan", note = "Passive ideation, no plan; safety plan reviewed." });
        Assert.Equal(HttpStatusCode.OK, ack.StatusCode);
        Assert.Empty((await nurse.GetFromJsonAsync<List<AlertView>>($"/api/alerts?patientId={id}", Json))!);
        var again = await physician.PostAsJsonAsync($"/api/alerts/{alert.Id}/acknowledge", new { action = "safety-plan" });
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);

        await using var db = App.NewDbContext();
        var entry = await db.AuditEntries.SingleAsync(a => a.RecordType == Measurements.AlertRecord && a.RecordId == alert.Id.ToString() && a.Action == "acknowledge");
        Assert.Equal("physician@demo.clinic", entry.UserName);
        Assert.Contains("safety-plan", entry.Details, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cssrs_screener_high_triage_raises_a_high_alert_and_skipped_items_must_stay_empty()
    {
        var id = await NewPatientAsync();
        var physician = await App.ClientForAsync(ClinicRoles.Physician);
        var skippedButAnswered = await physician.PostAsJsonAsync($"/api/patients/{id}/responses",
            new { instrumentId = "cssrs-screener", answers = new Dictionary<string, int> { ["1"] = 0, ["2"] = 0, ["3"] = 1, ["6"] = 0 } });
        Assert.Equal(HttpStatusCode.BadRequest, skippedButAnswered.StatusCode);

        var high = await physician.PostAsJsonAsync($"/api/patients/{id}/responses",
            new { instrumentId = "cssrs-screener", answers = new Dictionary<string, int> { ["1"] = 1, ["2"] = 1, ["3"] = 1, ["4"] = 1, ["5"] = 0, ["6"] = 0 } });
        Assert.Equal(HttpStatusCode.Created, high.StatusCode);
        var view = (await high.Content.ReadFromJsonAsync<ResponseView>(Json))!;
        Assert.Equal("high", view.TriageLevel);
        var alert = Assert.Single((await physician.GetFromJsonAsync<List<AlertView>>($"/api/alerts?patientId={id}", Json))!);
        Assert.Equal("suicide-risk-high", alert.Kind);
    }

    [Fact]
    public async Task A_patient_answers_through_a_single_use_link_that_shows_nothing_of_the_record()
    {
        var id = await NewPatientAsync("Linkperson");
        var desk = await App.ClientForAsync(ClinicRoles.FrontDesk);
        var issued = await desk.PostAsJsonAsync($"/api/patients/{id}/links", new { instrumentId = "phq9", sentVia = "handed" });
        Assert.Equal(HttpStatusCode.Created, issued.StatusCode);
        var link = (await issued.Content.ReadFromJsonAsync<IssuedLink>(Json))!;
        var token = link.Url[(link.Url.LastIndexOf('/') + 1)..];
        Assert.Equal(43, token.Length);

        // The front desk hands links out but never sees answers.
        Assert.Equal(HttpStatusCode.Forbidden, (await desk.GetAsync($"/api/patients/{id}/outcomes")).StatusCode);

        var anonymous = await App.ClientForAsync(null);
        var form = await anonymous.GetAsync($"/api/public/questionnaires/{token}");
        Assert.Equal(HttpStatusCode.OK, form.StatusCode);
        var body = await form.Content.ReadAsStringAsync();
        Assert.Contains("Little interest or pleasure", body, StringComparison.Ordinal);
        Assert.DoesNotContain("Linkperson", body, StringComparison.Ordinal);
        Assert.DoesNotContain(id.ToString(), body, StringComparison.Ordinal);
        var page = await (await anonymous.GetAsync($"/q/{token}")).Content.ReadAsStringAsync();
        Assert.Contains("Little interest or pleasure", page, StringComparison.Ordinal);
        Assert.DoesNotContain("Linkperson", page, StringComparison.Ordinal);

        var submitted = await anonymous.PostAsJsonAsync($"/api/public/questionnaires/{token}", new { answers = Phq9(3, 3, 3, 3, 3, 3, 3, 3, 0) });
        Assert.Equal(HttpStatusCode.OK, submitted.StatusCode);

        var reused = await anonymous.PostAsJsonAsync($"/api/public/questionnaires/{token}", new { answers = Phq9(0, 0, 0, 0, 0, 0, 0, 0, 0) });
        Assert.Equal(HttpStatusCode.Conflict, reused.StatusCode);
        Assert.Contains("already been used", await reused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Gone, (await anonymous.GetAsync($"/api/public/questionnaires/{token}")).StatusCode);

        var physician = await App.ClientForAsync(ClinicRoles.Physician);
        var outcomes = await physician.GetFromJsonAsync<PatientOutcomes>($"/api/patients/{id}/outcomes", Json);
        var response = Assert.Single(outcomes!.Instruments.Single(i => i.InstrumentId == "phq9").Responses);
        Assert.Equal(24, response.Total);
        Assert.Equal("patient-link", response.Source);
        Assert.Equal("used", outcomes.Links.Single().State);

        await using var db = App.NewDbContext();
        Assert.False(await db.PatientLinks.AnyAsync(l => l.TokenHash == token), "the raw token is never stored");
        Assert.True(await db.AuditEntries.AnyAsync(a => a.UserId.StartsWith("patient-link:") && a.PatientId == id && a.Action == "create"));
        Assert.True(await db.AuditEntries.AnyAsync(a => a.UserId.StartsWith("patient-link:") && a.PatientId == id && a.Action == "refused"));
    }

    [Fact]
    public async Task An_expired_a_withdrawn_and_an_unknown_link_are_refused()
    {
        var id = await NewPatientAsync();
        var nurse = await App.ClientForAsync(ClinicRoles.Nurse);
        var first = (await (await nurse.PostAsJsonAsync($"/api/patients/{id}/links", new { instrumentId = "phq9" })).Content.ReadFromJsonAsync<IssuedLink>(Json))!;
        var second = (await (await nurse.PostAsJsonAsync($"/api/patients/{id}/links", new { instrumentId = "gad7" })).Content.ReadFromJsonAsync<IssuedLink>(Json))!;
        await using (var db = App.NewDbContext())
        {
            var stored = await db.PatientLinks.SingleAsync(l => l.Id == first.Id);
            stored.ExpiresAt = Now.AddMinutes(-1);
            await db.SaveChangesAsync();
        }
        Assert.Equal(HttpStatusCode.OK, (await nurse.PostAsync($"/api/patients/{id}/links/{second.Id}/revoke", null)).StatusCode);

        var anonymous = await App.ClientForAsync(null);
        var expired = await anonymous.PostAsJsonAsync($"/api/public/questionnaires/{Token(first)}", new { answers = Phq9(0, 0, 0, 0, 0, 0, 0, 0, 0) });
        Assert.Equal(HttpStatusCode.Conflict, expired.StatusCode);
        Assert.Contains("expired", await expired.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var revoked = await anonymous.PostAsJsonAsync($"/api/public/questionnaires/{Token(second)}", new { answers = Phq9(0, 0, 0, 0, 0, 0, 0) });
        Assert.Equal(HttpStatusCode.Conflict, revoked.StatusCode);
        Assert.Contains("withdrawn", await revoked.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var unknown = await anonymous.PostAsJsonAsync($"/api/public/questionnaires/{new string('A', 43)}", new { answers = Phq9(0) });
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        var expiredPage = await (await anonymous.GetAsync($"/q/{Token(first)}")).Content.ReadAsStringAsync();
        Assert.Contains("expired", expiredPage, StringComparison.Ordinal);

        await using var check = App.NewDbContext();
        Assert.False(await check.InstrumentResponses.AnyAsync(r => r.PatientId == id));
    }

    [Fact]
    public async Task A_link_is_bound_to_its_patient_and_instrument()
    {
        var mine = await NewPatientAsync();
        var other = await NewPatientAsync();
        var nurse = await App.ClientForAsync(ClinicRoles.Nurse);
        var link = (await (await nurse.PostAsJsonAsync($"/api/patients/{mine}/links", new { instrumentId = "gad7" })).Content.ReadFromJsonAsync<IssuedLink>(Json))!;

        // Another patient's page does not know the link, and PHQ-9 answers do not fit a GAD-7 link.
        Assert.Equal(HttpStatusCode.NotFound, (await nurse.PostAsync($"/api/patients/{other}/links/{link.Id}/revoke", null)).StatusCode);
        var anonymous = await App.ClientForAsync(null);
        var wrongInstrument = await anonymous.PostAsJsonAsync($"/api/public/questionnaires/{Token(link)}", new { answers = Phq9(1, 1, 1, 1, 1, 1, 1, 1, 1) });
        Assert.Equal(HttpStatusCode.BadRequest, wrongInstrument.StatusCode);
        var ok = await anonymous.PostAsJsonAsync($"/api/public/questionnaires/{Token(link)}", new { answers = Phq9(1, 1, 1, 1, 1, 1, 1) });
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);

        await using var db = App.NewDbContext();
        var stored = await db.InstrumentResponses.SingleAsync(r => r.LinkId == link.Id);
        Assert.Equal(mine, stored.PatientId);
        Assert.Equal("gad7", stored.InstrumentId);
        Assert.False(await db.InstrumentResponses.AnyAsync(r => r.PatientId == other));
    }

    [Fact]
    public async Task Two_submissions_of_one_link_at_once_store_exactly_one_response()
    {
        var id = await NewPatientAsync();
        var nurse = await App.ClientForAsync(ClinicRoles.Nurse);
        var link = (await (await nurse.PostAsJsonAsync($"/api/patients/{id}/links", new { instrumentId = "phq9" })).Content.ReadFromJsonAsync<IssuedLink>(Json))!;
        var clients = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => App.ClientForAsync(null)));
        var results = await Task.WhenAll(clients.Select(c => c.PostAsJsonAsync($"/api/public/questionnaires/{Token(link)}", new { answers = Phq9(1, 1, 1, 1, 1, 1, 1, 1, 0) })));
        Assert.Equal(1, results.Count(r => r.StatusCode == HttpStatusCode.OK));
        Assert.Equal(3, results.Count(r => r.StatusCode == HttpStatusCode.Conflict));
        await using var db = App.NewDbContext();
        Assert.Equal(1, await db.InstrumentResponses.CountAsync(r => r.PatientId == id));
    }

    [Fact]
    public async Task Check_in_sends_the_protocols_questionnaires_and_the_outcome_follows_the_course()
    {
        var id = await NewPatientAsync();
        var (courseId, sessions) = await CourseAsync(id, Now.AddDays(-20), completed: 3, scheduledLater: 1);
        var nurse = await App.ClientForAsync(ClinicRoles.Nurse);
        // Baseline before the first session, then scores that halve: a response.
        await Record(nurse, id, Phq9(3, 3, 3, 3, 2, 2, 2, 2, 0), Now.AddDays(-21));
        await Record(nurse, id, Phq9(1, 1, 1, 1, 1, 1, 1, 1, 0), Now.AddDays(-10));

        var desk = await App.ClientForAsync(ClinicRoles.FrontDesk);
        var checkIn = await desk.PostAsJsonAsync($"/api/sessions/{sessions[^1]}/check-in", new { sentVia = "sms" });
        Assert.Equal(HttpStatusCode.OK, checkIn.StatusCode);
        var result = (await checkIn.Content.ReadFromJsonAsync<CheckInResult>(Json))!;
        Assert.Equal(["gad7", "phq9"], result.Links.Select(l => l.InstrumentId).Order().ToArray());
        Assert.All(result.Links, l => Assert.Equal("***0101", l.SentTo));
        Assert.Equal(HttpStatusCode.Conflict, (await desk.PostAsJsonAsync($"/api/sessions/{sessions[^1]}/check-in", new { })).StatusCode);

        var outcomes = (await nurse.GetFromJsonAsync<PatientOutcomes>($"/api/patients/{id}/outcomes", Json))!;
        var phq9 = outcomes.Instruments.Single(i => i.InstrumentId == "phq9");
        Assert.Equal(courseId, outcomes.Course!.Id);
        Assert.Equal(20, phq9.Baseline);
        Assert.Equal("response", phq9.Status);
        Assert.Equal(-60.0m, phq9.ChangePercent);
        Assert.StartsWith("Response since", phq9.StatusText, StringComparison.Ordinal);

        await using var db = App.NewDbContext();
        var row = await db.CourseOutcomes.SingleAsync(o => o.CourseId == courseId && o.InstrumentId == "phq9");
        Assert.Equal("response", row.Status);
        Assert.Equal(3, row.SessionsToResponse);
        var lastSession = sessions[^1];
        Assert.Equal("checked-in", (await db.TreatmentSessions.SingleAsync(s => s.Id == lastSession)).Status);
    }

    [Fact]
    public async Task The_dashboard_counts_responses_and_remissions_with_wilson_intervals()
    {
        var physician = await App.ClientForAsync(ClinicRoles.Physician);
        var before = (await physician.GetFromJsonAsync<OutcomeDashboard>("/api/outcomes/dashboard?instrument=phq9", Json))!;
        var id = await NewPatientAsync();
        await CourseAsync(id, Now.AddDays(-30), completed: 4, scheduledLater: 0);
        await Record(physician, id, Phq9(3, 3, 3, 3, 2, 2, 2, 2, 0), Now.AddDays(-31));
        await Record(physician, id, Phq9(1, 1, 0, 0, 0, 0, 0, 0, 0), Now.AddDays(-5));

        var admin = await App.ClientForAsync(ClinicRoles.Administrator);
        var after = (await admin.GetFromJsonAsync<OutcomeDashboard>("/api/outcomes/dashboard?instrument=phq9", Json))!;
        Assert.Equal(before.Overall.Courses + 1, after.Overall.Courses);
        Assert.Equal(before.Overall.Response.Successes + 1, after.Overall.Response.Successes);
        Assert.Equal(before.Overall.Remission.Successes + 1, after.Overall.Remission.Successes);
        Assert.NotNull(after.Overall.Response.Lower);
        Assert.Contains(after.Groups, g => g.Dimension == "route" && g.Key == "iv");

        var bad = await admin.GetAsync("/api/outcomes/dashboard?instrument=gad7");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var reversed = await admin.GetAsync("/api/outcomes/dashboard?from=2026-05-01&to=2026-01-01");
        Assert.Equal(HttpStatusCode.BadRequest, reversed.StatusCode);
    }

    private static string Token(IssuedLink link) => link.Url[(link.Url.LastIndexOf('/') + 1)..];

    private static async Task Record(HttpClient client, Guid id, Dictionary<string, int> answers, DateTimeOffset takenAt)
    {
        var r = await client.PostAsJsonAsync($"/api/patients/{id}/responses", new { instrumentId = "phq9", answers, takenAt });
        Assert.Equal(HttpStatusCode.Created, r.StatusCode);
    }

    /// <summary>A course with sessions two days apart (the treatment-plan module will create these).</summary>
    private async Task<(Guid Course, List<Guid> Sessions)> CourseAsync(Guid patientId, DateTimeOffset first, int completed, int scheduledLater)
    {
        await using var db = App.NewDbContext();
        var location = await db.Locations.FirstAsync();
        var course = new TreatmentCourse { Id = Guid.NewGuid(), PatientId = patientId, LocationId = location.Id, Route = "iv", ProtocolCode = "iv-racemic-ketamine", Status = "active", CreatedAt = first.AddDays(-7) };
        db.TreatmentCourses.Add(course);
        var ids = new List<Guid>();
        for (var i = 0; i < completed + scheduledLater; i++)
        {
            var s = new TreatmentSession
            {
                Id = Guid.NewGuid(),
                CourseId = course.Id,
                PatientId = patientId,
                LocationId = location.Id,
                SequenceNumber = i + 1,
                ScheduledStart = i < completed ? first.AddDays(2 * i) : Now.AddHours(2),
                Status = i < completed ? "completed" : "scheduled",
            };
            db.TreatmentSessions.Add(s);
            ids.Add(s.Id);
        }
        await db.SaveChangesAsync();
        return (course.Id, ids);
    }
}

public sealed class MeasurementTests_Sqlite(SqliteApp f) : MeasurementTests(f), IClassFixture<SqliteApp>;

public sealed class MeasurementTests_Postgres(PostgresApp f) : MeasurementTests(f), IClassFixture<PostgresApp>;

/// <summary>The public questionnaire endpoints are rate-limited per address.</summary>
public sealed class PublicRateLimitTests : IAsyncLifetime, IDisposable
{
    private TestDatabase? _database;
    private ClinicAppFactory? _app;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync(Provider.Sqlite);
        _app = new ClinicAppFactory(_database, 2, new Dictionary<string, string> { ["Security:PublicRequestsPerMinute"] = "3" });
        _ = _app.Server;
    }

    [Fact]
    public async Task The_fourth_request_in_a_minute_gets_429()
    {
        var client = await _app!.ClientForAsync(null);
        var codes = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            codes.Add((await client.GetAsync($"/api/public/questionnaires/{new string('B', 43)}")).StatusCode);
        }
        Assert.Equal([HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.TooManyRequests], codes);
        // Staff endpoints are not limited by it.
        var nurse = await _app.ClientForAsync(ClinicRoles.Nurse);
        Assert.Equal(HttpStatusCode.OK, (await nurse.GetAsync("/api/instruments")).StatusCode);
    }

    public void Dispose() => _app?.Dispose();

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
            _app = null;
        }
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }
}

public sealed class ClinicInstrumentFileTests
{
    [Fact]
    public void A_clinic_definition_file_with_errors_stops_the_start_naming_the_file_and_the_field()
    {
        var dir = Directory.CreateTempSubdirectory("kc-instruments-");
        try
        {
            Directory.CreateDirectory(Path.Combine(dir.FullName, "instruments"));
            File.WriteAllText(Path.Combine(dir.FullName, "instruments", "madrs-licensed.json"), """{ "id": "madrs", "title": "MADRS" }""");
            var ex = Assert.Throws<InvalidOperationException>(() => ClinicInstruments.Load(new MeasurementSettings(), dir.FullName));
            Assert.Contains("madrs-licensed.json", ex.Message, StringComparison.Ordinal);
            Assert.Contains("$.version", ex.Message, StringComparison.Ordinal);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
