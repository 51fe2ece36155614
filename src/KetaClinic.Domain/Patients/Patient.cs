using KetaClinic.Domain.Common;

namespace KetaClinic.Domain.Patients;

/// <summary>
/// A person registered with the clinic: the home of everything later recorded about them.
/// Guards its own state: demographics change only through validated details, clinical list entries are
/// never deleted (they are resolved or marked entered-in-error).
/// </summary>
public sealed class Patient
{
    private readonly List<Diagnosis> _diagnoses = [];
    private readonly List<Allergy> _allergies = [];
    private readonly List<BodyMeasurement> _measurements = [];

    private Patient()
    {
        Mrn = string.Empty;
        LegalGivenName = string.Empty;
        LegalFamilyName = string.Empty;
    }

    public Guid Id { get; private set; }
    public string Mrn { get; private set; }
    public string LegalGivenName { get; private set; }
    public string LegalFamilyName { get; private set; }
    public string? PreferredName { get; private set; }
    public DateOnly DateOfBirth { get; private set; }
    public AdministrativeSex Sex { get; private set; }
    public string? Email { get; private set; }
    public string? Phone { get; private set; }
    public string? AddressLine1 { get; private set; }
    public string? AddressLine2 { get; private set; }
    public string? City { get; private set; }
    public string? Region { get; private set; }
    public string? PostalCode { get; private set; }
    public string? EmergencyContactName { get; private set; }
    public string? EmergencyContactRelationship { get; private set; }
    public string? EmergencyContactPhone { get; private set; }
    public string? CompanionName { get; private set; }
    public string? CompanionPhone { get; private set; }
    public string? ReferringClinicianName { get; private set; }
    public string? ReferringClinicianPhone { get; private set; }
    public string? ReferringClinicianEmail { get; private set; }

    /// <summary>Upper-cased family and given names, for case-insensitive search on every provider.</summary>
    public string SearchName { get; private set; } = string.Empty;

