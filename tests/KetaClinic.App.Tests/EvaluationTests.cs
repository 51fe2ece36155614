using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using KetaClinic.App.Data;
using KetaClinic.App.Features.Evaluation;
using KetaClinic.App.Features.Measurement;
using KetaClinic.App.Features.Patients;
using KetaClinic.App.Security;
using KetaClinic.App.Tests.Infrastructure;
using KetaClinic.Domain.Evaluation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KetaClinic.App.Tests;

/// <summary>From a consultation request to informed consent (issue 4), through the API and the public pages, on both databases.</summary>
public abstract partial class EvaluationTests(AppFixture fixture)
{
    internal const string Signature = "M10 10 L20 22 L35 30 L50 28 L64 40 M80 40 L95 20 L110 45";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private ClinicAppFactory App => fixture.App;

    private DateOnly Today => App.Services.GetRequiredService<ClinicSettings>().Today(TimeProvider.System);

    // ---- consultation requests ----

    [Fact]
    public async Task A_request_from_the_public_page_lands_in_the_front_desk_queue_as_a_new_lead()
    {
        var family = Unique("Requester");
        var anonymous = await App.ClientForAsync(null);
        var sent = await anonymous.PostAsJsonAsync("/api/public/consultation-requests", new
        {
            givenName = "Nora", familyName = family, phone = "+1 217 555 0111", preferredContactTimes = "weekday mornings",
            triedSoFar = "Sertraline for a year,\nthen venlafaxine.", heardAbout = "my therapist",
        });
        Assert.Equal(HttpStatusCode.OK, sent.StatusCode);
        Assert.Equal(ConsultationRequests.ThankYou, (await sent.Content.ReadFromJsonAsync<PublicRequestReceipt>(Json))!.Message);

        var desk = await App.ClientForAsync(ClinicRoles.FrontDesk);
        var queue = (await desk.GetFromJsonAsync<List<LeadView>>("/api/leads", Json))!;
        var lead = Assert.Single(queue, l => l.FamilyName == family);
        Assert.Equal("new", lead.Status);
        Assert.Equal("web", lead.Channel);
        Assert.Equal("Sertraline for a year,\nthen venlafaxine.", lead.TriedSoFar);
        Assert.Equal("weekday mornings", lead.PreferredContactTimes);

        // The clinicians' and the administrator's roles do not work the queue.
        Assert.Equal(HttpStatusCode.Forbidden, (await (await App.ClientForAsync(ClinicRoles.Physician)).GetAsync("/api/leads")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await (await App.ClientForAsync(ClinicRoles.Administrator)).GetAsync("/api/leads")).StatusCode);
    }

    [Fact]
    public async Task A_request_without_a_way_to_reach_the_person_or_with_oversized_fields_is_refused_by_field_and_not_stored()
    {
        var family = Unique("Toolong");
        var anonymous = await App.ClientForAsync(null);
        var noContact = await anonymous.PostAsJsonAsync("/api/public/consultation-requests", new { givenName = "Ann", familyName = family });
        Assert.Equal(HttpStatusCode.BadRequest, noContact.StatusCode);
        Assert.True((await Problem(noContact)).TryGetProperty("phone", out _));

        var oversized = await anonymous.PostAsJsonAsync("/api/public/consultation-requests", new
        {
            givenName = new string('A', 101), familyName = family, email = "not-an-email", triedSoFar = new string('x', 2001), heardAbout = new string('h', 201),
        });
        Assert.Equal(HttpStatusCode.BadRequest, oversized.StatusCode);
        var errors = await Problem(oversized);
        foreach (var field in new[] { "givenName", "email", "triedSoFar", "heardAbout" })
        {
            Assert.True(errors.TryGetProperty(field, out _), $"{field} missing in {errors}");
        }

        await using var db = App.NewDbContext();
        Assert.False(await db.ConsultationLeads.AnyAsync(l => l.FamilyName == family));
    }

    [Fact]
    public async Task A_bot_that_fills_the_honeypot_gets_the_usual_thanks_but_nothing_is_stored_and_the_attempt_is_logged()
    {
        var family = Unique("Botty");
        await using var before = App.NewDbContext();
        var discardedBefore = await before.AuditEntries.CountAsync(a => a.RecordType == ConsultationRequests.LeadRecord && a.Action == "discarded");

        var anonymous = await App.ClientForAsync(null);
        var sent = await anonymous.PostAsJsonAsync("/api/public/consultation-requests", new
        {
            givenName = "Bot", familyName = family, email = "bot@example.org", website = "http://spam.example",
        });
        Assert.Equal(HttpStatusCode.OK, sent.StatusCode);
        Assert.Equal(ConsultationRequests.ThankYou, (await sent.Content.ReadFromJsonAsync<PublicRequestReceipt>(Json))!.Message);

        await using var db = App.NewDbContext();
        Assert.False(await db.ConsultationLeads.AnyAsync(l => l.FamilyName == family));
        Assert.Equal(discardedBefore + 1, await db.AuditEntries.CountAsync(a => a.RecordType == ConsultationRequests.LeadRecord && a.Action == "discarded"));
    }

