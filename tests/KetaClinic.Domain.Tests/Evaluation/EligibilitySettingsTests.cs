using KetaClinic.Domain.Evaluation;

namespace KetaClinic.Domain.Tests.Evaluation;

public class EligibilitySettingsTests
{
    [Fact]
    public void Defaults_follow_the_clinical_reference_and_each_names_its_source()
    {
        var settings = EligibilitySettings.Default;

        Assert.Equal(6m, settings.Trd.MinimumTrialWeeks.Value);
        Assert.True(settings.Trd.RequireDifferentClasses.Value);
        Assert.Equal(2, settings.Trd.FailedAdequateTrialsRequired.Value);
        Assert.Equal(8m, settings.BenzodiazepineDiazepamEquivalentThresholdMgPerDay.Value);
        Assert.Contains("Andrashko", settings.BenzodiazepineDiazepamEquivalentThresholdMgPerDay.Source, StringComparison.Ordinal);
        Assert.Equal(6, settings.EligibilityValidityMonths.Value);
        Assert.Empty(settings.Validate());
    }

    [Fact]
    public void Out_of_range_settings_are_named_in_the_errors()
    {
        var settings = EligibilitySettings.Default with
        {
            Trd = TrdSettings.Default with
            {
                MinimumTrialWeeks = new(0m, "x"),
                FailedAdequateTrialsRequired = new(2, " "),
            },
            EligibilityValidityMonths = new(0, "x"),
        };

        var fields = settings.Validate().Select(e => e.Field).ToArray();

        Assert.Equal(["Trd.MinimumTrialWeeks", "Trd.FailedAdequateTrialsRequired", "EligibilityValidityMonths"], fields);
    }

    [Fact]
    public void The_evaluator_refuses_invalid_settings()
    {
        var rules = Fixtures.Rules with
        {
            Settings = EligibilitySettings.Default with { BenzodiazepineDiazepamEquivalentThresholdMgPerDay = new(-1m, "x") },
        };

        var error = Assert.Throws<ArgumentException>(() => EligibilityEvaluator.Evaluate(Fixtures.EligiblePatient(), rules));
        Assert.Contains("BenzodiazepineDiazepamEquivalentThresholdMgPerDay", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_decision_expires_after_the_validity_period()
    {
        var settings = EligibilitySettings.Default;
        var decidedOn = new DateOnly(2025, 1, 15);

        Assert.Equal(new DateOnly(2025, 7, 15), settings.ExpiresOn(decidedOn));
        Assert.True(settings.IsDecisionCurrent(decidedOn, new DateOnly(2025, 7, 14)));
        Assert.False(settings.IsDecisionCurrent(decidedOn, new DateOnly(2025, 7, 15)));
        Assert.False(settings.IsDecisionCurrent(decidedOn, new DateOnly(2025, 1, 14)));
    }
}
