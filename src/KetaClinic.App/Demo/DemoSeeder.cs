using Bogus;
using KetaClinic.App.Data;
using KetaClinic.App.Features.Plans;
using KetaClinic.App.Features.Evaluation;
using KetaClinic.App.Features.ControlledSubstances;
using KetaClinic.App.Features.Measurement;
using KetaClinic.App.Security;
using KetaClinic.Domain.Common;
using KetaClinic.Domain.Patients;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace KetaClinic.App.Demo;

public sealed class DemoSettings
{
    public const string Section = "Demo";

    public bool Enabled { get; set; }

    /// <summary>Password of every demo login; printed at start.</summary>
    public string Password { get; set; } = "KetaDemo-2026!";

    public int Seed { get; set; } = 20261123;

    public int PatientCount { get; set; } = 200;
}

public sealed record DemoLogin(string Email, string Role);

/// <summary>
/// Fills an empty database with a realistic demo clinic, the same every time for the same seed: one location
/// with infusion chairs, one user per role and synthetic patients. Later features extend it.
/// </summary>
public sealed class DemoSeeder(ClinicDbContext db, UserManager<ClinicUser> users, AuditTrail audit, TimeProvider clock, DemoSettings settings, ClinicInstruments instruments, OutcomeProjector projector, ClinicSettings clinic, ClinicEvaluationRules evaluationRules, KetaClinic.Domain.Protocols.ProtocolLibrary protocols)
{
    public static readonly IReadOnlyList<DemoLogin> Logins =
    [
        new("admin@demo.clinic", ClinicRoles.Administrator),
        new("physician@demo.clinic", ClinicRoles.Physician),
        new("nurse@demo.clinic", ClinicRoles.Nurse),
        new("frontdesk@demo.clinic", ClinicRoles.FrontDesk),
        // A second nurse, so waste can be witnessed by someone other than the nurse who wasted it.
        new("nurse2@demo.clinic", ClinicRoles.Nurse),
    ];

    private static readonly (string Code, string Text, int Weight)[] PrimaryDiagnoses =
    [
        ("F33.2", "Major depressive disorder, recurrent severe without psychotic features", 45),
        ("F33.1", "Major depressive disorder, recurrent, moderate", 25),
        ("F32.2", "Major depressive disorder, single episode, severe without psychotic features", 20),
        ("F31.81", "Bipolar II disorder", 5),
        ("F32.1", "Major depressive disorder, single episode, moderate", 5),
    ];

    private static readonly (string Code, string Text)[] Comorbidities =
    [
        ("F41.1", "Generalized anxiety disorder"),
        ("F43.10", "Post-traumatic stress disorder, unspecified"),
        ("F42.2", "Mixed obsessional thoughts and acts"),
        ("F40.10", "Social phobia, unspecified"),
    ];

    private static readonly (string Substance, string Reaction, AllergySeverity Severity)[] AllergyPool =
    [
        ("Penicillin", "Hives", AllergySeverity.Moderate),
        ("Sulfonamide antibiotics", "Rash", AllergySeverity.Mild),
        ("Latex", "Contact dermatitis", AllergySeverity.Mild),
        ("Codeine", "Nausea and vomiting", AllergySeverity.Mild),
        ("Iodinated contrast", "Anaphylaxis", AllergySeverity.Severe),
    ];