    [Fact]
    public async Task The_public_request_page_stores_a_posted_form_and_discards_one_with_the_honeypot_filled()
    {
        var family = Unique("Formposter");
        var anonymous = await App.ClientForAsync(null);
        var page = await anonymous.GetStringAsync("/request");
        Assert.Contains("Ask for a consultation", page, StringComparison.Ordinal);
        var fields = HiddenInputs(page);
        Assert.Contains("__RequestVerificationToken", fields.Keys);

        var form = new Dictionary<string, string>(fields) { ["givenName"] = "Paula", ["familyName"] = family, ["email"] = "paula@example.org", ["website"] = "" };
        var posted = await anonymous.PostAsync("/request", new FormUrlEncodedContent(form));
        Assert.Equal(HttpStatusCode.OK, posted.StatusCode);
        Assert.Contains("data-testid=\"request-done\"", await posted.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var bot = new Dictionary<string, string>(HiddenInputs(await anonymous.GetStringAsync("/request")))
        {
            ["givenName"] = "Spam", ["familyName"] = family + "bot", ["email"] = "spam@example.org", ["website"] = "cheap-pills.example",
        };
        var botPosted = await anonymous.PostAsync("/request", new FormUrlEncodedContent(bot));
        Assert.Contains("data-testid=\"request-done\"", await botPosted.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        await using var db = App.NewDbContext();
        Assert.True(await db.ConsultationLeads.AnyAsync(l => l.FamilyName == family && l.Email == "paula@example.org"));
        Assert.False(await db.ConsultationLeads.AnyAsync(l => l.FamilyName == family + "bot"));
    }

    [Fact]
    public async Task The_front_desk_takes_a_phone_request_and_declining_it_needs_a_reason()
    {
        var family = Unique("Caller");
        var desk = await App.ClientForAsync(ClinicRoles.FrontDesk);
        var created = await desk.PostAsJsonAsync("/api/leads", new { givenName = "Carl", familyName = family, phone = "+1 217 555 0122", note = "Called twice." });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var lead = (await created.Content.ReadFromJsonAsync<LeadView>(Json))!;
        Assert.Equal("phone", lead.Channel);
        Assert.Equal("frontdesk@demo.clinic", lead.EnteredByName);

        Assert.Equal(HttpStatusCode.OK, (await desk.PostAsJsonAsync($"/api/leads/{lead.Id}/status", new { status = "contacted" })).StatusCode);
        var noReason = await desk.PostAsJsonAsync($"/api/leads/{lead.Id}/status", new { status = "declined" });
        Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        Assert.True((await Problem(noReason)).TryGetProperty("reason", out _));
        var declined = await desk.PostAsJsonAsync($"/api/leads/{lead.Id}/status", new { status = "declined", reason = "Lives abroad; referred to a local service." });
        Assert.Equal("declined", (await declined.Content.ReadFromJsonAsync<LeadView>(Json))!.Status);
        Assert.DoesNotContain((await desk.GetFromJsonAsync<List<LeadView>>("/api/leads", Json))!, l => l.Id == lead.Id);
        Assert.Contains((await desk.GetFromJsonAsync<List<LeadView>>("/api/leads?status=declined", Json))!, l => l.Id == lead.Id);
    }

    [Fact]
    public async Task Converting_a_lead_registers_the_patient_by_the_registry_rules_and_books_the_consultation_or_saves_nothing()
    {
        var family = Unique("Convert");
        var desk = await App.ClientForAsync(ClinicRoles.FrontDesk);
        var lead = await PhoneLeadAsync(desk, family);
        var physician = (await desk.GetFromJsonAsync<List<PhysicianChoice>>("/api/consultations/physicians", Json))!.Single();
        var start = NextSlot();

        // A date of birth in the future and a past booking: both named, nothing saved.
        var bad = await desk.PostAsJsonAsync($"/api/leads/{lead.Id}/convert", new
        {
            patient = new { legalGivenName = "Vera", legalFamilyName = family, dateOfBirth = Today.AddDays(3), sex = "female", phone = "+1 217 555 0133" },
            consultation = new { startsAt = TimeProvider.System.GetUtcNow().AddDays(-2), mode = "in-person", physicianId = physician.Id },
        });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var errors = await Problem(bad);
        Assert.True(errors.TryGetProperty("patient.dateOfBirth", out _), errors.ToString());
        Assert.True(errors.TryGetProperty("consultation.startsAt", out _), errors.ToString());
        await using (var db = App.NewDbContext())
        {
            Assert.False(await db.Patients.AnyAsync(p => p.LegalFamilyName == family));
            Assert.Equal("new", (await db.ConsultationLeads.SingleAsync(l => l.Id == lead.Id)).Status);
        }

        var converted = await desk.PostAsJsonAsync($"/api/leads/{lead.Id}/convert", new
        {
            patient = new { legalGivenName = "Vera", legalFamilyName = family, dateOfBirth = "1979-05-02", sex = "female", phone = "+1 217 555 0133", referringClinicianName = "Dr. Ruth Okoye" },
            consultation = new { startsAt = start, durationMinutes = 60, mode = "video", physicianId = physician.Id },
        });
        Assert.Equal(HttpStatusCode.Created, converted.StatusCode);
        var result = (await converted.Content.ReadFromJsonAsync<ConversionResult>(Json))!;
        Assert.Matches("^KC[0-9]{8}$", result.Mrn);
        Assert.Equal("video", result.Consultation.Mode);
        Assert.Equal(physician.Name, result.Consultation.PhysicianName);

        var again = await desk.PostAsJsonAsync($"/api/leads/{lead.Id}/convert", new { patient = new { legalGivenName = "Vera" }, consultation = new { } });
        Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode);

        // The physician is busy then: a second lead cannot be booked over it.
        var other = await PhoneLeadAsync(desk, family + "b");
        var clash = await desk.PostAsJsonAsync($"/api/leads/{other.Id}/convert", new
        {
            patient = new { legalGivenName = "Otto", legalFamilyName = family + "b", dateOfBirth = "1970-01-01", sex = "male", phone = "+1 217 555 0134" },
            consultation = new { startsAt = start.AddMinutes(30), mode = "phone", physicianId = physician.Id },
        });
        Assert.Equal(HttpStatusCode.BadRequest, clash.StatusCode);
        Assert.Contains("already has a consultation", (await Problem(clash)).GetProperty("consultation.startsAt")[0].GetString(), StringComparison.Ordinal);

        await using var check = App.NewDbContext();
        var stored = await check.ConsultationLeads.SingleAsync(l => l.Id == lead.Id);
        Assert.Equal("converted", stored.Status);
        Assert.Equal(result.PatientId, stored.PatientId);
        Assert.True(await check.ConsultationAppointments.AnyAsync(c => c.PatientId == result.PatientId && c.Status == "booked"));
        Assert.False(await check.Patients.AnyAsync(p => p.LegalFamilyName == family + "b"));
        var upcoming = (await desk.GetFromJsonAsync<List<ConsultationView>>("/api/consultations?days=366", Json))!;
        Assert.Contains(upcoming, c => c.PatientId == result.PatientId);
        var reconvert = await desk.PostAsJsonAsync($"/api/leads/{lead.Id}/convert", new
        {
            patient = new { legalGivenName = "Vera", legalFamilyName = family, dateOfBirth = "1979-05-02", sex = "female", phone = "+1 217 555 0133" },
            consultation = new { startsAt = start.AddDays(1), mode = "video", physicianId = physician.Id },
        });
        Assert.Equal(HttpStatusCode.Conflict, reconvert.StatusCode);
    }

    // ---- pre-screening ----

    [Fact]
    public async Task A_pre_screening_link_stores_the_answers_and_the_phq9_and_gad7_as_scored_responses_exactly_once()
    {
        var (patientId, family) = await NewPatientAsync();
        var desk = await App.ClientForAsync(ClinicRoles.FrontDesk);
        var issued = await desk.PostAsJsonAsync($"/api/patients/{patientId}/prescreening-links", new { sentVia = "handed" });
        Assert.Equal(HttpStatusCode.Created, issued.StatusCode);
        var link = (await issued.Content.ReadFromJsonAsync<IssuedLink>(Json))!;
        Assert.Contains("/prescreen/", link.Url, StringComparison.Ordinal);
        var token = link.Url[(link.Url.LastIndexOf('/') + 1)..];

        var anonymous = await App.ClientForAsync(null);
        var form = await anonymous.GetAsync($"/api/public/prescreening/{token}");
        Assert.Equal(HttpStatusCode.OK, form.StatusCode);
        var body = await form.Content.ReadAsStringAsync();
        Assert.Contains("phq9", body, StringComparison.Ordinal);
        Assert.Contains("gad7", body, StringComparison.Ordinal);
        Assert.DoesNotContain("cssrs", body, StringComparison.Ordinal); // the built-in C-SSRS screener is clinician-rated
        Assert.DoesNotContain(family, body, StringComparison.Ordinal);
        Assert.DoesNotContain(family, await anonymous.GetStringAsync($"/prescreen/{token}"), StringComparison.Ordinal);
        // A pre-screening token opens only the pre-screening page.
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync($"/api/public/questionnaires/{token}")).StatusCode);

