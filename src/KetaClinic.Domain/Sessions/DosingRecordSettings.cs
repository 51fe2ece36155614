using KetaClinic.Domain.Evaluation;
using KetaClinic.Domain.Protocols;

namespace KetaClinic.Domain.Sessions;

/// <summary>Clinic settings for recording a dose.</summary>
public sealed record DosingRecordSettings
{
    /// <summary>Routes on which a second person must confirm the dose calculation before it is given.</summary>
    public SourcedSetting<IReadOnlyList<AdministrationRoute>> SecondPersonCheckRoutes { get; init; } = new(
        [AdministrationRoute.Intravenous, AdministrationRoute.Intramuscular],
        "clinic policy [open]: a second person confirms weight-based calculations for injected doses");

    /// <summary>An infusion whose length differs from the protocol's by more than this needs a reason.</summary>
    public SourcedSetting<int> InfusionDurationToleranceMinutes { get; init; } = new(
        5,
        "clinic policy [open]: REFERENCE.md §5 gives 40 minutes for the IV infusion; up to 5 minutes either way is routine");

    /// <summary>Intramuscular injection sites the clinic records (codes).</summary>
    public SourcedSetting<IReadOnlyList<string>> IntramuscularSites { get; init; } = new(
        ["deltoid-left", "deltoid-right", "gluteal-left", "gluteal-right", "vastus-lateralis-left", "vastus-lateralis-right"],
        "clinic policy: the usual intramuscular injection sites");

    /// <summary>The largest infusion volume accepted, against entry errors.</summary>
    public SourcedSetting<decimal> MaximumInfusionVolumeMl { get; init; } = new(
        1000m,
        "clinic policy [open]: plausibility limit for an outpatient infusion bag");

    public static DosingRecordSettings Default { get; } = new();

    public IReadOnlyList<DataValidationError> Validate()
    {
        var errors = new List<DataValidationError>();
        SettingChecks.Range(errors, nameof(InfusionDurationToleranceMinutes), InfusionDurationToleranceMinutes, 0, 60, "minutes");
        SettingChecks.Range(errors, nameof(MaximumInfusionVolumeMl), MaximumInfusionVolumeMl, 1m, 5000m, "mL");
        SettingChecks.Source(errors, nameof(SecondPersonCheckRoutes), SecondPersonCheckRoutes.Source);
        SettingChecks.Source(errors, nameof(IntramuscularSites), IntramuscularSites.Source);
        if (IntramuscularSites.Value is null || IntramuscularSites.Value.Count == 0 || IntramuscularSites.Value.Any(string.IsNullOrWhiteSpace))
        {
            errors.Add(new(null, null, nameof(IntramuscularSites), "must list at least one site code."));
        }

        if (SecondPersonCheckRoutes.Value is null || SecondPersonCheckRoutes.Value.Any(r => !Enum.IsDefined(r)))
        {
            errors.Add(new(null, null, nameof(SecondPersonCheckRoutes), "must list known routes."));
        }

        return errors;
    }
}
