namespace KetaClinic.App.Realtime;

/// <summary>
/// Runs a live page's reload when something it shows has changed: one reload at a time, at most one more waiting
/// behind it however many changes arrive meanwhile (a monitor stream sends many), and routine changes no sooner than
/// <c>minInterval</c> after the last reload began. An urgent change (a new alert) runs as soon as the current reload
/// ends. <see cref="Request"/> never waits for the reload, so whoever publishes a change is never held up by a page.
/// </summary>
public sealed class LiveRefresh(Func<Task> reload, TimeSpan minInterval, TimeProvider clock) : IDisposable
{
    /// <summary>Routine refreshes (new vitals, elapsed times): well inside the one second the chair board promises.</summary>
    public static readonly TimeSpan RoutineInterval = TimeSpan.FromMilliseconds(400);

    private readonly Lock _lock = new();
    private readonly CancellationTokenSource _disposed = new();
    private TaskCompletionSource _urgentArrived = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _running;
    private bool _pending;
    private bool _urgent;
    private long _lastStart;

    /// <summary>Reloads run, for tests and diagnostics.</summary>
    public int Reloads { get; private set; }

    /// <summary>Asks for a reload; returns at once.</summary>
    public void Request(bool urgent)
    {
        lock (_lock)
        {
            if (_disposed.IsCancellationRequested)
            {
                return;
            }

            _pending = true;
            if (urgent && !_urgent)
            {
                _urgent = true;
                _urgentArrived.TrySetResult();
            }

            if (_running)
            {
                return;
            }

            _running = true;
        }

        // On the thread pool: a page's reload can run synchronously up to its first real wait (SQLite's calls do not
        // yield), and the publisher (the HL7 writer) must not run it.
        _ = Task.Run(RunAsync);
    }

    private async Task RunAsync()
    {
        while (true)
        {
            bool urgent;
            Task urgentArrived;
            lock (_lock)
            {
                if (!_pending || _disposed.IsCancellationRequested)
                {
                    _running = false;
                    return;
                }

                urgent = _urgent;
                urgentArrived = _urgentArrived.Task;
            }

            var wait = _lastStart == 0 ? TimeSpan.Zero : minInterval - clock.GetElapsedTime(_lastStart);
            if (!urgent && wait > TimeSpan.Zero)
            {
                try
                {
                    await Task.WhenAny(Task.Delay(wait, clock, _disposed.Token), urgentArrived);
                }
                catch (ObjectDisposedException)
                {
                    return;
                }
            }

            lock (_lock)
            {
                _pending = false;
                _urgent = false;
                if (_urgentArrived.Task.IsCompleted)
                {
                    _urgentArrived = new(TaskCreationOptions.RunContinuationsAsynchronously);
                }
            }

            _lastStart = clock.GetTimestamp();
            Reloads++;
            try
            {
                await reload();
            }
#pragma warning disable CA1031 // a failed reload (the circuit went away) must not stop later ones; the page shows what it had
            catch (Exception)
#pragma warning restore CA1031
            {
            }
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            if (_disposed.IsCancellationRequested)
            {
                return;
            }

            _disposed.Cancel();
        }

        _disposed.Dispose();
    }
}
