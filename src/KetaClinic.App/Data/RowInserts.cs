using System.Collections;
using System.Data.Common;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace KetaClinic.App.Data;

/// <summary>
/// New rows of several mapped entities, inserted together in the context's open transaction, for the hot write paths
/// (the HL7 intake files hundreds of rows per commit) where change tracking costs more than the database does.
/// SQLite: one prepared single-row statement per table, run per row (in process, the fastest way). PostgreSQL: one
/// INSERT ... SELECT FROM unnest(arrays) per table, all sent in one round trip. Tables, columns and value conversions
/// come from the EF model, so what is written reads back exactly as if EF had saved it.
/// </summary>
public sealed class RowInserts
{
    private readonly List<(Type Type, IList Rows)> _tables = [];
    private readonly List<(string Sql, object[] Values)> _statements = [];

    /// <summary>Adds rows of one entity (tables are inserted in the order added, so a parent goes before its children).</summary>
    public RowInserts Add<T>(IReadOnlyList<T> rows)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Count > 0)
        {
            _tables.Add((typeof(T), rows.ToList()));
        }

        return this;
    }

    /// <summary>
    /// A statement to run after the inserts, in the same round trip on PostgreSQL; <c>{0}</c>, <c>{1}</c>, ... in
    /// <paramref name="sql"/> stand for <paramref name="values"/> (sent as parameters).
    /// </summary>
    public RowInserts Then(string sql, params object[] values)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sql);
        ArgumentNullException.ThrowIfNull(values);
        _statements.Add((sql, values));
        return this;
    }

    private static string Marked(string sql, int count, Func<int, string> marker)
    {
        for (var i = 0; i < count; i++)
        {
            sql = sql.Replace("{" + i.ToString(CultureInfo.InvariantCulture) + "}", marker(i), StringComparison.Ordinal);
        }

        return sql;
    }

    /// <summary>Inserts everything added (nothing is tracked). Needs a transaction begun on the context.</summary>
    public async Task ExecuteAsync(DbContext db, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (_tables.Count == 0 && _statements.Count == 0)
        {
            return;
        }

        var transaction = db.Database.CurrentTransaction?.GetDbTransaction()
            ?? throw new InvalidOperationException("Rows are inserted inside the caller's transaction: begin one first.");
        var sql = db.GetService<ISqlGenerationHelper>();
        var tables = _tables.Select(t => Table.Of(db, sql, t.Type, t.Rows)).ToList();
        switch (db.Database.GetDbConnection())
        {
            case NpgsqlConnection npgsql:
                await using (var batch = new NpgsqlBatch(npgsql, (NpgsqlTransaction)transaction))
                {
                    foreach (var table in tables)
                    {
                        batch.BatchCommands.Add(table.UnnestInsert());
                    }

                    foreach (var (text, values) in _statements)
                    {
                        var command = new NpgsqlBatchCommand(Marked(text, values.Length, i => "$" + (i + 1).ToString(CultureInfo.InvariantCulture)));
                        foreach (var value in values)
                        {
                            command.Parameters.Add(new NpgsqlParameter { Value = value });
                        }

                        batch.BatchCommands.Add(command);
                    }

                    await batch.ExecuteNonQueryAsync(ct);
                }

                break;
            case var connection when db.Database.ProviderName?.Contains("Sqlite", StringComparison.Ordinal) == true:
                foreach (var table in tables)
                {
                    await table.RowByRowAsync(connection, transaction, ct);
                }

                foreach (var (text, values) in _statements)
                {
                    await using var command = connection.CreateCommand();
                    command.Transaction = transaction;
                    command.CommandText = Marked(text, values.Length, i => "@s" + i.ToString(CultureInfo.InvariantCulture));
                    for (var i = 0; i < values.Length; i++)
                    {
                        var parameter = command.CreateParameter();
                        parameter.ParameterName = "@s" + i.ToString(CultureInfo.InvariantCulture);
                        parameter.Value = values[i];
                        command.Parameters.Add(parameter);
                    }

                    await command.ExecuteNonQueryAsync(ct);
                }

                break;
            default:
                throw new NotSupportedException($"Bulk inserts do not know the database provider {db.Database.ProviderName}.");
        }
    }

    private sealed record Column(IProperty Property, string Name, RelationalTypeMapping Mapping)
    {
        /// <summary>The value as the database stores it (after the model's value converter).</summary>
        public object? ProviderValue(object row)
        {
            var value = Property.PropertyInfo!.GetValue(row);
            return value is not null && Mapping.Converter is { } converter ? converter.ConvertToProvider(value) : value;
        }

        public Type ProviderType => Nullable(Mapping.Converter?.ProviderClrType ?? Property.ClrType);

        private Type Nullable(Type t) => Property.IsNullable && t.IsValueType && System.Nullable.GetUnderlyingType(t) is null ? typeof(Nullable<>).MakeGenericType(t) : t;
    }

    private sealed record Table(string Name, IReadOnlyList<Column> Columns, IList Rows)
    {
        public static Table Of(DbContext db, ISqlGenerationHelper sql, Type type, IList rows)
        {
            var entity = db.Model.FindEntityType(type) ?? throw new InvalidOperationException($"{type.Name} is not mapped.");
            var store = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
            var columns = entity.GetProperties()
                .Select(p => p.IsShadowProperty() || p.PropertyInfo is null
                    ? throw new InvalidOperationException($"{type.Name}.{p.Name} cannot be read for a bulk insert.")
                    : new Column(p, sql.DelimitIdentifier(p.GetColumnName(store)!), p.GetRelationalTypeMapping()))
                .ToList();
            return new Table(sql.DelimitIdentifier(store.Name, store.Schema), columns, rows);
        }

        private string Head => $"INSERT INTO {Name} ({string.Join(", ", Columns.Select(c => c.Name))})";

        /// <summary>One statement for all rows: each column goes as one array parameter.</summary>
        public NpgsqlBatchCommand UnnestInsert()
        {
            var command = new NpgsqlBatchCommand(Head + " SELECT * FROM unnest(" + string.Join(", ", Columns.Select((_, i) => "$" + (i + 1).ToString(CultureInfo.InvariantCulture))) + ")");
            foreach (var column in Columns)
            {
                var values = Array.CreateInstance(column.ProviderType, Rows.Count);
                for (var r = 0; r < Rows.Count; r++)
                {
                    values.SetValue(column.ProviderValue(Rows[r]!), r);
                }

                command.Parameters.Add(new NpgsqlParameter { Value = values });
            }

            return command;
        }

        /// <summary>One prepared single-row statement, run for each row.</summary>
        public async Task RowByRowAsync(DbConnection connection, DbTransaction transaction, CancellationToken ct)
        {
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = Head + " VALUES (" + string.Join(", ", Columns.Select((_, i) => "@p" + i.ToString(CultureInfo.InvariantCulture))) + ")";
            var parameters = new DbParameter[Columns.Count];
            for (var r = 0; r < Rows.Count; r++)
            {
                for (var c = 0; c < Columns.Count; c++)
                {
                    var column = Columns[c];
                    // The mapping makes the parameter as EF would (converter, type); the first one is kept, later rows set its value.
                    var p = column.Mapping.CreateParameter(command, "@p" + c.ToString(CultureInfo.InvariantCulture), column.Property.PropertyInfo!.GetValue(Rows[r]), column.Property.IsNullable);
                    if (r == 0)
                    {
                        parameters[c] = p;
                        command.Parameters.Add(p);
                    }
                    else
                    {
                        parameters[c].Value = p.Value;
                    }
                }

                if (r == 0)
                {
                    await command.PrepareAsync(ct);
                }

                await command.ExecuteNonQueryAsync(ct);
            }
        }
    }
}
