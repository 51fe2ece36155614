using System.Data.Common;
using EvolveDb;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace KetaClinic.App.Data;

public enum DatabaseProvider
{
    Sqlite,
    PostgreSql,
}

/// <summary>Where the clinic's data lives, read from Database:Provider and ConnectionStrings:Clinic.</summary>
/// <param name="SqliteCacheMebibytes">
/// SQLite page cache per connection (Database:SqliteCacheMebibytes). SQLite's own default is 2 MiB, smaller than the
/// pages one HL7 batch touches across 50 chairs' sessions, so each batch read them again from the file.
/// </param>
public sealed record DatabaseSettings(DatabaseProvider Provider, string ConnectionString, int SqliteCacheMebibytes = DatabaseSettings.DefaultSqliteCacheMebibytes)
{
    public const int DefaultSqliteCacheMebibytes = 16;

    public const string DefaultDataDirectory = "data";
    public const string SqliteFileName = "ketaclinic.db";

    public static DatabaseSettings From(IConfiguration configuration, string contentRoot)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var providerText = configuration["Database:Provider"] ?? "sqlite";
        var provider = providerText.Trim().ToUpperInvariant() switch
        {
            "SQLITE" => DatabaseProvider.Sqlite,
            "POSTGRESQL" or "POSTGRES" or "NPGSQL" => DatabaseProvider.PostgreSql,
            _ => throw new InvalidOperationException($"Database:Provider '{providerText}' is not supported: use 'sqlite' or 'postgresql'."),
        };
        var connection = configuration.GetConnectionString("Clinic");
        if (provider == DatabaseProvider.PostgreSql)
        {
            if (string.IsNullOrWhiteSpace(connection))
            {
                throw new InvalidOperationException("Database:Provider is postgresql but ConnectionStrings:Clinic is not set.");
            }
            return new DatabaseSettings(provider, connection);
        }
        var cacheText = configuration["Database:SqliteCacheMebibytes"];
        var cache = DefaultSqliteCacheMebibytes;
        if (!string.IsNullOrWhiteSpace(cacheText)
            && (!int.TryParse(cacheText, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out cache) || cache is < 1 or > 4096))
        {
            throw new InvalidOperationException($"Database:SqliteCacheMebibytes '{cacheText}' must be a whole number of MiB from 1 to 4096.");
        }
        if (string.IsNullOrWhiteSpace(connection))
        {
            var dataDir = configuration["Data:Directory"] ?? DefaultDataDirectory;
            if (!Path.IsPathRooted(dataDir))
            {
                dataDir = Path.Combine(contentRoot, dataDir);
            }
            connection = $"Data Source={Path.Combine(dataDir, SqliteFileName)}";
        }
        return new DatabaseSettings(provider, connection, cache);
    }

    public void Configure(DbContextOptionsBuilder options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (Provider == DatabaseProvider.PostgreSql)
        {
            options.UseNpgsql(WithAutoPrepare(ConnectionString));
        }
        else
        {
            options.UseSqlite(ConnectionString).AddInterceptors(new SqliteConnectionPragmas(SqliteCacheMebibytes));
        }
    }

    /// <summary>
    /// Statements a connection runs at least <see cref="AutoPrepareMinUsages"/> times are prepared on the server (up to
    /// <see cref="DefaultMaxAutoPrepare"/> per connection), so PostgreSQL parses them once instead of each time. They are
    /// still planned for each execution's values (plan_cache_mode=force_custom_plan): a generic plan made while a table
    /// was small (a seq scan of the HL7 message log on a new clinic) would be kept as the table grows, and in the bench
    /// it collapsed the intake to a third of its rate. (The intake's inserts go back to plan caching for their own
    /// transaction, see IntakeReads: their per-row foreign-key checks are saved plans.) A connection string that sets
    /// "Max Auto Prepare" itself (0 turns it off) is left as it is; its own minimum usages, or a plan_cache_mode it sets
    /// in Options, is kept.
    /// </summary>
    public static string WithAutoPrepare(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        // What the string itself says (Npgsql's builder reports every keyword it knows, set or not).
        var given = new DbConnectionStringBuilder { ConnectionString = connectionString };
        if (given.ContainsKey("Max Auto Prepare") || given.ContainsKey("MaxAutoPrepare"))
        {
            return builder.ConnectionString;
        }
        builder.MaxAutoPrepare = DefaultMaxAutoPrepare;
        if (!given.ContainsKey("Auto Prepare Min Usages") && !given.ContainsKey("AutoPrepareMinUsages"))
        {
            builder.AutoPrepareMinUsages = AutoPrepareMinUsages;
        }
        if (builder.Options?.Contains("plan_cache_mode", StringComparison.OrdinalIgnoreCase) != true)
        {
            builder.Options = string.IsNullOrWhiteSpace(builder.Options) ? CustomPlans : builder.Options + " " + CustomPlans;
        }
        return builder.ConnectionString;
    }

    public const int DefaultMaxAutoPrepare = 100;
    public const int AutoPrepareMinUsages = 2;
    private const string CustomPlans = "-c plan_cache_mode=force_custom_plan";

    public string Describe() => Provider == DatabaseProvider.PostgreSql
        ? $"PostgreSQL ({new NpgsqlConnectionStringBuilder(ConnectionString) { Password = null }.ConnectionString})"
        : $"SQLite ({new SqliteConnectionStringBuilder(ConnectionString).DataSource})";
}

