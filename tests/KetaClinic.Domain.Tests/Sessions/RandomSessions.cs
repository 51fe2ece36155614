using FsCheck;
using FsCheck.Fluent;
using KetaClinic.Domain.Common;
using KetaClinic.Domain.Monitoring;
using KetaClinic.Domain.Protocols;
using KetaClinic.Domain.Sessions;
using static KetaClinic.Domain.Tests.Sessions.SessionFixtures;

namespace KetaClinic.Domain.Tests.Sessions;

internal enum FactQuality
{
    Good,
    Bad,
    Missing,
}

internal enum CommandKind
{
    CheckIn,
    Cancel,
    NoShow,
    VitalsNormal,
    VitalsHigh,
    OverrideByPhysician,
    OverrideByNurse,
    PassChecks,
    StartDosing,
    CompleteDosing,
    BeginRecovery,
    Assess,
    Discharge,
    StopEarly,
    AcknowledgeAlerts,

    /// <summary>Resolved when run to the step a nurse would take next (see <see cref="RandomSessions.Resolve"/>).</summary>
    Advance,
}

internal sealed record SessionCommand(CommandKind Kind, int MinutesLater, PreDoseGate Gate);

/// <summary>A protocol, how good each app-supplied fact is (fixed for the run), and the commands in order.</summary>
internal sealed record SessionScript(TreatmentProtocol Protocol, IReadOnlyDictionary<PreDoseGate, FactQuality> Facts, IReadOnlyList<SessionCommand> Commands)
{
    public override string ToString() =>
        $"{Protocol.Id}; facts {string.Join(", ", Facts.Where(f => f.Value != FactQuality.Good).Select(f => $"{f.Key.Code()}={f.Value}"))}; "
        + string.Join(" ", Commands.Select(c => $"{c.Kind}{(c.Kind is CommandKind.OverrideByPhysician or CommandKind.OverrideByNurse ? "(" + c.Gate.Code() + ")" : string.Empty)}+{c.MinutesLater}"));
}

/// <summary>One command as run: the session's history before it, the instant, and what it threw (if anything).</summary>
internal sealed record SessionStep(
    SessionCommand Command, DateTimeOffset At, SessionState StateBefore, IReadOnlyList<SessionTransition> HistoryBefore, Exception? Refusal);

/// <summary>Random command sequences against a session, with facts whose bad values stay bad however time passes.</summary>
internal static class RandomSessions
{
    /// <summary>The gates fed by app facts (the two vitals gates come from the session's own vitals).</summary>
    public static readonly PreDoseGate[] FactGates =
        [.. PreDoseGates.All.Where(g => g is not (PreDoseGate.VitalsTaken or PreDoseGate.BloodPressure))];

    private static readonly TreatmentProtocol[] Protocols = [Iv, Im, Esketamine];

    private static readonly Gen<SessionCommand> Command =
        from kind in Gen.Frequency(
            (30, Gen.Constant(CommandKind.Advance)),
            (3, Gen.Constant(CommandKind.CheckIn)),
            (1, Gen.Constant(CommandKind.Cancel)),
            (1, Gen.Constant(CommandKind.NoShow)),
            (5, Gen.Constant(CommandKind.VitalsNormal)),
            (1, Gen.Constant(CommandKind.VitalsHigh)),
            (4, Gen.Constant(CommandKind.OverrideByPhysician)),
            (1, Gen.Constant(CommandKind.OverrideByNurse)),
            (4, Gen.Constant(CommandKind.PassChecks)),
            (4, Gen.Constant(CommandKind.StartDosing)),
            (3, Gen.Constant(CommandKind.CompleteDosing)),
            (3, Gen.Constant(CommandKind.BeginRecovery)),
            (2, Gen.Constant(CommandKind.Assess)),
            (3, Gen.Constant(CommandKind.Discharge)),
            (1, Gen.Constant(CommandKind.StopEarly)),
            (1, Gen.Constant(CommandKind.AcknowledgeAlerts)))
        from minutes in Gen.Frequency((1, Gen.Choose(-10, -1)), (8, Gen.Choose(0, 25)), (1, Gen.Choose(26, 90)))
        from gate in Gen.Elements(PreDoseGates.All.ToArray())
        select new SessionCommand(kind, minutes, gate);

    private static readonly Gen<FactQuality> Quality =
        Gen.Frequency((12, Gen.Constant(FactQuality.Good)), (1, Gen.Constant(FactQuality.Bad)), (1, Gen.Constant(FactQuality.Missing)));

    public static readonly Gen<SessionScript> Scripts =
        from protocol in Gen.Elements(Protocols)
        from qualities in Gen.ListOf(Quality, FactGates.Length)
        from count in Gen.Choose(5, 45)
        from commands in Gen.ListOf(Command, count)
        select new SessionScript(protocol, FactGates.Zip(qualities).ToDictionary(p => p.First, p => p.Second), [.. commands]);

