using System.Globalization;
using KetaClinic.Domain.ControlledSubstances;
using KetaClinic.Domain.Evaluation;

namespace KetaClinic.App.Features.ControlledSubstances;

/// <summary>
/// The clinic's settings for the controlled-substance ledger (section "ControlledSubstances"). Each value left
/// empty keeps the shipped default of <see cref="LedgerSettings"/> with its source; a value set here is used with
/// the setting's name as its source. Which roles may receive, draw, witness or count is under "Roles".
/// </summary>
public sealed class LedgerConfiguration
{
    public const string Section = "ControlledSubstances";
    private const string ClinicSetting = "clinic setting " + Section + ":";

    public bool? WasteWitnessRequired { get; set; }
    public int? WitnessAuthenticationMaxAgeSeconds { get; set; }
    public int? RegistrationExpiryWarningDays { get; set; }
    public int? DestructionWitnesses { get; set; }
    public int? LossNoticeBusinessDays { get; set; }
    public int? Form106Days { get; set; }
    public int? InventoryIntervalYears { get; set; }
    public int? EstimateAllowedUpToUnits { get; set; }
    public int? EstimateTolerancePercent { get; set; }
    public bool? ResolverMustNotHaveCounted { get; set; }

    /// <summary>Days the clinic is closed (yyyy-MM-dd), which do not count as business days for the loss notice.</summary>
    public List<string> Holidays { get; set; } = [];

    public LedgerSettings BuildSettings()
    {
        var d = LedgerSettings.Default;
        var settings = d with
        {
            WasteWitnessRequired = Pick(WasteWitnessRequired, d.WasteWitnessRequired, nameof(WasteWitnessRequired)),
            WitnessAuthenticationMaxAgeSeconds = Pick(WitnessAuthenticationMaxAgeSeconds, d.WitnessAuthenticationMaxAgeSeconds, nameof(WitnessAuthenticationMaxAgeSeconds)),
            RegistrationExpiryWarningDays = Pick(RegistrationExpiryWarningDays, d.RegistrationExpiryWarningDays, nameof(RegistrationExpiryWarningDays)),
            DestructionWitnesses = Pick(DestructionWitnesses, d.DestructionWitnesses, nameof(DestructionWitnesses)),
            LossNoticeBusinessDays = Pick(LossNoticeBusinessDays, d.LossNoticeBusinessDays, nameof(LossNoticeBusinessDays)),
            Form106Days = Pick(Form106Days, d.Form106Days, nameof(Form106Days)),
            InventoryIntervalYears = Pick(InventoryIntervalYears, d.InventoryIntervalYears, nameof(InventoryIntervalYears)),
            EstimateAllowedUpToUnits = Pick(EstimateAllowedUpToUnits, d.EstimateAllowedUpToUnits, nameof(EstimateAllowedUpToUnits)),
            EstimateTolerancePercent = Pick(EstimateTolerancePercent, d.EstimateTolerancePercent, nameof(EstimateTolerancePercent)),
            ResolverMustNotHaveCounted = Pick(ResolverMustNotHaveCounted, d.ResolverMustNotHaveCounted, nameof(ResolverMustNotHaveCounted)),
        };
        var errors = settings.Validate();
        if (errors.Count > 0)
        {
            throw new InvalidOperationException($"{Section} settings are not valid: " + string.Join("; ", errors.Select(e => $"{e.Field} {e.Message}")));
        }
        return settings;
    }

    public IReadOnlySet<DateOnly> BuildHolidays()
    {
        var days = new HashSet<DateOnly>();
        foreach (var text in Holidays)
        {
            if (!DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
            {
                throw new InvalidOperationException($"{Section}:Holidays has '{text}', which is not a date in the form yyyy-mm-dd.");
            }
            days.Add(day);
        }
        return days;
    }

    private static SourcedSetting<T> Pick<T>(T? value, SourcedSetting<T> fallback, string name)
        where T : struct =>
        value is { } v ? new SourcedSetting<T>(v, ClinicSetting + name) : fallback;
}

/// <summary>The ledger's settings and the clinic's holidays, as the handlers use them.</summary>
public sealed record LedgerRules(LedgerSettings Settings, IReadOnlySet<DateOnly> Holidays);
