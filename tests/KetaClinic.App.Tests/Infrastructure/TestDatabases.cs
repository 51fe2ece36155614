using Npgsql;

namespace KetaClinic.App.Tests.Infrastructure;

public enum Provider
{
    Sqlite,
    PostgreSql,
}

/// <summary>
/// A fresh, empty database per fixture: a new SQLite file, or a new database on the PostgreSQL server named by
/// KETACLINIC_TEST_POSTGRES (the test script starts a private server and sets it).
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    public const string PostgresVariable = "KETACLINIC_TEST_POSTGRES";

    private TestDatabase(Provider provider, string connectionString, string directory, string? databaseName)
    {
        Provider = provider;
        ConnectionString = connectionString;
        Directory = directory;
        DatabaseName = databaseName;
    }

    public Provider Provider { get; }
    public string ConnectionString { get; }
    public string Directory { get; }
    public string? DatabaseName { get; }
    public string ProviderSetting => Provider == Provider.Sqlite ? "sqlite" : "postgresql";

    public static async Task<TestDatabase> CreateAsync(Provider provider)
    {
        var dir = Path.Combine(Path.GetTempPath(), "ketaclinic-tests", Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(dir);
        if (provider == Provider.Sqlite)
        {
            return new TestDatabase(provider, $"Data Source={Path.Combine(dir, "clinic.db")}", dir, null);
        }
        var server = Environment.GetEnvironmentVariable(PostgresVariable);
        if (string.IsNullOrWhiteSpace(server))
        {
            throw new InvalidOperationException(
                $"{PostgresVariable} is not set. Run the tests with ./test.sh, which starts a private PostgreSQL server, or point {PostgresVariable} at one (e.g. 'Host=127.0.0.1;Port=5432;Username=postgres').");
        }
        var name = "kc_test_" + Guid.NewGuid().ToString("N")[..16];
        await using (var admin = new NpgsqlConnection(server))
        {
            await admin.OpenAsync();
            await using var create = admin.CreateCommand();
            create.CommandText = $"CREATE DATABASE {name}";
            await create.ExecuteNonQueryAsync();
        }
        var builder = new NpgsqlConnectionStringBuilder(server) { Database = name, Pooling = false };
        return new TestDatabase(provider, builder.ConnectionString, dir, name);
    }

    public async ValueTask DisposeAsync()
    {
        if (Provider == Provider.PostgreSql && DatabaseName is not null)
        {
            var server = Environment.GetEnvironmentVariable(PostgresVariable)!;
            await using var admin = new NpgsqlConnection(server);
            await admin.OpenAsync();
            await using var drop = admin.CreateCommand();
            drop.CommandText = $"DROP DATABASE IF EXISTS {DatabaseName} WITH (FORCE)";
            await drop.ExecuteNonQueryAsync();
        }
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A SQLite file still open by a pooled connection; the temp folder is cleaned by the OS.
        }
    }
}
