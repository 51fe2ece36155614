namespace KetaClinic.Domain.Patients;

/// <summary>Administrative sex as FHIR R4 codes it (administrative-gender).</summary>
public enum AdministrativeSex
{
    Female,
    Male,
    Other,
    Unknown,
}

public enum DiagnosisStatus
{
    Active,
    Resolved,
    EnteredInError,
}

public enum AllergySeverity
{
    Mild,
    Moderate,
    Severe,
    Unknown,
}

public enum AllergyStatus
{
    Active,
    Inactive,
    EnteredInError,
}

public enum MeasurementKind
{
    Weight,
    Height,
}
