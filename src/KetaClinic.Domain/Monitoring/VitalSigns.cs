using System.Globalization;

namespace KetaClinic.Domain.Monitoring;

/// <summary>The vital signs read from bedside monitors (REFERENCE.md §1 LOINC table, §5 monitoring).</summary>
public enum VitalKind
{
    HeartRate,
    SystolicBloodPressure,
    DiastolicBloodPressure,
    RespiratoryRate,
    OxygenSaturation,
    BodyTemperature,
}

/// <summary>The one unit each vital is stored in.</summary>
public enum VitalUnit
{
    MillimetresOfMercury,
    BeatsPerMinute,
    BreathsPerMinute,
    Percent,
    DegreesCelsius,
}

/// <summary>A vital-sign value in its stored unit.</summary>
public readonly record struct VitalValue(decimal Amount, VitalUnit Unit)
{
    public override string ToString() =>
        Amount.ToString("0.##", CultureInfo.InvariantCulture) + " " + VitalSigns.Symbol(Unit);
}

/// <summary>Facts about each vital kind: stored unit, LOINC codes and names.</summary>
public static class VitalSigns
{
    /// <summary>All kinds, in display order.</summary>
    public static IReadOnlyList<VitalKind> All { get; } = Enum.GetValues<VitalKind>();

    public static VitalUnit UnitOf(VitalKind kind) => kind switch
    {
        VitalKind.HeartRate => VitalUnit.BeatsPerMinute,
        VitalKind.SystolicBloodPressure or VitalKind.DiastolicBloodPressure => VitalUnit.MillimetresOfMercury,
        VitalKind.RespiratoryRate => VitalUnit.BreathsPerMinute,
        VitalKind.OxygenSaturation => VitalUnit.Percent,
        VitalKind.BodyTemperature => VitalUnit.DegreesCelsius,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown vital kind."),
    };

    /// <summary>
    /// LOINC codes per REFERENCE.md §1 (LOINC codes [firm]). SpO2 has two: 2708-6 and 59408-5, both to be sent.
    /// </summary>
    public static IReadOnlyList<string> LoincCodes(VitalKind kind) => kind switch
    {
        VitalKind.HeartRate => ["8867-4"],
        VitalKind.SystolicBloodPressure => ["8480-6"],
        VitalKind.DiastolicBloodPressure => ["8462-4"],
        VitalKind.RespiratoryRate => ["9279-1"],
        VitalKind.OxygenSaturation => ["59408-5", "2708-6"],
        VitalKind.BodyTemperature => ["8310-5"],
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown vital kind."),
    };

    public static string DisplayName(VitalKind kind) => kind switch
    {
        VitalKind.HeartRate => "Heart rate",
        VitalKind.SystolicBloodPressure => "Systolic blood pressure",
        VitalKind.DiastolicBloodPressure => "Diastolic blood pressure",
        VitalKind.RespiratoryRate => "Respiratory rate",
        VitalKind.OxygenSaturation => "SpO2",
        VitalKind.BodyTemperature => "Body temperature",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown vital kind."),
    };

    public static string Symbol(VitalUnit unit) => unit switch
    {
        VitalUnit.MillimetresOfMercury => "mmHg",
        VitalUnit.BeatsPerMinute => "/min",
        VitalUnit.BreathsPerMinute => "/min",
        VitalUnit.Percent => "%",
        VitalUnit.DegreesCelsius => "°C",
        _ => throw new ArgumentOutOfRangeException(nameof(unit), unit, "Unknown unit."),
    };
}
