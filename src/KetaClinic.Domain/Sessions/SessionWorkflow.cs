namespace KetaClinic.Domain.Sessions;

/// <summary>
/// The session's allowed moves: scheduled → checked-in → pre-dose-checks-passed → dosing → monitoring → recovery →
/// discharged (the pre-dose checks may be run again while they stand passed); stopped-early from any state between check-in and discharge; cancelled or no-show before check-in.
/// Closed states (discharged, stopped-early, cancelled, no-show) allow nothing.
/// </summary>
public static class SessionWorkflow
{
    private static readonly SessionState[] InChair =
    [
        SessionState.CheckedIn, SessionState.PreDoseChecksPassed, SessionState.Dosing, SessionState.Monitoring, SessionState.Recovery,
    ];

    /// <summary>The states from which <paramref name="to"/> may be reached.</summary>
    public static IReadOnlyList<SessionState> AllowedFrom(SessionState to) => to switch
    {
        SessionState.Scheduled => [],
        SessionState.CheckedIn => [SessionState.Scheduled],
        SessionState.PreDoseChecksPassed => [SessionState.CheckedIn, SessionState.PreDoseChecksPassed],
        SessionState.Dosing => [SessionState.PreDoseChecksPassed],
        SessionState.Monitoring => [SessionState.Dosing],
        SessionState.Recovery => [SessionState.Monitoring],
        SessionState.Discharged => [SessionState.Recovery],
        SessionState.StoppedEarly => InChair,
        SessionState.Cancelled or SessionState.NoShow => [SessionState.Scheduled],
        _ => throw new ArgumentOutOfRangeException(nameof(to), to, "Unknown session state."),
    };

    public static bool IsAllowed(SessionState from, SessionState to) => AllowedFrom(to).Contains(from);

    /// <summary>What a move to <paramref name="to"/> needs, in the clinic's words.</summary>
    public static string Needs(SessionState to) => to switch
    {
        SessionState.Scheduled => "a new booking (a session is scheduled only when it is created)",
        SessionState.CheckedIn => "a scheduled session: check-in comes first and happens once",
        SessionState.PreDoseChecksPassed => "a checked-in patient with every pre-dose check met or overridden by a physician",
        SessionState.Dosing => "the pre-dose checks passed (pre-dose-checks-passed) and still met or overridden when dosing starts",
        SessionState.Monitoring => "dosing under way and its dosing record completed",
        SessionState.Recovery => "the dose given, the patient in monitoring and no alert left unacknowledged",
        SessionState.Discharged => "the patient in recovery with every discharge criterion met",
        SessionState.StoppedEarly => "a patient checked in and not yet gone (before check-in, cancel or mark a no-show instead)",
        SessionState.Cancelled => "a session not yet checked in (after check-in, stop the session early instead)",
        SessionState.NoShow => "a session not yet checked in",
        _ => throw new ArgumentOutOfRangeException(nameof(to), to, "Unknown session state."),
    };
}
