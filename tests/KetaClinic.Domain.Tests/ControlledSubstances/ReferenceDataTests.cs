using KetaClinic.Domain.Common;
using KetaClinic.Domain.ControlledSubstances;

namespace KetaClinic.Domain.Tests.ControlledSubstances;

public sealed class ReferenceDataTests
{
    [Theory]
    [InlineData("AB1234563")]
    [InlineData("ab1234563")]
    [InlineData(" FK1234563 ")]
    [InlineData("PM3141594")]
    public void A_DEA_number_with_the_right_check_digit_is_valid(string number) => Assert.True(DeaNumber.IsValid(number));

    [Theory]
    [InlineData("AB1234564")] // wrong check digit
    [InlineData("AB123456")] // six digits
    [InlineData("A11234563")] // one letter
    [InlineData("AB12345630")]
    [InlineData("")]
    [InlineData(null)]
    public void A_DEA_number_with_a_wrong_shape_or_check_digit_is_invalid(string? number) => Assert.False(DeaNumber.IsValid(number));

    [Fact]
    public void The_check_digit_follows_the_DEA_rule()
    {
        // 1+3+5 = 9; 2 × (2+4+6) = 24; 33 → 3
        Assert.Equal(3, DeaNumber.CheckDigit(1, 2, 3, 4, 5, 6));
    }

    [Theory]
    [InlineData("0409-2051-05", "00409-2051-05")]
    [InlineData("50458-028-02", "50458-0028-02")]
    [InlineData("50458-0028-2", "50458-0028-02")]
    [InlineData("50458-0028-02", "50458-0028-02")]
    public void Each_NDC_shape_normalises_to_eleven_digits(string text, string eleven)
    {
        Assert.True(Ndc.TryParse(text, out var ndc));
        Assert.Equal(eleven, ndc!.ElevenDigit);
        Assert.Equal(text, ndc.Text);
    }

    [Theory]
    [InlineData("0409205105")] // no hyphens
    [InlineData("0409-205-05")] // 4-3-2
    [InlineData("0409-2051-5")] // 4-4-1
    [InlineData("50458-028-2")] // 5-3-1
    [InlineData("504580-028-02")]
    [InlineData("0409-2051-0a")]
    public void An_NDC_outside_the_legal_shapes_is_refused(string text) => Assert.False(Ndc.TryParse(text, out _));

    [Fact]
    public void Two_ways_of_writing_one_package_code_are_the_same_NDC() =>
        Assert.Equal(Ndc.Parse("0409-2051-05"), Ndc.Parse("00409-2051-05"));

    [Fact]
    public void A_vial_holds_its_volume_times_its_concentration()
    {
        Assert.Equal(MassMcg.FromMilligrams(500), Clinic.Ketamine50.MassPerContainer);
        Assert.Equal(MassMcg.FromMilligrams(56), Clinic.Esketamine56.MassPerContainer);
        Assert.Equal("7285", Clinic.Ketamine50.DeaDrugCode);
        Assert.Equal(DeaSchedule.III, Clinic.Esketamine56.Schedule);
    }

    [Fact]
    public void Esketamine_carries_its_drug_code_as_data_with_an_open_note()
    {
        Assert.Equal("7285", ControlledDrugCatalogue.Esketamine.DeaDrugCode.Value);
        Assert.Contains("[open", ControlledDrugCatalogue.Esketamine.DeaDrugCode.Source, StringComparison.Ordinal);
        var custom = Product.NasalDevice(Guid.NewGuid(), ControlledDrug.EsketamineHydrochloride, "50458-028-03", MassMcg.FromMilligrams(28), 3, deaDrugCode: "7286");
        Assert.Equal("7286", custom.DeaDrugCode);
    }

    [Fact]
    public void A_product_with_a_bad_NDC_a_fractional_strength_and_no_volume_names_each_field()
    {
        var ex = Assert.Throws<DomainValidationException>(() => Product.Vial(
            Guid.NewGuid(), ControlledDrug.KetamineHydrochloride, "409-2051-05", new ConcentrationMcgPerMl(50_500), new VolumeUl(0)));
        Assert.Equal(["ndc", "concentration", "volumePerContainer"], ex.Errors.Select(e => e.Field));
    }

    [Fact]
    public void A_vial_amount_converts_exactly_or_not_at_all()
    {
        var vial = Clinic.Ketamine50;
        Assert.Equal(MassMcg.FromMilligrams(60), vial.ToMass(MeasuredAmount.Millilitres(1.2m)).Mass);
        Assert.Equal(MassMcg.FromMilligrams(25), vial.ToMass(MeasuredAmount.Milligrams(25)).Mass);
        // 1 µg at 50 mg/mL is 0.02 µL: not a volume a syringe can hold, so it is refused, not rounded.
        Assert.Contains("not a whole number of microlitres", vial.ToMass(MeasuredAmount.Milligrams(0.001m)).Error, StringComparison.Ordinal);
        Assert.NotNull(vial.ToMass(MeasuredAmount.Devices(1)).Error);
        Assert.NotNull(vial.ToMass(new MeasuredAmount(0, AmountUnit.Microlitre)).Error);
    }