/// <summary>Applies the versioned SQL migrations of the configured provider. Never erases: clinic data is kept.</summary>
public sealed class DatabaseMigrator(DatabaseSettings settings, ILogger<DatabaseMigrator> logger)
{
    public const string ChangelogTable = "schema_changelog";

    public string ResourcePrefix => settings.Provider == DatabaseProvider.PostgreSql
        ? "KetaClinic.App.Data.Migrations.postgresql"
        : "KetaClinic.App.Data.Migrations.sqlite";

    public void Migrate()
    {
        if (settings.Provider == DatabaseProvider.Sqlite)
        {
            EnsureSqliteFile();
        }
        using var connection = OpenConnection();
        var evolve = new Evolve(connection, msg => logger.LogInformation("{Message}", msg))
        {
            EmbeddedResourceAssemblies = [typeof(DatabaseMigrator).Assembly],
            EmbeddedResourceFilters = [ResourcePrefix],
            MetadataTableName = ChangelogTable,
            IsEraseDisabled = true,
            // Modules are developed side by side; a lower-numbered script that arrives later is still applied.
            OutOfOrder = true,
            MustEraseOnValidationError = false,
        };
        evolve.Migrate();
    }

    /// <summary>Number of migration scripts shipped for this provider.</summary>
    public int ShippedMigrationCount => typeof(DatabaseMigrator).Assembly.GetManifestResourceNames()
        .Count(n => n.StartsWith(ResourcePrefix + ".V", StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal));

    public DbConnection OpenConnection()
    {
        DbConnection connection = settings.Provider == DatabaseProvider.PostgreSql
            ? new NpgsqlConnection(settings.ConnectionString)
            : new SqliteConnection(settings.ConnectionString);
        connection.Open();
        return connection;
    }

    private void EnsureSqliteFile()
    {
        var builder = new SqliteConnectionStringBuilder(settings.ConnectionString);
        var dir = Path.GetDirectoryName(Path.GetFullPath(builder.DataSource));
        if (!string.IsNullOrEmpty(dir))
        {
            Directory.CreateDirectory(dir);
        }
        using var connection = new SqliteConnection(settings.ConnectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        // WAL lets readers go on while one writer commits; it is a property of the file, set once.
        command.CommandText = "PRAGMA journal_mode=WAL;";
        command.ExecuteNonQuery();
    }
}
