using KetaClinic.Domain.Monitoring;
using KetaClinic.Domain.Protocols;

namespace KetaClinic.Domain.Sessions;

public enum DueCheckStatus
{
    /// <summary>Not yet due.</summary>
    Upcoming,

    /// <summary>Due now, still within its window.</summary>
    Due,

    /// <summary>Taken.</summary>
    Done,

    /// <summary>Past its due time (or window) without being taken.</summary>
    Overdue,
}

/// <summary>
/// One check of the schedule. <see cref="WindowEndsAt"/> closes a fixed-time check (e.g. BP about 40 minutes after the
/// dose); a recurring check (every N minutes) has none and is overdue as soon as <see cref="DueAt"/> has passed.
/// </summary>
public sealed record DueCheck(
    string Code,
    string Label,
    IReadOnlyList<VitalKind> Vitals,
    DateTimeOffset DueAt,
    DateTimeOffset? WindowEndsAt,
    DueCheckStatus Status,
    DateTimeOffset? DoneAt,
    string Source);

/// <summary>The session's checks at one instant, and when the minimum monitoring ends (once the dose has ended).</summary>
public sealed record MonitoringStatus(IReadOnlyList<DueCheck> Checks, DateTimeOffset? MonitoringEndsAt, DateTimeOffset EvaluatedAt)
{
    /// <summary>The earliest check not yet taken, overdue ones first by their due time.</summary>
    public DueCheck? Next => Checks.Where(c => c.Status != DueCheckStatus.Done).MinBy(c => c.DueAt);

    public IReadOnlyList<DueCheck> Overdue => [.. Checks.Where(c => c.Status == DueCheckStatus.Overdue)];
}

/// <summary>What the schedule is computed from.</summary>
/// <param name="DoseStartedAt">Start of dosing (first device for esketamine); null before dosing.</param>
/// <param name="DoseEndedAt">End of dosing (last device); null until the dosing record is complete.</param>
/// <param name="Vitals">The session's vital signs in time order (as <see cref="TreatmentSession.Vitals"/> keeps them).</param>
public sealed record MonitoringInput(
    TreatmentProtocol Protocol,
    SessionState State,
    DateTimeOffset? DoseStartedAt,
    DateTimeOffset? DoseEndedAt,
    IReadOnlyList<VitalObservation> Vitals,
    DateTimeOffset Now);

/// <summary>
/// The vital-sign schedule of a session (REFERENCE.md §5, §6). Before the dose: BP, HR and SpO2, recent. Esketamine
/// (REMS): BP about 40 minutes after the first device and again before monitoring ends, pulse oximetry throughout.
/// Other protocols: BP at the protocol's interval while dosing (every 10 minutes for an IV infusion), then at the
/// post-dose interval until the patient leaves, and pulse oximetry throughout.
/// </summary>
public static class MonitoringSchedule
{
    private static readonly IReadOnlyList<VitalKind> BloodPressureKinds = [VitalKind.SystolicBloodPressure, VitalKind.DiastolicBloodPressure];

    public static MonitoringStatus Evaluate(MonitoringInput input, SessionSettings settings)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(input.Protocol);
        ArgumentNullException.ThrowIfNull(input.Vitals);
        var now = input.Now;
        // The session keeps its vitals in time order: those up to now are a prefix, and windows are found by search.
        var vitals = new Observed(input.Vitals, TimeOrderedVitals.FirstAfter(input.Vitals, now));
        var monitoringEnds = input.DoseEndedAt?.AddMinutes(input.Protocol.Timing.MinimumMonitoringMinutes.Value);
        var checks = new List<DueCheck>();
        switch (input.State)
        {
            case SessionState.CheckedIn or SessionState.PreDoseChecksPassed:
                checks.Add(PreDose(vitals, now, settings));
                break;
            case SessionState.Dosing or SessionState.Monitoring or SessionState.Recovery when input.DoseStartedAt is { } start:
                if (input.Protocol.RemsRequired.Value)
                {
                    checks.Add(FortyMinutes(input.Protocol, start, vitals, now, settings));
                    if (monitoringEnds is { } end)
                    {
                        checks.Add(BeforeCompletion(end, vitals, now, settings));
                    }
                }
                else
                {
                    checks.Add(Interval(input, start, vitals, now, settings));
                }

                checks.Add(Oximetry(input.Protocol, start, vitals, now, settings));
                break;
        }

