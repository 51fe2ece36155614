using KetaClinic.Domain.Evaluation;
using KetaClinic.Domain.Protocols;

namespace KetaClinic.Domain.Sessions;

/// <summary>Signed treatment consent; <see cref="ExpiresAt"/> null means it does not lapse by date.</summary>
public sealed record ConsentStatus(
    IReadOnlyList<AdministrationRoute> Routes, DateTimeOffset SignedAt, DateTimeOffset? ExpiresAt, DateTimeOffset? WithdrawnAt);

/// <summary>The latest eligibility decision; <see cref="ExpiresOn"/> is the first day it no longer holds.</summary>
public sealed record EligibilityStatus(EligibilityDecision Decision, DateOnly EvaluatedOn, DateOnly ExpiresOn)
{
    public static EligibilityStatus From(EligibilityResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return new(result.Decision, result.EvaluatedOn, result.ExpiresOn);
    }
}

/// <summary>A rating scale the patient completed, by instrument id (e.g. "phq9").</summary>
public sealed record CompletedInstrument(string InstrumentId, DateTimeOffset CompletedAt);

/// <summary>The person who will drive the patient home.</summary>
public sealed record CompanionConfirmation(string Name, string Phone);

public enum PregnancyTestResult
{
    Negative,
    Positive,
}

public sealed record PregnancyStatus(PregnancyTestResult Result, DateTimeOffset TestedAt);

/// <summary>
/// The patient's current medications, new ones since the last visit included, and the clinician who marked the list
/// reviewed (null until someone has).
/// </summary>
public sealed record MedicationListReview(
    IReadOnlyList<CurrentMedication> Medications, SessionActor? ReviewedBy, DateTimeOffset? ReviewedAt);

/// <summary>
/// What the app knows before the dose, as recorded elsewhere (consent, evaluation, measurement, patient record).
/// Every property left null is missing information, and missing information never meets a gate.
/// </summary>
public sealed record PreDoseFacts
{
    public ConsentStatus? Consent { get; init; }

    public EligibilityStatus? Eligibility { get; init; }

    /// <summary>Esketamine only: whether the patient is enrolled in the REMS.</summary>
    public bool? RemsEnrolled { get; init; }

    /// <summary>Instrument ids this visit needs, from the plan or protocol; empty when none is required.</summary>
    public IReadOnlyList<string>? RequiredInstrumentIds { get; init; }

    public IReadOnlyList<CompletedInstrument>? CompletedInstruments { get; init; }

    /// <summary>When the patient last ate, as the patient reports it.</summary>
    public DateTimeOffset? LastFoodAt { get; init; }

    /// <summary>When the patient last drank, as the patient reports it.</summary>
    public DateTimeOffset? LastDrinkAt { get; init; }

    public CompanionConfirmation? Companion { get; init; }

    /// <summary>Whether the patient can become pregnant, as recorded; false makes the pregnancy check not applicable.</summary>
    public bool? CanBecomePregnant { get; init; }

    public PregnancyStatus? Pregnancy { get; init; }

    public MedicationListReview? Medications { get; init; }

    public RecordedWeight? LatestWeight { get; init; }

    /// <summary>The current dose order; the protocol default is used for the weight check when it is missing.</summary>
    public DoseAmount? OrderedDose { get; init; }

    /// <summary>Open (unacknowledged) safety alerts on the patient's record.</summary>
    public int? OpenSafetyAlerts { get; init; }
}
