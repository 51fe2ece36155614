using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using KetaClinic.App.Data;
using KetaClinic.App.Features.Evaluation;
using KetaClinic.App.Features.Sessions;
using KetaClinic.App.Security;
using KetaClinic.App.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace KetaClinic.App.Tests;

/// <summary>The esketamine REMS Patient Monitoring Form over HTTP on a real database: missing fields, completion, submission, the 7-day deadline.</summary>
public abstract class RemsFormTests(ClockedAppFixture fixture)
{
    private ClinicAppFactory App => fixture.App;

    private DateTimeOffset Now => fixture.Clock.GetUtcNow();

    /// <summary>An ended session booked now on a demo course of <paramref name="route"/> (no events: the form has little to fill from).</summary>
    private async Task<Guid> EndedSessionAsync(string route)
    {
        await using var db = App.NewDbContext();
        var courses = await db.TreatmentCourses.AsNoTracking().Where(c => c.Route == route).ToListAsync();
        var course = courses[Random.Shared.Next(courses.Count)];
        var session = new TreatmentSession
        {
            Id = Guid.NewGuid(), CourseId = course.Id, PatientId = course.PatientId, LocationId = course.LocationId,
            SequenceNumber = 99, ScheduledStart = Now, Status = "completed", CompletedAt = Now,
        };
        db.TreatmentSessions.Add(session);
        await db.SaveChangesAsync();
        return session.Id;
    }

