using System.Collections.ObjectModel;

namespace KetaClinic.Domain.Outcomes;

/// <summary>A clinic-configurable clinical number together with the source it rests on.</summary>
public sealed record ClinicalSetting<T>(T Value, string Source)
    where T : struct
{
    public string Source { get; } = string.IsNullOrWhiteSpace(Source)
        ? throw new ArgumentException("A clinical setting must name its source.", nameof(Source))
        : Source;
}

/// <summary>Per-instrument outcome thresholds, both inclusive.</summary>
public sealed record InstrumentOutcomeThresholds
{
    public InstrumentOutcomeThresholds(
        string instrumentId, ClinicalSetting<int> remissionAtOrBelow, ClinicalSetting<int> relapseAtOrAbove)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(instrumentId);
        ArgumentNullException.ThrowIfNull(remissionAtOrBelow);
        ArgumentNullException.ThrowIfNull(relapseAtOrAbove);
        ArgumentOutOfRangeException.ThrowIfNegative(remissionAtOrBelow.Value, nameof(remissionAtOrBelow));

        // A score cannot be both remitted and relapsed.
        if (relapseAtOrAbove.Value <= remissionAtOrBelow.Value)
        {
            throw new ArgumentOutOfRangeException(
                nameof(relapseAtOrAbove),
                relapseAtOrAbove.Value,
                $"{instrumentId}: the relapse cut-off ({relapseAtOrAbove.Value}) must lie above the remission threshold ({remissionAtOrBelow.Value}).");
        }

        InstrumentId = instrumentId;
        RemissionAtOrBelow = remissionAtOrBelow;
        RelapseAtOrAbove = relapseAtOrAbove;
    }

    public string InstrumentId { get; }

    /// <summary>A total at or below this value is in the remission range (PHQ-9 &lt; 5 is stored as 4).</summary>
    public ClinicalSetting<int> RemissionAtOrBelow { get; }

    /// <summary>A total at or above this value counts toward relapse (MADRS 22, SUSTAIN-1).</summary>
    public ClinicalSetting<int> RelapseAtOrAbove { get; }
}

/// <summary>
/// The thresholds of outcome classification. Every number is a clinic setting carrying its source
/// (clinical/REFERENCE.md §2); <see cref="Default"/> holds the shipped defaults.
/// </summary>
public sealed record OutcomeSettings
{
    private const string SustainShape = "SUSTAIN-1 (Daly 2019) relapse shape applied with the instrument's moderate cut-off (REFERENCE.md §2)";

