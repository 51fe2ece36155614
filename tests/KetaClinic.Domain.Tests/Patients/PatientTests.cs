using FsCheck.Xunit;
using KetaClinic.Domain.Common;
using KetaClinic.Domain.Patients;

namespace KetaClinic.Domain.Tests.Patients;

public sealed class MrnTests
{
    [Property]
    public bool Every_generated_mrn_is_valid(uint seed) => Mrn.IsValid(Mrn.Random(new Random((int)seed)));

    [Property]
    public bool Changing_any_single_digit_is_caught_by_the_check_digit(uint number, byte position, byte replacement)
    {
        var mrn = Mrn.FromNumber(number % (Mrn.MaxBody + 1));
        var index = 2 + (position % 8);
        var digit = (char)('0' + (replacement % 10));
        if (mrn[index] == digit)
        {
            return true;
        }
        var typo = mrn[..index] + digit + mrn[(index + 1)..];
        return !Mrn.IsValid(typo);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("KC1234567")]
    [InlineData("XX12345678")]
    [InlineData("KC1234567A")]
    public void Malformed_mrns_are_not_valid(string? mrn) => Assert.False(Mrn.IsValid(mrn));
}

public sealed class PatientRulesTests
{
    private static readonly DateOnly Today = new(2026, 11, 23);

    private static PatientDetails Valid => new()
    {
        LegalGivenName = " Ana ",
        LegalFamilyName = "Lopez",
        DateOfBirth = new DateOnly(1990, 1, 1),
        Sex = "Female",
        Phone = "+1 (217) 555-0101",
    };

    [Fact]
    public void Valid_details_are_trimmed_and_accepted()
    {
        var (value, errors) = PatientRules.Validate(Valid, Today);
        Assert.Empty(errors);
        Assert.Equal("Ana", value!.LegalGivenName);
        Assert.Equal(AdministrativeSex.Female, value.Sex);
    }

    [Fact]
    public void A_birth_date_in_the_future_is_refused_naming_dateOfBirth()
    {
        var (_, errors) = PatientRules.Validate(Valid with { DateOfBirth = Today.AddDays(1) }, Today);
        Assert.Equal("dateOfBirth", Assert.Single(errors).Field);
    }

    [Fact]
    public void A_patient_must_be_reachable_by_phone_or_email()
    {
        var (_, errors) = PatientRules.Validate(Valid with { Phone = null }, Today);
        Assert.Equal("phone", Assert.Single(errors).Field);
    }

    [Fact]
    public void A_companion_without_a_phone_number_is_refused()
    {
        var (_, errors) = PatientRules.Validate(Valid with { CompanionName = "Sam" }, Today);
        Assert.Equal("companionPhone", Assert.Single(errors).Field);
    }

    [Theory]
    [InlineData("F33.2", true)]
    [InlineData("F41.1", true)]
    [InlineData("F43.10", true)]
    [InlineData("F31.81", true)]
    [InlineData("F32.A", true)]
    [InlineData("U07.1", false)]
    [InlineData("F3", false)]
    [InlineData("33.2", false)]
    [InlineData("F33.23456", false)]
    public void Icd10cm_code_shape_is_checked(string code, bool valid) => Assert.Equal(valid, PatientRules.IsIcd10CmCode(PatientRules.NormalizeIcd10(code)));

    [Fact]
    public void Undotted_codes_are_stored_dotted() => Assert.Equal("F33.2", PatientRules.NormalizeIcd10("f332"));
}

public sealed class PatientAggregateTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 15, 0, 0, TimeSpan.Zero);
    private static readonly DateOnly Today = new(2026, 11, 23);

    private static Patient NewPatient()
    {
        var (d, _) = PatientRules.Validate(new PatientDetails { LegalGivenName = "Ana", LegalFamilyName = "Lopez", DateOfBirth = new DateOnly(1990, 6, 15), Sex = "female", Phone = "+1 217 555 0101" }, Today);
        return Patient.Register(Guid.NewGuid(), Mrn.FromNumber(42), d!, Now);
    }

    [Fact]
    public void A_stale_version_cannot_overwrite_a_newer_edit()
    {
        var p = NewPatient();
        var (d, _) = PatientRules.Validate(new PatientDetails { LegalGivenName = "Ana", LegalFamilyName = "Lopez-Diaz", DateOfBirth = new DateOnly(1990, 6, 15), Sex = "female", Phone = "+1 217 555 0101" }, Today);
        p.UpdateDemographics(d!, 1, Now);
        Assert.Throws<StaleVersionException>(() => p.UpdateDemographics(d!, 1, Now));
    }

    [Fact]
    public void A_diagnosis_onset_before_birth_is_refused()
    {
        var ex = Assert.Throws<DomainValidationException>(() => NewPatient().AddDiagnosis(Guid.NewGuid(), "F33.2", null, new DateOnly(1980, 1, 1), Today, "u", Now));
        Assert.Equal("onsetDate", Assert.Single(ex.Errors).Field);
    }

    [Fact]
    public void The_same_active_diagnosis_is_not_recorded_twice()
    {
        var p = NewPatient();
        p.AddDiagnosis(Guid.NewGuid(), "F33.2", null, null, Today, "u", Now);
        Assert.Throws<DomainValidationException>(() => p.AddDiagnosis(Guid.NewGuid(), "f332", null, null, Today, "u", Now));
    }

    [Fact]
    public void A_diagnosis_entered_in_error_cannot_be_revived()
    {
        var p = NewPatient();
        var d = p.AddDiagnosis(Guid.NewGuid(), "F41.1", null, null, Today, "u", Now);
        p.ChangeDiagnosisStatus(d.Id, DiagnosisStatus.EnteredInError, Now);
        var ex = Assert.Throws<DomainValidationException>(() => p.ChangeDiagnosisStatus(d.Id, DiagnosisStatus.Active, Now));
        Assert.Equal("status", Assert.Single(ex.Errors).Field);
    }

    [Theory]
    [InlineData(MeasurementKind.Weight, 19.9)]
    [InlineData(MeasurementKind.Weight, 350.1)]
    [InlineData(MeasurementKind.Height, 99)]
    [InlineData(MeasurementKind.Weight, 70.25)]
    public void Implausible_measurements_are_refused_naming_value(MeasurementKind kind, double value)
    {
        var patient = NewPatient();
        var ex = Assert.Throws<DomainValidationException>(() => kind == MeasurementKind.Weight
            ? patient.RecordWeight(Guid.NewGuid(), new WeightKg((decimal)value), Now, MeasurementLimits.Default, "u", Now)
            : patient.RecordHeight(Guid.NewGuid(), new HeightCm((decimal)value), Now, MeasurementLimits.Default, "u", Now));
        Assert.All(ex.Errors, e => Assert.Equal("value", e.Field));
    }

    [Fact]
    public void The_latest_weight_is_the_most_recently_measured_not_the_last_entered()
    {
        var p = NewPatient();
        p.RecordWeight(Guid.NewGuid(), new WeightKg(80m), Now.AddDays(-1), MeasurementLimits.Default, "u", Now);
        p.RecordWeight(Guid.NewGuid(), new WeightKg(82m), Now.AddDays(-30), MeasurementLimits.Default, "u", Now);
        Assert.Equal(new WeightKg(80m), p.LatestWeight!.Value.Weight);
        Assert.Equal(Now.AddDays(-1), p.LatestWeight!.Value.MeasuredAt);
    }

    [Fact]
    public void Age_counts_completed_years() => Assert.Equal(36, NewPatient().AgeOn(new DateOnly(2026, 6, 15)));
}
