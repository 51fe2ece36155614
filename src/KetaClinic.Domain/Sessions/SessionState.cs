namespace KetaClinic.Domain.Sessions;

/// <summary>Where a treatment session stands. Stored as the kebab-case code of <see cref="SessionStates.Code"/>.</summary>
public enum SessionState
{
    Scheduled,
    CheckedIn,
    PreDoseChecksPassed,
    Dosing,
    Monitoring,
    Recovery,
    Discharged,
    StoppedEarly,
    Cancelled,
    NoShow,
}

public static class SessionStates
{
    private static readonly (SessionState State, string Code)[] Codes =
    [
        (SessionState.Scheduled, "scheduled"),
        (SessionState.CheckedIn, "checked-in"),
        (SessionState.PreDoseChecksPassed, "pre-dose-checks-passed"),
        (SessionState.Dosing, "dosing"),
        (SessionState.Monitoring, "monitoring"),
        (SessionState.Recovery, "recovery"),
        (SessionState.Discharged, "discharged"),
        (SessionState.StoppedEarly, "stopped-early"),
        (SessionState.Cancelled, "cancelled"),
        (SessionState.NoShow, "no-show"),
    ];

    /// <summary>Stable storage code, e.g. "pre-dose-checks-passed". Never rename one: stored sessions refer to them.</summary>
    public static string Code(this SessionState state)
    {
        foreach (var (s, code) in Codes)
        {
            if (s == state)
            {
                return code;
            }
        }

        throw new ArgumentOutOfRangeException(nameof(state), state, "Unknown session state.");
    }

    /// <summary>The state a stored code names; throws naming the known codes otherwise.</summary>
    public static SessionState Parse(string code)
    {
        foreach (var (s, c) in Codes)
        {
            if (string.Equals(c, code, StringComparison.Ordinal))
            {
                return s;
            }
        }

        throw new ArgumentException($"'{code}' is not a session state (known: {string.Join(", ", Codes.Select(c => c.Code))}).", nameof(code));
    }

    /// <summary>Discharged, stopped early, cancelled or no-show: the session accepts nothing more.</summary>
    public static bool IsClosed(this SessionState state) =>
        state is SessionState.Discharged or SessionState.StoppedEarly or SessionState.Cancelled or SessionState.NoShow;

    /// <summary>The patient is in the chair: checked in and not yet gone.</summary>
    public static bool IsInChair(this SessionState state) =>
        state is SessionState.CheckedIn or SessionState.PreDoseChecksPassed or SessionState.Dosing
            or SessionState.Monitoring or SessionState.Recovery;

    /// <summary>Words for the chair board, e.g. "pre-dose checks passed".</summary>
    public static string Words(this SessionState state) => state.Code().Replace('-', ' ');
}
