namespace KetaClinic.Domain.Sessions;

/// <summary>
/// A move the session refused: names the current state, the attempted one and what the move needs; for a gate that is
/// not yet open (pre-dose checks, discharge criteria) <see cref="Outstanding"/> lists what is still missing.
/// </summary>
public sealed class SessionTransitionException : InvalidOperationException
{
    public SessionTransitionException(SessionState current, SessionState attempted, string needed, IReadOnlyList<string> outstanding)
        : base(Describe(current, attempted, needed, outstanding))
    {
        Current = current;
        Attempted = attempted;
        Needed = needed;
        Outstanding = outstanding;
    }

    public SessionState Current { get; }

    public SessionState Attempted { get; }

    public string Needed { get; }

    public IReadOnlyList<string> Outstanding { get; }

    private static string Describe(SessionState current, SessionState attempted, string needed, IReadOnlyList<string> outstanding)
    {
        ArgumentNullException.ThrowIfNull(outstanding);
        var head = current.IsClosed()
            ? $"Cannot move the session from '{current.Code()}' to '{attempted.Code()}': the session is {current.Words()} and accepts no further changes."
            : $"Cannot move the session from '{current.Code()}' to '{attempted.Code()}': it needs {needed}.";
        return outstanding.Count == 0 ? head : head + " Still missing: " + string.Join(" ", outstanding);
    }
}
