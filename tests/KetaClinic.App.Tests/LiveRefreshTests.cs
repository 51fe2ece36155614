using KetaClinic.App.Realtime;

namespace KetaClinic.App.Tests;

/// <summary>Live pages reload once per burst of changes, alerts at once, and never hold up whoever published.</summary>
public sealed class LiveRefreshTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task A_burst_of_changes_during_a_reload_gives_one_more_reload_not_one_each()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var started = new SemaphoreSlim(0);
        var runs = 0;
        using var live = new LiveRefresh(async () =>
        {
            Interlocked.Increment(ref runs);
            started.Release();
            await release.Task;
        }, TimeSpan.Zero, TimeProvider.System);

        live.Request(urgent: false);
        Assert.True(await started.WaitAsync(Patience));
        for (var i = 0; i < 500; i++)
        {
            live.Request(urgent: i % 7 == 0); // returns at once although the reload is still running
        }

        release.SetResult();
        Assert.True(await started.WaitAsync(Patience), "the changes during the first reload get one reload after it");
        await Task.Delay(200);
        Assert.Equal(2, Volatile.Read(ref runs));
    }

    [Fact]
    public async Task A_reload_that_does_not_yield_still_does_not_run_on_the_publishers_thread()
    {
        // A page's reload on SQLite runs synchronously up to its first real wait; the publisher (the HL7 writer) must not run it.
        var publisher = Environment.CurrentManagedThreadId;
        var reloadThread = -1;
        var done = new SemaphoreSlim(0);
        using var live = new LiveRefresh(() =>
        {
            reloadThread = Environment.CurrentManagedThreadId;
            Thread.Sleep(50);
            done.Release();
            return Task.CompletedTask;
        }, TimeSpan.Zero, TimeProvider.System);

        live.Request(urgent: true);
        Assert.Equal(0, done.CurrentCount); // Request came back before the reload finished
        Assert.True(await done.WaitAsync(Patience));
        Assert.NotEqual(publisher, reloadThread);
    }

    [Fact]
    public async Task An_alert_does_not_wait_for_the_routine_interval()
    {
        var reloaded = new SemaphoreSlim(0);
        using var live = new LiveRefresh(() =>
        {
            reloaded.Release();
            return Task.CompletedTask;
        }, TimeSpan.FromHours(1), TimeProvider.System);

        live.Request(urgent: false);
        Assert.True(await reloaded.WaitAsync(Patience), "the first change reloads at once");
        live.Request(urgent: false); // a routine change now waits an hour...
        Assert.False(await reloaded.WaitAsync(TimeSpan.FromMilliseconds(300)));
        live.Request(urgent: true); // ...but an alert cuts the wait short and takes the routine change with it
        Assert.True(await reloaded.WaitAsync(Patience));
        Assert.Equal(2, live.Reloads);
    }

    [Fact]
    public async Task A_failing_reload_does_not_stop_later_ones_and_nothing_runs_after_dispose()
    {
        var calls = 0;
        var reloaded = new SemaphoreSlim(0);
        var live = new LiveRefresh(() =>
        {
            reloaded.Release();
            return Interlocked.Increment(ref calls) == 1 ? Task.FromException(new InvalidOperationException("circuit gone")) : Task.CompletedTask;
        }, TimeSpan.Zero, TimeProvider.System);

        live.Request(urgent: true);
        Assert.True(await reloaded.WaitAsync(Patience));
        await Task.Delay(100);
        live.Request(urgent: true);
        Assert.True(await reloaded.WaitAsync(Patience));
        live.Dispose();
        live.Request(urgent: true);
        Assert.False(await reloaded.WaitAsync(TimeSpan.FromMilliseconds(300)));
        Assert.Equal(2, Volatile.Read(ref calls));
    }
}
