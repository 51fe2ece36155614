using System.Data.Common;
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
        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));

        var head = await db.AuditChainHeads.SingleAsync();
        Assert.Equal(0, head.LastSequence);
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
