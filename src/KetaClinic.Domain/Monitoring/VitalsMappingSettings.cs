using KetaClinic.Domain.Evaluation;

namespace KetaClinic.Domain.Monitoring;

/// <summary>
/// One observation code (OBX-3) that stands for a vital kind: a LOINC code (coding system LN) or a device
/// code such as IEEE 11073 MDC or a vendor's own. Coding systems compare case-insensitively, codes exactly.
/// </summary>
public sealed record ObservationCodeMapping(string CodingSystem, string Code, VitalKind Kind, string Source);

/// <summary>An inclusive range in the vital's stored unit.</summary>
public sealed record PlausibleRange(decimal Min, decimal Max)
{
    public bool Contains(decimal value) => value >= Min && value <= Max;
}

/// <summary>
/// Engineering plausibility limits: values outside are treated as artefacts or unit errors and not stored as
/// vitals. They are not clinical alert thresholds (see <see cref="VitalAlertSettings"/>); the clinic may edit them.
/// </summary>
public sealed record VitalPlausibilityLimits
{
    private const string Source = "KetaClinic engineering plausibility limit (not a clinical threshold), clinic-editable";

    public SourcedSetting<PlausibleRange> HeartRateBeatsPerMinute { get; init; } = new(new(20m, 300m), Source);

    public SourcedSetting<PlausibleRange> SystolicMmHg { get; init; } = new(new(40m, 300m), Source);

    public SourcedSetting<PlausibleRange> DiastolicMmHg { get; init; } = new(new(20m, 200m), Source);

    public SourcedSetting<PlausibleRange> OxygenSaturationPercent { get; init; } = new(new(50m, 100m), Source);

    public SourcedSetting<PlausibleRange> RespiratoryRateBreathsPerMinute { get; init; } = new(new(2m, 80m), Source);

    public SourcedSetting<PlausibleRange> BodyTemperatureCelsius { get; init; } = new(new(30m, 45m), Source);

    public SourcedSetting<PlausibleRange> For(VitalKind kind) => kind switch
    {
        VitalKind.HeartRate => HeartRateBeatsPerMinute,
        VitalKind.SystolicBloodPressure => SystolicMmHg,
        VitalKind.DiastolicBloodPressure => DiastolicMmHg,
        VitalKind.RespiratoryRate => RespiratoryRateBreathsPerMinute,
        VitalKind.OxygenSaturation => OxygenSaturationPercent,
        VitalKind.BodyTemperature => BodyTemperatureCelsius,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown vital kind."),
    };
}

/// <summary>Settings for reading vital signs out of ORU^R01 messages.</summary>
public sealed record VitalsMappingSettings
{
    private const string Loinc = "REFERENCE.md §1, LOINC codes [firm]";
    private const string Mdc = "IEEE 11073-10101 nomenclature (MDC) as used by IHE PCD-01 monitors; clinic to confirm against its monitors";

    /// <summary>Observation codes that map to vital kinds. Codes not listed are reported as not a vital sign.</summary>
    public IReadOnlyList<ObservationCodeMapping> Codes { get; init; } =
    [
        new("LN", "8867-4", VitalKind.HeartRate, Loinc),
        new("LN", "8480-6", VitalKind.SystolicBloodPressure, Loinc),
        new("LN", "8462-4", VitalKind.DiastolicBloodPressure, Loinc),
        new("LN", "9279-1", VitalKind.RespiratoryRate, Loinc),
        new("LN", "59408-5", VitalKind.OxygenSaturation, Loinc),
        new("LN", "2708-6", VitalKind.OxygenSaturation, Loinc),
        new("LN", "8310-5", VitalKind.BodyTemperature, Loinc),
        new("MDC", "147842", VitalKind.HeartRate, Mdc + " (MDC_ECG_HEART_RATE)"),
        new("MDC", "149530", VitalKind.HeartRate, Mdc + " (MDC_PULS_OXIM_PULS_RATE, pulse rate from the oximeter)"),
        new("MDC", "149546", VitalKind.HeartRate, Mdc + " (MDC_PULS_RATE_NON_INV, pulse rate from the cuff)"),
        new("MDC", "150021", VitalKind.SystolicBloodPressure, Mdc + " (MDC_PRESS_BLD_NONINV_SYS)"),
        new("MDC", "150022", VitalKind.DiastolicBloodPressure, Mdc + " (MDC_PRESS_BLD_NONINV_DIA)"),
        new("MDC", "150301", VitalKind.SystolicBloodPressure, Mdc + " (MDC_PRESS_CUFF_SYS)"),
        new("MDC", "150302", VitalKind.DiastolicBloodPressure, Mdc + " (MDC_PRESS_CUFF_DIA)"),
        new("MDC", "151562", VitalKind.RespiratoryRate, Mdc + " (MDC_RESP_RATE)"),
        new("MDC", "151594", VitalKind.RespiratoryRate, Mdc + " (MDC_CO2_RESP_RATE, from capnography)"),
        new("MDC", "150456", VitalKind.OxygenSaturation, Mdc + " (MDC_PULS_OXIM_SAT_O2)"),
        new("MDC", "150344", VitalKind.BodyTemperature, Mdc + " (MDC_TEMP)"),
        new("MDC", "150364", VitalKind.BodyTemperature, Mdc + " (MDC_TEMP_BODY)"),
    ];

