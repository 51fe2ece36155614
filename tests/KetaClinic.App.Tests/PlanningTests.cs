using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using KetaClinic.App.Data;
using KetaClinic.App.Features;
using KetaClinic.App.Features.Evaluation;
using KetaClinic.App.Features.Patients;
using KetaClinic.App.Features.Plans;
using KetaClinic.App.Features.Scheduling;
using KetaClinic.App.Security;
using KetaClinic.App.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KetaClinic.App.Tests;

/// <summary>Treatment plans, clinic resources, series booking, the day board, iCalendar feeds, reminders and re-planning.</summary>
public abstract class PlanningTests(AppFixture fixture)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private ClinicAppFactory App => fixture.App;

    private static DateTimeOffset Now => TimeProvider.System.GetUtcNow();

    private async Task<Guid> NewPatientAsync(string family, decimal? weightKg = 72.5m, DateTimeOffset? weighedAt = null)
    {
        var desk = await App.ClientForAsync(ClinicRoles.FrontDesk);
        var created = await desk.PostAsJsonAsync("/api/patients", PatientRegistryTests.ValidPatient(family));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.Content.ReadFromJsonAsync<PatientRecord>(Json))!.Id;
        if (weightKg is { } w)
        {
            var nurse = await App.ClientForAsync(ClinicRoles.Nurse);
            var weighed = await nurse.PostAsJsonAsync($"/api/patients/{id}/measurements", new { kind = "weight", value = w, measuredAt = weighedAt ?? Now.AddHours(-1) });
            Assert.True(weighed.IsSuccessStatusCode, await weighed.Content.ReadAsStringAsync());
        }
        return id;
    }

    /// <summary>A patient with a signed eligible evaluation and a countersigned consent for the route.</summary>
    private async Task<Guid> ReadyPatientAsync(string family, string consentRoute = "iv", decimal? weightKg = 72.5m, DateTimeOffset? weighedAt = null)
    {
        family += Guid.NewGuid().ToString("N")[..6];
        var id = await NewPatientAsync(family, weightKg, weighedAt);
        var physician = await App.ClientForAsync(ClinicRoles.Physician);
        var started = await physician.PostAsync($"/api/patients/{id}/evaluations", null);
        Assert.Equal(HttpStatusCode.Created, started.StatusCode);
        var evaluation = (await started.Content.ReadFromJsonAsync<EvaluationView>(Json))!;
        var saved = await physician.PutAsJsonAsync($"/api/evaluations/{evaluation.Id}", new { version = evaluation.Version, form = EvaluationTests.EligibleForm() });
        Assert.True(saved.IsSuccessStatusCode, await saved.Content.ReadAsStringAsync());
        evaluation = (await saved.Content.ReadFromJsonAsync<EvaluationView>(Json))!;
        var signed = await physician.PostAsJsonAsync($"/api/evaluations/{evaluation.Id}/sign-off", new { version = evaluation.Version, outcome = "accept" });
        Assert.True(signed.IsSuccessStatusCode, await signed.Content.ReadAsStringAsync());
        var version = App.Services.GetRequiredService<ClinicEvaluationRules>().Consents.Current(consentRoute).Version;
        var consent = await physician.PostAsJsonAsync($"/api/patients/{id}/consents",
            new { route = consentRoute, documentVersion = version, patientTypedName = "Maria " + family, patientSignature = EvaluationTests.Signature });
        Assert.Equal(HttpStatusCode.Created, consent.StatusCode);
        var consentId = (await consent.Content.ReadFromJsonAsync<ConsentView>(Json))!.Id;
        var countersigned = await physician.PostAsJsonAsync($"/api/consents/{consentId}/countersign", new { confirmed = true });
        Assert.True(countersigned.IsSuccessStatusCode, await countersigned.Content.ReadAsStringAsync());
        return id;
    }

    private async Task<PlanView> PlanAsync(Guid patientId, string protocolId = "iv-racemic-ketamine")
    {
        var physician = await App.ClientForAsync(ClinicRoles.Physician);
        var response = await physician.PostAsJsonAsync($"/api/patients/{patientId}/plans", new { protocolId });
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<PlanView>(Json))!;
    }

    private async Task<SeriesProposalView> ProposeAsync(Guid planId, HttpClient? client = null)
    {
        client ??= await App.ClientForAsync(ClinicRoles.FrontDesk);
        var response = await client.PostAsJsonAsync($"/api/plans/{planId}/series/proposal", new { });
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<SeriesProposalView>(Json))!;
    }

    private static object Confirmation(SeriesProposalView proposal) => new
    {
        phaseId = proposal.PhaseId,
        sessions = proposal.Sessions.Select(s => new { number = s.Number, chairId = s.ChairId, startsAt = s.StartsAt, endsAt = s.EndsAt }),
    };

    private async Task<BookedSeriesView> BookAsync(Guid planId)
    {
        var desk = await App.ClientForAsync(ClinicRoles.FrontDesk);
        var proposal = await ProposeAsync(planId, desk);
        Assert.True(proposal.Found, proposal.Explanation);
        var response = await desk.PostAsJsonAsync($"/api/plans/{planId}/series", Confirmation(proposal));
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<BookedSeriesView>(Json))!;
    }

    [Fact]
    public async Task A_plan_needs_a_current_eligibility_decision_and_a_consent_for_its_route()
    {
        var id = await NewPatientAsync("Unready");
        var physician = await App.ClientForAsync(ClinicRoles.Physician);
        var refused = await physician.PostAsJsonAsync($"/api/patients/{id}/plans", new { protocolId = "iv-racemic-ketamine" });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var text = await refused.Content.ReadAsStringAsync();
        Assert.Contains(TreatmentReadiness.NoEligibilityDecision, text, StringComparison.Ordinal);
        Assert.Contains(TreatmentReadiness.NoConsent, text, StringComparison.Ordinal);

        var ivOnly = await ReadyPatientAsync("Ivonly");
        var otherRoute = await physician.PostAsJsonAsync($"/api/patients/{ivOnly}/plans", new { protocolId = "im-racemic-ketamine" });
        Assert.Equal(HttpStatusCode.BadRequest, otherRoute.StatusCode);
        Assert.Contains(TreatmentReadiness.ConsentForOtherRoute, await otherRoute.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        await using var db = App.NewDbContext();
        Assert.False(await db.TreatmentPlans.AnyAsync(p => p.PatientId == id || p.PatientId == ivOnly));
        Assert.False(await db.TreatmentCourses.AnyAsync(c => c.PatientId == id || c.PatientId == ivOnly));
    }

    [Fact]
    public async Task Only_a_physician_creates_a_plan_or_orders_a_dose()
    {
        var id = await ReadyPatientAsync("Physonly");
        var nurse = await App.ClientForAsync(ClinicRoles.Nurse);
        Assert.Equal(HttpStatusCode.Forbidden, (await nurse.PostAsJsonAsync($"/api/patients/{id}/plans", new { protocolId = "iv-racemic-ketamine" })).StatusCode);
        var plan = await PlanAsync(id);
        Assert.Equal(HttpStatusCode.Forbidden, (await nurse.PostAsJsonAsync($"/api/plans/{plan.Id}/dose-orders", new { dose = 0.6m, reason = "tolerated well" })).StatusCode);
        var handler = App.Services.GetRequiredService<TreatmentPlans>();
        var inProcess = await handler.OrderDoseAsync(plan.Id, new OrderDoseRequest(0.6m, "tolerated"), new Actor("x", "nurse", [ClinicRoles.Nurse], null), CancellationToken.None);
        Assert.Equal(ResultStatus.Forbidden, inProcess.Status);
        // Nurses read the plan (they give the dose); the front desk does not.
        Assert.Equal(HttpStatusCode.OK, (await nurse.GetAsync($"/api/plans/{plan.Id}")).StatusCode);
        var desk = await App.ClientForAsync(ClinicRoles.FrontDesk);
        Assert.Equal(HttpStatusCode.Forbidden, (await desk.GetAsync($"/api/plans/{plan.Id}")).StatusCode);
    }

    [Fact]
    public async Task Dose_orders_are_versioned_with_a_reason_and_the_session_seam_gives_the_current_one()
    {
        var id = await ReadyPatientAsync("Titrate", weightKg: 80m);
        var plan = await PlanAsync(id);
        Assert.Equal("induction", plan.PhaseId);
        Assert.Equal(1, plan.CurrentOrder.Version);
        Assert.Equal(0.5m, plan.CurrentOrder.Value);
        Assert.True(plan.NextDose.Allowed, string.Join("; ", plan.NextDose.HardStops.Select(s => s.Message)));
        Assert.Equal(40m, plan.NextDose.DoseMg);

        var physician = await App.ClientForAsync(ClinicRoles.Physician);
        var noReason = await physician.PostAsJsonAsync($"/api/plans/{plan.Id}/dose-orders", new { dose = 0.6m });
        Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        Assert.Contains("reason", await noReason.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var tooFar = await physician.PostAsJsonAsync($"/api/plans/{plan.Id}/dose-orders", new { dose = 0.75m, reason = "no effect" });
        Assert.Equal(HttpStatusCode.BadRequest, tooFar.StatusCode);
        Assert.Contains("titration step", await tooFar.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var ordered = await physician.PostAsJsonAsync($"/api/plans/{plan.Id}/dose-orders", new { dose = 0.6m, reason = "partial effect, well tolerated" });
        Assert.True(ordered.IsSuccessStatusCode, await ordered.Content.ReadAsStringAsync());
        var view = (await ordered.Content.ReadFromJsonAsync<PlanView>(Json))!;
        Assert.Equal([1, 2], view.Orders.Select(o => o.Version));
        Assert.Equal("partial effect, well tolerated", view.CurrentOrder.Reason);
        Assert.Equal(48m, view.NextDose.DoseMg);

        await using var db = App.NewDbContext();
        var seam = App.Services.GetRequiredService<IPlannedDoses>();
        var planned = (await seam.ForCourseAsync(db, plan.CourseId, CancellationToken.None))!;
        Assert.Equal(2, planned.OrderVersion);
        Assert.Equal(0.6m, planned.Dose.Value);
        Assert.True(await db.AuditEntries.AnyAsync(a => a.RecordType == TreatmentPlans.DoseOrderRecord && a.PatientId == id));
        // Versions are never edited: the database refuses it.
        var row = await db.DoseOrders.FirstAsync(o => o.PlanId == plan.Id);
        row.Reason = "rewritten";
        await Assert.ThrowsAnyAsync<DbUpdateException>(() => db.SaveChangesAsync());
    }

    [Fact]
    public async Task Missing_or_stale_weight_and_a_dose_above_the_hard_maximum_are_hard_stops()
    {
        var physician = await App.ClientForAsync(ClinicRoles.Physician);
        var noWeight = await ReadyPatientAsync("Noweight", weightKg: null);
        var plan = await PlanAsync(noWeight);
        Assert.False(plan.NextDose.Allowed);
        Assert.Contains(plan.NextDose.HardStops, s => s.Kind == "WeightMissing");

        var stale = await ReadyPatientAsync("Staleweight", weightKg: 70m, weighedAt: Now.AddDays(-90));
        var stalePlan = await PlanAsync(stale);
        Assert.Contains(stalePlan.NextDose.HardStops, s => s.Kind == "WeightTooOld");
        Assert.Null(stalePlan.NextDose.DoseMg);

        var over = await ReadyPatientAsync("Overdose");
        var refused = await physician.PostAsJsonAsync($"/api/patients/{over}/plans", new { protocolId = "iv-racemic-ketamine", startingDose = 0.9m });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var text = await refused.Content.ReadAsStringAsync();
        Assert.Contains("startingDose", text, StringComparison.Ordinal);
        Assert.Contains("hard maximum", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Resources_are_validated_naming_the_field_and_only_the_administrator_changes_them()
    {
        var admin = await App.ClientForAsync(ClinicRoles.Administrator);
        var resources = (await admin.GetFromJsonAsync<ResourcesView>("/api/schedule/resources", Json))!;
        var location = resources.Locations[0];
        Assert.NotEmpty(location.Hours);
        Assert.Contains(resources.AppointmentTypes, t => t.Code == "session:iv-racemic-ketamine" && t.FromProtocol && t.Minutes > 0);

        var bad = await admin.PutAsJsonAsync("/api/schedule/resources/opening-hours", new
        {
            locationId = location.Id,
            windows = new[] { new { day = "monday", from = "18:00", to = "08:00" }, new { day = "funday", from = "08:00", to = "09:00" } },
        });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var text = await bad.Content.ReadAsStringAsync();
        Assert.Contains("windows[0].to", text, StringComparison.Ordinal);
        Assert.Contains("windows[1].day", text, StringComparison.Ordinal);

        var badShift = await admin.PostAsJsonAsync("/api/schedule/resources/shifts", new { locationId = location.Id, nurseId = "nobody", fromDay = "2030-01-07", start = "07:00", end = "15:00" });
        Assert.Equal(HttpStatusCode.BadRequest, badShift.StatusCode);
        Assert.Contains("nurseId", await badShift.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var type = await admin.PostAsJsonAsync("/api/schedule/resources/appointment-types", new { code = "session:x", name = "X", minutes = 2 });
        Assert.Equal(HttpStatusCode.BadRequest, type.StatusCode);

        var physician = await App.ClientForAsync(ClinicRoles.Physician);
        Assert.Equal(HttpStatusCode.Forbidden, (await physician.GetAsync("/api/schedule/resources")).StatusCode);
        var after = (await admin.GetFromJsonAsync<ResourcesView>("/api/schedule/resources", Json))!;
        Assert.Equal(location.Hours.Count, after.Locations[0].Hours.Count);
    }

    [Fact]
    public async Task Booking_an_induction_series_creates_its_sessions_reminders_and_shows_them_on_the_board()
    {
        var id = await ReadyPatientAsync("Booked");
        var plan = await PlanAsync(id);
        var booked = await BookAsync(plan.Id);
        Assert.Equal(6, booked.Sessions.Count);
        Assert.Equal(6, booked.RemindersQueued);

        await using var db = App.NewDbContext();
        var sessions = await db.TreatmentSessions.Where(s => s.PlanId == plan.Id).OrderBy(s => s.SequenceNumber).ToListAsync();
        Assert.Equal(6, sessions.Count);
        Assert.All(sessions, s => Assert.Equal("scheduled", s.Status));
        Assert.All(sessions, s => Assert.NotNull(s.ChairId));
        Assert.All(sessions, s => Assert.Equal(TimeSpan.FromMinutes(90), s.ScheduledEnd!.Value - s.ScheduledStart));
        var pumps = await db.Chairs.Where(c => c.HasInfusionPump).Select(c => c.Id).ToListAsync();
        Assert.All(sessions, s => Assert.Contains(s.ChairId!.Value, pumps));
        Assert.True(await db.AuditEntries.AnyAsync(a => a.RecordType == SeriesBooking.RecordType && a.PatientId == id && a.Action == "create"));

        var reminders = await db.ReminderOutbox.Where(r => r.PatientId == id).ToListAsync();
        Assert.Equal(6, reminders.Count);
        Assert.All(reminders, r => Assert.Equal("pending", r.Status));
        Assert.All(reminders, r => Assert.Contains("no food for 2 hours", r.Body, StringComparison.Ordinal));
        Assert.All(reminders, r => Assert.Contains("must not drive until the next day", r.Body, StringComparison.Ordinal));
        // Due a day before, or at once when the session is sooner than that.
        Assert.All(reminders, r => Assert.True(r.DueAt == sessions.Single(s => s.Id == r.SessionId).ScheduledStart.AddHours(-24) || r.DueAt == r.CreatedAt));

        var desk = await App.ClientForAsync(ClinicRoles.FrontDesk);
        var day = booked.Sessions[0].StartsAt;
        var clinic = App.Services.GetRequiredService<ClinicSettings>();
        var board = (await desk.GetFromJsonAsync<BoardView>($"/api/schedule?day={clinic.ToClinicTime(day):yyyy-MM-dd}", Json))!;
        Assert.Contains(board.Days[0].Chairs.SelectMany(c => c.Sessions), s => s.Id == booked.Sessions[0].Id && s.PatientId == id);

        // The phase is booked once.
        var again = await desk.PostAsJsonAsync($"/api/plans/{plan.Id}/series/proposal", new { });
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
    }

    [Fact]
    public async Task Confirming_a_series_whose_slot_was_taken_meanwhile_is_refused_and_books_nothing()
    {
        var first = await PlanAsync(await ReadyPatientAsync("Racer"));
        var second = await PlanAsync(await ReadyPatientAsync("Taker"));
        var desk = await App.ClientForAsync(ClinicRoles.FrontDesk);
        var proposalA = await ProposeAsync(first.Id, desk);
        var proposalB = await ProposeAsync(second.Id, desk);
        // Both see the same free slots; the second to confirm finds them taken.
        var shared = proposalA.Sessions.Select(s => (s.ChairId, s.StartsAt)).Intersect(proposalB.Sessions.Select(s => (s.ChairId, s.StartsAt))).ToList();
        Assert.NotEmpty(shared);
        var okB = await desk.PostAsJsonAsync($"/api/plans/{second.Id}/series", Confirmation(proposalB));
        Assert.Equal(HttpStatusCode.Created, okB.StatusCode);
        var refused = await desk.PostAsJsonAsync($"/api/plans/{first.Id}/series", Confirmation(proposalA));
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("Propose the series again", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await using var db = App.NewDbContext();
        Assert.False(await db.TreatmentSessions.AnyAsync(s => s.PlanId == first.Id));

        // Proposing again finds another series.
        var fresh = await ProposeAsync(first.Id, desk);
        Assert.True(fresh.Found);
        Assert.Equal(HttpStatusCode.Created, (await desk.PostAsJsonAsync($"/api/plans/{first.Id}/series", Confirmation(fresh))).StatusCode);
    }

    [Fact]
    public async Task A_patient_in_the_chair_keeps_it_from_booking_and_the_day_board_cannot_cancel_their_session()
    {
        var plan = await PlanAsync(await ReadyPatientAsync("Waiting"));
        var desk = await App.ClientForAsync(ClinicRoles.FrontDesk);
        var proposal = await ProposeAsync(plan.Id, desk);
        var slot = proposal.Sessions[0];

        // Another patient is in monitoring at that chair and time (the chair workflow moved the session there).
        var sitter = await ReadyPatientAsync("Sitter");
        Guid inChair;
        await using (var db = App.NewDbContext())
        {
            var location = await db.Locations.Select(l => l.Id).FirstAsync();
            var course = new TreatmentCourse { Id = Guid.NewGuid(), PatientId = sitter, LocationId = location, Route = "iv", ProtocolCode = "iv-racemic-ketamine", Status = "active", CreatedAt = Now };
            var session = new TreatmentSession
            {
                Id = Guid.NewGuid(), CourseId = course.Id, PatientId = sitter, LocationId = location, ChairId = slot.ChairId, SequenceNumber = 1,
                ScheduledStart = slot.StartsAt, ScheduledEnd = slot.EndsAt, Status = "monitoring", CheckedInAt = slot.StartsAt,
            };
            db.TreatmentCourses.Add(course);
            db.TreatmentSessions.Add(session);
            await db.SaveChangesAsync();
            inChair = session.Id;
        }

        var refused = await desk.PostAsJsonAsync($"/api/plans/{plan.Id}/series", Confirmation(proposal));
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        await using (var db = App.NewDbContext())
        {
            Assert.False(await db.TreatmentSessions.AnyAsync(s => s.PlanId == plan.Id));
        }

        var fresh = await ProposeAsync(plan.Id, desk);
        Assert.True(fresh.Found, fresh.Explanation);
        Assert.DoesNotContain(fresh.Sessions, s => s.ChairId == slot.ChairId && s.StartsAt < slot.EndsAt && slot.StartsAt < s.EndsAt);

        // The board does not cancel a session behind the chair workflow's back: it is stopped early on its session page.
        var cancel = await desk.PostAsJsonAsync($"/api/sessions/{inChair}/cancel", new { reason = "booked twice" });
        Assert.Equal(HttpStatusCode.Conflict, cancel.StatusCode);
        await using var check = App.NewDbContext();
        Assert.Equal("monitoring", (await check.TreatmentSessions.SingleAsync(s => s.Id == inChair)).Status);
    }

    [Fact]
    public async Task When_no_series_fits_the_proposal_explains_why()
    {
        var plan = await PlanAsync(await ReadyPatientAsync("Weekends"));
        var desk = await App.ClientForAsync(ClinicRoles.FrontDesk);
        var response = await desk.PostAsJsonAsync($"/api/plans/{plan.Id}/series/proposal",
            new { availability = new[] { new { day = "saturday", from = "09:00", to = "17:00" }, new { day = "sunday", from = "09:00", to = "17:00" } } });
        var proposal = (await response.Content.ReadFromJsonAsync<SeriesProposalView>(Json))!;
        Assert.False(proposal.Found);
        Assert.Equal("PatientHours", proposal.FailedConstraint);
        Assert.False(string.IsNullOrWhiteSpace(proposal.Explanation));
    }

    [Fact]
    public async Task Cancellation_and_no_show_need_a_reason_and_cancel_the_reminder()
    {
        var id = await ReadyPatientAsync("Cancels");
        var booked = await BookAsync((await PlanAsync(id)).Id);
        var desk = await App.ClientForAsync(ClinicRoles.FrontDesk);
        var session = booked.Sessions[1].Id;
        Assert.Equal(HttpStatusCode.BadRequest, (await desk.PostAsJsonAsync($"/api/sessions/{session}/cancel", new { })).StatusCode);
        var cancelled = await desk.PostAsJsonAsync($"/api/sessions/{session}/cancel", new { reason = "patient has the flu" });
        Assert.True(cancelled.IsSuccessStatusCode, await cancelled.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Conflict, (await desk.PostAsJsonAsync($"/api/sessions/{session}/cancel", new { reason = "again" })).StatusCode);

        var future = booked.Sessions[2].Id;
        Assert.Equal(HttpStatusCode.BadRequest, (await desk.PostAsJsonAsync($"/api/sessions/{future}/no-show", new { reason = "did not come" })).StatusCode);
        await using (var db = App.NewDbContext())
        {
            var s = await db.TreatmentSessions.SingleAsync(x => x.Id == future);
            s.ScheduledStart = Now.AddHours(-2);
            await db.SaveChangesAsync();
        }
        var noShow = await desk.PostAsJsonAsync($"/api/sessions/{future}/no-show", new { reason = "did not come, no answer by phone" });
        Assert.True(noShow.IsSuccessStatusCode, await noShow.Content.ReadAsStringAsync());

        await using var check = App.NewDbContext();
        var rows = await check.TreatmentSessions.Where(s => s.Id == session || s.Id == future).ToListAsync();
        Assert.Equal("cancelled", rows.Single(s => s.Id == session).Status);
        Assert.Equal("patient has the flu", rows.Single(s => s.Id == session).CancelReason);
        Assert.Equal("no-show", rows.Single(s => s.Id == future).Status);
        Assert.Equal("cancelled", (await check.ReminderOutbox.SingleAsync(r => r.SessionId == session && r.PatientId == id)).Status);
        Assert.True(await check.AuditEntries.AnyAsync(a => a.RecordType == Schedule.SessionRecord && a.RecordId == session.ToString() && a.Action == "update"));
    }

    [Fact]
    public async Task A_cancelled_slot_is_offered_to_the_first_waiting_patient_whose_protocol_fits_the_chair()
    {
        var booked = await BookAsync((await PlanAsync(await ReadyPatientAsync("Freesup"))).Id);
        var waitingPatient = await ReadyPatientAsync("Waiting");
        var waitingPlan = await PlanAsync(waitingPatient);
        var desk = await App.ClientForAsync(ClinicRoles.FrontDesk);
        var added = await desk.PostAsJsonAsync($"/api/plans/{waitingPlan.Id}/waitlist", new { note = "any weekday morning" });
        Assert.True(added.IsSuccessStatusCode, await added.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Conflict, (await desk.PostAsJsonAsync($"/api/plans/{waitingPlan.Id}/waitlist", new { })).StatusCode);

        var cancelled = await desk.PostAsJsonAsync($"/api/sessions/{booked.Sessions[3].Id}/cancel", new { reason = "moved away" });
        Assert.True(cancelled.IsSuccessStatusCode, await cancelled.Content.ReadAsStringAsync());
        var list = (await desk.GetFromJsonAsync<List<WaitlistEntryView>>("/api/waitlist", Json))!;
        var entry = list.Single(e => e.PlanId == waitingPlan.Id);
        Assert.Equal("offered", entry.Status);
        Assert.Contains(booked.Sessions[3].ChairName, entry.OfferedSlot, StringComparison.Ordinal);
        await using var db = App.NewDbContext();
        var offer = await db.ReminderOutbox.SingleAsync(r => r.PatientId == waitingPatient);
        Assert.Contains("earlier treatment slot is free", offer.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_patients_calendar_feed_lists_their_sessions_with_minimum_details_and_only_with_the_current_token()
    {
        var id = await ReadyPatientAsync("Feedme");
        var booked = await BookAsync((await PlanAsync(id)).Id);
        var desk = await App.ClientForAsync(ClinicRoles.FrontDesk);
        var issued = await desk.PostAsync($"/api/patients/{id}/calendar-feed", null);
        Assert.True(issued.IsSuccessStatusCode, await issued.Content.ReadAsStringAsync());
        var feed = (await issued.Content.ReadFromJsonAsync<CalendarFeedView>(Json))!;
        var path = new Uri(feed.Url).AbsolutePath;

        using var anonymous = await App.ClientForAsync(null);
        var response = await anonymous.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/calendar", response.Content.Headers.ContentType?.MediaType);
        var ics = await response.Content.ReadAsStringAsync();
        Assert.StartsWith("BEGIN:VCALENDAR", ics, StringComparison.Ordinal);
        Assert.Equal(booked.Sessions.Count, ics.Split("BEGIN:VEVENT").Length - 1);
        Assert.Contains("Treatment session", ics, StringComparison.Ordinal);
        Assert.Contains("ride home", ics.Replace("\r\n ", "", StringComparison.Ordinal), StringComparison.Ordinal);
        await using var db = App.NewDbContext();
        var patient = await db.Patients.SingleAsync(p => p.Id == id);
        Assert.DoesNotContain(patient.LegalFamilyName, ics, StringComparison.Ordinal);
        Assert.DoesNotContain(patient.Mrn, ics, StringComparison.Ordinal);
        Assert.DoesNotContain("racemic", ics, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("mg/kg", ics, StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync("/calendar/not-a-real-token.ics")).StatusCode);
        var reissued = await desk.PostAsync($"/api/patients/{id}/calendar-feed", null);
        Assert.True(reissued.IsSuccessStatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync(path)).StatusCode);

        var nurse = await App.ClientForAsync(ClinicRoles.Nurse);
        var mine = (await (await nurse.PostAsync("/api/me/calendar-feed", null)).Content.ReadFromJsonAsync<CalendarFeedView>(Json))!;
        var clinicianIcs = await anonymous.GetStringAsync(new Uri(mine.Url).AbsolutePath);
        Assert.Contains("BEGIN:VEVENT", clinicianIcs, StringComparison.Ordinal);
        Assert.DoesNotContain(patient.LegalFamilyName, clinicianIcs, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Closing_a_chair_moves_its_booked_sessions_and_keeps_the_report()
    {
        var id = await ReadyPatientAsync("Replanned");
        var booked = await BookAsync((await PlanAsync(id)).Id);
        var hit = booked.Sessions[2];
        var clinic = App.Services.GetRequiredService<ClinicSettings>();
        var local = clinic.ToClinicTime(hit.StartsAt);
        var admin = await App.ClientForAsync(ClinicRoles.Administrator);
        var response = await admin.PostAsJsonAsync("/api/schedule/resources/chair-closures", new
        {
            chairId = hit.ChairId, day = local.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), from = "00:00", to = "23:59", reason = "pump broken",
        });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        var report = (await response.Content.ReadFromJsonAsync<ReplanReportView>(Json))!;
        Assert.Contains(report.Moved, m => m.SessionId == hit.Id && m.PatientId == id);

        await using var db = App.NewDbContext();
        var moved = await db.TreatmentSessions.SingleAsync(s => s.Id == hit.Id);
        Assert.False(moved.ChairId == hit.ChairId && moved.ScheduledStart == hit.StartsAt, "the session still sits on the closed chair");
        Assert.Equal("scheduled", moved.Status);
        Assert.True(await db.ReplanReports.AnyAsync(r => r.Id == report.Id && r.MovedCount >= 1));
        var reports = (await admin.GetFromJsonAsync<List<ReplanReportView>>("/api/schedule/replan-reports", Json))!;
        Assert.Contains(reports, r => r.Id == report.Id);
        // The reminder follows the session.
        Assert.Single(await db.ReminderOutbox.Where(r => r.SessionId == hit.Id && r.Status == "pending").ToListAsync());
    }

    [Fact]
    public async Task The_physician_accepts_or_edits_the_response_guided_proposal_with_a_reason()
    {
        var id = await ReadyPatientAsync("Proposal");
        var plan = await PlanAsync(id);
        var physician = await App.ClientForAsync(ClinicRoles.Physician);
        var proposal = (await physician.GetFromJsonAsync<PhaseProposalView>($"/api/plans/{plan.Id}/proposal", Json))!;
        Assert.False(string.IsNullOrWhiteSpace(proposal.Kind));
        var noReason = await physician.PostAsJsonAsync($"/api/plans/{plan.Id}/proposal/decision", new { accept = false, phaseId = "maintenance", intervalDays = 7 });
        Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        var badInterval = await physician.PostAsJsonAsync($"/api/plans/{plan.Id}/proposal/decision", new { accept = false, phaseId = "maintenance", intervalDays = 5, reason = "x" });
        Assert.Contains("intervalDays", await badInterval.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var edited = await physician.PostAsJsonAsync($"/api/plans/{plan.Id}/proposal/decision", new { accept = false, phaseId = "maintenance", intervalDays = 14, reason = "earlier ketamine course responded; straight to maintenance" });
        Assert.True(edited.IsSuccessStatusCode, await edited.Content.ReadAsStringAsync());
        var view = (await edited.Content.ReadFromJsonAsync<PlanView>(Json))!;
        Assert.Equal("maintenance", view.PhaseId);
        Assert.Equal(14, view.IntervalDays);
        Assert.True(Assert.Single(view.Decisions).Edited);
        await using var db = App.NewDbContext();
        Assert.True(await db.AuditEntries.AnyAsync(a => a.RecordType == TreatmentPlans.DecisionRecord && a.PatientId == id && a.Action == "update"));
    }
}

public sealed class PlanningTests_Sqlite(SqliteApp f) : PlanningTests(f), IClassFixture<SqliteApp>;

public sealed class PlanningTests_Postgres(PostgresApp f) : PlanningTests(f), IClassFixture<PostgresApp>;
