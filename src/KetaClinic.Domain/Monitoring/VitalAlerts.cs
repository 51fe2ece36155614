using System.Globalization;

namespace KetaClinic.Domain.Monitoring;

/// <summary>An alert raised by one observation crossing one threshold; <see cref="Source"/> is the threshold's.</summary>
public sealed record VitalAlert(
    VitalKind Vital,
    VitalAlertSeverity Severity,
    ThresholdDirection Direction,
    VitalValue Threshold,
    VitalValue Value,
    DateTimeOffset ObservedAt,
    DeviceIdentity Device,
    string Message,
    string Source);

/// <summary>A paired blood pressure reading (systolic and diastolic of one measurement).</summary>
public sealed record BloodPressureReading(decimal SystolicMmHg, decimal DiastolicMmHg, DateTimeOffset MeasuredAt)
{
    /// <summary>
    /// The latest reading among <paramref name="observations"/> whose systolic and diastolic share device and
    /// time; null when there is none. A systolic without its diastolic (or the reverse) is not a reading.
    /// </summary>
    public static BloodPressureReading? LatestFrom(IEnumerable<VitalObservation> observations)
    {
        ArgumentNullException.ThrowIfNull(observations);
        return observations
            .Where(o => o.Kind is VitalKind.SystolicBloodPressure or VitalKind.DiastolicBloodPressure)
            .GroupBy(o => (o.Device, o.ObservedAt))
            .Where(g => g.Any(o => o.Kind == VitalKind.SystolicBloodPressure) && g.Any(o => o.Kind == VitalKind.DiastolicBloodPressure))
            .OrderByDescending(g => g.Key.ObservedAt)
            .Select(g => new BloodPressureReading(
                g.Last(o => o.Kind == VitalKind.SystolicBloodPressure).Value.Amount,
                g.Last(o => o.Kind == VitalKind.DiastolicBloodPressure).Value.Amount,
                g.Key.ObservedAt))
            .FirstOrDefault();
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{SystolicMmHg:0.#}/{DiastolicMmHg:0.#} mmHg");
}

public enum PreDoseBloodPressureStatus
{
    /// <summary>A recent reading within the limits: dosing may go ahead as far as blood pressure goes.</summary>
    Met,

    /// <summary>The reading is above the hold limit: hold dosing.</summary>
    Hold,

    /// <summary>No reading was recorded: not met.</summary>
    NoReading,

    /// <summary>The latest reading is too old to count for this dose: not met.</summary>
    ReadingTooOld,
}

/// <summary>Outcome of the pre-dose blood pressure check; <see cref="Message"/> says why in clinic words.</summary>
public sealed record PreDoseBloodPressureResult(PreDoseBloodPressureStatus Status, BloodPressureReading? Reading, string Message, string Source)
{
    public bool IsMet => Status == PreDoseBloodPressureStatus.Met;
}

/// <summary>Whether blood pressure is overdue, when it is or was due, and why.</summary>
public sealed record VitalsOverdueResult(bool IsOverdue, DateTimeOffset? DueAt, string Message, string Source);

/// <summary>
/// Pure vital-sign checks (REFERENCE.md §5). Missing data never passes: no reading is "not met" or "overdue",
/// never silence.
/// </summary>
public static class VitalAlerts
{
    /// <summary>The alerts a new observation raises: one per threshold it crosses, none when it is within all.</summary>
    public static IReadOnlyList<VitalAlert> Evaluate(VitalObservation observation, VitalAlertSettings settings)
    {
        ArgumentNullException.ThrowIfNull(observation);
        ArgumentNullException.ThrowIfNull(settings);
        return settings.Thresholds
            .Where(t => t.Value.Vital == observation.Kind && t.Value.IsCrossedBy(observation.Value.Amount))
            .Select(t => new VitalAlert(
                observation.Kind,
                t.Value.Severity,
                t.Value.Direction,
                new VitalValue(t.Value.Limit, observation.Value.Unit),
                observation.Value,
                observation.ObservedAt,
                observation.Device,
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"{VitalSigns.DisplayName(observation.Kind)} {observation.Value} is {Words(t.Value.Direction)} the alert threshold of {new VitalValue(t.Value.Limit, observation.Value.Unit)}."),
                t.Source))
            .ToList();
    }

    /// <summary>
    /// Pre-dose blood pressure: met only with a reading no older than the max age and not above the hold limits
    /// (either value above holds). <paramref name="latest"/> is null when no reading was recorded.
    /// </summary>
    public static PreDoseBloodPressureResult CheckPreDoseBloodPressure(
        BloodPressureReading? latest, DateTimeOffset now, VitalAlertSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var systolicLimit = settings.PreDoseHoldSystolicAboveMmHg;
        var diastolicLimit = settings.PreDoseHoldDiastolicAboveMmHg;
        var limits = string.Create(CultureInfo.InvariantCulture, $"{systolicLimit.Value:0.#}/{diastolicLimit.Value:0.#} mmHg");
        if (latest is null)
        {
            return new(PreDoseBloodPressureStatus.NoReading, null, "Not met: no blood pressure recorded before this dose.", settings.PreDoseReadingMaxAgeMinutes.Source);
        }

        var maxAge = TimeSpan.FromMinutes(settings.PreDoseReadingMaxAgeMinutes.Value);
        if (now - latest.MeasuredAt > maxAge)
        {
            return new(
                PreDoseBloodPressureStatus.ReadingTooOld,
                latest,
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"Not met: the latest blood pressure ({latest}) was taken {(int)(now - latest.MeasuredAt).TotalMinutes} minutes ago; a reading within {settings.PreDoseReadingMaxAgeMinutes.Value} minutes is needed."),
                settings.PreDoseReadingMaxAgeMinutes.Source);
        }

        if (latest.SystolicMmHg > systolicLimit.Value || latest.DiastolicMmHg > diastolicLimit.Value)
        {
            return new(
                PreDoseBloodPressureStatus.Hold,
                latest,
                $"Hold dosing: blood pressure {latest} is above {limits}.",
                latest.SystolicMmHg > systolicLimit.Value ? systolicLimit.Source : diastolicLimit.Source);
        }

        return new(PreDoseBloodPressureStatus.Met, latest, $"Met: blood pressure {latest} is within {limits}.", systolicLimit.Source);
    }

