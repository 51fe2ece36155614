using KetaClinic.Domain.Common;
using KetaClinic.Domain.Monitoring;

namespace KetaClinic.Domain.Sessions;

/// <summary>Vitals, alerts and side effects of the session.</summary>
public sealed partial class TreatmentSession
{
    private readonly List<VitalObservation> _vitals = [];

    /// <summary>What identifies an observation already recorded (kind, time, value, device), so a repeat is found at once.</summary>
    private readonly HashSet<(VitalKind Kind, DateTimeOffset ObservedAt, VitalValue Value, DeviceIdentity Device)> _recorded = [];
    private readonly Dictionary<VitalKind, int> _vitalCounts = [];
    private readonly List<SessionAlert> _alerts = [];
    private readonly List<SideEffect> _sideEffects = [];

    /// <summary>Every vital recorded, in time order.</summary>
    public IReadOnlyList<VitalObservation> Vitals => _vitals;

    /// <summary>How many values of each kind were recorded (kinds never recorded are absent).</summary>
    public IReadOnlyDictionary<VitalKind, int> VitalCounts => _vitalCounts;

    public IReadOnlyList<SessionAlert> Alerts => _alerts;

    public IReadOnlyList<SessionAlert> OpenAlerts => [.. _alerts.Where(a => a.IsOpen)];

    public IReadOnlyList<SideEffect> SideEffects => _sideEffects;

    /// <summary>
    /// Records a vital from a monitor or the keypad and evaluates it with <see cref="VitalAlerts.Evaluate"/>; returns
    /// the alerts it raised. A threshold that already has an open alert for the same vital is not raised again until
    /// that alert is acknowledged. The same observation twice is stored once. Accepted from check-in until the
    /// patient leaves, and not dated before check-in.
    /// </summary>
    public IReadOnlyList<SessionAlert> RecordVital(VitalObservation observation, SessionSettings settings)
    {
        ArgumentNullException.ThrowIfNull(observation);
        ArgumentNullException.ThrowIfNull(settings);
        EnsureInChair("observation");
        if (CheckedInAt is { } checkedIn && observation.ObservedAt < checkedIn)
        {
            throw new DomainValidationException([new FieldError("observation.observedAt",
                $"{SessionText.DateTime(observation.ObservedAt)} is before check-in at {SessionText.DateTime(checkedIn)}; it cannot belong to this session.")]);
        }

        if (!_recorded.Add((observation.Kind, observation.ObservedAt, observation.Value, observation.Device)))
        {
            return [];
        }

        var index = _vitals.FindLastIndex(v => v.ObservedAt <= observation.ObservedAt);
        _vitals.Insert(index + 1, observation);
        _vitalCounts[observation.Kind] = _vitalCounts.GetValueOrDefault(observation.Kind) + 1;
        var raised = new List<SessionAlert>();
        foreach (var alert in VitalAlerts.Evaluate(observation, settings.Vitals))
        {
            if (_alerts.Any(a => a.IsOpen && a.Kind == SessionAlertKind.VitalThreshold && a.Vital == alert.Vital && a.Direction == alert.Direction))
            {
                continue;
            }

            var added = new SessionAlert(_alerts.Count + 1, SessionAlertKind.VitalThreshold, alert.Vital, alert.Direction, alert.Severity,
                alert.Message, alert.Source, observation.ObservedAt, null, null, AlertLevel.ChairNurse, [], null);
            _alerts.Add(added);
            raised.Add(added);
        }

        return raised;
    }

    /// <summary>Records several vitals (for example a blood pressure pair) and returns every alert they raised.</summary>
    public IReadOnlyList<SessionAlert> RecordVitals(IEnumerable<VitalObservation> observations, SessionSettings settings)
    {
        ArgumentNullException.ThrowIfNull(observations);
        return [.. observations.ToList().SelectMany(o => RecordVital(o, settings))];
    }

    /// <summary>The vital-sign schedule now: next due check and overdue ones (a query).</summary>
    public MonitoringStatus MonitoringStatus(DateTimeOffset now, SessionSettings settings) =>
        MonitoringSchedule.Evaluate(new MonitoringInput(Protocol, State, DoseStartedAt, DoseEndedAt, _vitals, now), settings);

    /// <summary>Raises one alert for each overdue check that has none yet; returns those raised.</summary>
    public IReadOnlyList<SessionAlert> RaiseOverdueAlerts(DateTimeOffset now, SessionSettings settings)
    {
        if (!State.IsInChair())
        {
            return [];
        }

        var raised = new List<SessionAlert>();
        foreach (var check in MonitoringStatus(now, settings).Overdue)
        {
            if (_alerts.Any(a => a.Kind == SessionAlertKind.VitalsOverdue && a.CheckCode == check.Code && a.CheckDueAt == check.DueAt))
            {
                continue;
            }

            var since = check.WindowEndsAt ?? check.DueAt;
            var added = new SessionAlert(_alerts.Count + 1, SessionAlertKind.VitalsOverdue, null, null, VitalAlertSeverity.Caution,
                $"Overdue: {check.Label} (due {SessionText.Time(since)}).", check.Source, now, check.Code, check.DueAt, AlertLevel.ChairNurse, [], null);
            _alerts.Add(added);
            raised.Add(added);
        }

        return raised;
    }

