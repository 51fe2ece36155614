using System.Text.RegularExpressions;
using KetaClinic.Domain.Common;

namespace KetaClinic.Domain.Patients;

/// <summary>Plausibility limits for data entry of body measurements; a clinic may widen or narrow them.</summary>
public sealed record MeasurementLimits(decimal MinWeightKg, decimal MaxWeightKg, decimal MinHeightCm, decimal MaxHeightCm)
{
    /// <summary>Source: data-entry plausibility for adult outpatients (clinic setting, not a clinical threshold).</summary>
    public static MeasurementLimits Default { get; } = new(20m, 350m, 100m, 250m);
}

/// <summary>Validation of what a person enters about a patient. Every error names the field and the rule.</summary>
public static partial class PatientRules
{
    public const int NameMax = 100;
    public const int TextMax = 200;
    public const int OldestBirthYear = 1900;

    public static (PatientDemographics? Value, IReadOnlyList<FieldError> Errors) Validate(PatientDetails input, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(input);
        var v = new Validator();
        var given = v.Text("legalGivenName", input.LegalGivenName, NameMax, required: true);
        var family = v.Text("legalFamilyName", input.LegalFamilyName, NameMax, required: true);
        var preferred = v.Text("preferredName", input.PreferredName, NameMax, required: false);
        if (input.DateOfBirth is not { } dob)
        {
            v.Add("dateOfBirth", "is required.");
        }
        else if (dob > today)
        {
            v.Add("dateOfBirth", "must not be in the future.");
        }
        else if (dob.Year < OldestBirthYear)
        {
            v.Add("dateOfBirth", $"must be in {OldestBirthYear} or later.");
        }
        var sex = AdministrativeSex.Unknown;
        if (string.IsNullOrWhiteSpace(input.Sex))
        {
            v.Add("sex", "is required (female, male, other or unknown).");
        }
        else if (!TryParseSex(input.Sex, out sex))
        {
            v.Add("sex", "must be one of female, male, other, unknown.");
        }
        var email = v.Email("email", input.Email, required: false);
        var phone = v.Phone("phone", input.Phone, required: false);
        var address1 = v.Text("addressLine1", input.AddressLine1, TextMax, required: false);
        var address2 = v.Text("addressLine2", input.AddressLine2, TextMax, required: false);
        var city = v.Text("city", input.City, NameMax, required: false);
        var region = v.Text("region", input.Region, NameMax, required: false);
        var postal = v.Text("postalCode", input.PostalCode, 20, required: false);
        var ecName = v.Text("emergencyContactName", input.EmergencyContactName, NameMax, required: false);
        var ecRelationship = v.Text("emergencyContactRelationship", input.EmergencyContactRelationship, 50, required: false);
        var ecPhone = v.Phone("emergencyContactPhone", input.EmergencyContactPhone, required: ecName is not null);
        var companion = v.Text("companionName", input.CompanionName, NameMax, required: false);
        var companionPhone = v.Phone("companionPhone", input.CompanionPhone, required: companion is not null);
        var referrer = v.Text("referringClinicianName", input.ReferringClinicianName, NameMax, required: false);
        var referrerPhone = v.Phone("referringClinicianPhone", input.ReferringClinicianPhone, required: false);
        var referrerEmail = v.Email("referringClinicianEmail", input.ReferringClinicianEmail, required: false);
        if (email is null && phone is null && v.Errors.All(e => e.Field is not ("email" or "phone")))
        {
            v.Add("phone", "a phone number or an email address is required to reach the patient.");
        }
        if (!v.IsValid)
        {
            return (null, v.Errors);
        }
        return (new PatientDemographics(given!, family!, preferred, input.DateOfBirth!.Value, sex, email, phone,
            address1, address2, city, region, postal, ecName, ecRelationship, ecPhone, companion, companionPhone,
            referrer, referrerPhone, referrerEmail), []);
    }

    public static bool TryParseSex(string? text, out AdministrativeSex sex) =>
        Enum.TryParse(text?.Trim(), ignoreCase: true, out sex) && Enum.IsDefined(sex);

    /// <summary>
    /// ICD-10-CM code shape: a letter (not U), a digit, a digit or A/B, then optionally a dot and one to four
    /// characters (CMS ICD-10-CM tabular list conventions). The shape only; whether the code exists is not checked here.
    /// </summary>
    public static bool IsIcd10CmCode(string? code) => code is not null && Icd10CmPattern().IsMatch(code);

    public static string NormalizeIcd10(string code)
    {
        var c = (code ?? string.Empty).Trim().ToUpperInvariant();
        // Accept the undotted form (F332) that many systems send and store the dotted one (F33.2).
        if (c.Length > 3 && c[3] != '.' && !c.Contains('.', StringComparison.Ordinal))
        {
            c = c[..3] + "." + c[3..];
        }
        return c;
    }

    [GeneratedRegex(@"^[A-TV-Z][0-9][0-9AB](\.[0-9A-Z]{1,4})?$", RegexOptions.CultureInvariant)]
    private static partial Regex Icd10CmPattern();
}
