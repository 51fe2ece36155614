using KetaClinic.Domain.Sessions;
using static KetaClinic.Domain.Tests.Sessions.SessionFixtures;

namespace KetaClinic.Domain.Tests.Sessions;

/// <summary>Builds an IV session in any state, and attempts any move with otherwise valid input.</summary>
internal static class SessionStatesHelper
{
    public static readonly DateTimeOffset Later = T0.AddHours(3);

    public static TreatmentSession In(SessionState state)
    {
        switch (state)
        {
            case SessionState.Scheduled:
                return Scheduled();
            case SessionState.CheckedIn:
                return CheckedIn();
            case SessionState.PreDoseChecksPassed:
                return ChecksPassed();
            case SessionState.Dosing:
                return DosingSession();
            case SessionState.Monitoring:
                return MonitoringSession();
            case SessionState.Recovery:
                var recovering = MonitoringSession();
                recovering.BeginRecovery(Nurse, T0.AddMinutes(60));
                return recovering;
            case SessionState.Discharged:
                var discharged = In(SessionState.Recovery);
                discharged.RecordVitals(Vitals(T0.AddMinutes(99)), Settings);
                discharged.RecordDischargeAssessment(GoodAssessment(T0.AddMinutes(99)));
                discharged.Discharge(Settings, Nurse, T0.AddMinutes(100));
                return discharged;
            case SessionState.StoppedEarly:
                var stopped = CheckedIn();
                stopped.StopEarly("Patient felt unwell before dosing", "Call tomorrow to rebook", Nurse, T0.AddMinutes(20));
                return stopped;
            case SessionState.Cancelled:
                var cancelled = Scheduled();
                cancelled.Cancel("Patient called to cancel", FrontDesk, T0);
                return cancelled;
            case SessionState.NoShow:
                var noShow = Scheduled();
                noShow.MarkNoShow(FrontDesk, T0.AddMinutes(30));
                return noShow;
            default:
                throw new ArgumentOutOfRangeException(nameof(state), state, null);
        }
    }

    /// <summary>Tries the move to <paramref name="target"/> at <see cref="Later"/>, preparing what the move needs where the state allows it.</summary>
    public static void Attempt(TreatmentSession session, SessionState target)
    {
        var at = Later;
        switch (target)
        {
            case SessionState.CheckedIn:
                session.CheckIn(Nurse, at);
                break;
            case SessionState.PreDoseChecksPassed:
                Prepare(() => session.RecordVitals(Vitals(at.AddMinutes(-1)), Settings));
                session.PassPreDoseChecks(GoodFacts(session.Protocol, at), Settings, Nurse, at);
                break;
            case SessionState.Dosing:
                Prepare(() => session.RecordVitals(Vitals(at.AddMinutes(-1)), Settings));
                session.StartDosing(Settings, Nurse, at);
                break;
            case SessionState.Monitoring:
                var input = RecordInput(session, at.AddMinutes(-41));
                session.CompleteDosing(Domain.Sessions.DosingRecord.Create(input, session.Protocol, Settings.DosingRecord), Nurse, at);
                break;
            case SessionState.Recovery:
                session.BeginRecovery(Nurse, at);
                break;
            case SessionState.Discharged:
                Prepare(() => session.RecordVitals(Vitals(at.AddMinutes(-1)), Settings));
                Prepare(() => session.RecordDischargeAssessment(GoodAssessment(at.AddMinutes(-1))));
                session.Discharge(Settings, Nurse, at);
                break;
            case SessionState.StoppedEarly:
                session.StopEarly("Patient asked to stop", "Physician to call today", Nurse, at);
                break;
            case SessionState.Cancelled:
                session.Cancel("Clinic closed", FrontDesk, at);
                break;
            case SessionState.NoShow:
                session.MarkNoShow(FrontDesk, at);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(target), target, "No command moves a session there.");
        }
    }

    private static void Prepare(Action action)
    {
        try
        {
            action();
        }
        catch (Common.DomainValidationException)
        {
            // The state does not take this preparation; the move itself is what the test checks.
        }
    }
}
