using KetaClinic.App.Features.Measurement;
using KetaClinic.Domain.Patients;

namespace KetaClinic.App.Features.Evaluation;

// ---- consultation requests (leads) and bookings ----

/// <summary>What a person sends from the public request page. <see cref="Website"/> is a honeypot: people never see it.</summary>
public sealed record PublicConsultationRequest(
    string? GivenName, string? FamilyName, string? Phone, string? Email, string? PreferredContactTimes, string? TriedSoFar, string? HeardAbout, string? Website);

/// <summary>A request the front desk takes by phone.</summary>
public sealed record PhoneConsultationRequest(
    string? GivenName, string? FamilyName, string? Phone, string? Email, string? PreferredContactTimes, string? TriedSoFar, string? HeardAbout, string? Note);

public sealed record PublicRequestReceipt(string Message);

public sealed record LeadView(
    Guid Id,
    DateTimeOffset ReceivedAt,
    string Channel,
    string GivenName,
    string FamilyName,
    string? Phone,
    string? Email,
    string? PreferredContactTimes,
    string? TriedSoFar,
    string? HeardAbout,
    string Status,
    string? DeclineReason,
    string? Note,
    DateTimeOffset? StatusChangedAt,
    string? StatusChangedByName,
    string? EnteredByName,
    Guid? PatientId,
    Guid? ConsultationId);

/// <summary>Status to set (new, contacted or declined); a decline needs its reason.</summary>
public sealed record LeadStatusRequest(string? Status, string? Reason, string? Note);

public sealed record BookConsultationRequest(DateTimeOffset? StartsAt, int? DurationMinutes, string? Mode, string? PhysicianId, Guid? LocationId);

/// <summary>Registers the lead as a patient (the registry's own validation) and books the consultation, together or not at all.</summary>
public sealed record ConvertLeadRequest(PatientDetails? Patient, BookConsultationRequest? Consultation);

public sealed record ConsultationView(
    Guid Id, Guid PatientId, string PatientName, string Mrn, DateTimeOffset StartsAt, int DurationMinutes, string Mode, string PhysicianId, string PhysicianName, Guid? LocationId, string Status);

public sealed record ConversionResult(Guid LeadId, Guid PatientId, string Mrn, ConsultationView Consultation);

public sealed record PhysicianChoice(string Id, string Name);

// ---- pre-screening ----

public sealed record IssuePreScreeningRequest(string? SentVia);

/// <summary>An antidepressant as the patient remembers it.</summary>
/// <param name="Response">helped-a-lot, helped-a-little, did-not-help or unsure.</param>
public sealed record PriorAntidepressant(string? Drug, decimal? DailyDoseMg, decimal? Weeks, string? Response, string? SideEffects, bool? StoppedForSideEffects);

public sealed record ReportedMedication(string? Name, decimal? DailyDoseMg);

/// <summary>The patient's own answers before the consultation. Yes/no questions take yes, no or unsure.</summary>
public sealed record PreScreeningAnswers
{
    public IReadOnlyList<PriorAntidepressant> Antidepressants { get; init; } = [];
    public string? Psychotherapy { get; init; }
    public IReadOnlyList<ReportedMedication> CurrentMedications { get; init; } = [];
    public string? SubstanceUse { get; init; }
    public string? SubstanceProblem { get; init; }
    public string? PsychosisHistory { get; init; }
    public string? ManiaHistory { get; init; }
    public string? HighBloodPressure { get; init; }
    public string? HeartOrVesselDisease { get; init; }
    public string? CardiovascularDetails { get; init; }

    /// <summary>yes, no, unsure or not-applicable.</summary>
    public string? Pregnancy { get; init; }
}

/// <summary>The pre-screening form with its rating scales (item id → answer value).</summary>
public sealed record PreScreeningSubmitRequest(PreScreeningAnswers? Answers, Dictionary<string, int>? Phq9, Dictionary<string, int>? Gad7, Dictionary<string, int>? Cssrs);

/// <summary>One rating scale on the pre-screening page.</summary>
public sealed record PublicInstrument(string Id, string Title, string? Instructions, string? Licence, IReadOnlyList<PublicQuestionnaireItem> Items);

/// <summary>What the pre-screening page may show: the questions, nothing from the record.</summary>
public sealed record PublicPreScreening(string State, string Message, IReadOnlyList<PublicInstrument> Instruments);

public sealed record ScaleSummary(Guid ResponseId, string InstrumentId, string Title, int? Total, string? Severity, IReadOnlyList<string> Flags, DateTimeOffset TakenAt);