        var missing = MeasurementTests.Phq9(1, 1, 1, 1, 1, 1, 1, 1);
        var invalid = await anonymous.PostAsJsonAsync($"/api/public/prescreening/{token}", new
        {
            answers = new { antidepressants = new[] { new { drug = "sertraline", dailyDoseMg = 5000 } }, pregnancy = "perhaps" },
            phq9 = missing,
            gad7 = Gad7(1, 1, 1, 1, 1, 1, 1),
        });
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        var errors = await Problem(invalid);
        Assert.True(errors.TryGetProperty("phq9.9", out _), errors.ToString());
        Assert.True(errors.TryGetProperty("answers.antidepressants[0].dailyDoseMg", out _), errors.ToString());
        Assert.True(errors.TryGetProperty("answers.pregnancy", out _), errors.ToString());
        await using (var db = App.NewDbContext())
        {
            Assert.False(await db.PreScreeningSubmissions.AnyAsync(s => s.PatientId == patientId));
            Assert.False(await db.InstrumentResponses.AnyAsync(r => r.PatientId == patientId));
        }

        var sent = await anonymous.PostAsJsonAsync($"/api/public/prescreening/{token}", PreScreeningBody());
        Assert.Equal(HttpStatusCode.OK, sent.StatusCode);
        Assert.Contains("988", (await sent.Content.ReadFromJsonAsync<PublicSubmitResult>(Json))!.Message, StringComparison.Ordinal);
        var reused = await anonymous.PostAsJsonAsync($"/api/public/prescreening/{token}", PreScreeningBody());
        Assert.Equal(HttpStatusCode.Conflict, reused.StatusCode);

