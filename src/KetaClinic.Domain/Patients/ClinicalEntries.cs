using KetaClinic.Domain.Common;

namespace KetaClinic.Domain.Patients;

public sealed class Diagnosis
{
    private Diagnosis()
    {
        Code = string.Empty;
        RecordedBy = string.Empty;
    }

    internal Diagnosis(Guid id, Guid patientId, string code, string? description, DateOnly? onset, string recordedBy, DateTimeOffset recordedAt)
    {
        Id = id;
        PatientId = patientId;
        Code = code;
        Description = description;
        OnsetDate = onset;
        RecordedBy = recordedBy;
        RecordedAt = recordedAt;
        Status = DiagnosisStatus.Active;
    }

    public Guid Id { get; private set; }
    public Guid PatientId { get; private set; }
    public string Code { get; private set; }
    public string? Description { get; private set; }
    public DateOnly? OnsetDate { get; private set; }
    public DiagnosisStatus Status { get; private set; }
    public string RecordedBy { get; private set; }
    public DateTimeOffset RecordedAt { get; private set; }

    internal void ChangeStatus(DiagnosisStatus status)
    {
        if (Status == DiagnosisStatus.EnteredInError)
        {
            throw new DomainValidationException([new FieldError("status", "a diagnosis marked entered-in-error cannot change again.")]);
        }
        Status = status;
    }
}

public sealed class Allergy
{
    private Allergy()
    {
        Substance = string.Empty;
        RecordedBy = string.Empty;
    }

    internal Allergy(Guid id, Guid patientId, string substance, string? reaction, AllergySeverity severity, string recordedBy, DateTimeOffset recordedAt)
    {
        Id = id;
        PatientId = patientId;
        Substance = substance;
        Reaction = reaction;
        Severity = severity;
        RecordedBy = recordedBy;
        RecordedAt = recordedAt;
        Status = AllergyStatus.Active;
    }

    public Guid Id { get; private set; }
    public Guid PatientId { get; private set; }
    public string Substance { get; private set; }
    public string? Reaction { get; private set; }
    public AllergySeverity Severity { get; private set; }
    public AllergyStatus Status { get; private set; }
    public string RecordedBy { get; private set; }
    public DateTimeOffset RecordedAt { get; private set; }

    internal void ChangeStatus(AllergyStatus status)
    {
        if (Status == AllergyStatus.EnteredInError)
        {
            throw new DomainValidationException([new FieldError("status", "an allergy marked entered-in-error cannot change again.")]);
        }
        Status = status;
    }
}

/// <summary>A weight (kg) or height (cm) taken at a moment; history is kept, never overwritten.</summary>
public sealed class BodyMeasurement
{
    private BodyMeasurement()
    {
        RecordedBy = string.Empty;
    }

    internal BodyMeasurement(Guid id, Guid patientId, MeasurementKind kind, decimal value, DateTimeOffset measuredAt, string recordedBy, DateTimeOffset recordedAt)
    {
        Id = id;
        PatientId = patientId;
        Kind = kind;
        Value = value;
        MeasuredAt = measuredAt;
        RecordedBy = recordedBy;
        RecordedAt = recordedAt;
    }

    public Guid Id { get; private set; }
    public Guid PatientId { get; private set; }
    public MeasurementKind Kind { get; private set; }
    public decimal Value { get; private set; }
    public DateTimeOffset MeasuredAt { get; private set; }
    public string RecordedBy { get; private set; }
    public DateTimeOffset RecordedAt { get; private set; }
}
