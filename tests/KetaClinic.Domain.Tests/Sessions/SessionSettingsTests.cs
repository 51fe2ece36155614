using KetaClinic.Domain.Sessions;

namespace KetaClinic.Domain.Tests.Sessions;

public class SessionSettingsTests
{
    [Fact]
    public void The_default_settings_are_valid_and_every_one_names_a_source()
    {
        Assert.Empty(SessionSettings.Default.Validate());
        var settings = SessionSettings.Default;
        Assert.Contains("REFERENCE.md §6", settings.Rems.SubmitWithinDays.Source, StringComparison.Ordinal);
        Assert.Contains("[open]", settings.Escalation.SecondLevelAfterMinutes.Source, StringComparison.Ordinal);
        Assert.Contains("REFERENCE.md §6", settings.PreDose.NotOverridable.Source, StringComparison.Ordinal);
    }

    [Fact]
    public void A_value_out_of_range_is_named_with_its_group()
    {
        var settings = SessionSettings.Default with
        {
            Escalation = AlertEscalationSettings.Default with { SecondLevelAfterMinutes = new(0, "clinic policy") },
            Discharge = DischargeSettings.Default with { MinimumSpO2Percent = new(101m, "clinic policy") },
        };

        Assert.Equal(
            ["Escalation.SecondLevelAfterMinutes", "Discharge.MinimumSpO2Percent"],
            settings.Validate().Select(e => e.Field));
    }

    [Fact]
    public void A_setting_without_a_source_is_refused()
    {
        var settings = SessionSettings.Default with
        {
            Monitoring = MonitoringSettings.Default with { OximetryMaxGapMinutes = new(5, " ") },
        };

        var error = Assert.Single(settings.Validate());

        Assert.Equal("Monitoring.OximetryMaxGapMinutes", error.Field);
        Assert.Equal("needs a source.", error.Message);
    }
}