    public VitalPlausibilityLimits Plausibility { get; init; } = new();

    /// <summary>
    /// OBX-11 result statuses (HL7 table 0085) whose values are stored. F final, C corrected and R
    /// (entered, not verified: what monitors send) by default. P (preliminary) is left out because the value
    /// may still change; X (cannot be obtained), D (delete) and W (wrong) never carry a value.
    /// </summary>
    public SourcedSetting<IReadOnlyList<string>> AcceptedResultStatuses { get; init; } = new(
        ["F", "C", "R"],
        "HL7 table 0085; KetaClinic default: final, corrected and device (unverified) results, not preliminary ones");

    /// <summary>How far an observation time may lie after the time of receipt (device clocks drift).</summary>
    public SourcedSetting<int> FutureToleranceMinutes { get; init; } = new(
        5,
        "KetaClinic engineering allowance for monitor clock drift, clinic-editable");

    public static VitalsMappingSettings Default { get; } = new();

    public IReadOnlyList<DataValidationError> Validate()
    {
        var errors = new List<DataValidationError>();
        void Add(string field, string message) => errors.Add(new DataValidationError(null, null, field, message));

        ArgumentNullException.ThrowIfNull(Codes);
        ArgumentNullException.ThrowIfNull(Plausibility);
        for (var i = 0; i < Codes.Count; i++)
        {
            var mapping = Codes[i];
            var row = new Func<string, string, DataValidationError>((field, message) =>
                new DataValidationError(i + 1, $"{mapping.CodingSystem}^{mapping.Code}", field, message));
            if (string.IsNullOrWhiteSpace(mapping.CodingSystem))
            {
                errors.Add(row(nameof(ObservationCodeMapping.CodingSystem), "is required."));
            }

            if (string.IsNullOrWhiteSpace(mapping.Code))
            {
                errors.Add(row(nameof(ObservationCodeMapping.Code), "is required."));
            }

            if (!Enum.IsDefined(mapping.Kind))
            {
                errors.Add(row(nameof(ObservationCodeMapping.Kind), "is not a known vital kind."));
            }

            if (string.IsNullOrWhiteSpace(mapping.Source))
            {
                errors.Add(row(nameof(ObservationCodeMapping.Source), "needs a source."));
            }
        }

        var duplicates = Codes
            .GroupBy(c => (System: c.CodingSystem.ToUpperInvariant(), c.Code))
            .Where(g => g.Select(c => c.Kind).Distinct().Count() > 1);
        foreach (var duplicate in duplicates)
        {
            Add(nameof(Codes), $"{duplicate.Key.System}^{duplicate.Key.Code} maps to more than one vital kind.");
        }

        foreach (var kind in VitalSigns.All)
        {
            var range = Plausibility.For(kind);
            var field = $"{nameof(Plausibility)}.{kind}";
            if (range.Value.Min >= range.Value.Max)
            {
                Add(field, "minimum must be below maximum.");
            }

            if (string.IsNullOrWhiteSpace(range.Source))
            {
                Add(field, "needs a source.");
            }
        }

        string[] table0085 = ["F", "C", "R", "P", "S", "A", "U", "I", "O", "N", "X", "D", "W"];
        foreach (var status in AcceptedResultStatuses.Value)
        {
            if (status is "X" or "D" or "W" or "I" or "O" or "N")
            {
                Add(nameof(AcceptedResultStatuses), $"status {status} never carries a value to store.");
            }
            else if (!table0085.Contains(status, StringComparer.Ordinal))
            {
                Add(nameof(AcceptedResultStatuses), $"'{status}' is not an HL7 table 0085 result status.");
            }
        }

        if (FutureToleranceMinutes.Value is < 0 or > 1440)
        {
            Add(nameof(FutureToleranceMinutes), "must be between 0 and 1440 minutes.");
        }

        if (string.IsNullOrWhiteSpace(AcceptedResultStatuses.Source))
        {
            Add(nameof(AcceptedResultStatuses), "needs a source.");
        }

        if (string.IsNullOrWhiteSpace(FutureToleranceMinutes.Source))
        {
            Add(nameof(FutureToleranceMinutes), "needs a source.");
        }

        return errors;
    }
}
