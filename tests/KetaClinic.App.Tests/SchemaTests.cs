using System.Data.Common;
using Microsoft.Extensions.Configuration;
using KetaClinic.App.Data;
using KetaClinic.App.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace KetaClinic.App.Tests;

/// <summary>The SQL migrations and the EF model describe the same schema, on both providers.</summary>
public sealed class SchemaTests
{
    [Theory]
    [InlineData(Provider.Sqlite)]
    [InlineData(Provider.PostgreSql)]
    public async Task Migrating_an_empty_database_gives_the_schema_the_model_expects(Provider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var settings = new DatabaseSettings(provider == Provider.Sqlite ? DatabaseProvider.Sqlite : DatabaseProvider.PostgreSql, database.ConnectionString);
        var migrator = new DatabaseMigrator(settings, Microsoft.Extensions.Logging.Abstractions.NullLogger<DatabaseMigrator>.Instance);
        migrator.Migrate();
        migrator.Migrate(); // a second start applies nothing and keeps the data

        var options = new DbContextOptionsBuilder<ClinicDbContext>();
        settings.Configure(options);
        await using var db = new ClinicDbContext(options.Options);
        await using var connection = migrator.OpenConnection();
        var actual = await ReadColumns(connection, provider);

        var expectedTables = new HashSet<string>(StringComparer.Ordinal);
        var problems = new List<string>();
        foreach (var entity in db.Model.GetEntityTypes())
        {
            var table = entity.GetTableName()!;
            expectedTables.Add(table);
            var store = Microsoft.EntityFrameworkCore.Metadata.StoreObjectIdentifier.Table(table, null);
            foreach (var property in entity.GetProperties())
            {
                var column = property.GetColumnName(store)!;
                if (!actual.TryGetValue((table, column), out var nullable))
                {
                    problems.Add($"{table}.{column} is in the model but not in the database");
                }
                else if (nullable != property.IsColumnNullable(store))
                {
                    problems.Add($"{table}.{column}: database nullable={nullable}, model nullable={property.IsColumnNullable(store)}");
                }
            }
        }
        foreach (var (table, column) in actual.Keys)
        {
            if (table == DatabaseMigrator.ChangelogTable)
            {
                continue;
            }
            if (!expectedTables.Contains(table))
            {
                problems.Add($"table {table} is in the database but not in the model");
            }
            else if (!db.Model.GetEntityTypes().Where(e => e.GetTableName() == table)
                .SelectMany(e => e.GetProperties().Select(p => p.GetColumnName(Microsoft.EntityFrameworkCore.Metadata.StoreObjectIdentifier.Table(table, null))))
                .Contains(column))
            {
                problems.Add($"{table}.{column} is in the database but not in the model");
            }
        }
        // Every index the model declares exists under its name with its columns in order, and unique where declared.
        var indexes = await ReadIndexes(connection, provider);
        foreach (var entity in db.Model.GetEntityTypes())
        {
            var store = Microsoft.EntityFrameworkCore.Metadata.StoreObjectIdentifier.Table(entity.GetTableName()!, null);
            foreach (var index in entity.GetIndexes())
            {
                var name = index.GetDatabaseName(store)!;
                var columns = string.Join(",", index.Properties.Select(p => p.GetColumnName(store)));
                if (!indexes.TryGetValue(name, out var found))
                {
                    problems.Add($"index {name} ({columns}) is in the model but not in the database");
                }
                else if (found.Columns != columns || found.Unique != index.IsUnique)
                {
                    problems.Add($"index {name}: database ({found.Columns}, unique={found.Unique}), model ({columns}, unique={index.IsUnique})");
                }
            }
        }
        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));

        var head = await db.AuditChainHeads.SingleAsync();
        Assert.Equal(0, head.LastSequence);
    }

    private static async Task<Dictionary<string, (string Columns, bool Unique)>> ReadIndexes(DbConnection connection, Provider provider)
    {
        var result = new Dictionary<string, (string, bool)>(StringComparer.Ordinal);
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = provider == Provider.PostgreSql
            ? """
              SELECT i.relname, string_agg(a.attname, ',' ORDER BY k.ord), x.indisunique
              FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_namespace n ON n.oid = i.relnamespace
              CROSS JOIN LATERAL unnest(x.indkey) WITH ORDINALITY AS k(attnum, ord)
              JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = k.attnum
              WHERE n.nspname = 'public' GROUP BY i.relname, x.indisunique
              """
            : """
              SELECT il.name, group_concat(ii.name, ','), il."unique"
              FROM sqlite_master m JOIN pragma_index_list(m.name) il JOIN pragma_index_info(il.name) ii
              WHERE m.type = 'table' GROUP BY il.name, il."unique" ORDER BY il.name
              """;
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            result[reader.GetString(0)] = (reader.GetString(1), Convert.ToInt64(reader.GetValue(2), System.Globalization.CultureInfo.InvariantCulture) != 0);
        }
        return result;
    }

    [Fact]
    public async Task A_sqlite_connection_gets_the_configured_page_cache_and_a_bad_setting_is_refused_by_name()
    {
        await using var database = await TestDatabase.CreateAsync(Provider.Sqlite);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Clinic"] = database.ConnectionString,
            ["Database:SqliteCacheMebibytes"] = "48",
        }).Build();
        var settings = DatabaseSettings.From(configuration, Path.GetTempPath());
        var options = new DbContextOptionsBuilder<ClinicDbContext>();
        settings.Configure(options);
        await using var db = new ClinicDbContext(options.Options);
        await db.Database.OpenConnectionAsync();
        await using var cmd = db.Database.GetDbConnection().CreateCommand();
        cmd.CommandText = "PRAGMA cache_size";
        Assert.Equal(-48 * 1024L, Convert.ToInt64(await cmd.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(DatabaseSettings.DefaultSqliteCacheMebibytes,
            DatabaseSettings.From(new ConfigurationBuilder().Build(), Path.GetTempPath()).SqliteCacheMebibytes);
        foreach (var bad in new[] { "0", "-5", "lots", "5000" })
        {
            var wrong = new ConfigurationBuilder()
                .AddInMemoryCollection(new Dictionary<string, string?> { ["Database:SqliteCacheMebibytes"] = bad }).Build();
            var ex = Assert.Throws<InvalidOperationException>(() => DatabaseSettings.From(wrong, Path.GetTempPath()));
            Assert.Contains("Database:SqliteCacheMebibytes", ex.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_postgresql_connection_prepares_repeated_statements_and_still_plans_each_execution_for_its_values()
    {
        await using var database = await TestDatabase.CreateAsync(Provider.PostgreSql);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:Provider"] = "postgresql",
            ["ConnectionStrings:Clinic"] = database.ConnectionString,
        }).Build();
        var options = new DbContextOptionsBuilder<ClinicDbContext>();
        DatabaseSettings.From(configuration, Path.GetTempPath()).Configure(options);
        await using var db = new ClinicDbContext(options.Options);
        await db.Database.OpenConnectionAsync();
        async Task<string?> ScalarAsync(string sql)
        {
            await using var cmd = db.Database.GetDbConnection().CreateCommand();
            cmd.CommandText = sql;
            return Convert.ToString(await cmd.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
        }

        Assert.Equal("force_custom_plan", await ScalarAsync("SHOW plan_cache_mode"));
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal("probe", await ScalarAsync("SELECT 'probe' AS kc_prepared_probe"));
        }
        Assert.Equal("1", await ScalarAsync("SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE '%kc_prepared_probe%'"));

        // A clinic's own choice in the connection string stands; its other options are kept.
        var off = new Npgsql.NpgsqlConnectionStringBuilder(DatabaseSettings.WithAutoPrepare("Host=db;Max Auto Prepare=0"));
        Assert.Equal((0, null), (off.MaxAutoPrepare, off.Options));
        var kept = new Npgsql.NpgsqlConnectionStringBuilder(DatabaseSettings.WithAutoPrepare("Host=db;Options=-c search_path=clinic"));
        Assert.Equal((DatabaseSettings.DefaultMaxAutoPrepare, "-c search_path=clinic -c plan_cache_mode=force_custom_plan"), (kept.MaxAutoPrepare, kept.Options));
        var ownPlans = new Npgsql.NpgsqlConnectionStringBuilder(DatabaseSettings.WithAutoPrepare("Host=db;Options=-c plan_cache_mode=auto"));
        Assert.Equal((DatabaseSettings.DefaultMaxAutoPrepare, "-c plan_cache_mode=auto"), (ownPlans.MaxAutoPrepare, ownPlans.Options));
        var onlyUsages = new Npgsql.NpgsqlConnectionStringBuilder(DatabaseSettings.WithAutoPrepare("Host=db;Auto Prepare Min Usages=5"));
        Assert.Equal((DatabaseSettings.DefaultMaxAutoPrepare, 5), (onlyUsages.MaxAutoPrepare, onlyUsages.AutoPrepareMinUsages));
    }

    private static async Task<Dictionary<(string Table, string Column), bool>> ReadColumns(DbConnection connection, Provider provider)
    {
        var result = new Dictionary<(string, string), bool>();
        await using var cmd = connection.CreateCommand();
        if (provider == Provider.PostgreSql)
        {
            cmd.CommandText = "SELECT table_name, column_name, is_nullable FROM information_schema.columns WHERE table_schema = 'public'";
            await using var reader = await cmd.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                result[(reader.GetString(0), reader.GetString(1))] = reader.GetString(2) == "YES";
            }
            return result;
        }
        cmd.CommandText = "SELECT m.name, p.name, p.\"notnull\", p.pk FROM sqlite_master m JOIN pragma_table_info(m.name) p WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%'";
        await using (var reader = await cmd.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                result[(reader.GetString(0), reader.GetString(1))] = reader.GetInt64(2) == 0 && reader.GetInt64(3) == 0;
            }
        }
        return result;
    }
}
