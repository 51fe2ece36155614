using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using KetaClinic.App.Features.Sessions;
using KetaClinic.App.Security;
using KetaClinic.App.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace KetaClinic.App.Tests;

/// <summary>The session record over HTTP on a real database: timeline, dose, vitals, billing codes, audited reads, roles.</summary>
public abstract class SessionRecordTests(ClockedAppFixture fixture)
{
    private ClinicAppFactory App => fixture.App;

    private DateTimeOffset Now => fixture.Clock.GetUtcNow();

    [Fact]
    public async Task The_record_of_an_iv_session_holds_its_timeline_dose_vitals_and_billing_codes_and_each_read_is_audited()
    {
        var (id, patientId) = await SessionTests.ReadySessionAsync(App, Now);
        var nurse = await App.ClientForAsync(ClinicRoles.Nurse);
        SessionTests.Ok(await nurse.PostAsJsonAsync($"/api/sessions/{id}/check-in", new { }));
        await SessionTests.ReadyChecksAsync(nurse, id, Now);
        SessionTests.Ok(await nurse.PostAsync($"/api/sessions/{id}/checks-passed", null));
        var view = await SessionTests.ViewAsync(await nurse.PostAsync($"/api/sessions/{id}/dosing", null));
        var start = Now;
        fixture.Clock.Advance(TimeSpan.FromMinutes(40));
        nurse = await App.ClientForAsync(ClinicRoles.Nurse);
        string nurse2;
        await using (var db = App.NewDbContext())
        {
            nurse2 = await db.Users.Where(u => u.Email == "nurse2@demo.clinic").Select(u => u.Id).SingleAsync();
        }

        SessionTests.Ok(await nurse.PostAsJsonAsync($"/api/sessions/{id}/dosing-record", new
        {
            givenDoseMg = view.Dose!.DoseMg, site = "left antecubital", startedAt = start.AddSeconds(1), endedAt = start.AddMinutes(40),
            infusionVolumeMl = 50m, productId = (await LedgerTests.ProductAsync(nurse, "0409-2051-05")).Id, lot = "T-LOT", secondCheckUserId = nurse2, secondCheckAt = start,
        }));
        SessionTests.Ok(await nurse.PostAsJsonAsync($"/api/sessions/{id}/vitals", new { systolic = 124m, diastolic = 80m, heartRate = 76m, oxygenSaturation = 97m }));

        var physician = await App.ClientForAsync(ClinicRoles.Physician);
        var response = await physician.GetAsync($"/api/sessions/{id}/record");
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        var record = JsonSerializer.Deserialize<SessionRecordView>(body, SessionTests.Json)!;
        Assert.Contains(record.Timeline, e => e.Kind == "state" && e.Text.EndsWith("checked-in", StringComparison.Ordinal));
        Assert.Contains(record.Timeline, e => e.Kind == "dose" && e.Text.Contains("T-LOT", StringComparison.Ordinal));
        Assert.Contains(record.Timeline, e => e.Kind == "vitals");
        Assert.Equal(record.Timeline.OrderBy(e => e.At).Select(e => e.At), record.Timeline.Select(e => e.At));
        var code = Assert.Single(record.BillingCodes);
        Assert.Equal("96365", code.Code);
        Assert.Contains("REFERENCE.md §9", code.Source, StringComparison.Ordinal);

        var page = await physician.GetAsync($"/sessions/{id}/record");
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("record-vitals-chart", html, StringComparison.Ordinal);
        Assert.Contains("96365", html, StringComparison.Ordinal);

        await using var check = App.NewDbContext();
        var reads = await check.AuditEntries.CountAsync(a => a.RecordId == id.ToString() && a.Action == "read" && a.Details != null && a.Details.Contains("session-record"));
        Assert.True(reads >= 2, $"{reads} audited reads");
        Assert.Equal(patientId, record.Session.PatientId);
    }

    [Fact]
    public async Task Front_desk_and_administrators_cannot_read_a_session_record()
    {
        var (id, _) = await SessionTests.ReadySessionAsync(App, Now);
        foreach (var role in new[] { ClinicRoles.FrontDesk, ClinicRoles.Administrator })
        {
            var client = await App.ClientForAsync(role);
            Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync($"/api/sessions/{id}/record")).StatusCode);
        }

        var nurse = await App.ClientForAsync(ClinicRoles.Nurse);
        Assert.Equal(HttpStatusCode.NotFound, (await nurse.GetAsync($"/api/sessions/{Guid.NewGuid()}/record")).StatusCode);
    }
}

public sealed class SessionRecordTests_Sqlite(ClockedSqliteApp f) : SessionRecordTests(f), IClassFixture<ClockedSqliteApp>;

public sealed class SessionRecordTests_Postgres(ClockedPostgresApp f) : SessionRecordTests(f), IClassFixture<ClockedPostgresApp>;

/// <summary>Billing codes from route, duration and dose (REFERENCE.md §9), without a database.</summary>
public sealed class SessionBillingTests
{
    private static DosingView Dosing(decimal mg, int minutes) => new(Guid.NewGuid(), mg, mg, null, "x", null, DateTimeOffset.UnixEpoch,
        DateTimeOffset.UnixEpoch.AddMinutes(minutes), null, null, null, "p", "lot", "a", "b", null, null);

    [Theory]
    [InlineData(10, 0)]
    [InlineData(15, 0)]
    [InlineData(16, 1)]
    [InlineData(40, 1)]
    [InlineData(90, 1)]
    [InlineData(91, 2)]
    [InlineData(150, 2)]
    [InlineData(151, 3)]
    public void An_iv_infusion_bills_its_first_hour_over_fifteen_minutes_and_each_further_hour_once_more_than_thirty_minutes_into_it(int minutes, int units)
    {
        var codes = SessionBilling.Codes("intravenous", Dosing(40m, minutes), new DateOnly(2026, 3, 1), SessionBillingSettings.Default);
        Assert.Equal(units > 0 ? 1 : 0, codes.Count(c => c.Code == "96365"));
        Assert.Equal(Math.Max(0, units - 1), codes.Where(c => c.Code == "96366").Sum(c => c.Units));
    }

    [Theory]
    [InlineData(56, "G2082")]
    [InlineData(84, "G2083")]
    public void Esketamine_bills_by_dose_with_the_drug_code_from_2026(int mg, string expected)
    {
        var codes = SessionBilling.Codes("intranasal", Dosing(mg, 10), new DateOnly(2026, 3, 1), SessionBillingSettings.Default);
        Assert.Equal([expected, "J0013"], codes.Select(c => c.Code));
        Assert.DoesNotContain(SessionBilling.Codes("intranasal", Dosing(mg, 10), new DateOnly(2025, 12, 31), SessionBillingSettings.Default), c => c.Code == "J0013");
    }

    [Fact]
    public void A_session_without_a_dose_has_no_billing_code() =>
        Assert.Empty(SessionBilling.Codes("intravenous", null, new DateOnly(2026, 3, 1), SessionBillingSettings.Default));
}