    /// <summary>Facts at <paramref name="at"/>: good ones meet their gate then; bad and missing ones never do in a run.</summary>
    public static PreDoseFacts Facts(SessionScript script, DateTimeOffset at)
    {
        var f = GoodFacts(script.Protocol, at);
        foreach (var (gate, quality) in script.Facts)
        {
            f = (gate, quality) switch
            {
                (_, FactQuality.Good) => f,
                (PreDoseGate.Consent, FactQuality.Bad) => f with { Consent = f.Consent! with { ExpiresAt = T0.AddDays(-1) } },
                (PreDoseGate.Consent, _) => f with { Consent = null },
                (PreDoseGate.Eligibility, FactQuality.Bad) => f with { Eligibility = f.Eligibility! with { Decision = Domain.Evaluation.EligibilityDecision.NotEligible } },
                (PreDoseGate.Eligibility, _) => f with { Eligibility = null },
                (PreDoseGate.RemsEnrollment, FactQuality.Bad) => f with { RemsEnrolled = false },
                (PreDoseGate.RemsEnrollment, _) => f with { RemsEnrolled = null },
                (PreDoseGate.RatingScales, FactQuality.Bad) => f with { RequiredInstrumentIds = ["phq9", "madrs"] },
                (PreDoseGate.RatingScales, _) => f with { RequiredInstrumentIds = null },
                (PreDoseGate.Fasting, FactQuality.Bad) => f with { LastFoodAt = T0.AddDays(10) },
                (PreDoseGate.Fasting, _) => f with { LastDrinkAt = null },
                (PreDoseGate.Companion, FactQuality.Bad) => f with { Companion = new("Sam Carter", "none") },
                (PreDoseGate.Companion, _) => f with { Companion = null },
                (PreDoseGate.Pregnancy, FactQuality.Bad) => f with { CanBecomePregnant = true, Pregnancy = new(PregnancyTestResult.Positive, T0.AddDays(-1)) },
                (PreDoseGate.Pregnancy, _) => f with { CanBecomePregnant = null },
                (PreDoseGate.MedicationReview, FactQuality.Bad) => f with { Medications = f.Medications! with { ReviewedBy = null, ReviewedAt = null } },
                (PreDoseGate.MedicationReview, _) => f with { Medications = null },
                (PreDoseGate.Weight, FactQuality.Bad) => f with { LatestWeight = new(new WeightKg(8m), T0) },
                (PreDoseGate.Weight, _) => f with { LatestWeight = null },
                (PreDoseGate.SafetyAlerts, FactQuality.Bad) => f with { OpenSafetyAlerts = 1 },
                (PreDoseGate.SafetyAlerts, _) => f with { OpenSafetyAlerts = null },
                _ => throw new InvalidOperationException($"No fact variant for {gate}."),
            };
        }

        return f;
    }

    /// <summary>Runs the script; <paramref name="observe"/> sees every step after it ran.</summary>
    public static TreatmentSession Run(SessionScript script, Action<SessionStep, TreatmentSession> observe)
    {
        var session = TreatmentSession.Schedule(Guid.NewGuid(), PatientId, script.Protocol, "chair-1", T0, FrontDesk, T0.AddDays(-1));
        var clock = T0;
        foreach (var command in script.Commands)
        {
            clock = clock.AddMinutes(command.MinutesLater);
            var resolved = command.Kind == CommandKind.Advance ? Resolve(session, script, command, clock) : command;
            var before = session.History.ToList();
            var state = session.State;
            Exception? refusal = null;
            try
            {
                Apply(session, script, resolved, clock);
            }
            catch (Exception e) when (e is DomainValidationException or SessionTransitionException)
            {
                refusal = e;
            }

            observe(new SessionStep(resolved, clock, state, before, refusal), session);
        }

        return session;
    }

    /// <summary>
    /// The next natural step: check in; take vitals when none are recent; have a physician override the first gate
    /// that is not met; pass the checks; start and complete dosing; take vitals, acknowledge alerts, recover, assess
    /// and discharge.
    /// </summary>
    public static SessionCommand Resolve(TreatmentSession session, SessionScript script, SessionCommand command, DateTimeOffset at)
    {
        var recentVitals = session.Vitals.Any(v => v.ObservedAt <= at && at - v.ObservedAt <= TimeSpan.FromMinutes(10));
        CommandKind kind;
        var gate = command.Gate;
        switch (session.State)
        {
            case SessionState.Scheduled:
                kind = CommandKind.CheckIn;
                break;
            case SessionState.CheckedIn or SessionState.PreDoseChecksPassed when !recentVitals:
                kind = CommandKind.VitalsNormal;
                break;
            case SessionState.CheckedIn:
                var outstanding = session.EvaluatePreDoseChecks(Facts(script, at), Settings, at).Outstanding;
                kind = outstanding.Count > 0 ? CommandKind.OverrideByPhysician : CommandKind.PassChecks;
                gate = outstanding.Count > 0 ? outstanding[0].Gate : gate;
                break;
            case SessionState.PreDoseChecksPassed:
                kind = CommandKind.StartDosing;
                break;
            case SessionState.Dosing:
                kind = CommandKind.CompleteDosing;
                break;
            case SessionState.Monitoring or SessionState.Recovery when session.OpenAlerts.Count > 0:
                kind = CommandKind.AcknowledgeAlerts;
                break;
            case SessionState.Monitoring or SessionState.Recovery when !recentVitals:
                kind = CommandKind.VitalsNormal;
                break;
            case SessionState.Monitoring:
                kind = CommandKind.BeginRecovery;
                break;
            case SessionState.Recovery when session.DischargeAssessment is not { } a || at - a.AssessedAt > TimeSpan.FromMinutes(10):
                kind = CommandKind.Assess;
                break;
            default:
                kind = CommandKind.Discharge;
                break;
        }

        return command with { Kind = kind, Gate = gate };
    }