    /// <summary>Incremented on every change; a stale edit is refused rather than overwriting someone else's.</summary>
    public int Version { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset UpdatedAt { get; private set; }

    public IReadOnlyCollection<Diagnosis> Diagnoses => _diagnoses;
    public IReadOnlyCollection<Allergy> Allergies => _allergies;
    public IReadOnlyCollection<BodyMeasurement> Measurements => _measurements;

    public string DisplayName => PreferredName is null
        ? $"{LegalFamilyName}, {LegalGivenName}"
        : $"{LegalFamilyName}, {LegalGivenName} ({PreferredName})";

    public static Patient Register(Guid id, string mrn, PatientDemographics demographics, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(demographics);
        if (!Patients.Mrn.IsValid(mrn))
        {
            throw new DomainValidationException([new FieldError("mrn", "must be KC followed by eight digits with a valid check digit.")]);
        }
        var patient = new Patient { Id = id, Mrn = mrn, CreatedAt = now, Version = 1 };
        patient.Apply(demographics, now);
        return patient;
    }

    public void UpdateDemographics(PatientDemographics demographics, int expectedVersion, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(demographics);
        if (expectedVersion != Version)
        {
            throw new StaleVersionException(Version, expectedVersion);
        }
        Apply(demographics, now);
        Version++;
    }

    public Diagnosis AddDiagnosis(Guid id, string code, string? description, DateOnly? onset, DateOnly today, string recordedBy, DateTimeOffset now)
    {
        var v = new Validator();
        var normalized = PatientRules.NormalizeIcd10(code);
        if (string.IsNullOrWhiteSpace(code))
        {
            v.Add("code", "is required.");
        }
        else if (!PatientRules.IsIcd10CmCode(normalized))
        {
            v.Add("code", "must be an ICD-10-CM code such as F33.2 (a letter, two characters, then optionally a dot and up to four more).");
        }
        var text = v.Text("description", description, PatientRules.TextMax, required: false);
        if (onset is { } o)
        {
            if (o > today)
            {
                v.Add("onsetDate", "must not be in the future.");
            }
            else if (o < DateOfBirth)
            {
                v.Add("onsetDate", "must not be before the patient's date of birth.");
            }
        }
        if (v.IsValid && _diagnoses.Any(d => d.Code == normalized && d.Status == DiagnosisStatus.Active))
        {
            v.Add("code", $"{normalized} is already an active diagnosis of this patient.");
        }
        ThrowIfInvalid(v);
        var diagnosis = new Diagnosis(id, Id, normalized, text, onset, recordedBy, now);
        _diagnoses.Add(diagnosis);
        Touch(now);
        return diagnosis;
    }

    public Diagnosis ChangeDiagnosisStatus(Guid diagnosisId, DiagnosisStatus status, DateTimeOffset now)
    {
        var diagnosis = _diagnoses.FirstOrDefault(d => d.Id == diagnosisId)
            ?? throw new KeyNotFoundException($"Diagnosis {diagnosisId} is not on this patient's record.");
        diagnosis.ChangeStatus(status);
        Touch(now);
        return diagnosis;
    }

    public Allergy AddAllergy(Guid id, string substance, string? reaction, AllergySeverity severity, string recordedBy, DateTimeOffset now)
    {
        var v = new Validator();
        var s = v.Text("substance", substance, PatientRules.NameMax, required: true);
        var r = v.Text("reaction", reaction, PatientRules.TextMax, required: false);
        if (s is not null && _allergies.Any(a => a.Status == AllergyStatus.Active && string.Equals(a.Substance, s, StringComparison.OrdinalIgnoreCase)))
        {
            v.Add("substance", $"{s} is already an active allergy of this patient.");
        }
        ThrowIfInvalid(v);
        var allergy = new Allergy(id, Id, s!, r, severity, recordedBy, now);
        _allergies.Add(allergy);
        Touch(now);
        return allergy;
    }

    public Allergy ChangeAllergyStatus(Guid allergyId, AllergyStatus status, DateTimeOffset now)
    {
        var allergy = _allergies.FirstOrDefault(a => a.Id == allergyId)
            ?? throw new KeyNotFoundException($"Allergy {allergyId} is not on this patient's record.");
        allergy.ChangeStatus(status);
        Touch(now);
        return allergy;
    }

    public BodyMeasurement RecordWeight(Guid id, WeightKg weight, DateTimeOffset measuredAt, MeasurementLimits limits, string recordedBy, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(limits);
        return Record(id, MeasurementKind.Weight, weight.Value, limits.MinWeightKg, limits.MaxWeightKg, "kg", measuredAt, recordedBy, now);
    }

    public BodyMeasurement RecordHeight(Guid id, HeightCm height, DateTimeOffset measuredAt, MeasurementLimits limits, string recordedBy, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(limits);
        return Record(id, MeasurementKind.Height, height.Value, limits.MinHeightCm, limits.MaxHeightCm, "cm", measuredAt, recordedBy, now);
    }

    /// <summary>The most recent weight, if any: weight-based dosing reads this and checks its age itself.</summary>
    public (WeightKg Weight, DateTimeOffset MeasuredAt)? LatestWeight =>
        Latest(MeasurementKind.Weight) is { } m ? (new WeightKg(m.Value), m.MeasuredAt) : null;

    public (HeightCm Height, DateTimeOffset MeasuredAt)? LatestHeight =>
        Latest(MeasurementKind.Height) is { } m ? (new HeightCm(m.Value), m.MeasuredAt) : null;

    private BodyMeasurement? Latest(MeasurementKind kind) => _measurements.Where(m => m.Kind == kind).MaxBy(m => m.MeasuredAt);

    private BodyMeasurement Record(Guid id, MeasurementKind kind, decimal value, decimal min, decimal max, string unit, DateTimeOffset measuredAt, string recordedBy, DateTimeOffset now)
    {
        var v = new Validator();
        if (value < min || value > max)
        {
            v.Add("value", $"{kind.ToString().ToLowerInvariant()} must be between {min} and {max} {unit}.");
        }
        if (decimal.Round(value, 1) != value)
        {
            v.Add("value", "must have at most one decimal place.");
        }
        if (measuredAt > now.AddMinutes(5))
        {
            v.Add("measuredAt", "must not be in the future.");
        }
        ThrowIfInvalid(v);
        var measurement = new BodyMeasurement(id, Id, kind, value, measuredAt, recordedBy, now);
        _measurements.Add(measurement);
        Touch(now);
        return measurement;
    }

    public int AgeOn(DateOnly day)
    {
        var age = day.Year - DateOfBirth.Year;
        if (DateOfBirth > day.AddYears(-age))
        {
            age--;
        }
        return age;
    }

    private void Apply(PatientDemographics d, DateTimeOffset now)
    {
        LegalGivenName = d.LegalGivenName;
        LegalFamilyName = d.LegalFamilyName;
        PreferredName = d.PreferredName;
        DateOfBirth = d.DateOfBirth;
        Sex = d.Sex;
        Email = d.Email;
        Phone = d.Phone;
        AddressLine1 = d.AddressLine1;
        AddressLine2 = d.AddressLine2;
        City = d.City;
        Region = d.Region;
        PostalCode = d.PostalCode;
        EmergencyContactName = d.EmergencyContactName;
        EmergencyContactRelationship = d.EmergencyContactRelationship;
        EmergencyContactPhone = d.EmergencyContactPhone;
        CompanionName = d.CompanionName;
        CompanionPhone = d.CompanionPhone;
        ReferringClinicianName = d.ReferringClinicianName;
        ReferringClinicianPhone = d.ReferringClinicianPhone;
        ReferringClinicianEmail = d.ReferringClinicianEmail;
        SearchName = BuildSearchName(d.LegalFamilyName, d.LegalGivenName, d.PreferredName);
        UpdatedAt = now;
    }

    private void Touch(DateTimeOffset now)
    {
        UpdatedAt = now;
        Version++;
    }

    public static string BuildSearchName(string family, string given, string? preferred) =>
        $"{family} {given} {preferred}".Trim().ToUpperInvariant();

    private static void ThrowIfInvalid(Validator v)
    {
        if (!v.IsValid)
        {
            throw new DomainValidationException(v.Errors);
        }
    }
}

/// <summary>The record changed since the editor loaded it.</summary>
public sealed class StaleVersionException(int current, int expected)
    : Exception($"The record was changed by someone else (version {current}, edit based on {expected}). Reload and apply the change again.")
{
    public int CurrentVersion { get; } = current;
    public int ExpectedVersion { get; } = expected;
}
