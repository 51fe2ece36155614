using KetaClinic.Domain.Common;
using KetaClinic.Domain.Monitoring;
using KetaClinic.Domain.Protocols;

namespace KetaClinic.Domain.Sessions;

/// <summary>
/// One treatment session at a chair, guarding its own workflow (see <see cref="SessionWorkflow"/>). Every move records
/// who and when in <see cref="History"/>, which only grows and is in time order. A move the workflow does not allow,
/// or whose gate is not open, throws <see cref="SessionTransitionException"/> naming the current state, the attempted
/// one and what is needed; bad input throws <see cref="DomainValidationException"/> naming the field. A refused
/// command changes nothing.
/// </summary>
public sealed partial class TreatmentSession
{
    public const int TextMaxLength = 1000;

    private readonly List<SessionTransition> _history = [];
    private readonly List<GateOverride> _overrides = [];

    private TreatmentSession(Guid id, Guid patientId, TreatmentProtocol protocol, string chairId, DateTimeOffset scheduledFor)
    {
        Id = id;
        PatientId = patientId;
        Protocol = protocol;
        ChairId = chairId;
        ScheduledFor = scheduledFor;
    }

    public Guid Id { get; }

    public Guid PatientId { get; }

    public TreatmentProtocol Protocol { get; }

    public string ChairId { get; }

    public DateTimeOffset ScheduledFor { get; }

    public SessionState State { get; private set; }

    public IReadOnlyList<SessionTransition> History => _history;

    /// <summary>Physicians' overrides of pre-dose checks, in the order given.</summary>
    public IReadOnlyList<GateOverride> Overrides => _overrides;

    /// <summary>The facts the pre-dose checks last passed with; dosing re-checks them at its start.</summary>
    public PreDoseFacts? PreDoseFacts { get; private set; }

    /// <summary>The checklist as it stood when the checks were last passed.</summary>
    public PreDoseChecklist? PassedChecklist { get; private set; }

    /// <summary>The checklist as it stood when dosing started: every gate met, overridden or not applicable.</summary>
    public PreDoseChecklist? ChecklistAtDosing { get; private set; }

    public DosingRecord? DosingRecord { get; private set; }

    public DischargeAssessment? DischargeAssessment { get; private set; }

    /// <summary>The criteria as they stood at discharge.</summary>
    public DischargeReadiness? DischargeDecision { get; private set; }

    public SessionStop? Stop { get; private set; }

    /// <summary>The physician's override when the patient left with criteria unmet; null for a regular discharge.</summary>
    public DischargeOverride? DischargeOverride { get; private set; }

    public DateTimeOffset? CheckedInAt => _history.FirstOrDefault(t => t.To == SessionState.CheckedIn)?.At;

    /// <summary>Start of the dose: the dosing record's start, or the moment dosing started until the record exists.</summary>
    public DateTimeOffset? DoseStartedAt => DosingRecord?.StartedAt ?? _history.LastOrDefault(t => t.To == SessionState.Dosing)?.At;

    public DateTimeOffset? DoseEndedAt => DosingRecord?.EndedAt;

    /// <summary>When the session entered its current state.</summary>
    public DateTimeOffset StateSince => _history[^1].At;

    /// <summary>The dose for the controlled-substance ledger, once recorded.</summary>
    public AdministeredDose? AdministeredDose => DosingRecord?.ToAdministeredDose();

    /// <summary>Books a session; its history starts with the booking.</summary>
    public static TreatmentSession Schedule(
        Guid id, Guid patientId, TreatmentProtocol protocol, string chairId, DateTimeOffset scheduledFor, SessionActor by, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(protocol);
        var v = new Validator();
        if (id == Guid.Empty)
        {
            v.Add("id", "is required.");
        }

        if (patientId == Guid.Empty)
        {
            v.Add("patientId", "is required.");
        }

        var chair = v.Text("chairId", chairId, 64, required: true);
        SessionActor.Check(v, "by", by);
        Throw(v);
        var session = new TreatmentSession(id, patientId, protocol, chair!, scheduledFor) { State = SessionState.Scheduled };
        session._history.Add(new SessionTransition(null, SessionState.Scheduled, by, at, null));
        return session;
    }