    public OutcomeSettings(
        ClinicalSetting<decimal> responseReductionPercent,
        ClinicalSetting<int> relapseWindowMinDays,
        ClinicalSetting<int> relapseWindowMaxDays,
        IEnumerable<InstrumentOutcomeThresholds> instruments)
    {
        ArgumentNullException.ThrowIfNull(responseReductionPercent);
        ArgumentNullException.ThrowIfNull(relapseWindowMinDays);
        ArgumentNullException.ThrowIfNull(relapseWindowMaxDays);
        ArgumentNullException.ThrowIfNull(instruments);
        if (responseReductionPercent.Value is <= 0m or > 100m)
        {
            throw new ArgumentOutOfRangeException(
                nameof(responseReductionPercent), responseReductionPercent.Value, "The response reduction must be above 0 % and at most 100 %.");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(relapseWindowMinDays.Value, nameof(relapseWindowMinDays));
        if (relapseWindowMaxDays.Value < relapseWindowMinDays.Value)
        {
            throw new ArgumentOutOfRangeException(
                nameof(relapseWindowMaxDays), relapseWindowMaxDays.Value, "The relapse window's maximum must not be below its minimum.");
        }

        var byId = new Dictionary<string, InstrumentOutcomeThresholds>(StringComparer.Ordinal);
        foreach (var thresholds in instruments)
        {
            if (!byId.TryAdd(thresholds.InstrumentId, thresholds))
            {
                throw new ArgumentException($"Thresholds for '{thresholds.InstrumentId}' are given twice.", nameof(instruments));
            }
        }

        ResponseReductionPercent = responseReductionPercent;
        RelapseWindowMinDays = relapseWindowMinDays;
        RelapseWindowMaxDays = relapseWindowMaxDays;
        Instruments = new ReadOnlyDictionary<string, InstrumentOutcomeThresholds>(byId);
    }

    /// <summary>Response: the total has fallen by at least this percentage of baseline.</summary>
    public ClinicalSetting<decimal> ResponseReductionPercent { get; }

    /// <summary>Relapse: the two consecutive assessments are at least this many calendar days apart.</summary>
    public ClinicalSetting<int> RelapseWindowMinDays { get; }

    /// <summary>Relapse: the two consecutive assessments are at most this many calendar days apart.</summary>
    public ClinicalSetting<int> RelapseWindowMaxDays { get; }

    public IReadOnlyDictionary<string, InstrumentOutcomeThresholds> Instruments { get; }

    /// <summary>The shipped defaults (REFERENCE.md §2).</summary>
    public static OutcomeSettings Default { get; } = new(
        new ClinicalSetting<decimal>(50m, "REFERENCE.md §2: response is a total down by at least 50 % from baseline [firm]"),
        new ClinicalSetting<int>(5, "SUSTAIN-1 (Daly 2019): two consecutive assessments 5–15 days apart (REFERENCE.md §2 [firm])"),
        new ClinicalSetting<int>(15, "SUSTAIN-1 (Daly 2019): two consecutive assessments 5–15 days apart (REFERENCE.md §2 [firm])"),
        [
            new InstrumentOutcomeThresholds(
                "phq9",
                new ClinicalSetting<int>(4, "REFERENCE.md §2: PHQ-9 remission < 5 [firm]"),
                new ClinicalSetting<int>(10, "PHQ-9 moderate band from 10 (REFERENCE.md §1); " + SustainShape)),
            new InstrumentOutcomeThresholds(
                "qids-sr16",
                new ClinicalSetting<int>(5, "REFERENCE.md §2: QIDS-SR16 remission ≤ 5 [secondary]"),
                new ClinicalSetting<int>(11, "QIDS-SR16 moderate band from 11 (REFERENCE.md §1); " + SustainShape)),
            new InstrumentOutcomeThresholds(
                "hamd17",
                new ClinicalSetting<int>(7, "REFERENCE.md §2: HAM-D17 remission ≤ 7 [secondary]"),
                new ClinicalSetting<int>(17, "HAM-D17 moderate band from 17, Zimmerman 2013 (REFERENCE.md §1 [secondary], bands disputed); " + SustainShape)),
            new InstrumentOutcomeThresholds(
                "madrs",
                new ClinicalSetting<int>(10, "ESCAPE-TRD: MADRS remission ≤ 10; SUSTAIN-1 and ASPIRE use ≤ 12 (REFERENCE.md §2 [firm], sources disagree)"),
                new ClinicalSetting<int>(22, "SUSTAIN-1 (Daly 2019): MADRS ≥ 22 on two consecutive assessments (REFERENCE.md §2 [firm])")),
        ]);

    /// <summary>The thresholds for an instrument; an instrument without them cannot be classified.</summary>
    public InstrumentOutcomeThresholds ThresholdsFor(string instrumentId)
    {
        ArgumentNullException.ThrowIfNull(instrumentId);
        return Instruments.TryGetValue(instrumentId, out var thresholds)
            ? thresholds
            : throw new KeyNotFoundException(
                $"No remission and relapse thresholds are configured for '{instrumentId}'; configured: {string.Join(", ", Instruments.Keys.Order(StringComparer.Ordinal))}.");
    }

    /// <summary>A copy with one instrument's thresholds added or replaced.</summary>
    public OutcomeSettings WithInstrument(InstrumentOutcomeThresholds thresholds)
    {
        ArgumentNullException.ThrowIfNull(thresholds);
        var instruments = Instruments.Values.Where(t => t.InstrumentId != thresholds.InstrumentId).Append(thresholds);
        return new OutcomeSettings(ResponseReductionPercent, RelapseWindowMinDays, RelapseWindowMaxDays, instruments);
    }

    /// <summary>A copy with another response reduction.</summary>
    public OutcomeSettings WithResponseReduction(ClinicalSetting<decimal> percent) =>
        new(percent, RelapseWindowMinDays, RelapseWindowMaxDays, Instruments.Values);

    /// <summary>A copy with another relapse window.</summary>
    public OutcomeSettings WithRelapseWindow(ClinicalSetting<int> minDays, ClinicalSetting<int> maxDays) =>
        new(ResponseReductionPercent, minDays, maxDays, Instruments.Values);
}