        return new MonitoringStatus(checks, monitoringEnds, now);
    }

    private static DueCheck PreDose(Observed vitals, DateTimeOffset now, SessionSettings settings)
    {
        var required = settings.PreDose.RequiredVitals;
        var maxAge = settings.Vitals.PreDoseReadingMaxAgeMinutes;
        var from = now.AddMinutes(-maxAge.Value);
        var recentFrom = vitals.From(from);
        DateTimeOffset? doneAt = null;
        var complete = true;
        foreach (var kind in required.Value.Distinct())
        {
            DateTimeOffset? at = kind is VitalKind.SystolicBloodPressure or VitalKind.DiastolicBloodPressure
                ? TimeOrderedVitals.LatestBloodPressure(vitals.All, recentFrom, vitals.End)?.MeasuredAt
                : TimeOrderedVitals.Latest(vitals.All, kind, recentFrom, vitals.End)?.ObservedAt;
            complete &= at is not null;
            if (at is { } a && (doneAt is null || a > doneAt))
            {
                doneAt = a;
            }
        }

        return new DueCheck(
            "pre-dose-vitals",
            "Vitals before the dose",
            required.Value,
            now,
            null,
            complete ? DueCheckStatus.Done : DueCheckStatus.Due,
            complete ? doneAt : null,
            required.Source + "; " + maxAge.Source);
    }

    private static DueCheck FortyMinutes(TreatmentProtocol protocol, DateTimeOffset start, Observed vitals, DateTimeOffset now, SessionSettings settings)
    {
        var after = protocol.Timing.VitalsIntervalMinutes;
        var tolerance = TimeSpan.FromMinutes(settings.Monitoring.FixedCheckToleranceMinutes.Value);
        var due = start.AddMinutes(after.Value);
        var windowStart = due - tolerance;
        var windowEnd = due + tolerance;
        var taken = TimeOrderedVitals.LatestBloodPressure(vitals.All, vitals.From(windowStart), Math.Min(vitals.End, TimeOrderedVitals.FirstAfter(vitals.All, windowEnd)));
        return new DueCheck(
            "bp-after-dose",
            $"Blood pressure about {SessionText.Minutes(after.Value)} after the dose",
            BloodPressureKinds,
            due,
            windowEnd,
            Status(taken?.MeasuredAt, windowStart, windowEnd, now),
            taken?.MeasuredAt,
            after.Source + "; " + settings.Monitoring.FixedCheckToleranceMinutes.Source);
    }

    private static DueCheck BeforeCompletion(DateTimeOffset monitoringEnds, Observed vitals, DateTimeOffset now, SessionSettings settings)
    {
        var window = settings.Monitoring.BeforeCompletionWindowMinutes;
        var windowStart = monitoringEnds.AddMinutes(-window.Value);

        // A reading after the minimum time still counts: completion is when the patient actually leaves.
        var taken = TimeOrderedVitals.LatestBloodPressure(vitals.All, vitals.From(windowStart), vitals.End);
        return new DueCheck(
            "bp-before-completion",
            "Blood pressure before the end of monitoring",
            BloodPressureKinds,
            windowStart,
            monitoringEnds,
            Status(taken?.MeasuredAt, windowStart, monitoringEnds, now),
            taken?.MeasuredAt,
            "REFERENCE.md §6 [firm]: BP before dosing, at about 40 minutes and before completion (REMS Patient Monitoring Form); " + window.Source);
    }

    private static DueCheck Interval(MonitoringInput input, DateTimeOffset start, Observed vitals, DateTimeOffset now, SessionSettings settings)
    {
        var dosing = input.State == SessionState.Dosing;
        var interval = dosing ? input.Protocol.Timing.VitalsIntervalMinutes : settings.Monitoring.PostDoseBloodPressureIntervalMinutes;
        var last = TimeOrderedVitals.LatestBloodPressure(vitals.All, vitals.From(start), vitals.End)?.MeasuredAt;
        var due = (last ?? start).AddMinutes(interval.Value);
        return new DueCheck(
            dosing ? "bp-during-dosing" : "bp-after-dosing",
            $"Blood pressure every {SessionText.Minutes(interval.Value)} {(dosing ? "during dosing" : "after the dose")}",
            BloodPressureKinds,
            due,
            null,
            now > due ? DueCheckStatus.Overdue : now == due ? DueCheckStatus.Due : DueCheckStatus.Upcoming,
            null,
            interval.Source);
    }

    private static DueCheck Oximetry(TreatmentProtocol protocol, DateTimeOffset start, Observed vitals, DateTimeOffset now, SessionSettings settings)
    {
        var gap = settings.Monitoring.OximetryMaxGapMinutes;
        var last = TimeOrderedVitals.Latest(vitals.All, VitalKind.OxygenSaturation, vitals.From(start), vitals.End)?.ObservedAt;
        var due = (last ?? start).AddMinutes(gap.Value);
        return new DueCheck(
            "spo2-continuous",
            "Pulse oximetry throughout",
            [VitalKind.OxygenSaturation],
            due,
            null,
            now > due ? DueCheckStatus.Overdue : now == due ? DueCheckStatus.Due : DueCheckStatus.Upcoming,
            null,
            gap.Source + (protocol.RemsRequired.Value ? "; " + protocol.RemsRequired.Source : string.Empty));
    }

    private static DueCheckStatus Status(DateTimeOffset? takenAt, DateTimeOffset windowStart, DateTimeOffset windowEnd, DateTimeOffset now) =>
        takenAt is not null ? DueCheckStatus.Done
        : now > windowEnd ? DueCheckStatus.Overdue
        : now >= windowStart ? DueCheckStatus.Due
        : DueCheckStatus.Upcoming;

    /// <summary>A session's vitals (time order) and where those observed up to now end.</summary>
    private readonly record struct Observed(IReadOnlyList<VitalObservation> All, int End)
    {
        public int From(DateTimeOffset t) => TimeOrderedVitals.FirstAtOrAfter(All, t);
    }
}