    private static async Task<RemsFormView> FormAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {body}");
        return JsonSerializer.Deserialize<RemsFormView>(body, SessionTests.Json)!;
    }

    /// <summary>A plausible value for each form field, by its name.</summary>
    private Dictionary<string, object> ValuesFor(IEnumerable<string> fields)
    {
        var yesterday = DateOnly.FromDateTime(Now.UtcDateTime).AddDays(-1);
        var bp = new { systolicMmHg = 124m, diastolicMmHg = 80m, measuredAt = Now.AddHours(-1) };
        return fields.ToDictionary(f => f, f => f switch
        {
            "patientName" => "Test Patient",
            "dateOfBirth" => (object)new DateOnly(1980, 1, 1),
            "sex" => "female",
            "monitoringClinicianName" => "Dr Robin Park",
            "monitoringClinicianPhone" => "+1 217 555 0100",
            "monitoringClinicianEmail" => "robin.park@demo.clinic",
            "settingName" => "KetaClinic Springfield",
            "settingAddress" => "1 Main St, Springfield",
            "treatmentDate" => yesterday,
            "dose" => 56m,
            "lot" => "ESK-LOT-1",
            "totalMinutesFirstDeviceToEndOfMonitoring" => 125,
            "readyToLeaveWithoutTwoHourRuleMinutes" => 95,
            "bloodPressureBeforeDosing" or "bloodPressureAt40Minutes" or "bloodPressureBeforeCompletion" => bp,
            _ => false,
        }).ToDictionary(kv => kv.Key == "dose" ? "doseMg" : kv.Key, kv => kv.Value);
    }

    [Fact]
    public async Task The_form_lists_what_the_session_cannot_fill_completing_it_clears_the_list_and_sending_it_is_audited()
    {
        var id = await EndedSessionAsync(ConsentLibrary.IntranasalEsketamine);
        var nurse = await App.ClientForAsync(ClinicRoles.Nurse);
        var form = await FormAsync(await nurse.GetAsync($"/api/sessions/{id}/rems-form"));
        Assert.Contains("lot", form.MissingFields);
        Assert.Contains("monitoringClinicianName", form.MissingFields);
        Assert.DoesNotContain("patientName", form.MissingFields);
        Assert.NotNull(form.Form.PatientName);

        var tooEarly = await nurse.PostAsJsonAsync($"/api/sessions/{id}/rems-form/submission", new { });
        Assert.Contains("missing", await SessionTests.RefusedAsync(tooEarly, HttpStatusCode.Conflict), StringComparison.Ordinal);

        var filled = await nurse.PostAsJsonAsync($"/api/sessions/{id}/rems-form/fields", new { patientName = "Someone Else" });
        Assert.Contains("patientName", await SessionTests.RefusedAsync(filled, HttpStatusCode.BadRequest), StringComparison.Ordinal);

        // Above the protocol's absolute maximum, or an implausible blood pressure: refused naming the field, nothing kept.
        var tooHigh = await nurse.PostAsJsonAsync($"/api/sessions/{id}/rems-form/fields", new { doseMg = 112m, lot = "ESK-LOT-1" });
        Assert.Contains("doseMg", await SessionTests.RefusedAsync(tooHigh, HttpStatusCode.BadRequest), StringComparison.Ordinal);
        var implausible = await nurse.PostAsJsonAsync($"/api/sessions/{id}/rems-form/fields",
            new { bloodPressureAt40Minutes = new { systolicMmHg = 400m, diastolicMmHg = 80m, measuredAt = TimeProvider.System.GetUtcNow() } });
        Assert.Contains("bloodPressureAt40Minutes", await SessionTests.RefusedAsync(implausible, HttpStatusCode.BadRequest), StringComparison.Ordinal);
        Assert.Contains("lot", (await FormAsync(await nurse.GetAsync($"/api/sessions/{id}/rems-form"))).MissingFields);

        form = await FormAsync(await nurse.PostAsJsonAsync($"/api/sessions/{id}/rems-form/fields", ValuesFor(form.MissingFields)));
        Assert.Empty(form.MissingFields);
        Assert.Equal("ESK-LOT-1", form.Form.Lot);
        Assert.Contains("lot", form.CompletedByClinician);

        var physician = await App.ClientForAsync(ClinicRoles.Physician);
        form = await FormAsync(await physician.PostAsJsonAsync($"/api/sessions/{id}/rems-form/submission", new { reference = "REMS-123" }));
        Assert.NotNull(form.SubmittedOn);
        Assert.Equal("REMS-123", form.SubmissionReference);
        await SessionTests.RefusedAsync(await physician.PostAsJsonAsync($"/api/sessions/{id}/rems-form/submission", new { }), HttpStatusCode.Conflict);
        await SessionTests.RefusedAsync(await nurse.PostAsJsonAsync($"/api/sessions/{id}/rems-form/fields", new { lot = "X" }), HttpStatusCode.Conflict);

        await using var db = App.NewDbContext();
        var entries = await db.AuditEntries.AsNoTracking().Where(e => e.RecordType == RemsForms.FormRecord && e.RecordId == id.ToString()).ToListAsync();
        Assert.Contains(entries, e => e.Action == "read");
        Assert.Contains(entries, e => e.Action == "update" && e.Details != null && e.Details.Contains(SessionEventKinds.RemsSubmitted, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_form_not_sent_within_seven_days_is_on_the_overdue_list_and_leaves_it_once_sent()
    {
        var id = await EndedSessionAsync(ConsentLibrary.IntranasalEsketamine);
        var nurse = await App.ClientForAsync(ClinicRoles.Nurse);
        var overdue = await (await nurse.GetAsync("/api/rems/overdue")).Content.ReadFromJsonAsync<List<RemsOverdueItem>>(SessionTests.Json);
        Assert.DoesNotContain(overdue!, o => o.SessionId == id);

        fixture.Clock.Advance(TimeSpan.FromDays(9));
        nurse = await App.ClientForAsync(ClinicRoles.Nurse);
        overdue = await (await nurse.GetAsync("/api/rems/overdue")).Content.ReadFromJsonAsync<List<RemsOverdueItem>>(SessionTests.Json);
        var item = Assert.Single(overdue!, o => o.SessionId == id);
        Assert.True(item.DaysOverdue >= 1);
        var form = await FormAsync(await nurse.GetAsync($"/api/sessions/{id}/rems-form"));
        Assert.True(form.Overdue);

        await FormAsync(await nurse.PostAsJsonAsync($"/api/sessions/{id}/rems-form/fields", ValuesFor(form.MissingFields)));
        await FormAsync(await nurse.PostAsJsonAsync($"/api/sessions/{id}/rems-form/submission", new { }));
        overdue = await (await nurse.GetAsync("/api/rems/overdue")).Content.ReadFromJsonAsync<List<RemsOverdueItem>>(SessionTests.Json);
        Assert.DoesNotContain(overdue!, o => o.SessionId == id);
    }

    [Fact]
    public async Task A_session_that_is_not_esketamine_has_no_form()
    {
        var id = await EndedSessionAsync("iv");
        var nurse = await App.ClientForAsync(ClinicRoles.Nurse);
        var body = await SessionTests.RefusedAsync(await nurse.GetAsync($"/api/sessions/{id}/rems-form"), HttpStatusCode.Conflict);
        Assert.Contains("not under the esketamine REMS", body, StringComparison.Ordinal);
        await SessionTests.RefusedAsync(await nurse.GetAsync($"/api/sessions/{Guid.NewGuid()}/rems-form"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Only_nurses_and_physicians_see_or_change_the_form_and_the_overdue_list()
    {
        var id = await EndedSessionAsync(ConsentLibrary.IntranasalEsketamine);
        foreach (var role in new[] { ClinicRoles.FrontDesk, ClinicRoles.Administrator })
        {
            var client = await App.ClientForAsync(role);
            Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync($"/api/sessions/{id}/rems-form")).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/api/rems/overdue")).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await client.PostAsJsonAsync($"/api/sessions/{id}/rems-form/submission", new { })).StatusCode);
        }

        var physician = await App.ClientForAsync(ClinicRoles.Physician);
        Assert.Equal(HttpStatusCode.OK, (await physician.GetAsync($"/api/sessions/{id}/rems-form")).StatusCode);
    }
}

public sealed class RemsFormTests_Sqlite(ClockedSqliteApp f) : RemsFormTests(f), IClassFixture<ClockedSqliteApp>;

public sealed class RemsFormTests_Postgres(ClockedPostgresApp f) : RemsFormTests(f), IClassFixture<ClockedPostgresApp>;