    public void CheckIn(SessionActor by, DateTimeOffset at)
    {
        Allow(SessionState.CheckedIn);
        Validate(by, at, clinician: false);
        Move(SessionState.CheckedIn, by, at, null);
    }

    public void Cancel(string reason, SessionActor by, DateTimeOffset at)
    {
        Allow(SessionState.Cancelled);
        var text = Validate(by, at, clinician: false, ("reason", reason));
        Move(SessionState.Cancelled, by, at, text[0]);
    }

    public void MarkNoShow(SessionActor by, DateTimeOffset at)
    {
        Allow(SessionState.NoShow);
        Validate(by, at, clinician: false);
        Move(SessionState.NoShow, by, at, null);
    }

    /// <summary>The pre-dose checklist now, from the app's facts and the session's own vitals and overrides (a query).</summary>
    public PreDoseChecklist EvaluatePreDoseChecks(PreDoseFacts facts, SessionSettings settings, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(facts);
        ArgumentNullException.ThrowIfNull(settings);
        return PreDoseChecks.Evaluate(new PreDoseContext(Protocol, facts, _vitals, _overrides, now, settings));
    }

    /// <summary>
    /// A physician opens a gate that is not met, with a written reason. The override holds for the finding it was
    /// given for (see <see cref="GateOverride"/>). Refused for anyone but a physician, for a gate that is met or cannot
    /// be overridden, and outside check-in to the start of dosing.
    /// </summary>
    public GateOverride OverrideGate(PreDoseGate gate, string reason, PreDoseFacts facts, SessionSettings settings, SessionActor by, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(facts);
        ArgumentNullException.ThrowIfNull(settings);
        var v = new Validator();
        if (State is not (SessionState.CheckedIn or SessionState.PreDoseChecksPassed))
        {
            v.Add("gate", $"pre-dose checks are overridden after check-in and before dosing; the session is '{State.Code()}'.");
            Throw(v);
        }

        SessionActor.Check(v, "by", by);
        var text = v.Text("reason", reason, TextMaxLength, required: true);
        if (by is not null && !by.IsPhysician)
        {
            v.Add("by", $"only a physician may override a pre-dose check; {by.Name} acts as {by.Role.ToString().ToLowerInvariant()}.");
        }

        if (!Enum.IsDefined(gate))
        {
            v.Add("gate", $"'{gate}' is not a pre-dose check.");
        }
        else if (settings.PreDose.NotOverridable.Value.Contains(gate))
        {
            v.Add("gate", $"the {gate.Code()} check cannot be overridden ({settings.PreDose.NotOverridable.Source}).");
        }

        if (at < _history[^1].At)
        {
            v.Add("at", $"{SessionText.DateTime(at)} is before the session's last step at {SessionText.DateTime(_history[^1].At)}.");
        }

        Throw(v);
        var current = EvaluatePreDoseChecks(facts, settings, at)[gate];
        if (current.Status != GateStatus.NotMet)
        {
            v.Add("gate", $"the {gate.Code()} check is {current.Status.Code()}; there is nothing to override.");
            Throw(v);
        }

        var given = new GateOverride(gate, by!, at, text!, current.Evidence);
        _overrides.Add(given);
        return given;
    }

    /// <summary>Records the pre-dose checks as passed when every gate is met, overridden or not applicable.</summary>
    public PreDoseChecklist PassPreDoseChecks(PreDoseFacts facts, SessionSettings settings, SessionActor by, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(facts);
        ArgumentNullException.ThrowIfNull(settings);
        Allow(SessionState.PreDoseChecksPassed);
        Validate(by, at, clinician: true);
        var checklist = EvaluatePreDoseChecks(facts, settings, at);
        if (!checklist.CanStartDosing)
        {
            throw new SessionTransitionException(State, SessionState.PreDoseChecksPassed, SessionWorkflow.Needs(SessionState.PreDoseChecksPassed),
                [.. checklist.Outstanding.Select(c => $"{c.Gate.Title()}: {c.Sentence}")]);
        }

        PreDoseFacts = facts;
        PassedChecklist = checklist;
        Move(SessionState.PreDoseChecksPassed, by, at, null);
        return checklist;
    }

