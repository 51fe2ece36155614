using KetaClinic.Domain.Evaluation;

namespace KetaClinic.Domain.Sessions;

/// <summary>Clinic settings of the in-session vital-sign schedule; intervals during dosing come from the protocol.</summary>
public sealed record MonitoringSettings
{
    /// <summary>Blood pressure interval after the dose has ended, until the patient leaves.</summary>
    public SourcedSetting<int> PostDoseBloodPressureIntervalMinutes { get; init; } = new(
        15,
        "clinic policy [open]: REFERENCE.md §5 gives BP every 10 minutes during the infusion; after it, every 15 minutes until discharge");

    /// <summary>A fixed-time check ("about 40 minutes after the dose") counts when taken this many minutes either side.</summary>
    public SourcedSetting<int> FixedCheckToleranceMinutes { get; init; } = new(
        5,
        "clinic policy [open]: REFERENCE.md §6 says BP about 40 minutes after the dose");

    /// <summary>The "before completion" blood pressure is taken within this many minutes before monitoring ends.</summary>
    public SourcedSetting<int> BeforeCompletionWindowMinutes { get; init; } = new(
        15,
        "clinic policy [open]: REFERENCE.md §6 asks for BP before completion of monitoring");

    /// <summary>Pulse oximetry runs throughout: a gap longer than this without an SpO2 value is overdue.</summary>
    public SourcedSetting<int> OximetryMaxGapMinutes { get; init; } = new(
        5,
        "REFERENCE.md §6 [firm]: pulse oximetry throughout; §5: oxygen monitored during treatment; the 5-minute gap is clinic policy [open]");

    public static MonitoringSettings Default { get; } = new();

    public IReadOnlyList<DataValidationError> Validate()
    {
        var errors = new List<DataValidationError>();
        SettingChecks.Range(errors, nameof(PostDoseBloodPressureIntervalMinutes), PostDoseBloodPressureIntervalMinutes, 1, 120, "minutes");
        SettingChecks.Range(errors, nameof(FixedCheckToleranceMinutes), FixedCheckToleranceMinutes, 0, 30, "minutes");
        SettingChecks.Range(errors, nameof(BeforeCompletionWindowMinutes), BeforeCompletionWindowMinutes, 1, 60, "minutes");
        SettingChecks.Range(errors, nameof(OximetryMaxGapMinutes), OximetryMaxGapMinutes, 1, 60, "minutes");
        return errors;
    }
}