    [Fact]
    public void A_nasal_device_amount_is_in_devices_or_mg_never_mL()
    {
        var kit = Clinic.Esketamine56;
        Assert.Equal(MassMcg.FromMilligrams(56), kit.ToMass(MeasuredAmount.Devices(2)).Mass);
        Assert.Equal(MassMcg.FromMilligrams(14), kit.ToMass(MeasuredAmount.Milligrams(14)).Mass);
        Assert.NotNull(kit.ToMass(MeasuredAmount.Millilitres(0.2m)).Error);
        Assert.Equal("2 devices (56 mg)", kit.Describe(MassMcg.FromMilligrams(56)));
        Assert.Equal("1.2 mL (60 mg)", Clinic.Ketamine50.Describe(MassMcg.FromMilligrams(60)));
    }

    [Fact]
    public void Masses_finer_than_a_microgram_are_refused_not_rounded()
    {
        Assert.False(MassMcg.TryFromMilligrams(0.0005m, out _));
        Assert.False(VolumeUl.TryFromMillilitres(0.0001m, out _));
        Assert.Throws<ArgumentOutOfRangeException>(() => MassMcg.FromMilligrams(1.0001m));
        Assert.Equal(1_234, MassMcg.FromMilligrams(1.234m).Micrograms);
        Assert.Equal("1.234 mg", MassMcg.FromMilligrams(1.234m).ToString());
        Assert.Equal("0.25 mL", VolumeUl.FromMillilitres(0.25m).ToString());
    }

    [Fact]
    public void A_registration_warns_within_the_window_and_lapses_after_its_last_day()
    {
        var reg = DeaRegistration.Create("FK1234563", Clinic.LocationA, "KetaClinic", [DeaSchedule.III], new DateOnly(2024, 1, 1), new DateOnly(2026, 6, 30));
        var settings = LedgerSettings.Default;
        Assert.Equal(RegistrationStatus.Current, reg.StandingOn(new DateOnly(2026, 4, 30), settings).Status);
        Assert.Equal(RegistrationStatus.ExpiringSoon, reg.StandingOn(new DateOnly(2026, 5, 1), settings).Status);
        Assert.Equal(60, reg.StandingOn(new DateOnly(2026, 5, 1), settings).DaysUntilExpiry);
        Assert.Equal(RegistrationStatus.ExpiringSoon, reg.StandingOn(new DateOnly(2026, 6, 30), settings).Status);
        Assert.Equal(RegistrationStatus.Expired, reg.StandingOn(new DateOnly(2026, 7, 1), settings).Status);
        Assert.Equal(RegistrationStatus.NotYetValid, reg.StandingOn(new DateOnly(2023, 12, 31), settings).Status);
        var shorter = settings with { RegistrationExpiryWarningDays = new(10, "clinic policy") };
        Assert.Equal(RegistrationStatus.Current, reg.StandingOn(new DateOnly(2026, 5, 1), shorter).Status);
        Assert.Contains("clinic policy", settings.RegistrationExpiryWarningDays.Source, StringComparison.Ordinal);
    }

    [Fact]
    public void A_registration_with_a_bad_number_and_no_schedules_is_refused()
    {
        var ex = Assert.Throws<DomainValidationException>(() =>
            DeaRegistration.Create("FK1234564", Clinic.LocationA, "KetaClinic", [], new DateOnly(2024, 1, 1), new DateOnly(2023, 1, 1)));
        Assert.Equal(["number", "schedules", "expiresOn"], ex.Errors.Select(e => e.Field));
    }

    [Fact]
    public void Default_settings_are_valid_and_each_names_its_source()
    {
        Assert.Empty(LedgerSettings.Default.Validate());
        var broken = LedgerSettings.Default with
        {
            DestructionWitnesses = new(1, "REFERENCE.md §8"),
            Form106Days = new(45, " "),
        };
        Assert.Equal(["DestructionWitnesses", "Form106Days"], broken.Validate().Select(e => e.Field));
        Assert.Contains("REFERENCE.md §8 [open]", LedgerSettings.Default.WasteWitnessRequired.Source, StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_settings_refuse_every_command()
    {
        var h = new LedgerHarness { Settings = LedgerSettings.Default with { WitnessAuthenticationMaxAgeSeconds = new(0, "clinic policy") } };
        var errors = h.Refuse(h.ReceiptOf(Clinic.Ketamine50));
        Assert.Equal("settings.WitnessAuthenticationMaxAgeSeconds", Assert.Single(errors).Field);
    }
}