    /// <summary>
    /// Whether blood pressure is overdue during an infusion: due one interval after the last reading, overdue
    /// once that moment has passed. With no reading at all it is overdue now.
    /// </summary>
    public static VitalsOverdueResult CheckBloodPressureOverdue(
        DateTimeOffset? lastBloodPressureAt, DateTimeOffset now, VitalAlertSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var interval = settings.BloodPressureIntervalDuringInfusionMinutes;
        if (lastBloodPressureAt is not { } last)
        {
            return new(true, null, "Overdue: no blood pressure recorded during this infusion.", interval.Source);
        }

        var dueAt = last.AddMinutes(interval.Value);
        if (now > dueAt)
        {
            return new(
                true,
                dueAt,
                string.Create(CultureInfo.InvariantCulture, $"Overdue: blood pressure is due every {interval.Value} minutes and the last was {(int)(now - last).TotalMinutes} minutes ago."),
                interval.Source);
        }

        return new(
            false,
            dueAt,
            string.Create(CultureInfo.InvariantCulture, $"Not overdue: next blood pressure due within {Math.Ceiling((dueAt - now).TotalMinutes)} minutes."),
            interval.Source);
    }

    private static string Words(ThresholdDirection direction) => direction switch
    {
        ThresholdDirection.Above => "above",
        ThresholdDirection.AtOrAbove => "at or above",
        ThresholdDirection.Below => "below",
        _ => "at or below",
    };
}
