using KetaClinic.Domain.Evaluation;

namespace KetaClinic.Domain.Sessions;

/// <summary>
/// Clinic settings of the discharge criteria. Vitals are "back within limits" when the latest blood pressure is no
/// more than the margins above the pre-dose baseline, the heart rate within its margin of baseline either way, SpO2
/// at or above the floor, and no alert threshold is crossed (<see cref="Monitoring.VitalAlertSettings"/>).
/// </summary>
public sealed record DischargeSettings
{
    private const string Margin = "clinic policy [open]: issue 6 asks for vitals back within a set margin of the pre-dose baseline before discharge";

    public SourcedSetting<decimal> SystolicMarginAboveBaselineMmHg { get; init; } = new(20m, Margin);

    public SourcedSetting<decimal> DiastolicMarginAboveBaselineMmHg { get; init; } = new(10m, Margin);

    public SourcedSetting<decimal> HeartRateMarginFromBaselinePerMinute { get; init; } = new(20m, Margin);

    public SourcedSetting<decimal> MinimumSpO2Percent { get; init; } = new(
        94m,
        "clinic policy [open]: SpO2 at or above 94 % on room air before leaving (during treatment the alert is below 92 %, REFERENCE.md §5)");

    /// <summary>Discharge vitals older than this do not count.</summary>
    public SourcedSetting<int> VitalsMaxAgeMinutes { get; init; } = new(
        15,
        "clinic policy [open]: discharge vitals within the last 15 minutes");

    /// <summary>A discharge assessment older than this does not count.</summary>
    public SourcedSetting<int> AssessmentMaxAgeMinutes { get; init; } = new(
        30,
        "clinic policy [open]: the discharge assessment is made within 30 minutes of leaving");

    public static DischargeSettings Default { get; } = new();

    public IReadOnlyList<DataValidationError> Validate()
    {
        var errors = new List<DataValidationError>();
        SettingChecks.Range(errors, nameof(SystolicMarginAboveBaselineMmHg), SystolicMarginAboveBaselineMmHg, 0m, 100m, "mmHg");
        SettingChecks.Range(errors, nameof(DiastolicMarginAboveBaselineMmHg), DiastolicMarginAboveBaselineMmHg, 0m, 100m, "mmHg");
        SettingChecks.Range(errors, nameof(HeartRateMarginFromBaselinePerMinute), HeartRateMarginFromBaselinePerMinute, 0m, 100m, "/min");
        SettingChecks.Range(errors, nameof(MinimumSpO2Percent), MinimumSpO2Percent, 50m, 100m, "%");
        SettingChecks.Range(errors, nameof(VitalsMaxAgeMinutes), VitalsMaxAgeMinutes, 1, 120, "minutes");
        SettingChecks.Range(errors, nameof(AssessmentMaxAgeMinutes), AssessmentMaxAgeMinutes, 1, 240, "minutes");
        return errors;
    }
}
