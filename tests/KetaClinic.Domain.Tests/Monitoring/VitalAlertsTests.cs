using KetaClinic.Domain.Monitoring;

namespace KetaClinic.Domain.Tests.Monitoring;

public class VitalAlertsTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 3, 10, 30, 0, TimeSpan.FromHours(-6));
    private static readonly DeviceIdentity Monitor = new("MON", "ICU", null, "INF^CHAIR3");

    private static VitalObservation Observation(VitalKind kind, decimal value, DateTimeOffset? at = null, DeviceIdentity? device = null) =>
        new(kind, new VitalValue(value, VitalSigns.UnitOf(kind)), at ?? Now, device ?? Monitor, "code", "F", null);

    private static IReadOnlyList<VitalAlert> Alerts(VitalKind kind, decimal value) =>
        VitalAlerts.Evaluate(Observation(kind, value), VitalAlertSettings.Default);

    [Theory]
    [InlineData(VitalKind.SystolicBloodPressure, 179, 180)]
    [InlineData(VitalKind.DiastolicBloodPressure, 109, 110)]
    [InlineData(VitalKind.HeartRate, 120, 121)]
    [InlineData(VitalKind.HeartRate, 50, 49)]
    [InlineData(VitalKind.OxygenSaturation, 92, 91)]
    [InlineData(VitalKind.RespiratoryRate, 10, 9)]
    public void Each_default_threshold_alerts_exactly_from_its_limit(VitalKind kind, int quiet, int alerting)
    {
        Assert.Empty(Alerts(kind, quiet));
        var alert = Assert.Single(Alerts(kind, alerting));
        Assert.Equal(kind, alert.Vital);
        Assert.Equal(VitalAlertSeverity.Alert, alert.Severity);
        Assert.Contains("REFERENCE.md §5", alert.Source, StringComparison.Ordinal);
    }

    [Fact]
    public void An_alert_says_what_crossed_which_threshold()
    {
        var alert = Assert.Single(Alerts(VitalKind.SystolicBloodPressure, 185));

        Assert.Equal("Systolic blood pressure 185 mmHg is at or above the alert threshold of 180 mmHg.", alert.Message);
        Assert.Equal(new VitalValue(180m, VitalUnit.MillimetresOfMercury), alert.Threshold);
        Assert.Equal(ThresholdDirection.AtOrAbove, alert.Direction);
        Assert.Equal(Monitor, alert.Device);
        Assert.Equal(Now, alert.ObservedAt);
    }

    [Fact]
    public void Low_spo2_reads_as_below_its_threshold()
    {
        Assert.Equal("SpO2 88 % is below the alert threshold of 92 %.", Assert.Single(Alerts(VitalKind.OxygenSaturation, 88)).Message);
    }

    [Fact]
    public void Temperature_has_no_default_threshold_but_a_clinic_can_add_one()
    {
        Assert.Empty(Alerts(VitalKind.BodyTemperature, 39.5m));
        var settings = VitalAlertSettings.Default with
        {
            Thresholds = [.. VitalAlertSettings.Default.Thresholds, new(new(VitalKind.BodyTemperature, ThresholdDirection.AtOrAbove, 38m, VitalAlertSeverity.Caution), "Clinic protocol")],
        };

        var alert = Assert.Single(VitalAlerts.Evaluate(Observation(VitalKind.BodyTemperature, 38m), settings));

        Assert.Equal(VitalAlertSeverity.Caution, alert.Severity);
        Assert.Equal("Clinic protocol", alert.Source);
    }

    [Fact]
    public void An_observation_crossing_two_rules_raises_two_alerts()
    {
        var settings = VitalAlertSettings.Default with
        {
            Thresholds = [.. VitalAlertSettings.Default.Thresholds, new(new(VitalKind.HeartRate, ThresholdDirection.AtOrAbove, 100m, VitalAlertSeverity.Caution), "Clinic protocol")],
        };

        var alerts = VitalAlerts.Evaluate(Observation(VitalKind.HeartRate, 130), settings);

        Assert.Equal([VitalAlertSeverity.Alert, VitalAlertSeverity.Caution], alerts.Select(a => a.Severity));
    }

    [Fact]
    public void Pre_dose_check_with_no_blood_pressure_is_not_met()
    {
        var result = VitalAlerts.CheckPreDoseBloodPressure(null, Now, VitalAlertSettings.Default);

        Assert.False(result.IsMet);
        Assert.Equal(PreDoseBloodPressureStatus.NoReading, result.Status);
        Assert.Equal("Not met: no blood pressure recorded before this dose.", result.Message);
    }

    [Theory]
    [InlineData(140, 90, PreDoseBloodPressureStatus.Met)]
    [InlineData(141, 80, PreDoseBloodPressureStatus.Hold)]
    [InlineData(130, 91, PreDoseBloodPressureStatus.Hold)]
    [InlineData(150, 95, PreDoseBloodPressureStatus.Hold)]
    [InlineData(118, 76, PreDoseBloodPressureStatus.Met)]
    public void Pre_dose_blood_pressure_above_140_over_90_holds_dosing(int systolic, int diastolic, PreDoseBloodPressureStatus expected)
    {
        var result = VitalAlerts.CheckPreDoseBloodPressure(new BloodPressureReading(systolic, diastolic, Now.AddMinutes(-5)), Now, VitalAlertSettings.Default);

        Assert.Equal(expected, result.Status);
        Assert.Contains("REFERENCE.md §5", result.Source, StringComparison.Ordinal);
    }

    [Fact]
    public void A_hold_names_the_reading_and_the_limit()
    {
        var result = VitalAlerts.CheckPreDoseBloodPressure(new BloodPressureReading(152, 88, Now), Now, VitalAlertSettings.Default);

        Assert.Equal("Hold dosing: blood pressure 152/88 mmHg is above 140/90 mmHg.", result.Message);
    }

    [Fact]
    public void A_pre_dose_reading_older_than_the_allowed_age_is_not_met()
    {
        var fresh = VitalAlerts.CheckPreDoseBloodPressure(new BloodPressureReading(120, 80, Now.AddMinutes(-30)), Now, VitalAlertSettings.Default);
        var stale = VitalAlerts.CheckPreDoseBloodPressure(new BloodPressureReading(120, 80, Now.AddMinutes(-31)), Now, VitalAlertSettings.Default);

        Assert.True(fresh.IsMet);
        Assert.Equal(PreDoseBloodPressureStatus.ReadingTooOld, stale.Status);
        Assert.Contains("31 minutes ago", stale.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_latest_reading_pairs_systolic_and_diastolic_of_the_same_measurement()
    {
        var other = Monitor with { BedLocation = "INF^CHAIR4" };
        var observations = new[]
        {
            Observation(VitalKind.SystolicBloodPressure, 120, Now.AddMinutes(-20)),
            Observation(VitalKind.DiastolicBloodPressure, 80, Now.AddMinutes(-20)),
            Observation(VitalKind.SystolicBloodPressure, 150, Now.AddMinutes(-5)),
            Observation(VitalKind.DiastolicBloodPressure, 95, Now.AddMinutes(-5), other),
            Observation(VitalKind.SystolicBloodPressure, 160, Now.AddMinutes(-1)),
            Observation(VitalKind.HeartRate, 70, Now),
        };

        Assert.Equal(new BloodPressureReading(120, 80, Now.AddMinutes(-20)), BloodPressureReading.LatestFrom(observations));
        Assert.Null(BloodPressureReading.LatestFrom(observations.Where(o => o.Kind != VitalKind.DiastolicBloodPressure)));
    }

    [Fact]
    public void Blood_pressure_is_overdue_once_the_interval_has_passed()
    {
        var last = Now.AddMinutes(-10);

        var due = VitalAlerts.CheckBloodPressureOverdue(last, Now, VitalAlertSettings.Default);
        var overdue = VitalAlerts.CheckBloodPressureOverdue(last, Now.AddSeconds(1), VitalAlertSettings.Default);

        Assert.False(due.IsOverdue);
        Assert.True(overdue.IsOverdue);
        Assert.Equal(Now, overdue.DueAt);
        Assert.Contains("every 10 minutes", overdue.Message, StringComparison.Ordinal);
        Assert.Contains("REFERENCE.md §5", overdue.Source, StringComparison.Ordinal);
    }

    [Fact]
    public void With_no_blood_pressure_at_all_it_is_overdue()
    {
        var result = VitalAlerts.CheckBloodPressureOverdue(null, Now, VitalAlertSettings.Default);

        Assert.True(result.IsOverdue);
        Assert.Null(result.DueAt);
        Assert.Contains("no blood pressure recorded", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_interval_is_a_clinic_setting()
    {
        var settings = VitalAlertSettings.Default with { BloodPressureIntervalDuringInfusionMinutes = new(5, "Clinic protocol") };

        Assert.True(VitalAlerts.CheckBloodPressureOverdue(Now.AddMinutes(-6), Now, settings).IsOverdue);
        Assert.False(VitalAlerts.CheckBloodPressureOverdue(Now.AddMinutes(-6), Now, VitalAlertSettings.Default).IsOverdue);
    }

    [Fact]
    public void Default_alert_settings_are_valid_and_sourced()
    {
        Assert.Empty(VitalAlertSettings.Default.Validate());
        Assert.All(VitalAlertSettings.Default.Thresholds, t => Assert.Contains("REFERENCE.md §5", t.Source, StringComparison.Ordinal));
    }

    [Fact]
    public void Alert_settings_validation_names_each_problem()
    {
        var settings = new VitalAlertSettings
        {
            Thresholds = [new(new(VitalKind.HeartRate, ThresholdDirection.Above, -1m, VitalAlertSeverity.Alert), "")],
            PreDoseHoldSystolicAboveMmHg = new(90m, "x"),
            PreDoseHoldDiastolicAboveMmHg = new(95m, "x"),
            PreDoseReadingMaxAgeMinutes = new(0, "x"),
            BloodPressureIntervalDuringInfusionMinutes = new(10, " "),
        };

        var errors = settings.Validate();

        Assert.Contains(errors, e => e.Row == 1 && e.Message.Contains("negative", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Row == 1 && e.Message.Contains("source", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Field == "PreDoseHoldDiastolicAboveMmHg" && e.Message.Contains("below the systolic", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Field == "PreDoseReadingMaxAgeMinutes");
        Assert.Contains(errors, e => e.Field == "BloodPressureIntervalDuringInfusionMinutes" && e.Message.Contains("source", StringComparison.Ordinal));
    }
}
