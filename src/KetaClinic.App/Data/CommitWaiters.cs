namespace KetaClinic.App.Data;

/// <summary>
/// Commits waiting for the sync that makes them durable (<see cref="SqliteLogSync"/>, <see cref="PostgresWalFlush"/>):
/// each request is one signal; the sync loop waits for a signal, takes every request waiting at that moment, syncs
/// once, and releases them together. After <see cref="Stop"/> no request is taken in, and <see cref="Take"/> returns
/// null once the last ones are taken (the stop's own signal guarantees the loop gets to see that).
/// </summary>
internal sealed class CommitWaiters : IDisposable
{
    private readonly Lock _lock = new();
    private readonly SemaphoreSlim _signal = new(0);
    private List<TaskCompletionSource> _waiting = [];
    private bool _stopped;

    /// <summary>A request: completes when <see cref="Release"/> is called for the group it is taken in.</summary>
    public Task Add(object owner)
    {
        var waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_stopped, owner);
            _waiting.Add(waiter);
        }
        _signal.Release();
        return waiter.Task;
    }

    public void Wait() => _signal.Wait();

    public Task WaitAsync() => _signal.WaitAsync();

    /// <summary>Every request waiting now (possibly none); null once stopped with none left.</summary>
    public List<TaskCompletionSource>? Take()
    {
        lock (_lock)
        {
            if (_waiting.Count == 0)
            {
                return _stopped ? null : [];
            }
            var taken = _waiting;
            _waiting = [];
            return taken;
        }
    }

    /// <summary>Takes no more requests; returns false if already stopped.</summary>
    public bool Stop()
    {
        lock (_lock)
        {
            if (_stopped)
            {
                return false;
            }
            _stopped = true;
        }
        _signal.Release();
        return true;
    }

    /// <summary>Completes a group: durable when <paramref name="failure"/> is null, failed with it otherwise.</summary>
    public static void Release(List<TaskCompletionSource> taken, Exception? failure)
    {
        foreach (var waiter in taken)
        {
            if (failure is null)
            {
                waiter.TrySetResult();
            }
            else
            {
                waiter.TrySetException(failure);
            }
        }
    }

    public void Dispose() => _signal.Dispose();
}