        await using var check = App.NewDbContext();
        var submission = await check.PreScreeningSubmissions.SingleAsync(s => s.PatientId == patientId);
        var responses = await check.InstrumentResponses.Where(r => r.PatientId == patientId).ToListAsync();
        Assert.Equal(["gad7", "phq9"], responses.Select(r => r.InstrumentId).Order().ToArray());
        Assert.All(responses, r => Assert.Equal("patient-link", r.Source));
        Assert.Equal(responses.Single(r => r.InstrumentId == "phq9").Id, submission.Phq9ResponseId);
        Assert.Equal(19, responses.Single(r => r.InstrumentId == "phq9").Total);
        Assert.True(await check.SafetyAlerts.AnyAsync(a => a.PatientId == patientId && a.Kind == "suicidal-ideation"), "item 9 raises the same alert as any link");
        Assert.NotNull((await check.PatientLinks.SingleAsync(l => l.Id == link.Id)).UsedAt);
    }

    [Fact]
    public async Task The_pre_screening_page_takes_the_form_with_its_scales_and_names_a_bad_number_without_storing_anything()
    {
        var (patientId, _) = await NewPatientAsync();
        var desk = await App.ClientForAsync(ClinicRoles.FrontDesk);
        var link = (await (await desk.PostAsJsonAsync($"/api/patients/{patientId}/prescreening-links", new { })).Content.ReadFromJsonAsync<IssuedLink>(Json))!;
        var path = new Uri(link.Url).AbsolutePath;
        var anonymous = await App.ClientForAsync(null);
        var page = await anonymous.GetStringAsync(path);
        Assert.Contains("PHQ-9", page, StringComparison.Ordinal);
        Assert.Contains("GAD-7", page, StringComparison.Ordinal);

        var form = new Dictionary<string, string>(HiddenInputs(page))
        {
            ["ad0_drug"] = "sertraline", ["ad0_dose"] = "lots", ["ad0_weeks"] = "8", ["ad0_response"] = "did-not-help",
            ["med0_name"] = "lorazepam", ["med0_dose"] = "1", ["psychosisHistory"] = "no", ["pregnancy"] = "not-applicable",
        };
        foreach (var item in Enumerable.Range(1, 9))
        {
            form[$"phq9_{item}"] = "1";
        }
        foreach (var item in Enumerable.Range(1, 7))
        {
            form[$"gad7_{item}"] = "1";
        }
        var bad = await (await anonymous.PostAsync(path, new FormUrlEncodedContent(form))).Content.ReadAsStringAsync();
        Assert.Contains("must be a number", bad, StringComparison.Ordinal);
        await using (var db = App.NewDbContext())
        {
            Assert.False(await db.PreScreeningSubmissions.AnyAsync(s => s.PatientId == patientId));
        }

        form = new Dictionary<string, string>(form) { ["ad0_dose"] = "150" };
        foreach (var (name, value) in HiddenInputs(bad))
        {
            form[name] = value;
        }
        var done = await (await anonymous.PostAsync(path, new FormUrlEncodedContent(form))).Content.ReadAsStringAsync();
        Assert.Contains("data-testid=\"prescreen-done\"", done, StringComparison.Ordinal);
        await using var check = App.NewDbContext();
        var submission = await check.PreScreeningSubmissions.SingleAsync(s => s.PatientId == patientId);
        Assert.Contains("sertraline", submission.Answers, StringComparison.Ordinal);
        Assert.Equal(9, (await check.InstrumentResponses.SingleAsync(r => r.Id == submission.Phq9ResponseId)).Total);
    }

    [Fact]
    public async Task An_evaluation_starts_from_the_pre_screening_but_the_patients_answers_are_never_accepted_unconfirmed()
    {
        var (patientId, _) = await NewPatientAsync();
        await SubmitPreScreeningAsync(patientId);
        var physician = await App.ClientForAsync(ClinicRoles.Physician);
        var started = await physician.PostAsync($"/api/patients/{patientId}/evaluations", null);
        Assert.Equal(HttpStatusCode.Created, started.StatusCode);
        var evaluation = (await started.Content.ReadFromJsonAsync<EvaluationView>(Json))!;
        Assert.NotNull(evaluation.PreScreening);
        var trial = Assert.Single(evaluation.Form.Trials);
        Assert.True(trial.FromPreScreening);
        Assert.Equal("sertraline", trial.Drug);
        Assert.Equal("no-response", trial.Outcome);
        Assert.True(evaluation.Form.CurrentMedicationsFromPreScreening);
        Assert.Equal(2, evaluation.Form.BaselineResponseIds.Count);
        Assert.Empty(evaluation.Form.Screening); // the patient's yes/no answers are hints, never screening answers

        // Everything else complete and clean: still needs review while the patient's rows are unconfirmed.
        var form = EligibleForm();
        form.Trials[0].FromPreScreening = true;
        form.CurrentMedicationsFromPreScreening = true;
        var saved = await SaveAsync(physician, evaluation, form);
        Assert.Equal("needs-review", saved.Check.Assessment!.Decision);
        Assert.Contains(saved.Check.Assessment.Reasons, r => r.Code == EvaluationRules.PreScreeningUnconfirmed);
        var refused = await physician.PostAsJsonAsync($"/api/evaluations/{saved.Id}/sign-off", new { version = saved.Version, outcome = "override", finalDecision = "eligible", reason = "Patient's history is convincing." });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var errors = await Problem(refused);
        Assert.True(errors.TryGetProperty("trials[0]", out _), errors.ToString());
        Assert.True(errors.TryGetProperty("currentMedications", out _), errors.ToString());

        form.Trials[0].FromPreScreening = false;
        form.CurrentMedicationsFromPreScreening = false;
        var confirmed = await SaveAsync(physician, saved, form);
        Assert.Equal("eligible", confirmed.Check.Assessment!.Decision);
    }

    // ---- evaluation, sign-off, addenda ----

    [Fact]
    public async Task A_complete_evaluation_is_eligible_with_every_reason_sourced_and_sign_off_locks_it_to_addenda()
    {
        var (patientId, _) = await NewPatientAsync();
        var physician = await App.ClientForAsync(ClinicRoles.Physician);
        var evaluation = await StartAsync(physician, patientId);
        var saved = await SaveAsync(physician, evaluation, EligibleForm());
        var assessment = saved.Check.Assessment!;
        Assert.Equal("eligible", assessment.Decision);
        Assert.Equal("met", assessment.TrdStatus);
        Assert.NotNull(assessment.MaudsleyTotal);
        Assert.Equal("II", assessment.ThaseRushStage);
        Assert.All(assessment.Reasons, r =>
        {
            Assert.False(string.IsNullOrWhiteSpace(r.Code));
            Assert.False(string.IsNullOrWhiteSpace(r.Sentence));
            Assert.False(string.IsNullOrWhiteSpace(r.Source));
        });
        Assert.Contains(assessment.Reasons, r => r.Code == ReasonCodes.TrdMet);

        var nurse = await App.ClientForAsync(ClinicRoles.Nurse);
        Assert.Equal(HttpStatusCode.OK, (await nurse.GetAsync($"/api/evaluations/{saved.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await nurse.PostAsJsonAsync($"/api/evaluations/{saved.Id}/sign-off", new { version = saved.Version, outcome = "accept" })).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await physician.PostAsJsonAsync($"/api/evaluations/{saved.Id}/sign-off", new { version = saved.Version - 1, outcome = "accept" })).StatusCode);

        var signed = await SignAsync(physician, saved, new { version = saved.Version, outcome = "accept" });
        Assert.Equal("signed", signed.Status);
        Assert.Equal("accepted", signed.SignOff!.Outcome);
        Assert.Equal("eligible", signed.SignOff.FinalDecision);
        Assert.Equal(Today.AddMonths(6), signed.SignOff.ExpiresOn);
        Assert.True(signed.SignOff.Current);

        // Locked: the form cannot change, and signing again is refused.
        var edit = await physician.PutAsJsonAsync($"/api/evaluations/{signed.Id}", new { version = signed.Version, form = EligibleForm() });
        Assert.Equal(HttpStatusCode.Conflict, edit.StatusCode);
        Assert.Contains("addendum", await edit.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Conflict, (await physician.PostAsJsonAsync($"/api/evaluations/{signed.Id}/sign-off", new { version = signed.Version, outcome = "accept" })).StatusCode);

        Assert.Equal(HttpStatusCode.BadRequest, (await physician.PostAsJsonAsync($"/api/evaluations/{signed.Id}/addenda", new { text = " " })).StatusCode);
        var added = await physician.PostAsJsonAsync($"/api/evaluations/{signed.Id}/addenda", new { text = "Patient reports a lisinopril start last week; BP rechecked 124/80." });
        Assert.Equal(HttpStatusCode.OK, added.StatusCode);
        var withAddendum = (await added.Content.ReadFromJsonAsync<EvaluationView>(Json))!;
        var addendum = Assert.Single(withAddendum.Addenda);
        Assert.Equal("physician@demo.clinic", addendum.AuthorName);
        Assert.Equal("eligible", withAddendum.SignOff!.FinalDecision);
        Assert.Equal(signed.Form.Trials.Count, withAddendum.Form.Trials.Count);

        await using var db = App.NewDbContext();
        Assert.True(await db.AuditEntries.AnyAsync(a => a.RecordType == Evaluations.RecordType && a.RecordId == signed.Id.ToString() && a.Action == Evaluations.SignOffAction));
        Assert.True(await db.AuditEntries.AnyAsync(a => a.RecordType == Evaluations.AddendumRecord && a.RecordId == addendum.Id.ToString() && a.UserName == "physician@demo.clinic"));
        Assert.True(await db.AuditEntries.AnyAsync(a => a.RecordType == Evaluations.RecordType && a.RecordId == signed.Id.ToString() && a.Action == "read" && a.UserName == "nurse@demo.clinic"));
        var stored = await db.EvaluationAddenda.SingleAsync(a => a.Id == addendum.Id);
        stored.Text = "rewritten";
        await Assert.ThrowsAnyAsync<Exception>(() => db.SaveChangesAsync()); // addenda are append-only in the database too
    }

    [Fact]
    public async Task Bad_input_gets_a_message_naming_the_field_and_nothing_is_saved()
    {
        var (patientId, _) = await NewPatientAsync();
        var physician = await App.ClientForAsync(ClinicRoles.Physician);
        var evaluation = await StartAsync(physician, patientId);
        var form = EligibleForm();
        form.Trials[0].DoseUnit = "mcg";
        form.Trials[1].MaxDailyDoseMg = 225_000m;
        form.Trials.Add(new TrialEntry { Drug = "citalopram", MaxDailyDoseMg = 40, WeeksAtDose = 8, Outcome = "no-response", StartedOn = Today.AddMonths(-2), EndedOn = Today.AddMonths(-5) });
        form.Trials.Add(new TrialEntry { Drug = "sertraline", MaxDailyDoseMg = 100, WeeksAtDose = 8, PhysicianDoseConfirmation = "full dose" });
        form.EpisodeOnset = Today.AddDays(10);
        form.Screening["aneurysmal-vascular-disease"] = "maybe";
        form.Screening["not-a-question"] = "no";
        form.Justifications["arteriovenous-malformation"] = "small and stable";
        form.SystolicBp = 80;
        form.DiastolicBp = 95;
        form.CurrentMedications = [new MedicationEntry { Name = "lorazepam", DailyDoseMg = 0 }];

        var response = await physician.PutAsJsonAsync($"/api/evaluations/{evaluation.Id}", new { version = evaluation.Version, form });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = await Problem(response);
        foreach (var field in new[]
        {
            "trials[0].doseUnit", "trials[1].maxDailyDoseMg", "trials[2].endedOn", "trials[3].physicianDoseConfirmation", "episodeOnset",
            "screening.aneurysmal-vascular-disease", "screening.not-a-question", "justifications.arteriovenous-malformation", "diastolicBp",
            "currentMedications[0].dailyDoseMg",
        })
        {
            Assert.True(errors.TryGetProperty(field, out _), $"{field} is not named in {errors}");
        }
        Assert.Contains("ends", errors.GetProperty("trials[2].endedOn")[0].GetString(), StringComparison.Ordinal);
        Assert.Contains("mg a day", errors.GetProperty("trials[0].doseUnit")[0].GetString(), StringComparison.Ordinal);

        var stored = (await physician.GetFromJsonAsync<EvaluationView>($"/api/evaluations/{evaluation.Id}", Json))!;
        Assert.Equal(evaluation.Version, stored.Version);
        Assert.Null(stored.Form.EpisodeOnset);
        Assert.Empty(stored.Form.Trials);
    }

    [Fact]
    public async Task An_unknown_drug_is_accepted_as_free_text_but_counts_only_with_the_physicians_class_and_confirmation()
    {
        var (patientId, _) = await NewPatientAsync();
        var physician = await App.ClientForAsync(ClinicRoles.Physician);
        var evaluation = await StartAsync(physician, patientId);
        var form = EligibleForm();
        form.Trials[1] = new TrialEntry { Drug = "esmirtazapine", DrugClass = "nassa", MaxDailyDoseMg = 4.5m, WeeksAtDose = 8, Outcome = "no-response", InCurrentEpisode = true };
        var unconfirmed = await SaveAsync(physician, evaluation, form);
        Assert.Equal("esmirtazapine", unconfirmed.Form.Trials[1].Drug);
        Assert.Equal("needs-review", unconfirmed.Check.Assessment!.Decision);
        Assert.NotEqual("met", unconfirmed.Check.Assessment.TrdStatus);
        Assert.Contains(unconfirmed.Check.Assessment.Reasons, r => r.Code == ReasonCodes.TrialDrugNotInCatalogue);

        form.Trials[1].PhysicianDoseConfirmation = "4.5 mg is the full dose of the trial protocol; taken as prescribed.";
        var confirmed = await SaveAsync(physician, unconfirmed, form);
        Assert.Equal("met", confirmed.Check.Assessment!.TrdStatus);
        Assert.Equal("eligible", confirmed.Check.Assessment.Decision);
        Assert.Contains(confirmed.Check.Assessment.Reasons, r => r.Code == ReasonCodes.TrialDrugConfirmedByPhysician);
    }

    [Fact]
    public async Task Missing_information_is_needs_review_naming_what_is_missing_and_can_only_be_overridden_with_a_written_reason()
    {
        var (patientId, _) = await NewPatientAsync();
        var physician = await App.ClientForAsync(ClinicRoles.Physician);
        var evaluation = await StartAsync(physician, patientId);
        var form = EligibleForm();
        form.Severity = null;
        form.Ect = null;
        var saved = await SaveAsync(physician, evaluation, form);
        Assert.Equal("needs-review", saved.Check.Assessment!.Decision);
        Assert.Contains(saved.Check.Assessment.Reasons, r => r.Code == ReasonCodes.BaselineSeverityMissing && r.Effect == "needs-review");
        Assert.Contains(saved.Check.Assessment.Reasons, r => r.Code == ReasonCodes.EctHistoryMissing && r.Effect == "needs-review");

        var accept = await physician.PostAsJsonAsync($"/api/evaluations/{saved.Id}/sign-off", new { version = saved.Version, outcome = "accept" });
        Assert.Equal(HttpStatusCode.BadRequest, accept.StatusCode);
        Assert.Contains("severity", (await Problem(accept)).GetProperty("outcome")[0].GetString(), StringComparison.Ordinal);
        var noReason = await physician.PostAsJsonAsync($"/api/evaluations/{saved.Id}/sign-off", new { version = saved.Version, outcome = "override", finalDecision = "eligible" });
        Assert.True((await Problem(noReason)).TryGetProperty("reason", out _));

        var signed = await SignAsync(physician, saved, new
        {
            version = saved.Version, outcome = "override", finalDecision = "eligible",
            reason = "Severity is severe on today's MADRS; no ECT ever, confirmed with the referring psychiatrist by phone.",
        });
        Assert.Equal("overridden", signed.SignOff!.Outcome);
        Assert.Equal("needs-review", signed.SignOff.SupportDecision);
        Assert.Equal("eligible", signed.SignOff.FinalDecision);
        Assert.StartsWith("Severity is severe", signed.SignOff.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_relative_contraindication_needs_a_written_justification_and_an_absolute_one_cannot_be_overridden()
    {
        var physician = await App.ClientForAsync(ClinicRoles.Physician);
        var (relativeId, _) = await NewPatientAsync();
        var evaluation = await StartAsync(physician, relativeId);
        var form = EligibleForm();
        form.Screening["uncontrolled-hypertension"] = "yes";
        var saved = await SaveAsync(physician, evaluation, form);
        Assert.Equal("needs-review", saved.Check.Assessment!.Decision);
        var refused = await physician.PostAsJsonAsync($"/api/evaluations/{saved.Id}/sign-off", new { version = saved.Version, outcome = "override", finalDecision = "eligible", reason = "BP fine on the day." });
        Assert.True((await Problem(refused)).TryGetProperty("justifications.uncontrolled-hypertension", out _));

        form.Justifications["uncontrolled-hypertension"] = "Home readings under 135/85 on amlodipine for three months; cardiology agrees to proceed with monitoring.";
        var justified = await SaveAsync(physician, saved, form);
        Assert.Equal("eligible", justified.Check.Assessment!.Decision);
        Assert.Contains(justified.Check.Assessment.Reasons, r => r.Code == ReasonCodes.RelativeContraindicationJustified && r.Effect == "caution");
        Assert.Equal("eligible", (await SignAsync(physician, justified, new { version = justified.Version, outcome = "accept" })).SignOff!.FinalDecision);

        var (absoluteId, _) = await NewPatientAsync();
        var blocked = await StartAsync(physician, absoluteId);
        var aneurysm = EligibleForm();
        aneurysm.Screening["aneurysmal-vascular-disease"] = "yes";
        var blockedSaved = await SaveAsync(physician, blocked, aneurysm);
        Assert.Equal("not-eligible", blockedSaved.Check.Assessment!.Decision);
        var overridden = await physician.PostAsJsonAsync($"/api/evaluations/{blockedSaved.Id}/sign-off",
            new { version = blockedSaved.Version, outcome = "override", finalDecision = "eligible", reason = "Aneurysm was repaired in 2019." });
        Assert.Equal(HttpStatusCode.BadRequest, overridden.StatusCode);
        Assert.Contains("absolute contraindication", (await Problem(overridden)).GetProperty("finalDecision")[0].GetString(), StringComparison.Ordinal);
        var accepted = await SignAsync(physician, blockedSaved, new { version = blockedSaved.Version, outcome = "accept" });
        Assert.Equal("not-eligible", accepted.SignOff!.FinalDecision);
        Assert.Null(accepted.SignOff.ExpiresOn);
        var readiness = await ReadinessAsync(absoluteId, "iv");
        Assert.Contains(readiness.Gaps, g => g.Code == TreatmentReadiness.NotEligible);
    }

    [Fact]
    public async Task An_eligibility_decision_expires_after_the_set_period_and_must_be_renewed_before_a_new_course()
    {
        var (patientId, _) = await NewPatientAsync();
        var physician = await App.ClientForAsync(ClinicRoles.Physician);
        var signed = await SignedEligibleAsync(physician, patientId);
        Assert.Equal(Today.AddMonths(EligibilitySettings.Default.EligibilityValidityMonths.Value), signed.SignOff!.ExpiresOn);
        Assert.DoesNotContain((await ReadinessAsync(patientId, "iv")).Gaps, g => g.Code.Contains("eligib", StringComparison.Ordinal));

        await using (var db = App.NewDbContext())
        {
            var stored = await db.ClinicalEvaluations.SingleAsync(e => e.Id == signed.Id);
            stored.EvaluatedOn = Today.AddMonths(-7);
            stored.ExpiresOn = Today.AddMonths(-1);
            await db.SaveChangesAsync();
        }
        var expired = await ReadinessAsync(patientId, "iv");
        var gap = Assert.Single(expired.Gaps, g => g.Code == TreatmentReadiness.EligibilityExpired);
        Assert.Contains("renew", gap.Message, StringComparison.Ordinal);
        var overview = (await physician.GetFromJsonAsync<EvaluationOverview>($"/api/patients/{patientId}/evaluations", Json))!;
        Assert.False(Assert.Single(overview.Evaluations).Current);

        // A new evaluation renews it.
        await SignedEligibleAsync(physician, patientId);
        Assert.DoesNotContain((await ReadinessAsync(patientId, "iv")).Gaps, g => g.Code == TreatmentReadiness.EligibilityExpired);
    }

    // ---- consent and readiness ----

    [Fact]
    public async Task A_consent_document_for_another_route_is_refused_with_a_clear_message_and_nothing_is_saved()
    {
        var (patientId, _) = await NewPatientAsync();
        var nurse = await App.ClientForAsync(ClinicRoles.Nurse);
        var documents = (await nurse.GetFromJsonAsync<List<ConsentDocumentView>>("/api/consent-documents", Json))!;
        Assert.Equal(ConsentLibrary.Routes.Order(), documents.Where(d => d.Current).Select(d => d.Route).Order());
        var iv = documents.Single(d => d.Route == "iv" && d.Current);
        foreach (var risk in new[] { "heart rate", "blood pressure", "Nausea", "Dizziness", "Blurred vision", "Dissociation", "Agitation or confusion", "dreams", "coordination and judgement", "driving", "bladder", "dependence" })
        {
            Assert.Contains(iv.Risks, r => r.Contains(risk, StringComparison.OrdinalIgnoreCase));
        }

        var wrong = await nurse.PostAsJsonAsync($"/api/patients/{patientId}/consents", new
        {
            route = "intranasal-esketamine", documentVersion = iv.Version, patientTypedName = "Maria " + "x", patientSignature = Signature,
        });
        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        var message = (await Problem(wrong)).GetProperty("documentVersion")[0].GetString();
        Assert.Contains("not for intranasal esketamine", message, StringComparison.Ordinal);

        await using var db = App.NewDbContext();
        Assert.False(await db.Consents.AnyAsync(c => c.PatientId == patientId));
    }

    [Fact]
    public async Task The_patients_signature_and_a_physicians_countersignature_make_a_current_consent_that_can_be_withdrawn()
    {
        var (patientId, family) = await NewPatientAsync();
        var physician = await App.ClientForAsync(ClinicRoles.Physician);
        await SignedEligibleAsync(physician, patientId);
        Assert.Contains((await ReadinessAsync(patientId, "iv")).Gaps, g => g.Code == TreatmentReadiness.NoConsent);

        var nurse = await App.ClientForAsync(ClinicRoles.Nurse);
        var version = ConsentVersion("iv");
        var wrongName = await nurse.PostAsJsonAsync($"/api/patients/{patientId}/consents", new { route = "iv", documentVersion = version, patientTypedName = "Someone Else", patientSignature = Signature });
        Assert.True((await Problem(wrongName)).TryGetProperty("patientTypedName", out _));
        var noSignature = await nurse.PostAsJsonAsync($"/api/patients/{patientId}/consents", new { route = "iv", documentVersion = version, patientTypedName = $"Maria {family}", patientSignature = "M1 1" });
        Assert.True((await Problem(noSignature)).TryGetProperty("patientSignature", out _));
        var script = await nurse.PostAsJsonAsync($"/api/patients/{patientId}/consents", new { route = "iv", documentVersion = version, patientTypedName = $"Maria {family}", patientSignature = "M1 1 L2 2\"/><script>alert(1)</script>" });
        Assert.True((await Problem(script)).TryGetProperty("patientSignature", out _));
        var huge = await nurse.PostAsJsonAsync($"/api/patients/{patientId}/consents", new { route = "iv", documentVersion = version, patientTypedName = $"Maria {family}", patientSignature = "M1 1" + string.Concat(Enumerable.Repeat(" L10 10", 4000)) });
        Assert.True((await Problem(huge)).TryGetProperty("patientSignature", out _));

        var signed = await nurse.PostAsJsonAsync($"/api/patients/{patientId}/consents", new { route = "iv", documentVersion = version, patientTypedName = $"  maria   {family.ToUpperInvariant()} ", patientSignature = Signature });
        Assert.Equal(HttpStatusCode.Created, signed.StatusCode);
        var consent = (await signed.Content.ReadFromJsonAsync<ConsentView>(Json))!;
        Assert.Equal("awaiting-countersignature", consent.Status);
        Assert.Equal(64, consent.DocumentHash.Length);
        Assert.Contains("Dissociation", consent.DocumentText, StringComparison.Ordinal);
        Assert.Contains((await ReadinessAsync(patientId, "iv")).Gaps, g => g.Code == TreatmentReadiness.ConsentNotCountersigned);

        Assert.Equal(HttpStatusCode.Forbidden, (await nurse.PostAsJsonAsync($"/api/consents/{consent.Id}/countersign", new { confirmed = true })).StatusCode);
        Assert.True((await Problem(await physician.PostAsJsonAsync($"/api/consents/{consent.Id}/countersign", new { confirmed = false }))).TryGetProperty("confirmed", out _));
        var countersigned = await physician.PostAsJsonAsync($"/api/consents/{consent.Id}/countersign", new { confirmed = true });
        Assert.Equal("active", (await countersigned.Content.ReadFromJsonAsync<ConsentView>(Json))!.Status);
        Assert.True((await ReadinessAsync(patientId, "iv")).Ready);
        Assert.Contains((await ReadinessAsync(patientId, "im")).Gaps, g => g.Code == TreatmentReadiness.ConsentForOtherRoute);

        Assert.True((await Problem(await nurse.PostAsJsonAsync($"/api/consents/{consent.Id}/withdraw", new { }))).TryGetProperty("reason", out _));
        var withdrawn = await nurse.PostAsJsonAsync($"/api/consents/{consent.Id}/withdraw", new { reason = "Patient changed her mind after talking to her family." });
        Assert.Equal("withdrawn", (await withdrawn.Content.ReadFromJsonAsync<ConsentView>(Json))!.Status);
        Assert.Contains((await ReadinessAsync(patientId, "iv")).Gaps, g => g.Code == TreatmentReadiness.NoConsent);

        await using var db = App.NewDbContext();
        var stored = await db.Consents.SingleAsync(c => c.Id == consent.Id);
        Assert.Equal(Signature, stored.PatientSignature);
        Assert.Equal("physician@demo.clinic", stored.CountersignedByName);
        Assert.Equal("nurse@demo.clinic", stored.PresentedByName);
        Assert.Equal(3, await db.AuditEntries.CountAsync(a => a.RecordType == Consents.RecordType && a.RecordId == consent.Id.ToString()));
    }

    [Fact]
    public async Task Esketamine_needs_the_rems_patient_enrolment_on_its_consent_before_treatment()
    {
        var (patientId, family) = await NewPatientAsync();
        var physician = await App.ClientForAsync(ClinicRoles.Physician);
        await SignedEligibleAsync(physician, patientId);
        var badRems = await physician.PostAsJsonAsync($"/api/patients/{patientId}/consents", new
        {
            route = "iv", documentVersion = ConsentVersion("iv"), patientTypedName = $"Maria {family}", patientSignature = Signature, remsEnrolmentId = "R-1234",
            remsEnrolledOn = Today,
        });
        Assert.True((await Problem(badRems)).TryGetProperty("remsEnrolmentId", out _));
        var consent = await ActiveConsentAsync(physician, patientId, family, "intranasal-esketamine");
        var gaps = (await ReadinessAsync(patientId, "intranasal-esketamine")).Gaps;
        Assert.Equal([TreatmentReadiness.RemsEnrolmentMissing], gaps.Select(g => g.Code).ToArray());

        var future = await physician.PostAsJsonAsync($"/api/consents/{consent.Id}/rems", new { enrolmentId = "SPR-20931", enrolledOn = Today.AddDays(2) });
        Assert.True((await Problem(future)).TryGetProperty("enrolledOn", out _));
        var recorded = await physician.PostAsJsonAsync($"/api/consents/{consent.Id}/rems", new { enrolmentId = "SPR-20931", enrolledOn = Today });
        Assert.Equal("SPR-20931", (await recorded.Content.ReadFromJsonAsync<ConsentView>(Json))!.RemsEnrolmentId);
        Assert.True((await ReadinessAsync(patientId, "intranasal-esketamine")).Ready);
    }

    [Fact]
    public async Task A_session_cannot_start_without_a_current_consent_for_its_route()
    {
        // The session module will ask TreatmentReadiness before a session starts; this is that check.
        var (patientId, family) = await NewPatientAsync();
        var physician = await App.ClientForAsync(ClinicRoles.Physician);
        var readiness = App.Services.GetRequiredService<TreatmentReadiness>();
        async Task<string[]> Gaps(string route)
        {
            await using var db = App.NewDbContext();
            return (await readiness.CheckAsync(db, patientId, route, Today, CancellationToken.None)).Select(g => g.Code).ToArray();
        }

        Assert.Equal([TreatmentReadiness.NoEligibilityDecision, TreatmentReadiness.NoConsent], await Gaps("iv"));
        await SignedEligibleAsync(physician, patientId);
        Assert.Equal([TreatmentReadiness.NoConsent], await Gaps("iv"));
        await ActiveConsentAsync(physician, patientId, family, "oral-sublingual");
        Assert.Equal([TreatmentReadiness.ConsentForOtherRoute], await Gaps("iv"));
        Assert.Empty(await Gaps("sublingual"));
        Assert.Empty(await Gaps("oral"));
        await ActiveConsentAsync(physician, patientId, family, "iv");
        Assert.Empty(await Gaps("iv"));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Gaps("rectal"));
        var unknownRoute = await physician.GetAsync($"/api/patients/{patientId}/readiness?route=rectal");
        Assert.Equal(HttpStatusCode.BadRequest, unknownRoute.StatusCode);
    }

    // ---- documents ----

    [Fact]
    public async Task The_evaluation_summary_and_the_referral_letter_print_on_the_clinic_letterhead()
    {
        var (patientId, family) = await NewPatientAsync("Dr. Ruth Okoye");
        var physician = await App.ClientForAsync(ClinicRoles.Physician);
        var signed = await SignedEligibleAsync(physician, patientId);

        var summary = await physician.GetStringAsync($"/evaluations/{signed.Id}/summary");
        Assert.Contains("data-testid=\"letterhead\"", summary, StringComparison.Ordinal);
        Assert.Contains(family, summary, StringComparison.Ordinal);
        Assert.Contains("Decision: eligible", summary, StringComparison.Ordinal);
        Assert.Contains(ReasonCodes.TrdMet, summary, StringComparison.Ordinal);
        Assert.Contains("REFERENCE.md", summary, StringComparison.Ordinal);
        Assert.DoesNotContain("draft-mark", summary, StringComparison.Ordinal);

        var letter = await physician.GetStringAsync($"/evaluations/{signed.Id}/letter");
        Assert.Contains("Dear Dr. Ruth Okoye", letter, StringComparison.Ordinal);
        Assert.Contains("treatment-resistant depression", letter, StringComparison.Ordinal);
        Assert.Contains("<strong>eligible</strong>", letter, StringComparison.Ordinal);

        var desk = await App.ClientForAsync(ClinicRoles.FrontDesk);
        Assert.Equal(HttpStatusCode.Forbidden, (await desk.GetAsync($"/evaluations/{signed.Id}/letter")).StatusCode);
        await using var db = App.NewDbContext();
        Assert.True(await db.AuditEntries.AnyAsync(a => a.RecordId == signed.Id.ToString() && a.Action == "read" && a.Details!.Contains("letter")));
    }

    // ---- demo clinic ----

    [Fact]
    public async Task The_demo_clinic_has_requests_waiting_signed_evaluations_with_consents_and_a_patient_ready_for_evaluation()
    {
        var desk = await App.ClientForAsync(ClinicRoles.FrontDesk);
        var leads = (await desk.GetFromJsonAsync<List<LeadView>>("/api/leads?status=all", Json))!;
        Assert.True(leads.Count(l => l.Status == "new" && l.Channel == "web") >= 3);
        Assert.Contains(leads, l => l.Status == "contacted" && l.Channel == "phone");
        Assert.Contains(leads, l => l.Status == "declined" && l.DeclineReason is not null);
        var ready = Assert.Single(leads, l => l.Status == "converted" && l.EnteredByName is null && l.ReceivedAt < TimeProvider.System.GetUtcNow().AddDays(-2));

        await using var db = App.NewDbContext();
        Assert.True(await db.ConsultationAppointments.AnyAsync(c => c.PatientId == ready.PatientId && c.Status == "booked"));
        Assert.True(await db.PreScreeningSubmissions.AnyAsync(s => s.PatientId == ready.PatientId));
        Assert.False(await db.ClinicalEvaluations.AnyAsync(e => e.PatientId == ready.PatientId));

        var courses = await db.TreatmentCourses.AsNoTracking().ToListAsync();
        var signed = await db.ClinicalEvaluations.AsNoTracking().Where(e => e.Status == "signed" && e.SignedByName == "Dr. Priya Raman").ToListAsync();
        var consents = await db.Consents.AsNoTracking().Where(c => c.Status == "active").ToListAsync();
        Assert.NotEmpty(signed);
        foreach (var course in courses.Where(c => signed.Any(e => e.PatientId == c.PatientId)))
        {
            Assert.Contains(consents, c => c.PatientId == course.PatientId && c.Route == ConsentLibrary.ConsentRouteFor(course.Route));
        }
        var physician = await App.ClientForAsync(ClinicRoles.Physician);
        var evaluation = (await physician.GetFromJsonAsync<EvaluationView>($"/api/evaluations/{signed[0].Id}", Json))!;
        Assert.Equal("eligible", evaluation.SignOff!.FinalDecision);
        Assert.NotEmpty(evaluation.Check.Assessment!.Reasons);
    }

    // ---- helpers ----

    internal static EvaluationForm EligibleForm() => new()
    {
        EpisodeOnset = TodayUtc().AddMonths(-14),
        Severity = "severe-without-psychosis",
        Trials =
        [
            new TrialEntry { Drug = "sertraline", MaxDailyDoseMg = 150, WeeksAtDose = 8, Outcome = "no-response", InCurrentEpisode = true },
            new TrialEntry { Drug = "venlafaxine", MaxDailyDoseMg = 225, WeeksAtDose = 8, Outcome = "partial-response", InCurrentEpisode = true },
        ],
        AugmentationUsed = false,
        Ect = "not-received",
        Psychotherapy = "CBT, 16 sessions in 2025.",
        CurrentMedications = [],
        Screening = ContraindicationRules.All.ToDictionary(r => r.Code, _ => "no"),
        SystolicBp = 128,
        DiastolicBp = 82,
        HeartRate = 72,
    };

    private static DateOnly TodayUtc() => DateOnly.FromDateTime(TimeProvider.System.GetUtcNow().UtcDateTime).AddDays(-1);

    private static string Unique(string stem) => stem + Guid.NewGuid().ToString("N")[..6];

    private static DateTimeOffset NextSlot() => new DateTimeOffset(TimeProvider.System.GetUtcNow().UtcDateTime.Date, TimeSpan.Zero).AddDays(Random.Shared.Next(20, 300)).AddHours(Random.Shared.Next(13, 20));

    private static Dictionary<string, int> Gad7(params int[] items) => MeasurementTests.Phq9(items);

    private static object PreScreeningBody() => new
    {
        answers = new
        {
            antidepressants = new[] { new { drug = "sertraline", dailyDoseMg = 100m, weeks = 10m, response = "did-not-help", sideEffects = "nausea" } },
            psychotherapy = "CBT for a year",
            currentMedications = new[] { new { name = "lorazepam", dailyDoseMg = 1m } },
            psychosisHistory = "no",
            highBloodPressure = "unsure",
            pregnancy = "not-applicable",
        },
        phq9 = MeasurementTests.Phq9(3, 2, 2, 2, 2, 2, 2, 3, 1),
        gad7 = Gad7(2, 2, 2, 1, 1, 1, 1),
    };

    private async Task SubmitPreScreeningAsync(Guid patientId)
    {
        var desk = await App.ClientForAsync(ClinicRoles.FrontDesk);
        var link = (await (await desk.PostAsJsonAsync($"/api/patients/{patientId}/prescreening-links", new { })).Content.ReadFromJsonAsync<IssuedLink>(Json))!;
        var anonymous = await App.ClientForAsync(null);
        var sent = await anonymous.PostAsJsonAsync($"/api/public/prescreening/{link.Url[(link.Url.LastIndexOf('/') + 1)..]}", PreScreeningBody());
        Assert.Equal(HttpStatusCode.OK, sent.StatusCode);
    }

    private async Task<(Guid Id, string Family)> NewPatientAsync(string? referrer = null)
    {
        var family = Unique("Evalperson");
        var desk = await App.ClientForAsync(ClinicRoles.FrontDesk);
        var created = await desk.PostAsJsonAsync("/api/patients", new
        {
            legalGivenName = "Maria", legalFamilyName = family, dateOfBirth = "1984-03-17", sex = "female", phone = "+1 217 555 0101", referringClinicianName = referrer,
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return ((await created.Content.ReadFromJsonAsync<PatientRecord>(Json))!.Id, family);
    }

    private static async Task<LeadView> PhoneLeadAsync(HttpClient desk, string family)
    {
        var created = await desk.PostAsJsonAsync("/api/leads", new { givenName = "Vera", familyName = family, phone = "+1 217 555 0133" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return (await created.Content.ReadFromJsonAsync<LeadView>(Json))!;
    }

    private static async Task<EvaluationView> StartAsync(HttpClient physician, Guid patientId)
    {
        var started = await physician.PostAsync($"/api/patients/{patientId}/evaluations", null);
        Assert.Equal(HttpStatusCode.Created, started.StatusCode);
        return (await started.Content.ReadFromJsonAsync<EvaluationView>(Json))!;
    }

    private static async Task<EvaluationView> SaveAsync(HttpClient physician, EvaluationView evaluation, EvaluationForm form)
    {
        var saved = await physician.PutAsJsonAsync($"/api/evaluations/{evaluation.Id}", new { version = evaluation.Version, form });
        Assert.True(saved.StatusCode == HttpStatusCode.OK, await saved.Content.ReadAsStringAsync());
        return (await saved.Content.ReadFromJsonAsync<EvaluationView>(Json))!;
    }

    private static async Task<EvaluationView> SignAsync(HttpClient physician, EvaluationView evaluation, object request)
    {
        var signed = await physician.PostAsJsonAsync($"/api/evaluations/{evaluation.Id}/sign-off", request);
        Assert.True(signed.StatusCode == HttpStatusCode.OK, await signed.Content.ReadAsStringAsync());
        return (await signed.Content.ReadFromJsonAsync<EvaluationView>(Json))!;
    }

    private static async Task<EvaluationView> SignedEligibleAsync(HttpClient physician, Guid patientId)
    {
        var saved = await SaveAsync(physician, await StartAsync(physician, patientId), EligibleForm());
        return await SignAsync(physician, saved, new { version = saved.Version, outcome = "accept" });
    }

    private string ConsentVersion(string route) => App.Services.GetRequiredService<ClinicEvaluationRules>().Consents.Current(route).Version;

    private async Task<ConsentView> ActiveConsentAsync(HttpClient physician, Guid patientId, string family, string route)
    {
        var signed = await physician.PostAsJsonAsync($"/api/patients/{patientId}/consents", new { route, documentVersion = ConsentVersion(route), patientTypedName = $"Maria {family}", patientSignature = Signature });
        Assert.Equal(HttpStatusCode.Created, signed.StatusCode);
        var consent = (await signed.Content.ReadFromJsonAsync<ConsentView>(Json))!;
        var countersigned = await physician.PostAsJsonAsync($"/api/consents/{consent.Id}/countersign", new { confirmed = true });
        return (await countersigned.Content.ReadFromJsonAsync<ConsentView>(Json))!;
    }

    private async Task<ReadinessView> ReadinessAsync(Guid patientId, string route)
    {
        var physician = await App.ClientForAsync(ClinicRoles.Physician);
        return (await physician.GetFromJsonAsync<ReadinessView>($"/api/patients/{patientId}/readiness?route={route}", Json))!;
    }

    private static async Task<JsonElement> Problem(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>(Json)).GetProperty("errors");
    }

    private static Dictionary<string, string> HiddenInputs(string html) =>
        HiddenInput().Matches(html).ToDictionary(m => WebUtility.HtmlDecode(m.Groups["name"].Value), m => WebUtility.HtmlDecode(m.Groups["value"].Value));

    [GeneratedRegex("<input type=\"hidden\" name=\"(?<name>[^\"]+)\" value=\"(?<value>[^\"]*)\"")]
    private static partial Regex HiddenInput();
}

public sealed class EvaluationTests_Sqlite(SqliteApp f) : EvaluationTests(f), IClassFixture<SqliteApp>;

public sealed class EvaluationTests_Postgres(PostgresApp f) : EvaluationTests(f), IClassFixture<PostgresApp>;