    public static bool IsTransition(CommandKind kind) =>
        kind is CommandKind.CheckIn or CommandKind.Cancel or CommandKind.NoShow or CommandKind.PassChecks or CommandKind.StartDosing
            or CommandKind.CompleteDosing or CommandKind.BeginRecovery or CommandKind.Discharge or CommandKind.StopEarly;

    public static void Apply(TreatmentSession session, SessionScript script, SessionCommand command, DateTimeOffset at)
    {
        switch (command.Kind)
        {
            case CommandKind.CheckIn:
                session.CheckIn(Nurse, at);
                break;
            case CommandKind.Cancel:
                session.Cancel("Patient cancelled", FrontDesk, at);
                break;
            case CommandKind.NoShow:
                session.MarkNoShow(FrontDesk, at);
                break;
            case CommandKind.VitalsNormal:
                session.RecordVitals(Vitals(at), Settings);
                break;
            case CommandKind.VitalsHigh:
                session.RecordVitals(Vitals(at, 172m, 104m), Settings);
                break;
            case CommandKind.OverrideByPhysician:
                session.OverrideGate(command.Gate, "Physician's judgement", Facts(script, at), Settings, Physician, at);
                break;
            case CommandKind.OverrideByNurse:
                session.OverrideGate(command.Gate, "Nurse's judgement", Facts(script, at), Settings, Nurse, at);
                break;
            case CommandKind.PassChecks:
                session.PassPreDoseChecks(Facts(script, at), Settings, Nurse, at);
                break;
            case CommandKind.StartDosing:
                session.StartDosing(Settings, Nurse, at);
                break;
            case CommandKind.CompleteDosing:
                var start = session.DoseStartedAt ?? at;
                session.CompleteDosing(DosingRecord.Create(RecordInput(session, start), session.Protocol, Settings.DosingRecord), Nurse, at);
                break;
            case CommandKind.BeginRecovery:
                session.BeginRecovery(Nurse, at);
                break;
            case CommandKind.Assess:
                session.RecordDischargeAssessment(GoodAssessment(at));
                break;
            case CommandKind.Discharge:
                session.Discharge(Settings, Nurse, at);
                break;
            case CommandKind.StopEarly:
                session.StopEarly("Stopped", "Follow up by phone", Nurse, at);
                break;
            case CommandKind.Advance:
                throw new InvalidOperationException("Advance is resolved before it is applied.");
            case CommandKind.AcknowledgeAlerts:
                foreach (var alert in session.OpenAlerts)
                {
                    session.AcknowledgeAlert(alert.Number, "Checked at the chair", Nurse, at);
                }

                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(command), command.Kind, null);
        }
    }

    /// <summary>
    /// Whether a gate is open at <paramref name="at"/> by construction: a good fact, or for the vitals gates a full
    /// set of vitals no older than 30 minutes (and for blood pressure at most 140/90), worked out here independently.
    /// </summary>
    public static bool OpenByConstruction(SessionScript script, PreDoseGate gate, IReadOnlyList<VitalObservation> vitals, DateTimeOffset at)
    {
        var protocol = script.Protocol;
        switch (gate)
        {
            case PreDoseGate.VitalsTaken or PreDoseGate.BloodPressure:
                var taken = vitals.Where(v => v.ObservedAt <= at).ToList();
                var latestSet = taken.Count == 0 ? (DateTimeOffset?)null : taken.Max(v => v.ObservedAt);
                if (latestSet is not { } time || at - time > TimeSpan.FromMinutes(30))
                {
                    return false;
                }

                var systolic = taken.Last(v => v.Kind == VitalKind.SystolicBloodPressure && v.ObservedAt == time).Value.Amount;
                return gate == PreDoseGate.VitalsTaken || systolic <= 140m;
            case PreDoseGate.RemsEnrollment when !protocol.RemsRequired.Value:
            case PreDoseGate.Weight when protocol.DoseBasis != DoseBasis.MgPerKg:
                return true;
            default:
                return script.Facts[gate] == FactQuality.Good;
        }
    }
}
