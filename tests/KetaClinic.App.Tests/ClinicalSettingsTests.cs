using KetaClinic.App.Features.Sessions;
using KetaClinic.Domain.Monitoring;
using KetaClinic.Domain.Sessions;
using Microsoft.Extensions.Configuration;

namespace KetaClinic.App.Tests;

/// <summary>The clinic's values for the chair's clinical settings and the monitor mapping, laid over REFERENCE.md's defaults.</summary>
public sealed class ClinicalSettingsTests
{
    private static IConfiguration Config(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();

    private static string Refused(Action load) => Assert.Throws<InvalidOperationException>(load).Message;

    [Fact]
    public void Without_configuration_the_settings_are_the_reference_defaults_and_the_app_keys_of_the_section_are_not_clinical_settings()
    {
        var settings = ClinicalSettings.Sessions(Config(("Sessions:WatchIntervalSeconds", "5")));
        Assert.Equal(ClinicalSettings.Snapshot(SessionSettings.Default), ClinicalSettings.Snapshot(settings));
        Assert.Same(SessionSettings.Default.Medications, settings.Medications);
        Assert.Equal(ClinicalSettings.Snapshot(SessionSettings.Default), ClinicalSettings.Snapshot(ClinicalSettings.FromSnapshot(ClinicalSettings.Snapshot(settings), settings)));
        Assert.Equal(VitalsMappingSettings.Default.Codes, ClinicalSettings.Mapping(Config()).Codes);
    }

    [Fact]
    public void A_clinic_value_with_its_source_replaces_the_default_and_leaves_the_other_settings_as_they_were()
    {
        var settings = ClinicalSettings.Sessions(Config(
            ("Sessions:Vitals:PreDoseHoldSystolicAboveMmHg:Value", "150"),
            ("Sessions:Vitals:PreDoseHoldSystolicAboveMmHg:Source", "Medical director, policy 2026-04"),
            ("Sessions:Escalation:SecondLevelAfterMinutes:Value", "3"),
            ("Sessions:Escalation:SecondLevelAfterMinutes:Source", "Clinic policy")));

        Assert.Equal(150m, settings.Vitals.PreDoseHoldSystolicAboveMmHg.Value);
        Assert.Equal("Medical director, policy 2026-04", settings.Vitals.PreDoseHoldSystolicAboveMmHg.Source);
        Assert.Equal(3, settings.Escalation.SecondLevelAfterMinutes.Value);
        Assert.Equal(SessionSettings.Default.Vitals.PreDoseHoldDiastolicAboveMmHg, settings.Vitals.PreDoseHoldDiastolicAboveMmHg);
        Assert.Equal(SessionSettings.Default.Discharge, settings.Discharge);
        Assert.NotEqual(ClinicalSettings.VersionOf(ClinicalSettings.Snapshot(SessionSettings.Default)), ClinicalSettings.VersionOf(ClinicalSettings.Snapshot(settings)));
    }

    [Fact]
    public void A_changed_value_without_its_source_is_refused_naming_the_source_key()
    {
        var message = Refused(() => ClinicalSettings.Sessions(Config(("Sessions:Vitals:PreDoseHoldSystolicAboveMmHg:Value", "150"))));
        Assert.Contains("Sessions:Vitals:PreDoseHoldSystolicAboveMmHg:Source", message, StringComparison.Ordinal);
        Assert.Contains("required", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Sessions:Vitals:PreDoseHoldSystolicAboveMmHg:Value", "high", "Sessions:Vitals:PreDoseHoldSystolicAboveMmHg:Value", "not a number")]
    [InlineData("Sessions:Vitals:PreDoseHoldSystolicAboveMmHg:Value", "0", "Sessions:Vitals:PreDoseHoldSystolicAboveMmHg", "must be above 0")]
    [InlineData("Sessions:Vitals:PreDoseHoldSytolic:Value", "150", "Sessions:Vitals:PreDoseHoldSytolic", "not a setting")]
    [InlineData("Sessions:Discharge:MinimumSpO2Percent:Value", "40", "Sessions:Discharge:MinimumSpO2Percent", "50")]
    [InlineData("Sessions:PreDose:PregnancyCheckApplies:Value", "sometimes", "Sessions:PreDose:PregnancyCheckApplies:Value", "true or false")]
    [InlineData("Sessions:Vitals", "180", "Sessions:Vitals", "not a single value")]
    public void A_bad_value_is_refused_naming_its_key_and_the_rule(string key, string value, string named, string rule)
    {
        // A changed value comes with its source, so only the rule under test is broken.
        var values = key.EndsWith(":Value", StringComparison.Ordinal) ? new[] { (key, value), (key[..^6] + ":Source", "Clinic policy") } : [(key, value)];
        var message = Refused(() => ClinicalSettings.Sessions(Config(values)));
        Assert.Contains(named, message, StringComparison.Ordinal);
        Assert.Contains(rule, message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_threshold_list_given_in_configuration_replaces_the_built_in_list_and_each_item_must_be_complete()
    {
        var settings = ClinicalSettings.Sessions(Config(
            ("Sessions:Vitals:Thresholds:0:Value:Vital", "OxygenSaturation"),
            ("Sessions:Vitals:Thresholds:0:Value:Direction", "Below"),
            ("Sessions:Vitals:Thresholds:0:Value:Limit", "94"),
            ("Sessions:Vitals:Thresholds:0:Value:Severity", "Alert"),
            ("Sessions:Vitals:Thresholds:0:Source", "Clinic policy: SpO2 < 94 % at altitude"),
            ("Sessions:Vitals:Thresholds:1:Value:Vital", "BodyTemperature"),
            ("Sessions:Vitals:Thresholds:1:Value:Direction", "AtOrAbove"),
            ("Sessions:Vitals:Thresholds:1:Value:Limit", "38.5"),
            ("Sessions:Vitals:Thresholds:1:Value:Severity", "Caution"),
            ("Sessions:Vitals:Thresholds:1:Source", "Clinic policy: fever")));
        Assert.Equal(2, settings.Vitals.Thresholds.Count);
        Assert.Equal(new VitalThreshold(VitalKind.OxygenSaturation, ThresholdDirection.Below, 94m, VitalAlertSeverity.Alert), settings.Vitals.Thresholds[0].Value);
        Assert.Equal(38.5m, settings.Vitals.Thresholds[1].Value.Limit);

        var incomplete = Refused(() => ClinicalSettings.Sessions(Config(
            ("Sessions:Vitals:Thresholds:0:Value:Vital", "OxygenSaturation"),
            ("Sessions:Vitals:Thresholds:0:Value:Direction", "Below"),
            ("Sessions:Vitals:Thresholds:0:Source", "Clinic policy"))));
        Assert.Contains("Sessions:Vitals:Thresholds:0:Value:Limit", incomplete, StringComparison.Ordinal);
        Assert.Contains("Sessions:Vitals:Thresholds:0:Value:Severity", incomplete, StringComparison.Ordinal);

        var unknown = Refused(() => ClinicalSettings.Sessions(Config(
            ("Sessions:Vitals:Thresholds:0:Value:Vital", "Mood"),
            ("Sessions:Vitals:Thresholds:0:Value:Direction", "Below"),
            ("Sessions:Vitals:Thresholds:0:Value:Limit", "1"),
            ("Sessions:Vitals:Thresholds:0:Value:Severity", "Alert"),
            ("Sessions:Vitals:Thresholds:0:Source", "Clinic policy"))));
        Assert.Contains("Sessions:Vitals:Thresholds:0:Value:Vital", unknown, StringComparison.Ordinal);

        var gap = Refused(() => ClinicalSettings.Sessions(Config(("Sessions:Vitals:Thresholds:1:Value:Vital", "HeartRate"))));
        Assert.Contains("numbered 0, 1, 2", gap, StringComparison.Ordinal);
    }

    [Fact]
    public void A_monitor_code_list_in_configuration_maps_the_clinics_device_codes_and_a_code_without_its_source_is_refused()
    {
        var mapping = ClinicalSettings.Mapping(Config(
            ("Hl7:Mapping:Codes:0:CodingSystem", "99PHL"),
            ("Hl7:Mapping:Codes:0:Code", "HR-ECG"),
            ("Hl7:Mapping:Codes:0:Kind", "HeartRate"),
            ("Hl7:Mapping:Codes:0:Source", "Clinic device list, monitor model X")));
        var code = Assert.Single(mapping.Codes);
        Assert.Equal(new ObservationCodeMapping("99PHL", "HR-ECG", VitalKind.HeartRate, "Clinic device list, monitor model X"), code);

        var missing = Refused(() => ClinicalSettings.Mapping(Config(
            ("Hl7:Mapping:Codes:0:CodingSystem", "99PHL"),
            ("Hl7:Mapping:Codes:0:Code", "HR-ECG"),
            ("Hl7:Mapping:Codes:0:Kind", "HeartRate"))));
        Assert.Contains("Hl7:Mapping:Codes:0:Source", missing, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_setting_is_shown_under_the_key_that_changes_it_with_its_value_and_a_source()
    {
        var settings = ClinicalSettings.Sessions(Config(
            ("Sessions:Rems:SubmitWithinDays:Value", "5"),
            ("Sessions:Rems:SubmitWithinDays:Source", "Clinic policy: a margin before the REMS deadline")));
        var rows = ClinicalSettings.Describe(settings, ClinicalSettings.SessionsSection)
            .Concat(ClinicalSettings.Describe(ClinicalSettings.Mapping(Config()), ClinicalSettings.MappingSection)).ToList();

        Assert.All(rows, r => Assert.False(string.IsNullOrWhiteSpace(r.Source), $"{r.Key} has no source"));
        var hold = Assert.Single(rows, r => r.Key == "Sessions:Vitals:PreDoseHoldSystolicAboveMmHg");
        Assert.Equal("140", hold.Value);
        Assert.Contains("REFERENCE.md §5", hold.Source, StringComparison.Ordinal);
        Assert.Equal(new ClinicalSettings.Described("Sessions:Rems:SubmitWithinDays", "5", "Clinic policy: a margin before the REMS deadline"),
            Assert.Single(rows, r => r.Key == "Sessions:Rems:SubmitWithinDays"));
        Assert.Contains(rows, r => r.Key == "Sessions:Vitals:Thresholds:4" && r.Value.Contains("OxygenSaturation", StringComparison.Ordinal) && r.Value.Contains("92", StringComparison.Ordinal));
        Assert.Contains(rows, r => r.Key.StartsWith("Hl7:Mapping:Codes:", StringComparison.Ordinal) && r.Value.Contains("150456", StringComparison.Ordinal));
        Assert.DoesNotContain(rows, r => r.Key.Contains("Medications", StringComparison.Ordinal));
        Assert.Single(rows, r => r.Key == "Hl7:Mapping:Plausibility:SystolicMmHg");
        Assert.DoesNotContain(rows, r => r.Key.StartsWith("Sessions:Plausibility", StringComparison.Ordinal));
        var twice = Refused(() => ClinicalSettings.Sessions(Config(("Sessions:Plausibility:SystolicMmHg:Value:Min", "30"), ("Sessions:Plausibility:SystolicMmHg:Source", "x"))));
        Assert.Contains("Hl7:Mapping:Plausibility", twice, StringComparison.Ordinal);

        // The limits set under the mapping are the ones the chair's settings carry.
        var lower = ClinicalSettings.Sessions(Config(("Hl7:Mapping:Plausibility:SystolicMmHg:Value:Min", "30"), ("Hl7:Mapping:Plausibility:SystolicMmHg:Value:Max", "300"),
            ("Hl7:Mapping:Plausibility:SystolicMmHg:Source", "Clinic policy")));
        Assert.Equal(30m, lower.Plausibility.SystolicMmHg.Value.Min);
    }
}