    public async Task<bool> SeedIfEmptyAsync(CancellationToken ct)
    {
        if (await db.Users.AnyAsync(ct) || await db.Patients.AnyAsync(ct))
        {
            return false;
        }
        var now = clock.GetUtcNow();
        var actor = Actor.System("demo-seed");
        await using var tx = await AuditTrail.BeginAsync(db, ct);

        var staffByRole = new Dictionary<string, (string Id, string Name)>(StringComparer.Ordinal);
        var staff = new Dictionary<string, ClinicUser>(StringComparer.Ordinal);
        foreach (var login in Logins)
        {
            var user = new ClinicUser
            {
                UserName = login.Email,
                Email = login.Email,
                EmailConfirmed = true,
                DisplayName = login.Email switch
                {
                    "nurse2@demo.clinic" => "Maria Chen, RN",
                    _ => login.Role switch
                    {
                        ClinicRoles.Administrator => "Alex Admin",
                        ClinicRoles.Physician => "Dr. Priya Raman",
                        ClinicRoles.Nurse => "Sam Okafor, RN",
                        _ => "Jordan Lee",
                    },
                },
                CreatedAt = now,
                LockoutEnabled = true,
            };
            Check(await users.CreateAsync(user, settings.Password), login.Email);
            Check(await users.AddToRoleAsync(user, login.Role), login.Email);
            staffByRole.TryAdd(login.Role, (user.Id, user.DisplayName));
            staff[login.Email] = user;
        }

        var location = new Location
        {
            Id = DeterministicGuid(settings.Seed, 1),
            Name = "Riverside Ketamine Clinic",
            AddressLine1 = "400 Riverside Drive, Suite 210",
            City = "Springfield",
            Region = "IL",
            PostalCode = "62701",
            Phone = "+1 217 555 0140",
            TimeZone = "America/Chicago",
        };
        for (var i = 1; i <= 6; i++)
        {
            location.Chairs.Add(new Chair
            {
                Id = DeterministicGuid(settings.Seed, 100 + i),
                LocationId = location.Id,
                Name = $"Chair {i}",
                HasInfusionPump = i <= 4,
                HasMonitor = true,
            });
        }
        db.Locations.Add(location);
        // One bedside monitor per chair, known by the equipment id its messages carry in OBX-18.
        foreach (var chair in location.Chairs)
        {
            db.MonitorDevices.Add(new MonitorDevice
            {
                Id = DeterministicGuid(settings.Seed, 200 + location.Chairs.IndexOf(chair)),
                DeviceKey = $"equipment:DEMO-MON-{location.Chairs.IndexOf(chair) + 1}",
                ChairId = chair.Id,
                Description = $"Bedside monitor at {chair.Name}",
                CreatedAt = now,
            });
        }

        var random = new Random(settings.Seed);
        var faker = new Faker("en_US") { Random = new Randomizer(settings.Seed) };
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var mrns = new HashSet<string>(StringComparer.Ordinal);
        var histories = new DemoTreatmentHistory(instruments.Catalog, new Random(settings.Seed + 1));
        var courseRandom = new Random(settings.Seed + 2);
        var treated = new List<(Patient Patient, DemoTreatmentHistory.History History)>();
        var ledgerSessions = new List<DemoLedger.DemoSession>();
        for (var i = 0; i < settings.PatientCount; i++)
        {
            var patient = NewPatient(faker, random, mrns, i, today, now);
            db.Patients.Add(patient);
            await audit.RecordAsync(db, actor, AuditActions.Create, "patient", patient.Id.ToString(), patient.Id, new { patient.Mrn, demo = true }, ct);

            // About two in three patients with a depressive-disorder diagnosis have a treatment course.
            var diagnosis = patient.Diagnoses.FirstOrDefault()?.Code;
            if (diagnosis is null || courseRandom.Next(100) >= 65)
            {
                continue;
            }
            var index = i;
            var h = histories.Build(patient.Id, location.Id, n => DeterministicGuid(settings.Seed, 1_000_000 + (index * 1000) + n), courseRandom.Next(3, 320), now, clinic.Zone);
            db.TreatmentCourses.Add(h.Course);
            db.TreatmentSessions.AddRange(h.Sessions);
            var weight = patient.LatestWeight?.Weight.Value ?? 75m;
            ledgerSessions.AddRange(h.Sessions.Where(s => s.Status == "completed")
                .Select(s => new DemoLedger.DemoSession(s.Id, patient.Id, h.Course.ProtocolCode, s.ScheduledStart, s.SequenceNumber, weight)));
            db.InstrumentResponses.AddRange(h.Responses);
            db.SafetyAlerts.AddRange(h.Alerts);
            db.CourseOutcomes.AddRange(projector.Project(patient.Id, [h.Course],
                h.Sessions.Where(s => s.Status == "completed").Select(s => (s.CourseId, s.ScheduledStart)).ToList(),
                h.Responses.Where(r => r.Total is not null).Select(r => new KetaClinic.Domain.Outcomes.AssessmentScore(r.InstrumentId, r.Total!.Value, r.TakenAt)).ToList(),
                diagnosis, now));
            await audit.RecordAsync(db, actor, AuditActions.Create, "treatment-history", h.Course.Id.ToString(), patient.Id,
                new { demo = true, sessions = h.Sessions.Count, responses = h.Responses.Count, alerts = h.Alerts.Count }, ct);
            treated.Add((patient, h));
        }
        var plans = new DemoPlans(protocols, clinic, n => DeterministicGuid(settings.Seed + 70, n));
        var demoToday = DateOnly.FromDateTime(clinic.ToClinicTime(now).DateTime);
        db.OpeningHours.AddRange(plans.OpeningHours(location.Id));
        db.NurseShifts.AddRange(plans.Shifts(location.Id, Logins.Where(l => l.Role == ClinicRoles.Nurse).Select(l => (staff[l.Email].Id, staff[l.Email].DisplayName)), demoToday));
        db.AppointmentTypes.AddRange(plans.AppointmentTypes());
        await SeedEvaluationsAsync(treated, mrns, location.Id, staffByRole, now, actor, ct);
        await SeedPlansAsync(plans, treated, location, staffByRole, mrns, now, actor, ct);
        await SeedLedgerAsync(location.Id, staff, ledgerSessions, now, actor, ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return true;
    }

    /// <summary>Requests in the queue, a booked patient ready for evaluation, and the evaluation and consent behind every course.</summary>
    private async Task SeedEvaluationsAsync(
        List<(Patient Patient, DemoTreatmentHistory.History History)> treated, HashSet<string> mrns, Guid locationId,
        Dictionary<string, (string Id, string Name)> staff, DateTimeOffset now, Actor actor, CancellationToken ct)
    {
        var demo = new DemoEvaluations(evaluationRules, instruments.Catalog, clinic, new Random(settings.Seed + 3), n => DeterministicGuid(settings.Seed, -1 - n));
        var faker = new Faker("en_US") { Random = new Randomizer(settings.Seed + 4) };
        var physician = staff[ClinicRoles.Physician];
        var nurse = staff[ClinicRoles.Nurse];
        var frontDesk = staff[ClinicRoles.FrontDesk];
        foreach (var (patient, history) in treated)
        {
            if (demo.ForCourse(patient, history, physician, nurse) is not { } signed)
            {
                continue;
            }
            var (evaluation, consent) = signed;
            db.ClinicalEvaluations.Add(evaluation);
            db.Consents.Add(consent);
            await audit.RecordAsync(db, actor, AuditActions.Create, Evaluations.RecordType, evaluation.Id.ToString(), patient.Id, new { demo = true, evaluation.FinalDecision }, ct);
            await audit.RecordAsync(db, actor, AuditActions.Create, Consents.RecordType, consent.Id.ToString(), patient.Id, new { demo = true, consent.Route }, ct);
        }
        var ready = demo.ReadyPatient(faker, mrns, now, locationId, physician, frontDesk);
        db.Patients.Add(ready.Patient);
        db.ConsultationLeads.Add(ready.Lead);
        db.ConsultationAppointments.Add(ready.Consultation);
        db.PatientLinks.Add(ready.Link);
        db.InstrumentResponses.AddRange(ready.Responses);
        db.PreScreeningSubmissions.Add(ready.Submission);
        await audit.RecordAsync(db, actor, AuditActions.Create, "patient", ready.Patient.Id.ToString(), ready.Patient.Id, new { ready.Patient.Mrn, demo = true }, ct);
        await audit.RecordAsync(db, actor, AuditActions.Create, ConsultationRequests.ConsultationRecord, ready.Consultation.Id.ToString(), ready.Patient.Id, new { demo = true }, ct);
        await audit.RecordAsync(db, actor, AuditActions.Create, PreScreenings.RecordType, ready.Submission.Id.ToString(), ready.Patient.Id, new { demo = true }, ct);
        var leads = demo.Leads(faker, now, frontDesk);
        db.ConsultationLeads.AddRange(leads);
        foreach (var lead in leads.Prepend(ready.Lead))
        {
            await audit.RecordAsync(db, actor, AuditActions.Create, ConsultationRequests.LeadRecord, lead.Id.ToString(), lead.PatientId, new { demo = true, lead.Channel }, ct);
        }
    }

    /// <summary>Plans for the courses with a signed evaluation, chairs for upcoming sessions, and the newcomer to plan.</summary>
    private async Task SeedPlansAsync(
        DemoPlans plans, List<(Patient Patient, DemoTreatmentHistory.History History)> treated, Location location,
        Dictionary<string, (string Id, string Name)> staff, HashSet<string> mrns, DateTimeOffset now, Actor actor, CancellationToken ct)
    {
        var physician = staff[ClinicRoles.Physician];
        var evaluated = db.ChangeTracker.Entries<ClinicalEvaluation>().Select(e => e.Entity.PatientId).ToHashSet();
        foreach (var (patient, history) in treated.Where(t => evaluated.Contains(t.Patient.Id)))
        {
            if (plans.PlanFor(history.Course, history.Sessions, physician) is not { } planned)
            {
                continue;
            }
            db.TreatmentPlans.Add(planned.Plan);
            db.DoseOrders.Add(planned.Order);
            await audit.RecordAsync(db, actor, AuditActions.Create, TreatmentPlans.RecordType, planned.Plan.Id.ToString(), patient.Id, new { demo = true, planned.Plan.ProtocolId, planned.Plan.PhaseId }, ct);
        }
        plans.AssignChairs(location.Chairs, treated.SelectMany(t => t.History.Sessions.Where(s => s.Status == "scheduled").Select(s => (s, t.History.Course.ProtocolCode))));

        var demo = new DemoEvaluations(evaluationRules, instruments.Catalog, clinic, new Random(settings.Seed + 7), n => DeterministicGuid(settings.Seed + 71, n));
        var newcomer = plans.Newcomer(demo, instruments.Catalog, mrns, new Random(settings.Seed + 8), location.Id, now, physician, staff[ClinicRoles.Nurse]);
        db.Patients.Add(newcomer.Patient);
        db.InstrumentResponses.Add(newcomer.Baseline);
        db.ClinicalEvaluations.Add(newcomer.Evaluation);
        db.Consents.Add(newcomer.Consent);
        await audit.RecordAsync(db, actor, AuditActions.Create, "patient", newcomer.Patient.Id.ToString(), newcomer.Patient.Id, new { newcomer.Patient.Mrn, demo = true }, ct);
        await audit.RecordAsync(db, actor, AuditActions.Create, Evaluations.RecordType, newcomer.Evaluation.Id.ToString(), newcomer.Patient.Id, new { demo = true, newcomer.Evaluation.FinalDecision }, ct);
        await audit.RecordAsync(db, actor, AuditActions.Create, Consents.RecordType, newcomer.Consent.Id.ToString(), newcomer.Patient.Id, new { demo = true, newcomer.Consent.Route }, ct);
    }

    private async Task SeedLedgerAsync(Guid locationId, Dictionary<string, ClinicUser> staff, List<DemoLedger.DemoSession> sessions, DateTimeOffset now, Actor actor, CancellationToken ct)
    {
        var physician = staff["physician@demo.clinic"];
        var ledger = new DemoLedger(new Random(settings.Seed + 3), locationId, clinic.Zone,
            new DemoLedger.Staff(staff["nurse@demo.clinic"].Id, staff["nurse2@demo.clinic"].Id, physician.Id, physician.DisplayName),
            n => DeterministicGuid(settings.Seed + 50, n));
        var built = ledger.Build(sessions, now);
        db.DeaRegistrations.Add(built.Registration);
        db.StorageLocations.AddRange(built.Storage);
        db.ControlledProducts.AddRange(built.Products);
        db.LedgerEntries.AddRange(built.Entries.Select(LedgerRows.ToRow));
        if (built.Entries.Count > 0)
        {
            var last = built.Entries[^1];
            await db.Database.ExecuteSqlAsync($"UPDATE ledger_chain_heads SET last_sequence = {last.Sequence}, last_hash = {last.Hash} WHERE id = 1 AND last_sequence = 0", ct);
        }
        await audit.RecordAsync(db, actor, AuditActions.Create, Features.ControlledSubstances.Ledger.LedgerRecord, null, null,
            new { demo = true, entries = built.Entries.Count, registration = built.Registration.Number }, ct);
    }

    private Patient NewPatient(Faker f, Random random, HashSet<string> mrns, int index, DateOnly today, DateTimeOffset now)
    {
        var female = f.Random.Bool(0.6f);
        var gender = female ? Bogus.DataSets.Name.Gender.Female : Bogus.DataSets.Name.Gender.Male;
        var given = f.Name.FirstName(gender);
        var family = f.Name.LastName();
        var dob = today.AddDays(-f.Random.Int(19 * 365, 78 * 365));
        string mrn;
        do
        {
            mrn = Mrn.Random(random);
        }
        while (!mrns.Add(mrn));
        var companion = f.Random.Bool(0.8f) ? f.Name.FullName() : null;
        var details = new PatientDetails
        {
            LegalGivenName = given,
            LegalFamilyName = family,
            PreferredName = f.Random.Bool(0.15f) ? f.Name.FirstName(gender) : null,
            DateOfBirth = dob,
            Sex = female ? "female" : "male",
            Email = f.Internet.Email(given, family, "example.org"),
            Phone = f.Phone.PhoneNumber("+1 ### ### ####"),
            AddressLine1 = f.Address.StreetAddress(),
            City = f.Address.City(),
            Region = f.Address.StateAbbr(),
            PostalCode = f.Address.ZipCode("#####"),
            EmergencyContactName = f.Name.FullName(),
            EmergencyContactRelationship = f.PickRandom("Spouse", "Partner", "Parent", "Sibling", "Friend", "Adult child"),
            EmergencyContactPhone = f.Phone.PhoneNumber("+1 ### ### ####"),
            CompanionName = companion,
            CompanionPhone = companion is null ? null : f.Phone.PhoneNumber("+1 ### ### ####"),
            ReferringClinicianName = f.Random.Bool(0.7f) ? "Dr. " + f.Name.FullName() : null,
            ReferringClinicianPhone = f.Phone.PhoneNumber("+1 ### ### ####"),
        };
        var (demographics, errors) = PatientRules.Validate(details, today);
        if (demographics is null)
        {
            throw new InvalidOperationException("Demo patient failed validation: " + string.Join("; ", errors.Select(e => $"{e.Field} {e.Message}")));
        }
        var registeredAt = now.AddDays(-f.Random.Int(0, 540));
        var patient = Patient.Register(DeterministicGuid(settings.Seed, 10_000 + index), mrn, demographics, registeredAt);

        // About one in ten is a new registration with nothing clinical recorded yet.
        if (f.Random.Bool(0.1f))
        {
            return patient;
        }
        var primary = PickWeighted(f, PrimaryDiagnoses);
        var onset = dob.AddYears(f.Random.Int(16, Math.Max(17, patient.AgeOn(today) - 1)));
        if (onset > today)
        {
            onset = today.AddMonths(-6);
        }
        patient.AddDiagnosis(DeterministicGuid(settings.Seed, 20_000 + index), primary.Code, primary.Text, onset, today, "system:demo-seed", registeredAt);
        if (f.Random.Bool(0.45f))
        {
            var co = f.PickRandom(Comorbidities);
            patient.AddDiagnosis(DeterministicGuid(settings.Seed, 30_000 + index), co.Code, co.Text, null, today, "system:demo-seed", registeredAt);
        }
        if (f.Random.Bool(0.3f))
        {
            var a = f.PickRandom(AllergyPool);
            patient.AddAllergy(DeterministicGuid(settings.Seed, 40_000 + index), a.Substance, a.Reaction, a.Severity, "system:demo-seed", registeredAt);
        }
        var height = Math.Round((decimal)(female ? f.Random.Double(152, 178) : f.Random.Double(163, 193)), 1);
        patient.RecordHeight(DeterministicGuid(settings.Seed, 50_000 + index), new HeightCm(height), registeredAt, MeasurementLimits.Default, "system:demo-seed", registeredAt);
        var weight = Math.Round((decimal)f.Random.Double(50, 125), 1);
        var visits = f.Random.Int(1, 4);
        for (var v = 0; v < visits; v++)
        {
            var at = registeredAt.AddDays(v * f.Random.Int(14, 60));
            if (at > now)
            {
                break;
            }
            patient.RecordWeight(DeterministicGuid(settings.Seed, 60_000 + (index * 10) + v), new WeightKg(weight), at, MeasurementLimits.Default, "system:demo-seed", at);
            weight = Math.Round(weight + (decimal)f.Random.Double(-2.5, 2.5), 1);
        }
        return patient;
    }

    private static (string Code, string Text, int Weight) PickWeighted(Faker f, (string Code, string Text, int Weight)[] options)
    {
        var roll = f.Random.Int(1, options.Sum(o => o.Weight));
        foreach (var o in options)
        {
            roll -= o.Weight;
            if (roll <= 0)
            {
                return o;
            }
        }
        return options[^1];
    }

    /// <summary>Ids derived from the seed, so two demo databases from one seed hold the same records.</summary>
    public static Guid DeterministicGuid(int seed, int n)
    {
        Span<byte> bytes = stackalloc byte[16];
        BitConverter.TryWriteBytes(bytes, seed);
        BitConverter.TryWriteBytes(bytes[4..], n);
        bytes[8] = 0xDE;
        bytes[9] = 0x40;
        return new Guid(bytes);
    }

    private static void Check(IdentityResult result, string what)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"Demo account {what}: " + string.Join("; ", result.Errors.Select(e => e.Description)));
        }
    }
}
