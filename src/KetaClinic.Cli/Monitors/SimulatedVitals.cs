namespace KetaClinic.Cli.Monitors;

/// <summary>What a simulated patient's vitals drift towards.</summary>
public enum VitalsScenario
{
    /// <summary>Stable values around a resting baseline.</summary>
    Normal,

    /// <summary>Blood pressure climbs past the in-treatment alert limits (REFERENCE.md §5: SBP ≥ 180 or DBP ≥ 110).</summary>
    Hypertension,

    /// <summary>SpO2 and respiratory rate fall past the alert limits (REFERENCE.md §5: SpO2 &lt; 92 %, RR &lt; 10).</summary>
    Desaturation,
}

/// <summary>One reading from a simulated monitor, in the units the monitor sends.</summary>
public sealed record VitalsReading(int SystolicMmHg, int DiastolicMmHg, int HeartRateBpm, int OxygenSaturationPercent, int RespiratoryRateBreathsPerMinute);

/// <summary>
/// Slowly drifting, plausible vital signs for one simulated patient: each reading moves a little towards the
/// scenario's target with some noise, so successive readings look like a real trend and never jump.
/// </summary>
public sealed class SimulatedVitals
{
    private readonly Random _random;
    private readonly VitalsScenario _scenario;
    private double _systolic;
    private double _diastolic;
    private double _heartRate;
    private double _spo2;
    private double _respiratoryRate;
    private int _readings;

    public SimulatedVitals(VitalsScenario scenario, int seed)
    {
        _scenario = scenario;
        _random = new Random(seed);
        // A resting adult, varied per patient.
        _systolic = 118 + _random.Next(0, 16);
        _diastolic = 74 + _random.Next(0, 10);
        _heartRate = 66 + _random.Next(0, 16);
        _spo2 = 96 + _random.Next(0, 3);
        _respiratoryRate = 13 + _random.Next(0, 4);
    }

    public VitalsReading Next()
    {
        _readings++;
        // Targets: the baseline for a normal session; the scenario pulls one system out of range over ~60 readings.
        var progress = Math.Min(1.0, _readings / 60.0);
        var (sys, dia, hr, spo2, rr) = _scenario switch
        {
            VitalsScenario.Hypertension => (124 + (66 * progress), 78 + (37 * progress), 74 + (20 * progress), 97.0, 15.0),
            VitalsScenario.Desaturation => (122.0, 78.0, 76 + (14 * progress), 97 - (10 * progress), 15 - (7 * progress)),
            _ => (124.0, 78.0, 74.0, 97.0, 15.0),
        };
        _systolic = Step(_systolic, sys, 2.0);
        _diastolic = Math.Min(Step(_diastolic, dia, 1.5), _systolic - 25);
        _heartRate = Step(_heartRate, hr, 1.5);
        _spo2 = Math.Min(100, Step(_spo2, spo2, 0.4));
        _respiratoryRate = Step(_respiratoryRate, rr, 0.4);
        return new VitalsReading(
            (int)Math.Round(_systolic),
            (int)Math.Round(_diastolic),
            (int)Math.Round(_heartRate),
            (int)Math.Round(_spo2),
            (int)Math.Round(_respiratoryRate));
    }

    private double Step(double value, double target, double noise) =>
        value + (0.15 * (target - value)) + (((_random.NextDouble() * 2) - 1) * noise);
}