    /// <summary>
    /// Starts dosing after the checks are re-run at this instant with the facts they passed with and the session's
    /// current vitals and overrides: a blood pressure taken since, or a gate that lapsed, stops the start.
    /// </summary>
    public PreDoseChecklist StartDosing(SessionSettings settings, SessionActor by, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(settings);
        Allow(SessionState.Dosing);
        Validate(by, at, clinician: true);
        var checklist = EvaluatePreDoseChecks(PreDoseFacts!, settings, at);
        if (!checklist.CanStartDosing)
        {
            throw new SessionTransitionException(State, SessionState.Dosing, SessionWorkflow.Needs(SessionState.Dosing),
                [.. checklist.Outstanding.Select(c => $"{c.Gate.Title()}: {c.Sentence}")]);
        }

        ChecklistAtDosing = checklist;
        Move(SessionState.Dosing, by, at, null);
        return checklist;
    }

    /// <summary>Completes dosing with its record; monitoring starts.</summary>
    public void CompleteDosing(DosingRecord record, SessionActor by, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(record);
        Allow(SessionState.Monitoring);
        Validate(by, at, clinician: true);
        CheckRecord(record, at);
        DosingRecord = record;
        Move(SessionState.Monitoring, by, at, null);
    }

    /// <summary>Moves the patient from monitoring to recovery; every alert must have been acknowledged.</summary>
    public void BeginRecovery(SessionActor by, DateTimeOffset at)
    {
        Allow(SessionState.Recovery);
        Validate(by, at, clinician: true);
        var open = OpenAlerts;
        if (open.Count > 0)
        {
            throw new SessionTransitionException(State, SessionState.Recovery, SessionWorkflow.Needs(SessionState.Recovery),
                [.. open.Select(a => $"Alert {SessionText.Number(a.Number)} ({a.Message}) is not acknowledged.")]);
        }

        Move(SessionState.Recovery, by, at, null);
    }

    /// <summary>Records the clinician's discharge assessment (the latest one counts).</summary>
    public void RecordDischargeAssessment(DischargeAssessment assessment)
    {
        ArgumentNullException.ThrowIfNull(assessment);
        var v = new Validator();
        if (State is not (SessionState.Monitoring or SessionState.Recovery))
        {
            v.Add("assessment", $"a discharge assessment is made after the dose, in monitoring or recovery; the session is '{State.Code()}'.");
            Throw(v);
        }

        SessionActor.Check(v, "assessedBy", assessment.AssessedBy);
        v.Text("companionPresentName", assessment.CompanionPresentName, 200, required: false);
        if (DoseEndedAt is { } end && assessment.AssessedAt < end)
        {
            v.Add("assessedAt", $"{SessionText.DateTime(assessment.AssessedAt)} is before the dose ended at {SessionText.DateTime(end)}.");
        }

        if (assessment.ReadyToLeaveWithoutTwoHourRuleAt is { } ready && DoseStartedAt is { } start && ready < start)
        {
            v.Add("readyToLeaveWithoutTwoHourRuleAt", "is before the dose started.");
        }

        Throw(v);
        DischargeAssessment = assessment;
    }

    /// <summary>The discharge checklist now (a query).</summary>
    public DischargeReadiness EvaluateDischarge(DateTimeOffset now, SessionSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return DischargeCriteria.Evaluate(
            new DischargeInput(Protocol, DoseStartedAt, DoseEndedAt, _vitals, DischargeAssessment, OpenAlerts.Count, now), settings);
    }

    /// <summary>Discharges the patient when every discharge criterion is met; otherwise lists what is missing.</summary>
    public DischargeReadiness Discharge(SessionSettings settings, SessionActor by, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(settings);
        Allow(SessionState.Discharged);
        Validate(by, at, clinician: true);
        var readiness = EvaluateDischarge(at, settings);
        if (!readiness.CanDischarge)
        {
            throw new SessionTransitionException(State, SessionState.Discharged, SessionWorkflow.Needs(SessionState.Discharged), readiness.Missing);
        }

        DischargeDecision = readiness;
        Move(SessionState.Discharged, by, at, null);
        return readiness;
    }

