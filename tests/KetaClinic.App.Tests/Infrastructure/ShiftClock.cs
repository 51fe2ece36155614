using Microsoft.Extensions.DependencyInjection;
namespace KetaClinic.App.Tests.Infrastructure;

/// <summary>The system clock moved forward on demand, so tests can let 40 minutes of infusion pass at once.</summary>
public sealed class ShiftClock : TimeProvider
{
    private long _offsetTicks;

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow().AddTicks(Interlocked.Read(ref _offsetTicks));

    public void Advance(TimeSpan by) => Interlocked.Add(ref _offsetTicks, by.Ticks);
}

/// <summary>An app whose clock the tests can move forward.</summary>
public abstract class ClockedAppFixture(Provider provider) : AppFixture(provider)
{
    public ShiftClock Clock { get; } = new();

    /// <summary>Makes one chosen save fail, as a full disk or a lost connection would.</summary>
    public SaveFault Fault { get; } = new();

    protected override ClinicAppFactory Create(TestDatabase database) =>
        new(database, clock: Clock, services: s => s.ConfigureDbContext<KetaClinic.App.Data.ClinicDbContext>(o => o.AddInterceptors(Fault)));
}

/// <summary>Fails the next save whose changes match, once; every other save goes through.</summary>
public sealed class SaveFault : Microsoft.EntityFrameworkCore.Diagnostics.SaveChangesInterceptor
{
    private Func<Microsoft.EntityFrameworkCore.DbContext, bool>? _when;

    public void FailNextSave(Func<Microsoft.EntityFrameworkCore.DbContext, bool> when) => Volatile.Write(ref _when, when);

    public override ValueTask<Microsoft.EntityFrameworkCore.Diagnostics.InterceptionResult<int>> SavingChangesAsync(
        Microsoft.EntityFrameworkCore.Diagnostics.DbContextEventData eventData, Microsoft.EntityFrameworkCore.Diagnostics.InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        if (eventData.Context is { } context && Volatile.Read(ref _when) is { } when && when(context) && Interlocked.Exchange(ref _when, null) is not null)
        {
            throw new InvalidOperationException("Injected storage failure.");
        }

        return base.SavingChangesAsync(eventData, result, cancellationToken);
    }
}

public sealed class ClockedSqliteApp() : ClockedAppFixture(Provider.Sqlite);

public sealed class ClockedPostgresApp() : ClockedAppFixture(Provider.PostgreSql);
