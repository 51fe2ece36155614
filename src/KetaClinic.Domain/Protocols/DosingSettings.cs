using KetaClinic.Domain.Evaluation;

namespace KetaClinic.Domain.Protocols;

/// <summary>Clinic settings for turning an order into a dose. Every value carries its source.</summary>
public sealed record DosingSettings
{
    /// <summary>The smallest amount the clinic can measure; calculated doses are rounded to a multiple of it.</summary>
    public SourcedSetting<DoseMg> MeasurablePrecision { get; init; } = new(
        new DoseMg(1m),
        "clinic policy [open]: smallest amount the clinic's syringes measure reliably");

    /// <summary>A weight older than this many days may not be used for a weight-based dose.</summary>
    public SourcedSetting<int> MaximumWeightAgeDays { get; init; } = new(
        30,
        "clinic policy [open]: weight-based doses use a weight measured within the last 30 days");

    /// <summary>Weights below this are treated as an entry error and stop the dose.</summary>
    public SourcedSetting<decimal> MinimumPlausibleWeightKg { get; init; } = new(
        30m,
        "clinic policy [open]: adult outpatient plausibility for weight-based dosing");

    /// <summary>Weights above this are treated as an entry error and stop the dose.</summary>
    public SourcedSetting<decimal> MaximumPlausibleWeightKg { get; init; } = new(
        300m,
        "clinic policy [open]: adult outpatient plausibility for weight-based dosing");

    public static DosingSettings Default { get; } = new();

    /// <summary>Problems with the settings, each naming the setting; empty when usable.</summary>
    public IReadOnlyList<DataValidationError> Validate()
    {
        var errors = new List<DataValidationError>();
        if (MeasurablePrecision.Value.Value is <= 0m or > 100m)
        {
            errors.Add(new(null, null, nameof(MeasurablePrecision), "must be more than 0 mg and at most 100 mg."));
        }

        if (MaximumWeightAgeDays.Value is < 0 or > 366)
        {
            errors.Add(new(null, null, nameof(MaximumWeightAgeDays), "must be between 0 and 366 days."));
        }

        if (MinimumPlausibleWeightKg.Value <= 0m || MaximumPlausibleWeightKg.Value <= MinimumPlausibleWeightKg.Value)
        {
            errors.Add(new(null, null, nameof(MaximumPlausibleWeightKg), "the plausible weight range must be above 0 kg with its maximum above its minimum."));
        }

        foreach (var (field, source) in new[]
        {
            (nameof(MeasurablePrecision), MeasurablePrecision.Source),
            (nameof(MaximumWeightAgeDays), MaximumWeightAgeDays.Source),
            (nameof(MinimumPlausibleWeightKg), MinimumPlausibleWeightKg.Source),
            (nameof(MaximumPlausibleWeightKg), MaximumPlausibleWeightKg.Source),
        })
        {
            if (string.IsNullOrWhiteSpace(source))
            {
                errors.Add(new(null, null, field, "needs a source."));
            }
        }

        return errors;
    }
}
