using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using KetaClinic.App.Data;
using KetaClinic.App.Features.ControlledSubstances;
using KetaClinic.App.Features.Evaluation;
using KetaClinic.App.Features.Sessions;
using KetaClinic.App.Security;
using KetaClinic.App.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KetaClinic.App.Tests;

/// <summary>The chair workflow over HTTP on a real database: every gate and move, refusals, overrides, dosing and the ledger, alerts, discharge.</summary>
public abstract class SessionTests(ClockedAppFixture fixture)
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private static readonly string[] Medications = ["sertraline 100 mg"];

    private ClinicAppFactory App => fixture.App;

    private DateTimeOffset Now => fixture.Clock.GetUtcNow();

    /// <summary>A demo patient who may be treated by <paramref name="route"/> (signed eligibility, active consent, no open safety alert),
    /// weighed and with today's scales, and a new session of their course booked now at a chair.</summary>
    internal static async Task<(Guid SessionId, Guid PatientId)> ReadySessionAsync(ClinicAppFactory app, DateTimeOffset now, string route = "iv", Guid? chairId = null)
    {
        Guid courseId, patientId, locationId, chair;
        await using (var db = app.NewDbContext())
        {
            var today = DateOnly.FromDateTime(now.UtcDateTime);
            var consentRoute = ConsentLibrary.ConsentRouteFor(route);
            var courses = await db.TreatmentCourses.AsNoTracking().Where(c => c.Route == route).ToListAsync();
            var candidates = new List<TreatmentCourse>();
            foreach (var c in courses)
            {
                var eligible = await db.ClinicalEvaluations.AnyAsync(e => e.PatientId == c.PatientId && e.Status == "signed" && e.FinalDecision == "eligible" && e.ExpiresOn > today);
                var consent = await db.Consents.AnyAsync(k => k.PatientId == c.PatientId && k.Route == consentRoute && k.Status == "active");
                var alerts = await db.SafetyAlerts.AnyAsync(a => a.PatientId == c.PatientId && a.AcknowledgedAt == null);
                if (eligible && consent && !alerts)
                {
                    candidates.Add(c);
                }
            }

            var course = candidates[Random.Shared.Next(candidates.Count)];
            courseId = course.Id;
            patientId = course.PatientId;
            locationId = course.LocationId;
            chair = chairId ?? await FreeChairAsync(db, locationId);
            var session = new TreatmentSession
            {
                Id = Guid.NewGuid(), CourseId = courseId, PatientId = patientId, LocationId = locationId, ChairId = chair,
                SequenceNumber = 99, ScheduledStart = now, Status = "scheduled",
            };
            db.TreatmentSessions.Add(session);
            await db.SaveChangesAsync();
            var nurse = await app.ClientForAsync(ClinicRoles.Nurse);
            Ok(await nurse.PostAsJsonAsync($"/api/patients/{patientId}/measurements", new { kind = "weight", value = 80m, measuredAt = now.AddMinutes(-1) }));
            Ok(await nurse.PostAsJsonAsync($"/api/patients/{patientId}/responses", new { instrumentId = "phq9", answers = MeasurementTests.Phq9(1, 1, 1, 1, 1, 1, 1, 1, 0) }));
            Ok(await nurse.PostAsJsonAsync($"/api/patients/{patientId}/responses", new { instrumentId = "gad7", answers = MeasurementTests.Phq9(1, 1, 1, 1, 1, 1, 1) }));
            return (session.Id, patientId);
        }
    }

    internal static void Ok(HttpResponseMessage response)
    {
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {response.Content.ReadAsStringAsync().GetAwaiter().GetResult()}");
    }

    /// <summary>
    /// A chair at the location with no patient in it (a check-in is refused at an occupied chair); a new one when every
    /// chair holds a session that tests left in progress.
    /// </summary>
    internal static async Task<Guid> FreeChairAsync(ClinicDbContext db, Guid locationId)
    {
        var atChair = KetaClinic.App.Hl7.VitalsIntake.SessionsAtChair;
        var busy = await db.TreatmentSessions.AsNoTracking().Where(s => s.ChairId != null && atChair.Contains(s.Status)).Select(s => s.ChairId!.Value).ToListAsync();
        var free = await db.Chairs.AsNoTracking().Where(c => c.LocationId == locationId && c.IsActive && !busy.Contains(c.Id)).Select(c => c.Id).ToListAsync();
        if (free.Count > 0)
        {
            return free[Random.Shared.Next(free.Count)];
        }

        var chair = new Chair { Id = Guid.NewGuid(), LocationId = locationId, Name = "Test chair " + Guid.NewGuid().ToString("N")[..6], HasMonitor = true, HasInfusionPump = true };
        db.Chairs.Add(chair);
        await db.SaveChangesAsync();
        return chair.Id;
    }

    internal static async Task<SessionView> ViewAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {body}");
        return JsonSerializer.Deserialize<SessionView>(body, Json)!;
    }

    internal static async Task<string> RefusedAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"expected {expected}, got {(int)response.StatusCode}: {body}");
        return body;
    }

    /// <summary>Nurse records the chair facts and pre-dose vitals so every gate of an IV session is met.</summary>
    internal static async Task ReadyChecksAsync(HttpClient nurse, Guid sessionId, DateTimeOffset now, decimal systolic = 122)
    {
        Ok(await nurse.PostAsJsonAsync($"/api/sessions/{sessionId}/vitals", new { systolic, diastolic = 78m, heartRate = 72m, oxygenSaturation = 98m }));
        Ok(await nurse.PostAsJsonAsync($"/api/sessions/{sessionId}/facts", new
        {
            lastFoodAt = now.AddHours(-8), lastDrinkAt = now.AddHours(-3), companionName = "Pat Driver", companionPhone = "+1 217 555 0199",
            canBecomePregnant = false, medications = Medications, medicationsReviewed = true,
        }));
    }

    private static async Task<SessionView> GetAsync(HttpClient client, Guid id) => await ViewAsync(await client.GetAsync($"/api/sessions/{id}"));

    /// <summary>A ready session checked in by a nurse with every pre-dose check met and passed: the start of dosing tests.</summary>
    private async Task<(Guid Id, Guid PatientId, HttpClient Nurse)> ChecksPassedAsync()
    {
        var (id, patientId) = await ReadySessionAsync(App, Now);
        var nurse = await App.ClientForAsync(ClinicRoles.Nurse);
        Ok(await nurse.PostAsJsonAsync($"/api/sessions/{id}/check-in", new { }));
        await ReadyChecksAsync(nurse, id, Now);
        Ok(await nurse.PostAsync($"/api/sessions/{id}/checks-passed", null));
        return (id, patientId, nurse);
    }

    private async Task<(SessionView View, long? DrawSequence)> DoseAsync(Guid sessionId, bool withLedger)
    {
        var nurse = await App.ClientForAsync(ClinicRoles.Nurse);
        long? drawSequence = null;
        if (withLedger)
        {
            var container = (await LedgerTests.ReceiveAsync(App, "0409-2051-05", 1))[0];
            drawSequence = (await LedgerTests.OkAsync(await nurse.PostAsJsonAsync("/api/ledger/draws", new { sessionId, containerId = container, amount = new { value = 1.0m, unit = "mL" } }))).Sequence;
        }

        var view = await ViewAsync(await nurse.PostAsync($"/api/sessions/{sessionId}/dosing", null));
        Assert.Equal("dosing", view.State);
        var start = Now;
        fixture.Clock.Advance(TimeSpan.FromMinutes(40));
        nurse = await App.ClientForAsync(ClinicRoles.Nurse);
        string nurse2;
        await using (var db = App.NewDbContext())
        {
            nurse2 = await db.Users.Where(u => u.Email == "nurse2@demo.clinic").Select(u => u.Id).SingleAsync();
        }

        var record = await nurse.PostAsJsonAsync($"/api/sessions/{sessionId}/dosing-record", new
        {
            givenDoseMg = view.Dose!.DoseMg, site = "left antecubital", startedAt = start.AddSeconds(1), endedAt = start.AddMinutes(40),
            infusionVolumeMl = 50m, productId = (await LedgerTests.ProductAsync(nurse, "0409-2051-05")).Id, lot = "T-LOT", secondCheckUserId = nurse2, secondCheckAt = start,
            ledgerDrawSequence = drawSequence,
        });
        return (await ViewAsync(record), drawSequence);
    }

    [Fact]
    public async Task A_nurse_runs_an_iv_session_from_check_in_to_discharge_and_every_step_records_who_and_when()
    {
        var (id, patientId) = await ReadySessionAsync(App, Now);
        var desk = await App.ClientForAsync(ClinicRoles.FrontDesk);
        Ok(await desk.PostAsJsonAsync($"/api/sessions/{id}/check-in", new { sentVia = "handed" }));
        var nurse = await App.ClientForAsync(ClinicRoles.Nurse);
        var view = await GetAsync(nurse, id);
        Assert.Equal("checked-in", view.State);
        Assert.Equal("Jordan Lee", view.History[^1].By);

        await ReadyChecksAsync(nurse, id, Now);
        view = await ViewAsync(await nurse.PostAsync($"/api/sessions/{id}/checks-passed", null));
        Assert.Equal("pre-dose-checks-passed", view.State);
        Assert.All(view.Checks, c => Assert.NotEqual("not-met", c.Status));
        Assert.Equal("met", view.Checks.Single(c => c.Gate == "medication-review").Status);
        Assert.Equal("40 mg", view.Dose!.Calculated);

        var (dosed, _) = await DoseAsync(id, withLedger: false);
        Assert.Equal("monitoring", dosed.State);
        Assert.Equal(40m, dosed.Dosing!.GivenMg);
        Assert.Equal("Maria Chen, RN", dosed.Dosing.SecondCheckBy);

        nurse = await App.ClientForAsync(ClinicRoles.Nurse);
        Ok(await nurse.PostAsJsonAsync($"/api/sessions/{id}/vitals", new { systolic = 124m, diastolic = 80m, heartRate = 76m, oxygenSaturation = 97m }));
        Ok(await nurse.PostAsync($"/api/sessions/{id}/recovery", null));
        var early = await RefusedAsync(await nurse.PostAsync($"/api/sessions/{id}/discharge", null), HttpStatusCode.Conflict);
        Assert.Contains("'recovery' to 'discharged'", early, StringComparison.Ordinal);

        fixture.Clock.Advance(TimeSpan.FromMinutes(31));
        nurse = await App.ClientForAsync(ClinicRoles.Nurse);
        Ok(await nurse.PostAsJsonAsync($"/api/sessions/{id}/vitals", new { systolic = 120m, diastolic = 78m, heartRate = 70m, oxygenSaturation = 98m }));
        Ok(await nurse.PostAsJsonAsync($"/api/sessions/{id}/discharge-assessment", new
        {
            alertAndOriented = true, walksSteadily = true, nauseaOrVomitingNeedingTreatment = false, dissociationResolved = true,
            companionPresentName = "Pat Driver", noDrivingUntilNextDayAcknowledged = true, clinicianJudgesStable = true,
        }));
        view = await ViewAsync(await nurse.PostAsync($"/api/sessions/{id}/discharge", null));
        Assert.Equal("discharged", view.State);
        Assert.Equal(["scheduled", "checked-in", "pre-dose-checks-passed", "dosing", "monitoring", "recovery", "discharged"], view.History.Select(h => h.To));
        Assert.All(view.History.Skip(2), h => Assert.Equal("nurse", h.Role));

        await using var db = App.NewDbContext();
        var row = await db.TreatmentSessions.SingleAsync(s => s.Id == id);
        Assert.Equal("completed", row.Status);
        Assert.NotNull(row.CompletedAt);
        Assert.True(await db.SessionEvents.CountAsync(e => e.SessionId == id) >= 9);
        var audited = await db.AuditEntries.Where(a => a.RecordType == SessionLog.SessionRecord && a.RecordId == id.ToString() && a.Action == "update").CountAsync();
        Assert.True(audited >= 6, $"{audited} audit entries");
    }

    [Fact]
    public async Task Passing_the_checks_with_data_missing_is_refused_naming_every_missing_gate_and_nothing_is_stored()
    {
        var (id, _) = await ReadySessionAsync(App, Now);
        var nurse = await App.ClientForAsync(ClinicRoles.Nurse);
        Ok(await nurse.PostAsJsonAsync($"/api/sessions/{id}/check-in", new { }));
        var view = await GetAsync(nurse, id);
        foreach (var gate in new[] { "vitals-taken", "blood-pressure", "fasting", "companion", "medication-review" })
        {
            Assert.Equal("not-met", view.Checks.Single(c => c.Gate == gate).Status);
        }

        Assert.Equal("met", view.Checks.Single(c => c.Gate == "consent").Status);
        Assert.Equal("met", view.Checks.Single(c => c.Gate == "eligibility").Status);
        Assert.Equal("met", view.Checks.Single(c => c.Gate == "rating-scales").Status);
        Assert.Equal("met", view.Checks.Single(c => c.Gate == "weight").Status);
        Assert.Equal("not-applicable", view.Checks.Single(c => c.Gate == "rems-enrollment").Status);

        var body = await RefusedAsync(await nurse.PostAsync($"/api/sessions/{id}/checks-passed", null), HttpStatusCode.Conflict);
        Assert.Contains("Still missing", body, StringComparison.Ordinal);
        Assert.Contains("Fasting", body, StringComparison.Ordinal);
        Assert.Contains("Companion", body, StringComparison.Ordinal);
        await RefusedAsync(await nurse.PostAsync($"/api/sessions/{id}/dosing", null), HttpStatusCode.Conflict);
        Assert.Equal("checked-in", (await GetAsync(nurse, id)).State);
        await using var db = App.NewDbContext();
        Assert.Equal(1, await db.SessionEvents.CountAsync(e => e.SessionId == id));
    }

    [Fact]
    public async Task Forbidden_moves_are_refused_with_409_naming_the_states_and_the_rule()
    {
        var (id, _) = await ReadySessionAsync(App, Now);
        var nurse = await App.ClientForAsync(ClinicRoles.Nurse);
        var body = await RefusedAsync(await nurse.PostAsync($"/api/sessions/{id}/dosing", null), HttpStatusCode.Conflict);
        Assert.Contains("from 'scheduled' to 'dosing'", body, StringComparison.Ordinal);
        await RefusedAsync(await nurse.PostAsync($"/api/sessions/{id}/recovery", null), HttpStatusCode.Conflict);
        await RefusedAsync(await nurse.PostAsync($"/api/sessions/{id}/discharge", null), HttpStatusCode.Conflict);
        var vitals = await RefusedAsync(await nurse.PostAsJsonAsync($"/api/sessions/{id}/vitals", new { heartRate = 70m }), HttpStatusCode.Conflict);
        Assert.Contains("at the chair", vitals, StringComparison.Ordinal);

        Ok(await nurse.PostAsJsonAsync($"/api/sessions/{id}/check-in", new { }));
        var twice = await RefusedAsync(await nurse.PostAsJsonAsync($"/api/sessions/{id}/check-in", new { }), HttpStatusCode.Conflict);
        Assert.Contains("checked-in", twice, StringComparison.Ordinal);
        await RefusedAsync(await nurse.PostAsync($"/api/sessions/{id}/recovery", null), HttpStatusCode.Conflict);

        var noReason = await RefusedAsync(await nurse.PostAsJsonAsync($"/api/sessions/{id}/stop", new { reason = "", followUp = "" }), HttpStatusCode.BadRequest);
        Assert.Contains("reason", noReason, StringComparison.Ordinal);
        Ok(await nurse.PostAsJsonAsync($"/api/sessions/{id}/stop", new { reason = "Patient felt unwell before the dose", followUp = "Phone call tomorrow" }));
        var closed = await RefusedAsync(await nurse.PostAsync($"/api/sessions/{id}/checks-passed", null), HttpStatusCode.Conflict);
        Assert.Contains("accepts no further changes", closed, StringComparison.Ordinal);
        await using var db = App.NewDbContext();
        Assert.Equal("stopped-early", (await db.TreatmentSessions.SingleAsync(s => s.Id == id)).Status);
    }

    [Fact]
    public async Task A_blood_pressure_over_the_hold_limit_blocks_the_dose_until_a_physician_overrides_it_with_a_reason()
    {
        var (id, _) = await ReadySessionAsync(App, Now);
        var nurse = await App.ClientForAsync(ClinicRoles.Nurse);
        Ok(await nurse.PostAsJsonAsync($"/api/sessions/{id}/check-in", new { }));
        await ReadyChecksAsync(nurse, id, Now, systolic: 152);
        var view = await GetAsync(nurse, id);
        Assert.Equal("not-met", view.Checks.Single(c => c.Gate == "blood-pressure").Status);
        var refused = await RefusedAsync(await nurse.PostAsync($"/api/sessions/{id}/checks-passed", null), HttpStatusCode.Conflict);
        Assert.Contains("Blood pressure", refused, StringComparison.OrdinalIgnoreCase);

        var byNurse = await RefusedAsync(await nurse.PostAsJsonAsync($"/api/sessions/{id}/overrides", new { gate = "blood-pressure", reason = "Anxious, rechecked" }), HttpStatusCode.BadRequest);
        Assert.Contains("only a physician", byNurse, StringComparison.Ordinal);
        var physician = await App.ClientForAsync(ClinicRoles.Physician);
        var noReason = await RefusedAsync(await physician.PostAsJsonAsync($"/api/sessions/{id}/overrides", new { gate = "blood-pressure", reason = " " }), HttpStatusCode.BadRequest);
        Assert.Contains("reason", noReason, StringComparison.Ordinal);
        var met = await RefusedAsync(await physician.PostAsJsonAsync($"/api/sessions/{id}/overrides", new { gate = "consent", reason = "n/a" }), HttpStatusCode.BadRequest);
        Assert.Contains("nothing to override", met, StringComparison.Ordinal);
        var unknown = await RefusedAsync(await physician.PostAsJsonAsync($"/api/sessions/{id}/overrides", new { gate = "mood", reason = "n/a" }), HttpStatusCode.BadRequest);
        Assert.Contains("not a pre-dose check", unknown, StringComparison.Ordinal);

        view = await ViewAsync(await physician.PostAsJsonAsync($"/api/sessions/{id}/overrides", new { gate = "blood-pressure", reason = "White-coat hypertension, known; 148 at home" }));
        var bp = view.Checks.Single(c => c.Gate == "blood-pressure");
        Assert.Equal("overridden", bp.Status);
        Assert.Equal("Dr. Priya Raman", bp.OverriddenBy);
        view = await ViewAsync(await nurse.PostAsync($"/api/sessions/{id}/checks-passed", null));
        Assert.Equal("pre-dose-checks-passed", view.State);

        // A new, higher reading is another finding: the override no longer covers it and dosing cannot start.
        Ok(await nurse.PostAsJsonAsync($"/api/sessions/{id}/vitals", new { systolic = 168m, diastolic = 96m }));
        var blocked = await RefusedAsync(await nurse.PostAsync($"/api/sessions/{id}/dosing", null), HttpStatusCode.Conflict);
        Assert.Contains("'dosing'", blocked, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_dosing_record_feeds_the_controlled_substance_ledger_with_the_given_dose()
    {
        var (id, patientId, nurse) = await ChecksPassedAsync();
        var (view, draw) = await DoseAsync(id, withLedger: true);
        Assert.Equal("monitoring", view.State);
        Assert.NotNull(view.Dosing!.LedgerEntrySequence);

        await using var db = App.NewDbContext();
        var entry = await db.LedgerEntries.AsNoTracking().SingleAsync(e => e.Sequence == view.Dosing.LedgerEntrySequence);
        Assert.Contains(id.ToString(), entry.Payload, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(patientId.ToString(), entry.Payload, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(view.Dosing.Id.ToString(), entry.Payload, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("40000", entry.Payload, StringComparison.Ordinal);
        Assert.True(draw < entry.Sequence);
    }

    [Fact]
    public async Task A_dosing_record_the_ledger_refuses_stores_nothing_in_the_session()
    {
        var (id, _, nurse) = await ChecksPassedAsync();
        Ok(await nurse.PostAsync($"/api/sessions/{id}/dosing", null));
        var start = Now;
        var refused = await nurse.PostAsJsonAsync($"/api/sessions/{id}/dosing-record", new
        {
            givenDoseMg = 40m, site = "left antecubital", startedAt = start, endedAt = start, durationDifferenceReason = "stopped by pump",
            infusionVolumeMl = 50m, productId = (await LedgerTests.ProductAsync(nurse, "0409-2051-05")).Id, lot = "L1", secondCheckUserId = "nobody", ledgerDrawSequence = 999_999L,
        });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal("dosing", (await GetAsync(nurse, id)).State);
    }

    [Fact]
    public async Task A_dose_whose_record_cannot_be_stored_leaves_no_ledger_entry_and_can_be_recorded_again()
    {
        var (id, _, nurse) = await ChecksPassedAsync();
        var container = (await LedgerTests.ReceiveAsync(App, "0409-2051-05", 1))[0];
        var draw = (await LedgerTests.OkAsync(await nurse.PostAsJsonAsync("/api/ledger/draws", new { sessionId = id, containerId = container, amount = new { value = 1.0m, unit = "mL" } }))).Sequence;
        var dose = (await ViewAsync(await nurse.PostAsync($"/api/sessions/{id}/dosing", null))).Dose!.DoseMg;
        var start = Now;
        fixture.Clock.Advance(TimeSpan.FromMinutes(40));
        nurse = await App.ClientForAsync(ClinicRoles.Nurse);
        var productId = (await LedgerTests.ProductAsync(nurse, "0409-2051-05")).Id;
        string secondCheck;
        long ledgerBefore;
        await using (var db = App.NewDbContext())
        {
            secondCheck = await db.Users.Where(u => u.Email == "nurse2@demo.clinic").Select(u => u.Id).SingleAsync();
            ledgerBefore = await db.LedgerEntries.CountAsync();
        }

        Task<HttpResponseMessage> RecordAsync() => nurse.PostAsJsonAsync($"/api/sessions/{id}/dosing-record", new
        {
            givenDoseMg = dose, site = "left antecubital", startedAt = start.AddSeconds(1), endedAt = start.AddMinutes(40), infusionVolumeMl = 50m,
            productId, lot = "T-LOT", secondCheckUserId = secondCheck, secondCheckAt = start, ledgerDrawSequence = draw,
        });

        // Storing the session's dosing record fails after the ledger has decided the administration: neither is kept.
        fixture.Fault.FailNextSave(c => c.ChangeTracker.Entries<SessionEventRow>().Any(e => e.State == EntityState.Added && e.Entity.Kind == "complete-dosing"));
        using (var failed = await RecordAsync())
        {
            Assert.False(failed.IsSuccessStatusCode);
        }

        await using (var db = App.NewDbContext())
        {
            Assert.Equal(ledgerBefore, await db.LedgerEntries.CountAsync());
        }
        Assert.Equal("dosing", (await GetAsync(nurse, id)).State);

        // Sent again, both are stored together.
        var view = await ViewAsync(await RecordAsync());
        Assert.Equal("monitoring", view.State);
        await using (var db = App.NewDbContext())
        {
            Assert.Equal(ledgerBefore + 1, await db.LedgerEntries.CountAsync());
            Assert.True(await db.LedgerEntries.AnyAsync(e => e.Sequence == view.Dosing!.LedgerEntrySequence));
        }
    }

    [Fact]
    public async Task A_session_is_rebuilt_under_the_settings_each_step_was_taken_under_not_under_settings_changed_since()
    {
        // Checks passed at 122/78 and an SpO2 of 95 % recorded, under the clinic's settings of the day (hold above 140/90, alert below 92 %).
        var (id, _, nurse) = await ChecksPassedAsync();
        Ok(await nurse.PostAsJsonAsync($"/api/sessions/{id}/vitals", new { oxygenSaturation = 95m }));
        var current = App.Services.GetRequiredService<SessionLog>();
        await using var db = App.NewDbContext();
        var stored = await db.SessionEvents.AsNoTracking().Where(e => e.SessionId == id).ToListAsync();
        Assert.All(stored, e => Assert.Equal(current.SettingsVersion, e.SettingsVersion));
        var version = await db.SessionSettingsVersions.AsNoTracking().SingleAsync(v => v.Id == current.SettingsVersion);
        Assert.Equal(current.SettingsVersion, ClinicalSettings.VersionOf(version.Settings));

        // Staff read the settings in force, each value with its source, and the version a step was taken under.
        var inForce = (await nurse.GetFromJsonAsync<JsonElement>("/api/sessions/settings"))!;
        Assert.Equal(current.SettingsVersion, inForce.GetProperty("version").GetString());
        var hold = inForce.GetProperty("sessions").GetProperty("vitals").GetProperty("preDoseHoldSystolicAboveMmHg");
        Assert.Equal(140m, hold.GetProperty("value").GetDecimal());
        Assert.Contains("REFERENCE.md §5", hold.GetProperty("source").GetString(), StringComparison.Ordinal);
        Assert.True(inForce.GetProperty("monitorMapping").GetProperty("codes").GetArrayLength() > 0);
        var then = (await nurse.GetFromJsonAsync<JsonElement>($"/api/sessions/settings/{current.SettingsVersion}"))!;
        Assert.Equal(hold.GetRawText(), then.GetProperty("sessions").GetProperty("vitals").GetProperty("preDoseHoldSystolicAboveMmHg").GetRawText());
        await RefusedAsync(await nurse.GetAsync("/api/sessions/settings/not-a-version"), HttpStatusCode.NotFound);
        var page = await nurse.GetStringAsync("/protocols");
        Assert.Contains("data-key=\"Sessions:Vitals:PreDoseHoldSystolicAboveMmHg\"", page, StringComparison.Ordinal);
        Assert.Contains(current.SettingsVersion[..12], page, StringComparison.Ordinal);

        // Later the clinic holds above 110/70 and alerts below 96 %: under those, neither step would have been taken as it was.
        var defaults = KetaClinic.Domain.Sessions.SessionSettings.Default;
        var stricter = defaults with
        {
            Vitals = defaults.Vitals with
            {
                PreDoseHoldSystolicAboveMmHg = new(110m, "test: stricter clinic policy"),
                PreDoseHoldDiastolicAboveMmHg = new(70m, "test: stricter clinic policy"),
                Thresholds = [.. defaults.Vitals.Thresholds, new(new(KetaClinic.Domain.Monitoring.VitalKind.OxygenSaturation, KetaClinic.Domain.Monitoring.ThresholdDirection.Below, 96m, KetaClinic.Domain.Monitoring.VitalAlertSeverity.Alert), "test: stricter clinic policy")],
            },
        };
        SessionLog Later() => new(App.Services.GetRequiredService<KetaClinic.App.Features.Plans.IPlannedDoses>(), stricter, fixture.Clock, Microsoft.Extensions.Logging.Abstractions.NullLogger<SessionLog>.Instance);
        Assert.NotEqual(current.SettingsVersion, Later().SettingsVersion);

        // Rebuilt under the settings each step was taken under: the checks stand and no alert appears after the fact.
        var loaded = await Later().LoadAsync(db, id, CancellationToken.None);
        Assert.NotNull(loaded);
        Assert.Equal(KetaClinic.Domain.Sessions.SessionState.PreDoseChecksPassed, loaded.Session.State);
        Assert.Empty(loaded.Session.Alerts);

        // Steps stored before versions were kept replay under today's settings, which here refuse the checks that were passed.
        await db.SessionEvents.Where(e => e.SessionId == id).ExecuteUpdateAsync(u => u.SetProperty(e => e.SettingsVersion, (string?)null));
        var refused = await Assert.ThrowsAsync<SessionSetupException>(() => Later().LoadAsync(db, id, CancellationToken.None));
        Assert.Contains("refused under the current settings", refused.Message, StringComparison.Ordinal);
        await db.SessionEvents.Where(e => e.SessionId == id).ExecuteUpdateAsync(u => u.SetProperty(e => e.SettingsVersion, current.SettingsVersion));
    }

    [Fact]
    public async Task A_vital_over_a_threshold_raises_an_alert_that_blocks_recovery_until_acknowledged_with_an_action()
    {
        var (id, _, nurse) = await ChecksPassedAsync();
        await DoseAsync(id, withLedger: false);
        nurse = await App.ClientForAsync(ClinicRoles.Nurse);
        Ok(await nurse.PostAsJsonAsync($"/api/sessions/{id}/vitals", new { oxygenSaturation = 86m }));
        var view = await GetAsync(nurse, id);
        var alert = Assert.Single(view.Alerts, a => a.IsOpen);
        Assert.Contains("SpO", alert.Message, StringComparison.OrdinalIgnoreCase);

        var board = (await nurse.GetFromJsonAsync<List<ChairRowView>>("/api/chairs/board", Json))!;
        Assert.Contains(board, r => r.SessionId == id && r.OpenAlerts.Any(a => a.Number == alert.Number));

        var blocked = await RefusedAsync(await nurse.PostAsync($"/api/sessions/{id}/recovery", null), HttpStatusCode.Conflict);
        Assert.Contains("not acknowledged", blocked, StringComparison.Ordinal);
        await RefusedAsync(await nurse.PostAsJsonAsync($"/api/sessions/{id}/alerts/{alert.Number}/acknowledge", new { action = "" }), HttpStatusCode.BadRequest);
        view = await ViewAsync(await nurse.PostAsJsonAsync($"/api/sessions/{id}/alerts/{alert.Number}/acknowledge", new { action = "Chin lift, oxygen 2 L/min; SpO2 back to 97%" }));
        var acknowledged = view.Alerts.Single(a => a.Number == alert.Number);
        Assert.Equal("Sam Okafor, RN", acknowledged.AcknowledgedBy);
        Assert.False(acknowledged.IsOpen);
        Ok(await nurse.PostAsync($"/api/sessions/{id}/recovery", null));

        await using var db = App.NewDbContext();
        Assert.True(await db.AuditEntries.AnyAsync(a => a.RecordId == id.ToString() && a.Details!.Contains("acknowledge-alert")));
    }

    [Fact]
    public async Task The_board_keeps_sessions_between_reloads_and_shows_what_a_full_replay_of_each_shows()
    {
        var sessions = new List<Guid>();
        for (var i = 0; i < 3; i++)
        {
            sessions.Add((await ChecksPassedAsync()).Id);
        }
        var nurse = await App.ClientForAsync(ClinicRoles.Nurse);
        async Task<List<ChairRowView>> BoardAsync() => (await nurse.GetFromJsonAsync<List<ChairRowView>>("/api/chairs/board", Json))!;
        await BoardAsync();

        // Between reloads: new values in two sessions (one raising an alert), a session that had no change, then the
        // alert acknowledged and a fourth patient checked in; the board takes only the new events of the kept sessions.
        fixture.Clock.Advance(TimeSpan.FromMinutes(1));
        Ok(await nurse.PostAsJsonAsync($"/api/sessions/{sessions[0]}/vitals", new { systolic = 131m, diastolic = 79m, heartRate = 75m, oxygenSaturation = 86m }));
        Ok(await nurse.PostAsJsonAsync($"/api/sessions/{sessions[1]}/vitals", new { heartRate = 64m }));
        await BoardAsync();
        fixture.Clock.Advance(TimeSpan.FromMinutes(1));
        var alert = (await GetAsync(nurse, sessions[0])).Alerts.Single(a => a.IsOpen);
        Ok(await nurse.PostAsJsonAsync($"/api/sessions/{sessions[0]}/alerts/{alert.Number}/acknowledge", new { action = "Oxygen 2 L/min" }));
        Ok(await nurse.PostAsJsonAsync($"/api/sessions/{sessions[0]}/vitals", new { oxygenSaturation = 97m }));
        Ok(await nurse.PostAsJsonAsync($"/api/sessions/{sessions[1]}/vitals", new { systolic = 185m, diastolic = 95m }));
        var (fourth, _) = await ReadySessionAsync(App, Now);
        Ok(await nurse.PostAsJsonAsync($"/api/sessions/{fourth}/check-in", new { }));
        sessions.Add(fourth);

        var board = await BoardAsync();
        foreach (var id in sessions)
        {
            var row = board.Single(r => r.SessionId == id);
            var replayed = await GetAsync(nurse, id);
            Assert.Equal(replayed.StateWords, row.Phase);
            Assert.Equal(replayed.LatestVitals, row.LatestVitals);
            Assert.Equal(replayed.Alerts.Where(a => a.IsOpen).Select(a => a.Number), row.OpenAlerts.Select(a => a.Number));
            // A check due "now" (pre-dose vitals) is due at each request's own time: compared without it.
            Assert.Equal(replayed.NextCheck is { } n ? (n.Code, n.Status) : default, row.NextCheck is { } m ? (m.Code, m.Status) : default);
            Assert.Equal(replayed.Overdue.Select(o => (o.Code, o.Status)), row.Overdue.Select(o => (o.Code, o.Status)));
        }
        var first = board.Single(r => r.SessionId == sessions[0]);
        Assert.Empty(first.OpenAlerts);
        Assert.Equal("97", first.LatestVitals.Single(t => t.Kind == "oxygen-saturation").Value.Split(' ')[0]);
        Assert.Equal("up", first.LatestVitals.Single(t => t.Kind == "oxygen-saturation").Trend);
        Assert.NotEmpty(board.Single(r => r.SessionId == sessions[1]).OpenAlerts);
    }

    [Fact]
    public async Task A_patient_is_not_checked_in_at_a_chair_where_another_patient_is_still_in_session()
    {
        var (first, _, nurse) = await ChecksPassedAsync();
        Guid chair;
        await using (var db = App.NewDbContext())
        {
            chair = (await db.TreatmentSessions.SingleAsync(s => s.Id == first)).ChairId!.Value;
        }

        var (second, _) = await ReadySessionAsync(App, Now, chairId: chair);
        var refused = await RefusedAsync(await nurse.PostAsJsonAsync($"/api/sessions/{second}/check-in", new { }), HttpStatusCode.Conflict);
        Assert.Contains("still occupied", refused, StringComparison.Ordinal);
        Assert.Contains(first.ToString(), refused, StringComparison.Ordinal);
        await using (var db = App.NewDbContext())
        {
            Assert.Equal("scheduled", (await db.TreatmentSessions.SingleAsync(s => s.Id == second)).Status);
            Assert.False(await db.SessionEvents.AnyAsync(e => e.SessionId == second));
        }

        // Once the first patient's session has ended, the chair is free.
        Ok(await nurse.PostAsJsonAsync($"/api/sessions/{first}/stop", new { reason = "Patient felt unwell before dosing; rebooked", followUp = "Call tomorrow" }));
        Ok(await nurse.PostAsJsonAsync($"/api/sessions/{second}/check-in", new { }));
        Assert.Equal("checked-in", (await GetAsync(nurse, second)).State);
    }

    [Fact]
    public async Task Side_effects_are_recorded_with_severity_action_and_the_serious_adverse_event_flag()
    {
        var (id, _) = await ReadySessionAsync(App, Now);
        var nurse = await App.ClientForAsync(ClinicRoles.Nurse);
        Ok(await nurse.PostAsJsonAsync($"/api/sessions/{id}/check-in", new { }));
        var noAction = await RefusedAsync(await nurse.PostAsJsonAsync($"/api/sessions/{id}/side-effects", new { kind = "nausea", severity = "moderate" }), HttpStatusCode.BadRequest);
        Assert.Contains("actionTaken", noAction, StringComparison.Ordinal);
        await RefusedAsync(await nurse.PostAsJsonAsync($"/api/sessions/{id}/side-effects", new { kind = "hiccups", severity = "mild" }), HttpStatusCode.BadRequest);
        var view = await ViewAsync(await nurse.PostAsJsonAsync($"/api/sessions/{id}/side-effects", new
        {
            kind = "nausea", severity = "moderate", actionTaken = "Ondansetron given", medicationGiven = "ondansetron 4 mg IV", seriousAdverseEvent = false,
        }));
        var effect = Assert.Single(view.SideEffects);
        Assert.Equal("nausea", effect.Kind);
        Assert.Equal("ondansetron 4 mg IV", effect.MedicationGiven);
    }

    [Fact]
    public async Task The_demo_clinic_starts_with_a_patient_in_monitoring_with_vitals_put_there_through_the_workflow()
    {
        var nurse = await App.ClientForAsync(ClinicRoles.Nurse);
        var board = (await nurse.GetFromJsonAsync<List<ChairRowView>>("/api/chairs/board", Json))!;
        Guid demoId, chair1;
        await using (var seeded = App.NewDbContext())
        {
            // The demo's session was booked before the app started; other tests in this class add sessions at the same chair later.
            chair1 = await seeded.Chairs.Where(c => c.Name == "Chair 1").Select(c => c.Id).SingleAsync();
            var dosed = await seeded.SessionEvents.Where(e => e.Kind == SessionEventKinds.CompleteDosing).Select(e => e.SessionId).ToListAsync();
            demoId = (await seeded.TreatmentSessions.Where(s => s.ChairId == chair1).ToListAsync())
                .Where(s => dosed.Contains(s.Id)).OrderBy(s => s.ScheduledStart).First().Id;
        }
        var demo = board.Single(r => r.SessionId == demoId);
        Assert.Equal("Chair 1", demo.Chair);
        Assert.Equal("monitoring", demo.Phase);
        Assert.NotEmpty(demo.LatestVitals);
        await using var db = App.NewDbContext();
        Assert.Contains(await db.SessionEvents.Where(e => e.SessionId == demo.SessionId).Select(e => e.Kind).ToListAsync(), k => k == SessionEventKinds.CompleteDosing);
        // Further sessions are booked at the other chairs in the hours after it (by the clock, not the clinic day: the
        // tests move the clock forward, and an evening start puts them past midnight).
        var from = (await db.TreatmentSessions.SingleAsync(s => s.Id == demoId)).ScheduledStart;
        var until = from.AddHours(5);
        var later = await db.TreatmentSessions.Where(s => s.Status == "scheduled" && s.ChairId != null && s.ChairId != chair1).ToListAsync();
        Assert.Contains(later, s => s.ScheduledStart > from && s.ScheduledStart < until);
    }

    [Fact]
    public async Task The_demo_clinic_has_an_esketamine_patient_between_devices_whose_rems_form_fills_from_the_session()
    {
        var nurse = await App.ClientForAsync(ClinicRoles.Nurse);
        Guid id;
        await using (var db = App.NewDbContext())
        {
            // Put there through the workflow when the demo started: check-in, chair facts, vitals, checks, start of dosing.
            var started = await db.SessionEvents.Where(e => e.Kind == SessionEventKinds.StartDosing).Select(e => e.SessionId).ToListAsync();
            var esketamineCourses = await db.TreatmentCourses.Where(c => c.Route == "intranasal-esketamine").Select(c => c.Id).ToListAsync();
            id = (await db.TreatmentSessions.Where(s => esketamineCourses.Contains(s.CourseId)).ToListAsync())
                .Where(s => started.Contains(s.Id)).OrderBy(s => s.ScheduledStart).First().Id;
        }

        var view = await GetAsync(nurse, id);
        Assert.Equal("esketamine-intranasal", view.ProtocolId);
        Assert.True(view.Dose!.DeviceCount >= 2);
        var board = (await nurse.GetFromJsonAsync<List<ChairRowView>>("/api/chairs/board", Json))!;
        Assert.Contains(board, r => r.SessionId == id);

        var form = await nurse.GetFromJsonAsync<RemsFormView>($"/api/sessions/{id}/rems-form", Json);
        Assert.NotNull(form!.Form.BloodPressureBeforeDosing);
        Assert.True(form.Form.VitalsAcceptableBeforeDosing);
        // The devices and the lot are recorded after the last device; the 40-minute blood pressure is still to come.
        Assert.Null(form.Form.BloodPressureAt40Minutes);
        Assert.Contains("lot", form.MissingFields);
    }

    [Fact]
    public async Task Staff_without_a_clinical_role_cannot_run_the_chair_and_patients_data_reads_are_audited()
    {
        var (id, _) = await ReadySessionAsync(App, Now);
        var desk = await App.ClientForAsync(ClinicRoles.FrontDesk);
        Assert.Equal(HttpStatusCode.Forbidden, (await desk.GetAsync($"/api/sessions/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await desk.PostAsync($"/api/sessions/{id}/checks-passed", null)).StatusCode);
        var nurse = await App.ClientForAsync(ClinicRoles.Nurse);
        await GetAsync(nurse, id);
        await using var db = App.NewDbContext();
        Assert.True(await db.AuditEntries.AnyAsync(a => a.RecordType == SessionLog.SessionRecord && a.RecordId == id.ToString() && a.Action == "read"));
    }

    private async Task<SessionWatchPass> WatchAsync() =>
        await App.Services.GetRequiredService<SessionWatch>().RunOnceAsync(CancellationToken.None);

    /// <summary>An IV session whose infusion started now with no blood pressure since.</summary>
    private async Task<Guid> InfusingAsync()
    {
        var (id, _, nurse) = await ChecksPassedAsync();
        Assert.Equal("dosing", (await ViewAsync(await nurse.PostAsync($"/api/sessions/{id}/dosing", null))).State);
        return id;
    }

    [Fact]
    public async Task A_blood_pressure_missed_during_infusion_raises_one_alert_that_escalates_to_the_physician_when_nobody_acknowledges_it()
    {
        var id = await InfusingAsync();
        var nurse = await App.ClientForAsync(ClinicRoles.Nurse);
        await WatchAsync();
        Assert.DoesNotContain((await GetAsync(nurse, id)).Alerts, a => a.Kind == "VitalsOverdue");

        fixture.Clock.Advance(TimeSpan.FromMinutes(11));
        await WatchAsync();
        var overdue = Assert.Single((await GetAsync(nurse, id)).Alerts, a => a.Kind == "VitalsOverdue" && a.Message.Contains("blood pressure", StringComparison.OrdinalIgnoreCase));
        Assert.Equal("chair-nurse", overdue.Level);
        Assert.Null(overdue.EscalatedTo);
        var count = (await GetAsync(nurse, id)).Alerts.Count;

        fixture.Clock.Advance(TimeSpan.FromSeconds(30));
        await WatchAsync();
        Assert.Equal(count, (await GetAsync(nurse, id)).Alerts.Count);

        fixture.Clock.Advance(TimeSpan.FromMinutes(2));
        await WatchAsync();
        Assert.Equal("second-level", (await GetAsync(nurse, id)).Alerts.Single(a => a.Number == overdue.Number).Level);
        fixture.Clock.Advance(TimeSpan.FromMinutes(5));
        await WatchAsync();
        var escalated = (await GetAsync(nurse, id)).Alerts.Single(a => a.Number == overdue.Number);
        Assert.Equal("physician", escalated.Level);
        Assert.Equal("escalated to physician", escalated.EscalatedTo);
        var board = (await nurse.GetFromJsonAsync<List<ChairRowView>>("/api/chairs/board", Json))!;
        Assert.Contains(board, r => r.SessionId == id && r.OpenAlerts.Any(a => a.Number == overdue.Number && a.EscalatedTo == "escalated to physician"));

        await using var db = App.NewDbContext();
        var events = await db.SessionEvents.Where(e => e.SessionId == id).ToListAsync();
        Assert.All(events.Where(e => e.Kind is SessionEventKinds.RaiseOverdue or SessionEventKinds.Escalate), e => Assert.Equal("system", e.ActorId));
        Assert.Equal(2, events.Count(e => e.Kind == SessionEventKinds.Escalate));
        Assert.True(await db.AuditEntries.AnyAsync(a => a.RecordId == id.ToString() && a.Details!.Contains("raise-overdue")));
    }

    [Fact]
    public async Task An_acknowledged_overdue_alert_does_not_escalate()
    {
        var id = await InfusingAsync();
        fixture.Clock.Advance(TimeSpan.FromMinutes(11));
        await WatchAsync();
        var nurse = await App.ClientForAsync(ClinicRoles.Nurse);
        var overdue = (await GetAsync(nurse, id)).Alerts.First(a => a.Kind == "VitalsOverdue");
        Ok(await nurse.PostAsJsonAsync($"/api/sessions/{id}/alerts/{overdue.Number}/acknowledge", new { action = "Cuff re-seated, BP taken" }));

        fixture.Clock.Advance(TimeSpan.FromMinutes(8));
        await WatchAsync();
        var after = (await GetAsync(nurse, id)).Alerts.Single(a => a.Number == overdue.Number);
        Assert.Equal("chair-nurse", after.Level);
        Assert.False(after.IsOpen);
    }

    [Fact]
    public async Task A_session_that_cannot_be_rebuilt_is_skipped_and_the_others_are_still_watched()
    {
        var broken = await InfusingAsync();
        var id = await InfusingAsync();
        await using (var db = App.NewDbContext())
        {
            db.SessionEvents.Add(new SessionEventRow
            {
                SessionId = broken, Sequence = 1000, Kind = "no-such-kind", Payload = "{}", ActorId = "x", ActorName = "x", ActorRole = "nurse", At = Now,
            });
            await db.SaveChangesAsync();
        }

        try
        {
            fixture.Clock.Advance(TimeSpan.FromMinutes(11));
            var pass = await WatchAsync();
            Assert.True(pass.Failed >= 1);
            var nurse = await App.ClientForAsync(ClinicRoles.Nurse);
            Assert.Contains((await GetAsync(nurse, id)).Alerts, a => a.Kind == "VitalsOverdue");
        }
        finally
        {
            // The shared clinic stays readable for the other tests.
            await using var db = App.NewDbContext();
            await db.SessionEvents.Where(e => e.SessionId == broken && e.Kind == "no-such-kind").ExecuteDeleteAsync();
        }
    }

    [Fact]
    public async Task Only_a_physician_discharges_with_criteria_unmet_and_only_with_a_reason_and_the_unmet_criteria_are_recorded()
    {
        var (id, _, nurse) = await ChecksPassedAsync();
        await DoseAsync(id, withLedger: false);
        nurse = await App.ClientForAsync(ClinicRoles.Nurse);
        Ok(await nurse.PostAsJsonAsync($"/api/sessions/{id}/vitals", new { systolic = 124m, diastolic = 80m, heartRate = 76m, oxygenSaturation = 97m }));
        var recovering = await ViewAsync(await nurse.PostAsync($"/api/sessions/{id}/recovery", null));
        Assert.False(recovering.CanDischarge);

        var byNurse = await RefusedAsync(await nurse.PostAsJsonAsync($"/api/sessions/{id}/discharge-override", new { reason = "Ride is here" }), HttpStatusCode.BadRequest);
        Assert.Contains("only a physician", byNurse, StringComparison.Ordinal);
        var physician = await App.ClientForAsync(ClinicRoles.Physician);
        var noReason = await RefusedAsync(await physician.PostAsJsonAsync($"/api/sessions/{id}/discharge-override", new { reason = " " }), HttpStatusCode.BadRequest);
        Assert.Contains("reason", noReason, StringComparison.Ordinal);
        Assert.Equal("recovery", (await GetAsync(nurse, id)).State);

        var view = await ViewAsync(await physician.PostAsJsonAsync($"/api/sessions/{id}/discharge-override", new { reason = "Seen by me: stable, alert, companion waiting" }));
        Assert.Equal("discharged", view.State);
        Assert.Equal("Dr. Priya Raman", view.DischargeOverride!.By);
        Assert.Equal("Seen by me: stable, alert, companion waiting", view.DischargeOverride.Reason);
        Assert.NotEmpty(view.DischargeOverride.UnmetCriteria);
        Assert.Equal(view.DischargeOverride.UnmetCriteria.Count, view.Discharge.Count(c => c.Status == "notmet"));
        Assert.Equal("physician", view.History[^1].Role);

        // Rebuilt from its events, the session still shows the override.
        Assert.Equal(view.DischargeOverride.UnmetCriteria, (await GetAsync(nurse, id)).DischargeOverride!.UnmetCriteria);
        await using var db = App.NewDbContext();
        Assert.Equal("completed", (await db.TreatmentSessions.SingleAsync(s => s.Id == id)).Status);
        Assert.True(await db.AuditEntries.AnyAsync(a => a.RecordId == id.ToString() && a.Details!.Contains("discharge-override")));
    }
}

public sealed class SessionTests_Sqlite(ClockedSqliteApp f) : SessionTests(f), IClassFixture<ClockedSqliteApp>;

public sealed class SessionTests_Postgres(ClockedPostgresApp f) : SessionTests(f), IClassFixture<ClockedPostgresApp>;