public sealed record PreScreeningView(Guid Id, DateTimeOffset SubmittedAt, PreScreeningAnswers Answers, IReadOnlyList<ScaleSummary> Scales);

// ---- evaluation ----

public sealed class DiagnosisEntry
{
    public string? Code { get; set; }
    public string? Description { get; set; }
}

/// <summary>One antidepressant trial. <see cref="FromPreScreening"/> marks a row the patient reported that the physician has not confirmed yet.</summary>
public sealed class TrialEntry
{
    public string? Drug { get; set; }

    /// <summary>Class code, for a drug not in the catalogue (ssri, snri, tca, maoi, ...).</summary>
    public string? DrugClass { get; set; }
    public decimal? MaxDailyDoseMg { get; set; }

    /// <summary>Doses are entered in mg a day; any other unit is refused with a message, never converted silently.</summary>
    public string? DoseUnit { get; set; }
    public decimal? WeeksAtDose { get; set; }

    /// <summary>no-response, partial-response, response, stopped-for-side-effects or stopped-for-non-adherence.</summary>
    public string? Outcome { get; set; }
    public bool? InCurrentEpisode { get; set; }
    public DateOnly? StartedOn { get; set; }
    public DateOnly? EndedOn { get; set; }

    /// <summary>For a drug not in the catalogue: the physician's written confirmation that the dose was adequate.</summary>
    public string? PhysicianDoseConfirmation { get; set; }
    public bool FromPreScreening { get; set; }
}

public sealed class MedicationEntry
{
    public string? Name { get; set; }
    public decimal? DailyDoseMg { get; set; }
    public string? DoseUnit { get; set; }
}

/// <summary>The comprehensive evaluation as the physician fills it in. Null means "not recorded", which never passes a check.</summary>
public sealed class EvaluationForm
{
    public DateOnly? EvaluatedOn { get; set; }
    public List<DiagnosisEntry> Diagnoses { get; set; } = [];
    public DateOnly? EpisodeOnset { get; set; }

    /// <summary>subsyndromal, mild, moderate, severe-without-psychosis or severe-with-psychosis.</summary>
    public string? Severity { get; set; }
    public List<TrialEntry> Trials { get; set; } = [];
    public bool? AugmentationUsed { get; set; }
    public string? AugmentationDetails { get; set; }

    /// <summary>not-received, received-without-bilateral-failure or failed-bilateral-course.</summary>
    public string? Ect { get; set; }
    public string? Psychotherapy { get; set; }
    public string? MedicalHistory { get; set; }

    /// <summary>Null: not asked yet. Empty: takes none.</summary>
    public List<MedicationEntry>? CurrentMedications { get; set; }

    /// <summary>The medication list was copied from the pre-screening and is not confirmed yet.</summary>
    public bool CurrentMedicationsFromPreScreening { get; set; }

