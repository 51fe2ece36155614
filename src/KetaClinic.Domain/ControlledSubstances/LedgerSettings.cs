using KetaClinic.Domain.Evaluation;

namespace KetaClinic.Domain.ControlledSubstances;

/// <summary>
/// The ledger's configurable rules, each with the source it rests on (REFERENCE.md §8 or clinic policy).
/// <see cref="Default"/> holds the shipped defaults.
/// </summary>
public sealed record LedgerSettings
{
    public const string ClinicPolicy = "clinic policy";

    /// <summary>Days before a DEA registration expires from which it is shown as expiring soon.</summary>
    public SourcedSetting<int> RegistrationExpiryWarningDays { get; init; } = new(60, ClinicPolicy + ": warn 60 days before a DEA registration expires");

    /// <summary>Whether routine waste (left in a syringe or vial) needs a witness.</summary>
    public SourcedSetting<bool> WasteWitnessRequired { get; init; } = new(
        true, "REFERENCE.md §8 [open]: a witness for routine waste is a state or institutional rule; default on");

    /// <summary>How long before the entry a witness's sign-in may be and still count as made at that moment.</summary>
    public SourcedSetting<int> WitnessAuthenticationMaxAgeSeconds { get; init; } = new(
        300, ClinicPolicy + ": a witness signs in at the moment of the entry, within 5 minutes");

    /// <summary>Witnesses to the destruction of stock (DEA Form 41).</summary>
    public SourcedSetting<int> DestructionWitnesses { get; init; } = new(
        2, "REFERENCE.md §8: destruction of stock (Form 41) needs two authorised witnesses");

    /// <summary>Business days after discovery by which the written notice of a theft or significant loss is due.</summary>
    public SourcedSetting<int> LossNoticeBusinessDays { get; init; } = new(
        1, "REFERENCE.md §8: written notice to the DEA field office within 1 business day of discovery");

    /// <summary>Calendar days after discovery by which DEA Form 106 is due.</summary>
    public SourcedSetting<int> Form106Days { get; init; } = new(
        45, "REFERENCE.md §8: Form 106 filed within 45 days");

    /// <summary>Years between inventories (2 federally; some states ask for 1).</summary>
    public SourcedSetting<int> InventoryIntervalYears { get; init; } = new(
        2, "REFERENCE.md §8: inventory at least every 2 years (biennial); some states require yearly counts");

    /// <summary>An opened container holding more units than this must be counted exactly, not estimated.</summary>
    public SourcedSetting<int> EstimateAllowedUpToUnits { get; init; } = new(
        1000, "REFERENCE.md §8: opened containers may be estimated unless over 1,000 units");

    /// <summary>An estimated count within this share of the container's capacity of the ledger's balance raises no discrepancy.</summary>
    public SourcedSetting<int> EstimateTolerancePercent { get; init; } = new(
        5, ClinicPolicy + ": an estimate of an opened container is accepted within 5 % of its capacity");

    /// <summary>Whether the person who resolves a discrepancy must be someone other than those who counted.</summary>
    public SourcedSetting<bool> ResolverMustNotHaveCounted { get; init; } = new(
        true, ClinicPolicy + ": a discrepancy is resolved by an authorised person other than the counters");

    public static LedgerSettings Default { get; } = new();

    public TimeSpan WitnessAuthenticationMaxAge => TimeSpan.FromSeconds(WitnessAuthenticationMaxAgeSeconds.Value);

    /// <summary>Problems with the settings, each naming the setting; empty when they may be used.</summary>
    public IReadOnlyList<Common.FieldError> Validate()
    {
        var errors = new List<Common.FieldError>();
        void Range(string name, int value, int min, int max)
        {
            if (value < min || value > max)
            {
                errors.Add(new(name, $"must be between {min} and {max} (got {value})."));
            }
        }
        Range(nameof(RegistrationExpiryWarningDays), RegistrationExpiryWarningDays.Value, 0, 365);
        Range(nameof(WitnessAuthenticationMaxAgeSeconds), WitnessAuthenticationMaxAgeSeconds.Value, 1, 3600);
        Range(nameof(DestructionWitnesses), DestructionWitnesses.Value, 2, 4);
        Range(nameof(LossNoticeBusinessDays), LossNoticeBusinessDays.Value, 1, 10);
        Range(nameof(Form106Days), Form106Days.Value, 1, 90);
        Range(nameof(InventoryIntervalYears), InventoryIntervalYears.Value, 1, 2);
        Range(nameof(EstimateAllowedUpToUnits), EstimateAllowedUpToUnits.Value, 0, 1_000_000);
        Range(nameof(EstimateTolerancePercent), EstimateTolerancePercent.Value, 0, 50);
        foreach (var (name, source) in new[]
        {
            (nameof(RegistrationExpiryWarningDays), RegistrationExpiryWarningDays.Source),
            (nameof(WasteWitnessRequired), WasteWitnessRequired.Source),
            (nameof(WitnessAuthenticationMaxAgeSeconds), WitnessAuthenticationMaxAgeSeconds.Source),
            (nameof(DestructionWitnesses), DestructionWitnesses.Source),
            (nameof(LossNoticeBusinessDays), LossNoticeBusinessDays.Source),
            (nameof(Form106Days), Form106Days.Source),
            (nameof(InventoryIntervalYears), InventoryIntervalYears.Source),
            (nameof(EstimateAllowedUpToUnits), EstimateAllowedUpToUnits.Source),
            (nameof(EstimateTolerancePercent), EstimateTolerancePercent.Source),
            (nameof(ResolverMustNotHaveCounted), ResolverMustNotHaveCounted.Source),
        })
        {
            if (string.IsNullOrWhiteSpace(source))
            {
                errors.Add(new(name, "needs a source."));
            }
        }
        return errors;
    }
}
