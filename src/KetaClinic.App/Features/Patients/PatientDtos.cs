using KetaClinic.Domain.Patients;

namespace KetaClinic.App.Features.Patients;

public sealed record PatientSummary(Guid Id, string Mrn, string DisplayName, DateOnly DateOfBirth, string Sex, string? Phone);

public sealed record DiagnosisView(Guid Id, string Code, string? Description, DateOnly? OnsetDate, string Status, DateTimeOffset RecordedAt);

public sealed record AllergyView(Guid Id, string Substance, string? Reaction, string Severity, string Status, DateTimeOffset RecordedAt);

public sealed record MeasurementView(Guid Id, string Kind, decimal Value, string Unit, DateTimeOffset MeasuredAt);

/// <summary>
/// A patient's record. Clinical lists are present only for roles that may read them (null otherwise), so the
/// front desk sees contacts and demographics, not diagnoses.
/// </summary>
public sealed record PatientRecord(
    Guid Id,
    string Mrn,
    int Version,
    PatientDetails Details,
    string DisplayName,
    int AgeYears,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    IReadOnlyList<DiagnosisView>? Diagnoses,
    IReadOnlyList<AllergyView>? Allergies,
    IReadOnlyList<MeasurementView>? Measurements);

public sealed record UpdatePatientRequest(int Version, PatientDetails Details);

public sealed record AddDiagnosisRequest(string? Code, string? Description, DateOnly? OnsetDate);

public sealed record ChangeStatusRequest(string? Status);

public sealed record AddAllergyRequest(string? Substance, string? Reaction, string? Severity);

public sealed record RecordMeasurementRequest(string? Kind, decimal? Value, DateTimeOffset? MeasuredAt);

public sealed record PatientSearchQuery(string? Q, DateOnly? Dob, string? Mrn, int Take = 50);

public static class PatientMapping
{
    public static PatientSummary ToSummary(Patient p)
    {
        ArgumentNullException.ThrowIfNull(p);
        return new(p.Id, p.Mrn, p.DisplayName, p.DateOfBirth, p.Sex.ToString().ToLowerInvariant(), p.Phone);
    }

    public static PatientDetails ToDetails(Patient p)
    {
        ArgumentNullException.ThrowIfNull(p);
        return new()
        {
            Mrn = p.Mrn,
            LegalGivenName = p.LegalGivenName,
            LegalFamilyName = p.LegalFamilyName,
            PreferredName = p.PreferredName,
            DateOfBirth = p.DateOfBirth,
            Sex = p.Sex.ToString().ToLowerInvariant(),
            Email = p.Email,
            Phone = p.Phone,
            AddressLine1 = p.AddressLine1,
            AddressLine2 = p.AddressLine2,
            City = p.City,
            Region = p.Region,
            PostalCode = p.PostalCode,
            EmergencyContactName = p.EmergencyContactName,
            EmergencyContactRelationship = p.EmergencyContactRelationship,
            EmergencyContactPhone = p.EmergencyContactPhone,
            CompanionName = p.CompanionName,
            CompanionPhone = p.CompanionPhone,
            ReferringClinicianName = p.ReferringClinicianName,
            ReferringClinicianPhone = p.ReferringClinicianPhone,
            ReferringClinicianEmail = p.ReferringClinicianEmail,
        };
    }

    public static PatientRecord ToRecord(Patient p, DateOnly today, bool includeClinical)
    {
        ArgumentNullException.ThrowIfNull(p);
        return new(p.Id, p.Mrn, p.Version, ToDetails(p), p.DisplayName, p.AgeOn(today), p.CreatedAt, p.UpdatedAt,
            includeClinical ? p.Diagnoses.OrderBy(d => d.Status).ThenBy(d => d.Code, StringComparer.Ordinal).Select(ToView).ToList() : null,
            includeClinical ? p.Allergies.OrderBy(a => a.Status).ThenBy(a => a.Substance, StringComparer.OrdinalIgnoreCase).Select(ToView).ToList() : null,
            includeClinical ? p.Measurements.OrderByDescending(m => m.MeasuredAt).Select(ToView).ToList() : null);
    }

    public static DiagnosisView ToView(Diagnosis d)
    {
        ArgumentNullException.ThrowIfNull(d);
        return new(d.Id, d.Code, d.Description, d.OnsetDate, Kebab(d.Status.ToString()), d.RecordedAt);
    }

    public static AllergyView ToView(Allergy a)
    {
        ArgumentNullException.ThrowIfNull(a);
        return new(a.Id, a.Substance, a.Reaction, a.Severity.ToString().ToLowerInvariant(), Kebab(a.Status.ToString()), a.RecordedAt);
    }

    public static MeasurementView ToView(BodyMeasurement m)
    {
        ArgumentNullException.ThrowIfNull(m);
        return new(m.Id, m.Kind.ToString().ToLowerInvariant(), m.Value, m.Kind == MeasurementKind.Weight ? "kg" : "cm", m.MeasuredAt);
    }

    /// <summary>EnteredInError → entered-in-error, the way the API spells statuses.</summary>
    public static string Kebab(string pascal) => string.Concat(pascal.Select((c, i) => i > 0 && char.IsUpper(c) ? "-" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));

    public static bool TryParseKebab<TEnum>(string? text, out TEnum value)
        where TEnum : struct, Enum
    {
        var pascal = string.Concat((text ?? string.Empty).Trim().Split('-', StringSplitOptions.RemoveEmptyEntries)
            .Select(part => char.ToUpperInvariant(part[0]) + part[1..].ToLowerInvariant()));
        return Enum.TryParse(pascal, ignoreCase: false, out value) && Enum.IsDefined(value);
    }
}
