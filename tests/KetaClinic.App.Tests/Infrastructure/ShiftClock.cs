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

    protected override ClinicAppFactory Create(TestDatabase database) => new(database, clock: Clock);
}

public sealed class ClockedSqliteApp() : ClockedAppFixture(Provider.Sqlite);

public sealed class ClockedPostgresApp() : ClockedAppFixture(Provider.PostgreSql);
