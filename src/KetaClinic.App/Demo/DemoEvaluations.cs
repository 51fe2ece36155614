using System.Text.Json;
using Bogus;
using KetaClinic.App.Data;
using KetaClinic.App.Features.Evaluation;
using KetaClinic.App.Features.Measurement;
using KetaClinic.Domain.Instruments;
using KetaClinic.Domain.Patients;

namespace KetaClinic.App.Demo;

/// <summary>
/// Demo data for the path from inquiry to consent: requests waiting in the front desk's queue, a patient booked for a
/// consultation who has sent the pre-screening, and for every treated patient the signed evaluation and the consent
/// that came before the course. Its own random source, so the demo patients themselves stay as they were.
/// </summary>
internal sealed class DemoEvaluations(ClinicEvaluationRules rules, InstrumentCatalog catalog, ClinicSettings clinic, Random random, Func<int, Guid> ids)
{
    private static readonly (string Drug, decimal Dose, decimal Weeks, string Outcome)[][] Histories =
    [
        [("sertraline", 150, 8, "no-response"), ("venlafaxine", 225, 10, "partial-response")],
        [("escitalopram", 20, 8, "no-response"), ("duloxetine", 60, 8, "no-response"), ("bupropion", 300, 6, "partial-response")],
        [("fluoxetine", 40, 12, "partial-response"), ("mirtazapine", 45, 8, "no-response")],
        [("citalopram", 40, 8, "no-response"), ("venlafaxine", 300, 8, "no-response"), ("nortriptyline", 100, 8, "no-response")],
    ];

    private static readonly string[] Therapies =
    [
        "CBT, 16 sessions last year; some benefit, depression persisted.",
        "Weekly psychodynamic therapy for two years; continues.",
        "Behavioural activation, 12 sessions; stopped when mood worsened.",
    ];

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private int _next;

    private Guid NextId() => ids(_next++);

    /// <summary>Requests in the queue: new from the web, one taken by phone and contacted, one declined.</summary>
    public List<ConsultationLead> Leads(Faker f, DateTimeOffset now, (string Id, string Name) frontDesk)
    {
        var leads = new List<ConsultationLead>();
        string[] tried =
        [
            "Three antidepressants over four years and therapy. Nothing has really lifted it.",
            "Sertraline, then venlafaxine, and a year of CBT. My psychiatrist mentioned ketamine.",
            "Lexapro and Wellbutrin. I'd like to know whether I qualify.",
        ];
        string[] heard = ["my psychiatrist", "a friend", "an online search"];
        for (var i = 0; i < 3; i++)
        {
            var given = f.Name.FirstName();
            var family = f.Name.LastName();
            leads.Add(Lead(now.AddHours(-random.Next(1, 60)), "web", given, family, f.Phone.PhoneNumber("+1 ### ### ####"),
                f.Internet.Email(given, family, "example.org"), f.PickRandom("weekday mornings", "after 5 pm", "any time"), tried[i], heard[i]));
        }
        var caller = Lead(now.AddDays(-2), "phone", f.Name.FirstName(), f.Name.LastName(), f.Phone.PhoneNumber("+1 ### ### ####"), null,
            "lunchtime", "Has tried several medicines; the GP suggested calling.", "GP");
        caller.EnteredBy = frontDesk.Id;
        caller.EnteredByName = frontDesk.Name;
        caller.Status = "contacted";
        caller.StatusChangedAt = now.AddDays(-1);
        caller.StatusChangedByName = frontDesk.Name;
        caller.Note = "Left a voicemail; will call back Thursday.";
        leads.Add(caller);
        var declined = Lead(now.AddDays(-5), "web", f.Name.FirstName(), f.Name.LastName(), null, f.Internet.Email(provider: "example.org"),
            null, "Looking for ketamine to take at home.", "social media");
        declined.Status = "declined";
        declined.DeclineReason = "Asked for home treatment; the clinic treats only under observation in the clinic.";
        declined.StatusChangedAt = now.AddDays(-4);
        declined.StatusChangedByName = frontDesk.Name;
        leads.Add(declined);
        return leads;
    }

