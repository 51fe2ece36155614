using KetaClinic.Domain.Evaluation;

namespace KetaClinic.Domain.Monitoring;

/// <summary>Which side of the limit raises the alert.</summary>
public enum ThresholdDirection
{
    Above,
    AtOrAbove,
    Below,
    AtOrBelow,
}

public enum VitalAlertSeverity
{
    /// <summary>Worth a look at the next round.</summary>
    Caution,

    /// <summary>Needs a clinician at the chair now.</summary>
    Alert,
}

/// <summary>
/// One alert rule: a vital crossing <see cref="Limit"/>, in the vital's stored unit (mmHg, /min, %, °C), raises
/// an alert of the given severity.
/// </summary>
public sealed record VitalThreshold(VitalKind Vital, ThresholdDirection Direction, decimal Limit, VitalAlertSeverity Severity)
{
    public bool IsCrossedBy(decimal value) => Direction switch
    {
        ThresholdDirection.Above => value > Limit,
        ThresholdDirection.AtOrAbove => value >= Limit,
        ThresholdDirection.Below => value < Limit,
        ThresholdDirection.AtOrBelow => value <= Limit,
        _ => throw new InvalidOperationException($"Unknown direction {Direction}."),
    };
}

/// <summary>
/// Vital-sign alert thresholds and check intervals (REFERENCE.md §5). The thresholds are marked [open] there:
/// clinic settings whose defaults come from the reference, each carrying its source.
/// </summary>
public sealed record VitalAlertSettings
{
    private const string DuringTreatment = "REFERENCE.md §5 default alert thresholds during treatment [open]";

    /// <summary>Rules checked on every accepted observation during treatment. The clinic may add rules (for example temperature).</summary>
    public IReadOnlyList<SourcedSetting<VitalThreshold>> Thresholds { get; init; } =
    [
        new(new(VitalKind.SystolicBloodPressure, ThresholdDirection.AtOrAbove, 180m, VitalAlertSeverity.Alert), DuringTreatment + ": SBP ≥ 180 mmHg"),
        new(new(VitalKind.DiastolicBloodPressure, ThresholdDirection.AtOrAbove, 110m, VitalAlertSeverity.Alert), DuringTreatment + ": DBP ≥ 110 mmHg"),
        new(new(VitalKind.HeartRate, ThresholdDirection.Above, 120m, VitalAlertSeverity.Alert), DuringTreatment + ": HR > 120 /min"),
        new(new(VitalKind.HeartRate, ThresholdDirection.Below, 50m, VitalAlertSeverity.Alert), DuringTreatment + ": HR < 50 /min"),
        new(new(VitalKind.OxygenSaturation, ThresholdDirection.Below, 92m, VitalAlertSeverity.Alert), DuringTreatment + ": SpO2 < 92 %"),
        new(new(VitalKind.RespiratoryRate, ThresholdDirection.Below, 10m, VitalAlertSeverity.Alert), DuringTreatment + ": RR < 10 /min"),
    ];

    /// <summary>Hold dosing when the pre-dose systolic is above this (BP &gt; 140/90 means either value above).</summary>
    public SourcedSetting<decimal> PreDoseHoldSystolicAboveMmHg { get; init; } = new(
        140m,
        "REFERENCE.md §5: hold dosing if pre-dose BP > 140/90 [open]; esketamine label summary says consider delaying above this [secondary]");

    /// <summary>Hold dosing when the pre-dose diastolic is above this.</summary>
    public SourcedSetting<decimal> PreDoseHoldDiastolicAboveMmHg { get; init; } = new(
        90m,
        "REFERENCE.md §5: hold dosing if pre-dose BP > 140/90 [open]; esketamine label summary says consider delaying above this [secondary]");

    /// <summary>A pre-dose reading older than this does not count as taken before this dose.</summary>
    public SourcedSetting<int> PreDoseReadingMaxAgeMinutes { get; init; } = new(
        30,
        "KetaClinic default, clinic to confirm: REFERENCE.md §5 and §6 ask for BP before each dose; an older reading is not 'before this dose'");

    /// <summary>Blood pressure is due this often during an IV infusion.</summary>
    public SourcedSetting<int> BloodPressureIntervalDuringInfusionMinutes { get; init; } = new(
        10,
        "REFERENCE.md §5: BP every 10 minutes during IV infusion (published practice [firm])");

    public static VitalAlertSettings Default { get; } = new();

    public IReadOnlyList<DataValidationError> Validate()
    {
        ArgumentNullException.ThrowIfNull(Thresholds);
        var errors = new List<DataValidationError>();
        for (var i = 0; i < Thresholds.Count; i++)
        {
            var threshold = Thresholds[i];
            var rowName = $"{threshold.Value.Vital} {threshold.Value.Direction} {threshold.Value.Limit}";
            if (!Enum.IsDefined(threshold.Value.Vital) || !Enum.IsDefined(threshold.Value.Direction) || !Enum.IsDefined(threshold.Value.Severity))
            {
                errors.Add(new DataValidationError(i + 1, rowName, nameof(Thresholds), "names an unknown vital, direction or severity."));
            }

            if (threshold.Value.Limit < 0m)
            {
                errors.Add(new DataValidationError(i + 1, rowName, nameof(Thresholds), "limit must not be negative."));
            }

            if (string.IsNullOrWhiteSpace(threshold.Source))
            {
                errors.Add(new DataValidationError(i + 1, rowName, nameof(Thresholds), "needs a source."));
            }
        }

        void Check(bool ok, string field, string message)
        {
            if (!ok)
            {
                errors.Add(new DataValidationError(null, null, field, message));
            }
        }

        Check(PreDoseHoldSystolicAboveMmHg.Value is > 0m and <= 300m, nameof(PreDoseHoldSystolicAboveMmHg), "must be above 0 and at most 300 mmHg.");
        Check(PreDoseHoldDiastolicAboveMmHg.Value is > 0m and <= 200m, nameof(PreDoseHoldDiastolicAboveMmHg), "must be above 0 and at most 200 mmHg.");
        Check(PreDoseHoldDiastolicAboveMmHg.Value < PreDoseHoldSystolicAboveMmHg.Value, nameof(PreDoseHoldDiastolicAboveMmHg), "must be below the systolic limit.");
        Check(PreDoseReadingMaxAgeMinutes.Value is >= 1 and <= 240, nameof(PreDoseReadingMaxAgeMinutes), "must be between 1 and 240 minutes.");
        Check(BloodPressureIntervalDuringInfusionMinutes.Value is >= 1 and <= 120, nameof(BloodPressureIntervalDuringInfusionMinutes), "must be between 1 and 120 minutes.");
        foreach (var (field, source) in new[]
        {
            (nameof(PreDoseHoldSystolicAboveMmHg), PreDoseHoldSystolicAboveMmHg.Source),
            (nameof(PreDoseHoldDiastolicAboveMmHg), PreDoseHoldDiastolicAboveMmHg.Source),
            (nameof(PreDoseReadingMaxAgeMinutes), PreDoseReadingMaxAgeMinutes.Source),
            (nameof(BloodPressureIntervalDuringInfusionMinutes), BloodPressureIntervalDuringInfusionMinutes.Source),
        })
        {
            Check(!string.IsNullOrWhiteSpace(source), field, "needs a source.");
        }

        return errors;
    }
}
