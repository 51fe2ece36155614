namespace KetaClinic.Domain.Patients;

/// <summary>Demographics and contacts as a person types them; validated into <see cref="PatientDemographics"/>.</summary>
public sealed record PatientDetails
{
    /// <summary>
    /// Only on registration: an MRN carried over from a previous system. Left empty, a new one is generated.
    /// An MRN never changes after registration.
    /// </summary>
    public string? Mrn { get; init; }
    public string? LegalGivenName { get; init; }
    public string? LegalFamilyName { get; init; }
    public string? PreferredName { get; init; }
    public DateOnly? DateOfBirth { get; init; }
    public string? Sex { get; init; }
    public string? Email { get; init; }
    public string? Phone { get; init; }
    public string? AddressLine1 { get; init; }
    public string? AddressLine2 { get; init; }
    public string? City { get; init; }
    public string? Region { get; init; }
    public string? PostalCode { get; init; }
    public string? EmergencyContactName { get; init; }
    public string? EmergencyContactRelationship { get; init; }
    public string? EmergencyContactPhone { get; init; }
    public string? CompanionName { get; init; }
    public string? CompanionPhone { get; init; }
    public string? ReferringClinicianName { get; init; }
    public string? ReferringClinicianPhone { get; init; }
    public string? ReferringClinicianEmail { get; init; }
}

/// <summary>Demographics that passed validation: trimmed, within length, dates possible.</summary>
public sealed record PatientDemographics(
    string LegalGivenName,
    string LegalFamilyName,
    string? PreferredName,
    DateOnly DateOfBirth,
    AdministrativeSex Sex,
    string? Email,
    string? Phone,
    string? AddressLine1,
    string? AddressLine2,
    string? City,
    string? Region,
    string? PostalCode,
    string? EmergencyContactName,
    string? EmergencyContactRelationship,
    string? EmergencyContactPhone,
    string? CompanionName,
    string? CompanionPhone,
    string? ReferringClinicianName,
    string? ReferringClinicianPhone,
    string? ReferringClinicianEmail);