    /// <summary>The evaluation signed before a course, and the consent for its route signed and countersigned.</summary>
    public (ClinicalEvaluation Evaluation, ConsentRecord Consent)? ForCourse(Patient patient, DemoTreatmentHistory.History history, (string Id, string Name) physician, (string Id, string Name) nurse)
    {
        var course = history.Course;
        var evaluatedOn = DateOnly.FromDateTime(clinic.ToClinicTime(course.CreatedAt).DateTime);
        var form = new EvaluationForm
        {
            EvaluatedOn = evaluatedOn,
            Diagnoses = patient.Diagnoses.Select(d => new DiagnosisEntry { Code = d.Code, Description = d.Description }).ToList(),
            EpisodeOnset = evaluatedOn.AddMonths(-random.Next(8, 40)),
            Severity = random.Next(100) < 65 ? "severe-without-psychosis" : "moderate",
            Trials = Histories[random.Next(Histories.Length)]
                .Select(t => new TrialEntry { Drug = t.Drug, MaxDailyDoseMg = t.Dose, WeeksAtDose = t.Weeks, Outcome = t.Outcome, InCurrentEpisode = true }).ToList(),
            AugmentationUsed = random.Next(100) < 40,
            Ect = random.Next(100) < 10 ? "received-without-bilateral-failure" : "not-received",
            Psychotherapy = Therapies[random.Next(Therapies.Length)],
            MedicalHistory = random.Next(100) < 30 ? "Hypothyroidism, on levothyroxine." : "No significant medical history.",
            CurrentMedications = random.Next(100) < 30 ? [new MedicationEntry { Name = "clonazepam", DailyDoseMg = 0.5m }] : [],
            Screening = Domain.Evaluation.ContraindicationRules.All.ToDictionary(r => r.Code, _ => "no"),
            SystolicBp = random.Next(108, 138),
            DiastolicBp = random.Next(68, 88),
            HeartRate = random.Next(58, 92),
        };
        var baseline = history.Responses.Where(r => r.InstrumentId == "phq9").MinBy(r => r.TakenAt);
        if (baseline is not null)
        {
            form.BaselineResponseIds = [baseline.Id];
        }
        var (input, errors) = EvaluationRules.ToInput(form, evaluatedOn, rules.Rules.Antidepressants);
        if (input is null)
        {
            throw new InvalidOperationException("Demo evaluation failed validation: " + string.Join("; ", errors.Select(e => $"{e.Field} {e.Message}")));
        }
        var assessment = EvaluationRules.Assess(input, form, rules.Rules);
        if (assessment.Decision != "eligible")
        {
            return null;
        }
        var created = course.CreatedAt;
        var signedAt = created.AddMinutes(75);
        var weight = patient.Measurements.Where(m => m.Kind == MeasurementKind.Weight).MaxBy(m => m.MeasuredAt);
        var height = patient.Measurements.Where(m => m.Kind == MeasurementKind.Height).MaxBy(m => m.MeasuredAt);
        var scales = baseline is null
            ? (IReadOnlyList<ScaleSummary>)[]
            : [new ScaleSummary(baseline.Id, "phq9", catalog.Get("phq9").Title, baseline.Total, baseline.SeverityDisplay, [], baseline.TakenAt)];
        var evaluation = new ClinicalEvaluation
        {
            Id = NextId(),
            PatientId = patient.Id,
            Status = "signed",
            Version = 3,
            EvaluatedOn = evaluatedOn,
            Form = Evaluations.Form(form),
            CreatedAt = created,
            CreatedBy = physician.Id,
            CreatedByName = physician.Name,
            UpdatedAt = signedAt,
            SupportDecision = assessment.Decision,
            FinalDecision = "eligible",
            SignOffOutcome = "accepted",
            SignedAt = signedAt,
            SignedBy = physician.Id,
            SignedByName = physician.Name,
            ExpiresOn = assessment.ExpiresOn,
            SignedAssessment = Evaluations.Snapshot(assessment, new BodyView(weight?.Value, weight?.MeasuredAt, height?.Value, height?.MeasuredAt), scales),
        };
        var route = ConsentLibrary.ConsentRouteFor(course.Route)!;
        var document = rules.Consents.Current(route);
        var consent = new ConsentRecord
        {
            Id = NextId(),
            PatientId = patient.Id,
            Route = route,
            DocumentVersion = document.Version,
            DocumentTitle = document.Title,
            DocumentDate = document.Date,
            DocumentHash = document.Hash,
            DocumentText = document.Text,
            Status = "active",
            PatientTypedName = $"{patient.LegalGivenName} {patient.LegalFamilyName}",
            PatientSignature = Scribble(),
            PatientSignedAt = signedAt.AddMinutes(20),
            PresentedBy = nurse.Id,
            PresentedByName = nurse.Name,
            CountersignedAt = signedAt.AddMinutes(30),
            CountersignedBy = physician.Id,
            CountersignedByName = physician.Name,
            RemsEnrolmentId = route == ConsentLibrary.IntranasalEsketamine ? $"SPR-{random.Next(100_000, 999_999)}" : null,
            RemsEnrolledOn = route == ConsentLibrary.IntranasalEsketamine ? evaluatedOn : null,
        };
        return (evaluation, consent);
    }

