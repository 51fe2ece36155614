namespace KetaClinic.App.Data;

/// <summary>
/// A person who asked for a consultation, from the public request page or by phone: the front desk's queue.
/// A lead is not a patient: it holds only what the person gave, until the front desk registers them.
/// </summary>
public sealed class ConsultationLead
{
    public Guid Id { get; set; }
    public DateTimeOffset ReceivedAt { get; set; }

    /// <summary>web (the public page) or phone (entered by staff).</summary>
    public string Channel { get; set; } = "web";
    public string GivenName { get; set; } = string.Empty;
    public string FamilyName { get; set; } = string.Empty;
    public string? Phone { get; set; }
    public string? Email { get; set; }
    public string? PreferredContactTimes { get; set; }
    public string? TriedSoFar { get; set; }
    public string? HeardAbout { get; set; }

    /// <summary>new, contacted, converted or declined.</summary>
    public string Status { get; set; } = "new";
    public string? DeclineReason { get; set; }
    public string? Note { get; set; }
    public DateTimeOffset? StatusChangedAt { get; set; }
    public string? StatusChangedByName { get; set; }
    public string? EnteredBy { get; set; }
    public string? EnteredByName { get; set; }
    public Guid? PatientId { get; set; }
    public Guid? ConsultationId { get; set; }
}

/// <summary>A booked consultation with a physician. The scheduling module will generalise appointments.</summary>
public sealed class ConsultationAppointment
{
    public Guid Id { get; set; }
    public Guid PatientId { get; set; }
    public Guid? LeadId { get; set; }
    public DateTimeOffset StartsAt { get; set; }
    public int DurationMinutes { get; set; }

    /// <summary>in-person, video or phone.</summary>
    public string Mode { get; set; } = "in-person";
    public string PhysicianId { get; set; } = string.Empty;
    public string PhysicianName { get; set; } = string.Empty;
    public Guid? LocationId { get; set; }

    /// <summary>booked, completed or cancelled.</summary>
    public string Status { get; set; } = "booked";
    public DateTimeOffset CreatedAt { get; set; }
    public string CreatedBy { get; set; } = string.Empty;
    public string CreatedByName { get; set; } = string.Empty;
}

/// <summary>What a patient answered on the pre-screening link. The rating scales in it are stored as instrument responses.</summary>
public sealed class PreScreeningSubmission
{
    public Guid Id { get; set; }
    public Guid PatientId { get; set; }
    public Guid LinkId { get; set; }
    public DateTimeOffset SubmittedAt { get; set; }

    /// <summary>JSON of the patient's answers (history, medications, screening questions).</summary>
    public string Answers { get; set; } = "{}";
    public Guid? Phq9ResponseId { get; set; }
    public Guid? Gad7ResponseId { get; set; }
    public Guid? CssrsResponseId { get; set; }
}

/// <summary>
/// A physician's comprehensive evaluation. A draft can be edited; once signed off it is locked and later changes are addenda.
/// The decision support's result is kept as it was at sign-off.
/// </summary>
public sealed class ClinicalEvaluation
{
    public Guid Id { get; set; }
    public Guid PatientId { get; set; }

    /// <summary>draft or signed.</summary>
    public string Status { get; set; } = "draft";
    public int Version { get; set; }
    public DateOnly EvaluatedOn { get; set; }

    /// <summary>JSON of the evaluation form.</summary>
    public string Form { get; set; } = "{}";
    public Guid? PreScreeningId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public string CreatedBy { get; set; } = string.Empty;
    public string CreatedByName { get; set; } = string.Empty;
    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>The decision support's result at sign-off: eligible, not-eligible or needs-review.</summary>
    public string? SupportDecision { get; set; }

    /// <summary>The physician's decision: eligible or not-eligible.</summary>
    public string? FinalDecision { get; set; }

    /// <summary>accepted or overridden.</summary>
    public string? SignOffOutcome { get; set; }
    public string? SignOffReason { get; set; }
    public DateTimeOffset? SignedAt { get; set; }
    public string? SignedBy { get; set; }
    public string? SignedByName { get; set; }

    /// <summary>First day the eligibility decision is no longer valid (eligible decisions only).</summary>
    public DateOnly? ExpiresOn { get; set; }

    /// <summary>JSON of the assessment (reasons, staging) and the measurements as they were at sign-off.</summary>
    public string? SignedAssessment { get; set; }
}

/// <summary>A later note on a signed evaluation: text, author and time; never edited.</summary>
public sealed class EvaluationAddendum
{
    public Guid Id { get; set; }
    public Guid EvaluationId { get; set; }
    public Guid PatientId { get; set; }
    public string Text { get; set; } = string.Empty;
    public string AuthorId { get; set; } = string.Empty;
    public string AuthorName { get; set; } = string.Empty;
    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>
/// A patient's informed consent for one route: the exact document version and text signed, the text's hash,
/// the patient's typed name and drawn signature, and the clinician's countersignature.
/// </summary>
public sealed class ConsentRecord
{
    public Guid Id { get; set; }
    public Guid PatientId { get; set; }

    /// <summary>iv, im, oral-sublingual or intranasal-esketamine.</summary>
    public string Route { get; set; } = string.Empty;
    public string DocumentVersion { get; set; } = string.Empty;
    public string DocumentTitle { get; set; } = string.Empty;
    public DateOnly DocumentDate { get; set; }
    public string DocumentHash { get; set; } = string.Empty;
    public string DocumentText { get; set; } = string.Empty;

    /// <summary>awaiting-countersignature, active or withdrawn.</summary>
    public string Status { get; set; } = "awaiting-countersignature";
    public string PatientTypedName { get; set; } = string.Empty;

    /// <summary>The drawn signature as SVG path data (moves and lines in a 600 × 200 box).</summary>
    public string PatientSignature { get; set; } = string.Empty;
    public DateTimeOffset PatientSignedAt { get; set; }
    public string PresentedBy { get; set; } = string.Empty;
    public string PresentedByName { get; set; } = string.Empty;
    public DateTimeOffset? CountersignedAt { get; set; }
    public string? CountersignedBy { get; set; }
    public string? CountersignedByName { get; set; }
    public string? RemsEnrolmentId { get; set; }
    public DateOnly? RemsEnrolledOn { get; set; }
    public DateTimeOffset? WithdrawnAt { get; set; }
    public string? WithdrawnByName { get; set; }
    public string? WithdrawalReason { get; set; }
}
