using KetaClinic.Domain.Monitoring;

namespace KetaClinic.Domain.Sessions;

public enum VitalTrend
{
    Up,
    Down,
    Flat,

    /// <summary>The first value of its kind in the session.</summary>
    NoPrevious,
}

/// <summary>The latest value of one vital with its trend against the value before it.</summary>
public sealed record VitalTile(VitalKind Kind, VitalValue Value, DateTimeOffset ObservedAt, VitalTrend Trend, VitalValue? Previous);

/// <summary>A session at a chair and the name the board shows for its patient.</summary>
public sealed record ChairBoardEntry(string PatientDisplay, TreatmentSession Session);

/// <summary>One chair on the board.</summary>
/// <param name="InPhase">Time in the current phase.</param>
/// <param name="SinceCheckIn">Time since check-in.</param>
/// <param name="SinceDoseStart">Time since the dose started, once it has.</param>
/// <param name="Discharge">Discharge readiness, from monitoring on; null before the dose.</param>
public sealed record ChairBoardRow(
    string ChairId,
    Guid SessionId,
    string PatientDisplay,
    string ProtocolName,
    SessionState Phase,
    TimeSpan InPhase,
    TimeSpan? SinceCheckIn,
    TimeSpan? SinceDoseStart,
    IReadOnlyList<VitalTile> LatestVitals,
    IReadOnlyList<SessionAlert> OpenAlerts,
    DueCheck? NextDueCheck,
    IReadOnlyList<DueCheck> OverdueChecks,
    DischargeReadiness? Discharge)
{
    public string PhaseCode => Phase.Code();
}

/// <summary>
/// The chair board: for every session with a patient in the chair, the patient, protocol, phase and times, latest
/// vitals with their trend, open alerts, the next due check and discharge readiness. Pure: the same sessions and
/// instant give the same board. Rows are ordered by chair.
/// </summary>
public static class ChairBoard
{
    public static IReadOnlyList<ChairBoardRow> Project(IEnumerable<ChairBoardEntry> entries, DateTimeOffset now, SessionSettings settings)
    {
        ArgumentNullException.ThrowIfNull(entries);
        ArgumentNullException.ThrowIfNull(settings);
        return [.. entries
            .Where(e => e.Session.State.IsInChair())
            .Select(e => Row(e, now, settings))
            .OrderBy(r => r.ChairId, StringComparer.Ordinal)
            .ThenBy(r => r.SessionId)];
    }

    /// <summary>The latest value of each vital kind in <paramref name="vitals"/> (time order) with its trend.</summary>
    public static IReadOnlyList<VitalTile> LatestWithTrend(IEnumerable<VitalObservation> vitals)
    {
        ArgumentNullException.ThrowIfNull(vitals);
        return [.. vitals
            .GroupBy(v => v.Kind)
            .OrderBy(g => g.Key)
            .Select(g =>
            {
                var ordered = g.OrderBy(v => v.ObservedAt).ToList();
                return Tile(ordered[^1], ordered.Count > 1 ? ordered[^2] : null);
            })];
    }

    /// <summary>
    /// The same as <see cref="LatestWithTrend(IEnumerable{VitalObservation})"/> for the values observed up to
    /// <paramref name="upTo"/>, for a list already in time order (a session's vitals): read from the end, so a board
    /// reload does not sort a session's whole history. With <paramref name="countsByKind"/> (how many values of each
    /// kind the list holds, as <see cref="TreatmentSession.VitalCounts"/>) the reading stops as soon as every kind has
    /// its latest and previous value, instead of walking the whole history for a kind never or once recorded.
    /// </summary>
    public static IReadOnlyList<VitalTile> LatestWithTrend(IReadOnlyList<VitalObservation> timeOrdered, DateTimeOffset upTo, IReadOnlyDictionary<VitalKind, int>? countsByKind = null)
    {
        ArgumentNullException.ThrowIfNull(timeOrdered);
        var latest = new Dictionary<VitalKind, VitalObservation>();
        var previous = new Dictionary<VitalKind, VitalObservation>();
        var settled = 0;
        var kinds = countsByKind?.Count ?? Enum.GetValues<VitalKind>().Length;
        for (var i = timeOrdered.Count - 1; i >= 0 && settled < kinds; i--)
        {
            var v = timeOrdered[i];
            if (v.ObservedAt > upTo)
            {
                continue;
            }

            if (latest.TryAdd(v.Kind, v))
            {
                // A kind recorded once has no previous value to wait for.
                if (countsByKind is not null && countsByKind.GetValueOrDefault(v.Kind) <= 1)
                {
                    settled++;
                }
            }
            else if (previous.TryAdd(v.Kind, v))
            {
                settled++;
            }
        }

        return [.. latest.OrderBy(l => l.Key).Select(l => Tile(l.Value, previous.GetValueOrDefault(l.Key)))];
    }

    private static VitalTile Tile(VitalObservation latest, VitalObservation? previous)
    {
        var trend = previous is null ? VitalTrend.NoPrevious
            : latest.Value.Amount > previous.Value.Amount ? VitalTrend.Up
            : latest.Value.Amount < previous.Value.Amount ? VitalTrend.Down
            : VitalTrend.Flat;
        return new VitalTile(latest.Kind, latest.Value, latest.ObservedAt, trend, previous?.Value);
    }

    private static ChairBoardRow Row(ChairBoardEntry entry, DateTimeOffset now, SessionSettings settings)
    {
        var session = entry.Session;
        var monitoring = session.MonitoringStatus(now, settings);
        var discharge = session.State is SessionState.Monitoring or SessionState.Recovery ? session.EvaluateDischarge(now, settings) : null;
        return new ChairBoardRow(
            session.ChairId,
            session.Id,
            entry.PatientDisplay,
            session.Protocol.Name,
            session.State,
            now - session.StateSince,
            session.CheckedInAt is { } checkedIn ? now - checkedIn : null,
            session.DoseStartedAt is { } start ? now - start : null,
            LatestWithTrend(session.Vitals, now, session.VitalCounts),
            session.OpenAlerts,
            monitoring.Next,
            monitoring.Overdue,
            discharge);
    }
}