    /// <summary>Contraindication code (e.g. uncontrolled-hypertension) → yes, no or unknown.</summary>
    public Dictionary<string, string> Screening { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Contraindication code → the physician's written justification for a relative contraindication answered yes.</summary>
    public Dictionary<string, string> Justifications { get; set; } = new(StringComparer.Ordinal);
    public int? SystolicBp { get; set; }
    public int? DiastolicBp { get; set; }
    public int? HeartRate { get; set; }

    /// <summary>The instrument responses this evaluation takes as its baseline.</summary>
    public List<Guid> BaselineResponseIds { get; set; } = [];
    public string? Notes { get; set; }
}

public sealed record ReasonView(string Code, string Effect, string Sentence, string Source, string? Subject);

public sealed record TrialAssessmentView(int Number, string Drug, string? CatalogueName, string? DrugClass, string Adequacy, string Contribution);

/// <summary>The decision support's answer with every reason, its rule's source and its effect.</summary>
public sealed record AssessmentView(
    string Decision,
    DateOnly EvaluatedOn,
    DateOnly ExpiresOn,
    IReadOnlyList<ReasonView> Reasons,
    string TrdStatus,
    int? EpisodeDurationMonths,
    int? MaudsleyTotal,
    string? MaudsleyBand,
    string? ThaseRushStage,
    IReadOnlyList<TrialAssessmentView> Trials,
    decimal? DiazepamEquivalentMgPerDay);

/// <summary>Form problems and, when the form is usable, the decision support's answer.</summary>
public sealed record EvaluationCheck(IReadOnlyList<Domain.Common.FieldError> Errors, AssessmentView? Assessment);

public sealed record BodyView(decimal? WeightKg, DateTimeOffset? WeightAt, decimal? HeightCm, DateTimeOffset? HeightAt);

public sealed record SignOffView(string Outcome, string SupportDecision, string FinalDecision, string? Reason, DateTimeOffset SignedAt, string SignedByName, DateOnly? ExpiresOn, bool Current);

public sealed record AddendumView(Guid Id, string Text, string AuthorName, DateTimeOffset CreatedAt);

public sealed record EvaluationView(
    Guid Id,
    Guid PatientId,
    string PatientName,
    string Mrn,
    string Status,
    int Version,
    EvaluationForm Form,
    EvaluationCheck Check,
    DateTimeOffset CreatedAt,
    string CreatedByName,
    DateTimeOffset UpdatedAt,
    SignOffView? SignOff,
    IReadOnlyList<AddendumView> Addenda,
    BodyView Body,
    IReadOnlyList<ScaleSummary> BaselineScales,
    IReadOnlyList<ScaleSummary> AvailableScales,
    PreScreeningView? PreScreening);

public sealed record SaveEvaluationRequest(int Version, EvaluationForm? Form);

/// <summary>accept the decision support's result, or override it with a final decision and a written reason.</summary>
public sealed record SignOffRequest(int Version, string? Outcome, string? FinalDecision, string? Reason);

public sealed record AddendumRequest(string? Text);

public sealed record EvaluationSummary(
    Guid Id, string Status, DateOnly EvaluatedOn, string CreatedByName, string? FinalDecision, string? SupportDecision, DateTimeOffset? SignedAt, string? SignedByName, DateOnly? ExpiresOn, bool Current);

public sealed record ReadinessGap(string Code, string Message);

public sealed record RouteReadiness(string Route, IReadOnlyList<ReadinessGap> Gaps)
{
    public bool Ready => Gaps.Count == 0;
}

public sealed record ReadinessView(Guid PatientId, string Route, DateOnly CheckedOn, IReadOnlyList<ReadinessGap> Gaps)
{
    public bool Ready => Gaps.Count == 0;
}

/// <summary>Everything the patient's evaluation page shows: bookings, pre-screenings, evaluations, consents and readiness per route.</summary>
public sealed record EvaluationOverview(
    Guid PatientId,
    string PatientName,
    string Mrn,
    IReadOnlyList<ConsultationView> Consultations,
    IReadOnlyList<PreScreeningView> PreScreenings,
    IReadOnlyList<EvaluationSummary> Evaluations,
    IReadOnlyList<ConsentView> Consents,
    IReadOnlyList<RouteReadiness> Readiness);

/// <summary>A printable document: the evaluation, the patient, the letterhead.</summary>
public sealed record EvaluationDocument(EvaluationView Evaluation, Patients.PatientRecord Patient, LetterheadSettings Letterhead, string ClinicName, IReadOnlyList<ConsentView> Consents, DateTimeOffset PrintedAt);

// ---- consent ----

public sealed record ConsentDocumentView(string Route, string RouteName, string Version, DateOnly Date, string Title, IReadOnlyList<ConsentSection> Sections, IReadOnlyList<string> Risks, string Hash, string Source, bool Current);

/// <summary>The patient's signature on the version of the document shown to them.</summary>
/// <param name="PatientSignature">SVG path data of the drawn signature in a 600 × 200 box ("M10 20 L12 24 ...").</param>
public sealed record SignConsentRequest(string? Route, string? DocumentVersion, string? PatientTypedName, string? PatientSignature, string? RemsEnrolmentId, DateOnly? RemsEnrolledOn);

public sealed record CountersignRequest(bool? Confirmed);

public sealed record WithdrawConsentRequest(string? Reason);

public sealed record RemsEnrolmentRequest(string? EnrolmentId, DateOnly? EnrolledOn);

public sealed record ConsentView(
    Guid Id,
    Guid PatientId,
    string Route,
    string RouteName,
    string DocumentVersion,
    string DocumentTitle,
    DateOnly DocumentDate,
    string DocumentHash,
    string DocumentText,
    string Status,
    string PatientTypedName,
    string PatientSignature,
    DateTimeOffset PatientSignedAt,
    string PresentedByName,
    DateTimeOffset? CountersignedAt,
    string? CountersignedByName,
    string? RemsEnrolmentId,
    DateOnly? RemsEnrolledOn,
    DateTimeOffset? WithdrawnAt,
    string? WithdrawnByName,
    string? WithdrawalReason,
    bool NewerVersionAvailable);
