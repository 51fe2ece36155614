namespace KetaClinic.Domain.Monitoring;

/// <summary>
/// Unit spellings accepted in OBX-6 per vital kind (UCUM, MDC dimension codes and names, common free text)
/// and their conversion to the stored unit. Matching ignores case. Anything else is refused, never guessed.
/// </summary>
internal static class VitalUnitConversion
{
    // 1 mmHg = 133.322387415 Pa (definition), so 1 kPa = 7.500617 mmHg.
    private const decimal MmHgPerKilopascal = 1000m / 133.322387415m;

    private static readonly (string[] Spellings, Func<decimal, decimal> ToStored)[] Pressure =
    [
        (["mm[Hg]", "mmHg", "mm Hg", "266016", "MDC_DIM_MMHG"], v => v),
        (["kPa", "265987", "MDC_DIM_KILO_PASCAL"], v => Math.Round(v * MmHgPerKilopascal, 1)),
    ];

    private static readonly (string[] Spellings, Func<decimal, decimal> ToStored)[] Beats =
    [
        (["/min", "1/min", "{beats}/min", "{beat}/min", "{pulse}/min", "bpm", "beats/min", "264864", "MDC_DIM_BEAT_PER_MIN"], v => v),
    ];

    private static readonly (string[] Spellings, Func<decimal, decimal> ToStored)[] Breaths =
    [
        (["/min", "1/min", "{breaths}/min", "{breath}/min", "{resp}/min", "brpm", "rpm", "breaths/min", "264928", "MDC_DIM_RESP_PER_MIN"], v => v),
    ];

    private static readonly (string[] Spellings, Func<decimal, decimal> ToStored)[] Percent =
    [
        (["%", "262688", "MDC_DIM_PERCENT"], v => v),
    ];

    private static readonly (string[] Spellings, Func<decimal, decimal> ToStored)[] Temperature =
    [
        (["Cel", "degC", "°C", "268192", "MDC_DIM_DEGC"], v => v),
        (["[degF]", "degF", "°F", "266560", "MDC_DIM_FAHR"], v => Math.Round((v - 32m) * 5m / 9m, 2)),
    ];

    /// <summary>
    /// Converts <paramref name="value"/> given in the unit OBX-6 names. Tries the identifier, then the
    /// alternate identifier, then the text. Null when no component names an accepted unit.
    /// </summary>
    public static decimal? ToStoredUnit(VitalKind kind, decimal value, IEnumerable<string> unitCandidates)
    {
        var table = kind switch
        {
            VitalKind.SystolicBloodPressure or VitalKind.DiastolicBloodPressure => Pressure,
            VitalKind.HeartRate => Beats,
            VitalKind.RespiratoryRate => Breaths,
            VitalKind.OxygenSaturation => Percent,
            VitalKind.BodyTemperature => Temperature,
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown vital kind."),
        };

        foreach (var candidate in unitCandidates)
        {
            var unit = candidate.Trim();
            foreach (var (spellings, toStored) in table)
            {
                if (spellings.Contains(unit, StringComparer.OrdinalIgnoreCase))
                {
                    return toStored(value);
                }
            }
        }

        return null;
    }

    /// <summary>The spellings accepted for a kind, for error messages.</summary>
    public static string Accepted(VitalKind kind) => kind switch
    {
        VitalKind.SystolicBloodPressure or VitalKind.DiastolicBloodPressure => "mm[Hg] or kPa",
        VitalKind.HeartRate => "/min ({beats}/min, bpm)",
        VitalKind.RespiratoryRate => "/min ({breaths}/min)",
        VitalKind.OxygenSaturation => "%",
        VitalKind.BodyTemperature => "Cel or [degF]",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown vital kind."),
    };
}
