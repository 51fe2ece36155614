using KetaClinic.App.Data;
using Microsoft.Data.Sqlite;

namespace KetaClinic.App.Tests;

/// <summary>The writer's statement cache: one command per text on one connection, let go with the connection.</summary>
public sealed class PreparedCommandsTests
{
    private static async Task<SqliteConnection> OpenAsync()
    {
        var connection = new SqliteConnection("Data Source=:memory:");
        await connection.OpenAsync();
        return connection;
    }

    [Fact]
    public async Task The_same_text_on_the_same_connection_gets_the_same_command_in_the_transaction_asked_for()
    {
        await using var connection = await OpenAsync();
        using var cache = new PreparedCommands();
        var first = cache.For(connection, null, "SELECT 1", out var firstIsNew);
        await using var tx = await connection.BeginTransactionAsync();
        var again = cache.For(connection, tx, "SELECT 1", out var againIsNew);
        var other = cache.For(connection, tx, "SELECT 2", out var otherIsNew);

        Assert.True(firstIsNew);
        Assert.Same(first, again);
        Assert.False(againIsNew);
        Assert.Same(tx, again.Transaction);
        Assert.NotSame(first, other);
        Assert.True(otherIsNew);
        Assert.Equal(2, cache.Count);
        Assert.Equal(2L, await other.ExecuteScalarAsync());
    }

    [Fact]
    public async Task Another_connection_lets_the_old_commands_go()
    {
        await using var one = await OpenAsync();
        await using var two = await OpenAsync();
        using var cache = new PreparedCommands();
        var old = cache.For(one, null, "SELECT 1", out _);
        cache.For(one, null, "SELECT 2", out _);

        var fresh = cache.For(two, null, "SELECT 1", out var isNew);

        Assert.True(isNew);
        Assert.NotSame(old, fresh);
        Assert.Same(two, fresh.Connection);
        Assert.Equal(1, cache.Count);
    }

    [Fact]
    public async Task Past_the_limit_the_cache_starts_again_and_disposing_empties_it()
    {
        await using var connection = await OpenAsync();
        var cache = new PreparedCommands();
        var texts = Enumerable.Range(0, PreparedCommands.MaxCommands).Select(i => $"SELECT {i}").ToList();
        var kept = texts.Select(t => cache.For(connection, null, t, out _)).ToList();
        Assert.Equal(PreparedCommands.MaxCommands, cache.Count);
        // A text already held does not count as new.
        Assert.Same(kept[5], cache.For(connection, null, texts[5], out var heldIsNew));
        Assert.False(heldIsNew);

        cache.For(connection, null, "SELECT 'one more'", out var isNew);
        Assert.True(isNew);
        Assert.Equal(1, cache.Count);
        Assert.NotSame(kept[0], cache.For(connection, null, texts[0], out _));

        cache.Dispose();
        Assert.Equal(0, cache.Count);
    }
}
