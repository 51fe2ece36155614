using KetaClinic.Domain.Evaluation;
using KetaClinic.Domain.Monitoring;

namespace KetaClinic.Domain.Sessions;

/// <summary>Clinic settings of the pre-dose checks. Blood-pressure limits live in <see cref="VitalAlertSettings"/>.</summary>
public sealed record PreDoseCheckSettings
{
    /// <summary>Rating scales and the medication review count for this visit when done within this many hours.</summary>
    public SourcedSetting<int> VisitWindowHours { get; init; } = new(
        12,
        "clinic policy [open]: REFERENCE.md §5 asks for rating scales before each dose; done the same visit means within 12 hours");

    /// <summary>The vitals that must be present and recent before the dose.</summary>
    public SourcedSetting<IReadOnlyList<VitalKind>> RequiredVitals { get; init; } = new(
        [VitalKind.SystolicBloodPressure, VitalKind.DiastolicBloodPressure, VitalKind.HeartRate, VitalKind.OxygenSaturation],
        "REFERENCE.md §5: vitals before each dose; HR, BP and oxygen monitored (clinic pages, APA consensus [secondary]); §6 BP before dosing [firm]");

    /// <summary>Whether the pregnancy check applies to patients who can become pregnant.</summary>
    public SourcedSetting<bool> PregnancyCheckApplies { get; init; } = new(
        true,
        "REFERENCE.md §4 [firm]: pregnancy (embryo-fetal toxicity) is a label warning needing physician review");

    /// <summary>A pregnancy test older than this many days does not count.</summary>
    public SourcedSetting<int> PregnancyTestMaxAgeDays { get; init; } = new(
        7,
        "clinic policy [open]: a pregnancy test within the last 7 days");

    /// <summary>Gates no override can open.</summary>
    public SourcedSetting<IReadOnlyList<PreDoseGate>> NotOverridable { get; init; } = new(
        [PreDoseGate.RemsEnrollment],
        "REFERENCE.md §6 [firm]: the patient is enrolled in the REMS before the first dose");

    public static PreDoseCheckSettings Default { get; } = new();

    public IReadOnlyList<DataValidationError> Validate()
    {
        var errors = new List<DataValidationError>();
        SettingChecks.Range(errors, nameof(VisitWindowHours), VisitWindowHours, 1, 72, "hours");
        SettingChecks.Range(errors, nameof(PregnancyTestMaxAgeDays), PregnancyTestMaxAgeDays, 0, 90, "days");
        SettingChecks.Source(errors, nameof(PregnancyCheckApplies), PregnancyCheckApplies.Source);
        SettingChecks.Source(errors, nameof(RequiredVitals), RequiredVitals.Source);
        SettingChecks.Source(errors, nameof(NotOverridable), NotOverridable.Source);
        if (RequiredVitals.Value is null || RequiredVitals.Value.Any(k => !Enum.IsDefined(k)))
        {
            errors.Add(new(null, null, nameof(RequiredVitals), "must list known vital kinds."));
        }

        if (NotOverridable.Value is null || NotOverridable.Value.Any(g => !Enum.IsDefined(g)))
        {
            errors.Add(new(null, null, nameof(NotOverridable), "must list known pre-dose checks."));
        }

        return errors;
    }
}
