namespace KetaClinic.Domain.Evaluation;

/// <summary>Settings for judging antidepressant trials and treatment resistance (REFERENCE.md §3).
/// Every value is clinic-configurable and carries its source.</summary>
public sealed record TrdSettings
{
    /// <summary>Weeks at the adequate dose before a trial counts. Literature minimum is 4–6 weeks; the
    /// clinics ask for 6–8.</summary>
    public SourcedSetting<decimal> MinimumTrialWeeks { get; init; } = new(
        6m,
        "REFERENCE.md §3: clinics ask for 6–8 weeks per trial, literature minimum 4–6 weeks; default 6");

    /// <summary>Whether the failed trials must come from different antidepressant classes.</summary>
    public SourcedSetting<bool> RequireDifferentClasses { get; init; } = new(
        true,
        "REFERENCE.md §3: the clinics' own pages ask for two different classes; default on");

    /// <summary>How many adequate failed trials in the current episode make treatment-resistant depression.</summary>
    public SourcedSetting<int> FailedAdequateTrialsRequired { get; init; } = new(
        2,
        "REFERENCE.md §3: working definition of TRD, no response to at least two adequate trials in the current episode");

    /// <summary>A dose at or above this multiple of the drug's minimum adequate dose is treated as a
    /// probable unit error (for example micrograms entered as milligrams) and sent for review.</summary>
    public SourcedSetting<decimal> ImplausibleDoseMultiple { get; init; } = new(
        10m,
        "KetaClinic plausibility check: licensed maxima are at most about 5x the minimum adequate dose; clinic to confirm");

    public static TrdSettings Default { get; } = new();

    public IReadOnlyList<DataValidationError> Validate()
    {
        var errors = new List<DataValidationError>();
        if (MinimumTrialWeeks.Value is <= 0m or > 52m)
        {
            errors.Add(SettingError(nameof(MinimumTrialWeeks), "must be more than 0 and at most 52 weeks."));
        }

        if (FailedAdequateTrialsRequired.Value is < 1 or > 20)
        {
            errors.Add(SettingError(nameof(FailedAdequateTrialsRequired), "must be between 1 and 20."));
        }

        if (ImplausibleDoseMultiple.Value <= 1m)
        {
            errors.Add(SettingError(nameof(ImplausibleDoseMultiple), "must be greater than 1."));
        }

        errors.AddRange(SourceErrors(
            (nameof(MinimumTrialWeeks), MinimumTrialWeeks.Source),
            (nameof(RequireDifferentClasses), RequireDifferentClasses.Source),
            (nameof(FailedAdequateTrialsRequired), FailedAdequateTrialsRequired.Source),
            (nameof(ImplausibleDoseMultiple), ImplausibleDoseMultiple.Source)));
        return errors;
    }

    internal static DataValidationError SettingError(string field, string message) => new(null, null, field, message);

    internal static IEnumerable<DataValidationError> SourceErrors(params (string Field, string Source)[] settings) =>
        settings
            .Where(s => string.IsNullOrWhiteSpace(s.Source))
            .Select(s => SettingError(s.Field, "needs a source."));
}

/// <summary>All settings of the eligibility evaluation (REFERENCE.md §3 and §4).</summary>
public sealed record EligibilitySettings
{
    public TrdSettings Trd { get; init; } = TrdSettings.Default;

    /// <summary>Daily benzodiazepine load, in diazepam-equivalent mg, above which a weaker response is flagged.</summary>
    public SourcedSetting<decimal> BenzodiazepineDiazepamEquivalentThresholdMgPerDay { get; init; } = new(
        8m,
        "Andrashko et al. 2020: benzodiazepines above 8 mg/day diazepam-equivalent were linked to weaker ketamine response (REFERENCE.md §4)");

    /// <summary>How long an eligibility decision stays valid before it must be renewed.</summary>
    public SourcedSetting<int> EligibilityValidityMonths { get; init; } = new(
        6,
        "Issue 4 (clinic policy): an eligibility decision expires after a settable period, default 6 months");

    public static EligibilitySettings Default { get; } = new();

    public IReadOnlyList<DataValidationError> Validate()
    {
        ArgumentNullException.ThrowIfNull(Trd);
        var errors = Trd.Validate()
            .Select(e => e with { Field = $"{nameof(Trd)}.{e.Field}" })
            .ToList();
        if (BenzodiazepineDiazepamEquivalentThresholdMgPerDay.Value < 0m)
        {
            errors.Add(TrdSettings.SettingError(
                nameof(BenzodiazepineDiazepamEquivalentThresholdMgPerDay), "must not be negative."));
        }

        if (EligibilityValidityMonths.Value is < 1 or > 60)
        {
            errors.Add(TrdSettings.SettingError(nameof(EligibilityValidityMonths), "must be between 1 and 60 months."));
        }

        errors.AddRange(TrdSettings.SourceErrors(
            (nameof(BenzodiazepineDiazepamEquivalentThresholdMgPerDay), BenzodiazepineDiazepamEquivalentThresholdMgPerDay.Source),
            (nameof(EligibilityValidityMonths), EligibilityValidityMonths.Source)));
        return errors;
    }

    /// <summary>The first day on which a decision made on <paramref name="decidedOn"/> is no longer valid.</summary>
    public DateOnly ExpiresOn(DateOnly decidedOn) => decidedOn.AddMonths(EligibilityValidityMonths.Value);

    /// <summary>Whether a decision made on <paramref name="decidedOn"/> may still be used on <paramref name="asOf"/>.</summary>
    public bool IsDecisionCurrent(DateOnly decidedOn, DateOnly asOf) => asOf >= decidedOn && asOf < ExpiresOn(decidedOn);
}