    /// <summary>Acknowledges an open alert with the action taken. Allowed after the session closed, to clear what is left.</summary>
    public SessionAlert AcknowledgeAlert(int alertNumber, string action, SessionActor by, DateTimeOffset at)
    {
        var v = new Validator();
        var index = _alerts.FindIndex(a => a.Number == alertNumber);
        if (index < 0)
        {
            v.Add("alertNumber", $"the session has no alert {SessionText.Number(alertNumber)}.");
            Throw(v);
        }

        var alert = _alerts[index];
        if (!alert.IsOpen)
        {
            v.Add("alertNumber", $"alert {SessionText.Number(alertNumber)} was already acknowledged by {alert.Acknowledgement!.By.Name} at {SessionText.Time(alert.Acknowledgement.At)}.");
        }

        SessionActor.Check(v, "by", by);
        var text = v.Text("action", action, TextMaxLength, required: true);
        if (at < alert.RaisedAt)
        {
            v.Add("at", $"{SessionText.DateTime(at)} is before the alert was raised at {SessionText.DateTime(alert.RaisedAt)}.");
        }

        Throw(v);
        var acknowledged = alert with { Acknowledgement = new AlertAcknowledgement(by, at, text!) };
        _alerts[index] = acknowledged;
        return acknowledged;
    }

    /// <summary>Applies the escalations due now (<see cref="AlertEscalation.Due"/>) and returns them; none once the session is closed.</summary>
    public IReadOnlyList<EscalationDue> Escalate(DateTimeOffset now, SessionSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (State.IsClosed())
        {
            return [];
        }

        var due = AlertEscalation.Due(_alerts, now, settings.Escalation);
        foreach (var step in due)
        {
            var index = _alerts.FindIndex(a => a.Number == step.AlertNumber);
            var alert = _alerts[index];
            _alerts[index] = alert with { Level = step.To, Escalations = [.. alert.Escalations, new AlertEscalationStep(step.To, step.DueAt, now)] };
        }

        return due;
    }

    /// <summary>Records a side effect; accepted from check-in until the patient leaves.</summary>
    public SideEffect RecordSideEffect(SideEffectEntry entry, SessionSettings settings, SessionActor by, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(settings);
        EnsureInChair("sideEffect");
        var v = new Validator();
        SessionActor.Check(v, "by", by);
        if (!Enum.IsDefined(entry.Kind))
        {
            v.Add("kind", $"'{entry.Kind}' is not a known side effect.");
        }

        if (!Enum.IsDefined(entry.Severity))
        {
            v.Add("severity", $"'{entry.Severity}' is not mild, moderate or severe.");
        }

        v.Text("description", entry.Description, TextMaxLength, required: entry.Kind == SideEffectKind.Other);
        v.Text("actionTaken", entry.ActionTaken, TextMaxLength, required: entry.Severity != SideEffectSeverity.Mild);
        v.Text("medicationGiven", entry.MedicationGiven, TextMaxLength, required: false);
        var max = settings.SideEffects.Cadss6MaximumScore;
        if (entry.Cadss6Score is { } score)
        {
            if (entry.Kind != SideEffectKind.Dissociation)
            {
                v.Add("cadss6Score", "is recorded with dissociation only.");
            }
            else if (score < 0 || score > max.Value)
            {
                v.Add("cadss6Score", $"must be between 0 and {SessionText.Number(max.Value)} ({max.Source}).");
            }
        }

        if (CheckedInAt is { } checkedIn && entry.ObservedAt < checkedIn)
        {
            v.Add("observedAt", $"{SessionText.DateTime(entry.ObservedAt)} is before check-in at {SessionText.DateTime(checkedIn)}.");
        }

        if (entry.ObservedAt > at)
        {
            v.Add("observedAt", $"{SessionText.DateTime(entry.ObservedAt)} is after the moment it is recorded ({SessionText.DateTime(at)}).");
        }

        Throw(v);
        var recorded = new SideEffect(_sideEffects.Count + 1, entry, by, at);
        _sideEffects.Add(recorded);
        return recorded;
    }

    private void EnsureInChair(string field)
    {
        if (!State.IsInChair())
        {
            throw new DomainValidationException([new FieldError(field,
                $"is recorded while the patient is in the chair (checked in to discharge); the session is '{State.Code()}'.")]);
        }
    }
}