    /// <summary>A request turned into a patient booked for tomorrow, who has already sent the pre-screening: ready for evaluation.</summary>
    public ReadyForEvaluation ReadyPatient(Faker f, HashSet<string> mrns, DateTimeOffset now, Guid locationId, (string Id, string Name) physician, (string Id, string Name) frontDesk)
    {
        var today = DateOnly.FromDateTime(clinic.ToClinicTime(now).DateTime);
        var given = f.Name.FirstName(Bogus.DataSets.Name.Gender.Female);
        var family = f.Name.LastName();
        var details = new PatientDetails
        {
            LegalGivenName = given,
            LegalFamilyName = family,
            DateOfBirth = today.AddYears(-random.Next(24, 60)).AddDays(-random.Next(0, 365)),
            Sex = "female",
            Phone = f.Phone.PhoneNumber("+1 ### ### ####"),
            Email = f.Internet.Email(given, family, "example.org"),
            ReferringClinicianName = "Dr. " + f.Name.FullName(),
        };
        var (demographics, errors) = PatientRules.Validate(details, today);
        if (demographics is null)
        {
            throw new InvalidOperationException("Demo patient failed validation: " + string.Join("; ", errors.Select(e => $"{e.Field} {e.Message}")));
        }
        string mrn;
        do
        {
            mrn = Mrn.Random(random);
        }
        while (!mrns.Add(mrn));
        var patient = Patient.Register(NextId(), mrn, demographics, now.AddDays(-2));
        var lead = Lead(now.AddDays(-3), "web", given, family, details.Phone, details.Email, "weekday afternoons",
            "Sertraline and then duloxetine, each for months, and CBT. Still depressed most days.", "my psychiatrist");
        lead.Status = "converted";
        lead.PatientId = patient.Id;
        lead.StatusChangedAt = now.AddDays(-2);
        lead.StatusChangedByName = frontDesk.Name;
        var tomorrow = DemoTreatmentHistory.Weekday(today.AddDays(1));
        var consultation = new ConsultationAppointment
        {
            Id = NextId(),
            PatientId = patient.Id,
            LeadId = lead.Id,
            StartsAt = DemoTreatmentHistory.At(tomorrow, 10, clinic.Zone),
            DurationMinutes = rules.Settings.ConsultationMinutes,
            Mode = "in-person",
            PhysicianId = physician.Id,
            PhysicianName = physician.Name,
            LocationId = locationId,
            CreatedAt = now.AddDays(-2),
            CreatedBy = frontDesk.Id,
            CreatedByName = frontDesk.Name,
        };
        lead.ConsultationId = consultation.Id;
        var link = new PatientLink
        {
            Id = NextId(),
            TokenHash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(NextId().ToByteArray())),
            PatientId = patient.Id,
            InstrumentId = LinkPurposes.PreScreening,
            Purpose = LinkPurposes.PreScreening,
            CreatedAt = now.AddDays(-2),
            CreatedBy = frontDesk.Id,
            CreatedByName = frontDesk.Name,
            ExpiresAt = now.AddDays(1),
            UsedAt = now.AddDays(-1),
            SentVia = "email",
            SentTo = details.Email![0] + "***" + details.Email[details.Email.IndexOf('@', StringComparison.Ordinal)..],
        };
        var submitted = now.AddDays(-1);
        var phq9 = DemoTreatmentHistory.Response(catalog.Get("phq9"), patient.Id, NextId(), 18, submitted, ideation: false);
        var gad7 = DemoTreatmentHistory.Response(catalog.Get("gad7"), patient.Id, NextId(), 12, submitted, ideation: false);
        phq9.LinkId = link.Id;
        gad7.LinkId = link.Id;
        var answers = new PreScreeningAnswers
        {
            Antidepressants =
            [
                new PriorAntidepressant("sertraline", 150, 12, "did-not-help", "nausea at first", null),
                new PriorAntidepressant("duloxetine", 60, 10, "helped-a-little", "sweating", null),
            ],
            Psychotherapy = "CBT, about 20 sessions in 2025.",
            CurrentMedications = [new ReportedMedication("duloxetine", 60)],
            SubstanceUse = "A glass of wine at weekends.",
            SubstanceProblem = "no",
            PsychosisHistory = "no",
            ManiaHistory = "no",
            HighBloodPressure = "no",
            HeartOrVesselDisease = "no",
            Pregnancy = "no",
        };
        var submission = new PreScreeningSubmission
        {
            Id = NextId(),
            PatientId = patient.Id,
            LinkId = link.Id,
            SubmittedAt = submitted,
            Answers = JsonSerializer.Serialize(answers, Json),
            Phq9ResponseId = phq9.Id,
            Gad7ResponseId = gad7.Id,
        };
        return new ReadyForEvaluation(patient, lead, consultation, link, submission, [phq9, gad7]);
    }

    private ConsultationLead Lead(DateTimeOffset at, string channel, string given, string family, string? phone, string? email, string? times, string? tried, string? heard) => new()
    {
        Id = NextId(),
        ReceivedAt = at,
        Channel = channel,
        GivenName = given,
        FamilyName = family,
        Phone = phone,
        Email = email,
        PreferredContactTimes = times,
        TriedSoFar = tried,
        HeardAbout = heard,
    };

    /// <summary>A signature-like path in the 600 × 200 box.</summary>
    private string Scribble()
    {
        var points = new List<string>();
        var x = 40 + random.Next(20);
        var y = 120 + random.Next(20);
        points.Add($"M{x} {y}");
        for (var i = 0; i < 28; i++)
        {
            x = Math.Min(580, x + random.Next(8, 22));
            y = Math.Clamp(y + random.Next(-35, 36), 40, 180);
            points.Add($"L{x} {y}");
        }
        return string.Join(' ', points);
    }

    public sealed record ReadyForEvaluation(
        Patient Patient, ConsultationLead Lead, ConsultationAppointment Consultation, PatientLink Link, PreScreeningSubmission Submission, List<InstrumentResponse> Responses);
}