    /// <summary>
    /// A physician discharges the patient although discharge criteria are not met, with a written reason; the unmet
    /// criteria are recorded with the override. Refused for anyone but a physician, without a reason, outside recovery,
    /// and when every criterion is met (then the regular discharge applies).
    /// </summary>
    public DischargeOverride DischargeWithOverride(string reason, SessionSettings settings, SessionActor by, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(settings);
        Allow(SessionState.Discharged);
        var text = Validate(by, at, clinician: true, ("reason", reason));
        var v = new Validator();
        if (!by.IsPhysician)
        {
            v.Add("by", $"only a physician may discharge with criteria unmet; {by.Name} acts as {by.Role.ToString().ToLowerInvariant()}.");
            Throw(v);
        }

        var readiness = EvaluateDischarge(at, settings);
        if (readiness.CanDischarge)
        {
            v.Add("reason", "every discharge criterion is met; there is nothing to override (discharge the patient instead).");
            Throw(v);
        }

        var given = new DischargeOverride(by, at, text[0]!, readiness.Missing);
        DischargeDecision = readiness;
        DischargeOverride = given;
        Move(SessionState.Discharged, by, at, text[0]);
        return given;
    }

    /// <summary>
    /// Ends the session before discharge with the reason and the follow-up arranged. Stopping during dosing takes the
    /// record of what was given, if anything was, so the ledger sees it.
    /// </summary>
    public void StopEarly(string reason, string followUp, SessionActor by, DateTimeOffset at, DosingRecord? doseGiven = null)
    {
        Allow(SessionState.StoppedEarly);
        var text = Validate(by, at, clinician: true, ("reason", reason), ("followUp", followUp));
        if (doseGiven is not null)
        {
            if (State != SessionState.Dosing)
            {
                throw new DomainValidationException([new FieldError("doseGiven", $"a dose record is given with a stop only during dosing; the session is '{State.Code()}'.")]);
            }

            CheckRecord(doseGiven, at);
            DosingRecord = doseGiven;
        }

        Stop = new SessionStop(State, text[0]!, text[1]!, by, at);
        Move(SessionState.StoppedEarly, by, at, text[0]);
    }

    private void CheckRecord(DosingRecord record, DateTimeOffset at)
    {
        var v = new Validator();
        if (record.SessionId != Id)
        {
            v.Add("dosingRecord.sessionId", "belongs to another session.");
        }

        if (record.PatientId != PatientId)
        {
            v.Add("dosingRecord.patientId", "belongs to another patient.");
        }

        if (!string.Equals(record.ProtocolId, Protocol.Id, StringComparison.Ordinal))
        {
            v.Add("dosingRecord.protocolId", $"is for protocol '{record.ProtocolId}', not the session's '{Protocol.Id}'.");
        }

        var passed = _history.LastOrDefault(t => t.To == SessionState.PreDoseChecksPassed)?.At;
        if (passed is { } p && record.StartedAt < p)
        {
            v.Add("dosingRecord.startedAt", $"{SessionText.DateTime(record.StartedAt)} is before the pre-dose checks passed at {SessionText.DateTime(p)}.");
        }

        if (record.EndedAt > at)
        {
            v.Add("dosingRecord.endedAt", $"{SessionText.DateTime(record.EndedAt)} is after the moment it is recorded ({SessionText.DateTime(at)}).");
        }

        Throw(v);
    }

    private void Allow(SessionState to)
    {
        if (!SessionWorkflow.IsAllowed(State, to))
        {
            throw new SessionTransitionException(State, to, SessionWorkflow.Needs(to), []);
        }
    }

    private string?[] Validate(SessionActor by, DateTimeOffset at, bool clinician, params (string Field, string Value)[] texts)
    {
        var v = new Validator();
        SessionActor.Check(v, "by", by);
        if (clinician && by is not null && by.Role == StaffRole.Other)
        {
            v.Add("by", $"must be a nurse or physician; {by.Name} is neither.");
        }

        var last = _history[^1].At;
        if (at < last)
        {
            v.Add("at", $"{SessionText.DateTime(at)} is before the session's last step at {SessionText.DateTime(last)}; the history stays in time order.");
        }

        var values = texts.Select(t => v.Text(t.Field, t.Value, TextMaxLength, required: true)).ToArray();
        Throw(v);
        return values;
    }

    private void Move(SessionState to, SessionActor by, DateTimeOffset at, string? reason)
    {
        _history.Add(new SessionTransition(State, to, by, at, reason));
        State = to;
    }

    private static void Throw(Validator v)
    {
        if (!v.IsValid)
        {
            throw new DomainValidationException(v.Errors);
        }
    }
}
