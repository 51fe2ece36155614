using System.Collections;
using System.Collections.Concurrent;
using System.Data.Common;
using System.Globalization;
using System.Linq.Expressions;
using System.Reflection;
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
public sealed class RowInserts(PreparedCommands? prepared = null)
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
        var tables = _tables.Select(t => new Table(Shape.Of(db, sql, t.Type), t.Rows)).ToList();
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
            case Microsoft.Data.Sqlite.SqliteConnection connection:
                foreach (var table in tables)
                {
                    await table.RowByRowAsync(connection, transaction, prepared, ct);
                }

                foreach (var (text, values) in _statements)
                {
                    var marked = Marked(text, values.Length, i => "@s" + i.ToString(CultureInfo.InvariantCulture));
                    await using var lease = PreparedCommands.Use(prepared, connection, transaction, marked);
                    var command = lease.Command;
                    for (var i = 0; i < values.Length; i++)
                    {
                        // A kept command keeps its parameters and takes these values (as IntakeReads does).
                        if (lease.IsNew)
                        {
                            var parameter = command.CreateParameter();
                            parameter.ParameterName = "@s" + i.ToString(CultureInfo.InvariantCulture);
                            command.Parameters.Add(parameter);
                        }

                        command.Parameters[i].Value = values[i];
                    }

                    await command.ExecuteNonQueryAsync(ct);
                }

                break;
            default:
                throw new NotSupportedException($"Bulk inserts do not know the database provider {db.Database.ProviderName}.");
        }
    }

    /// <summary>Compiled property getters (reflection's GetValue costs more than the database does per value on this path).</summary>
    private static readonly ConcurrentDictionary<PropertyInfo, Func<object, object?>> Getters = new();

    private static Func<object, object?> GetterOf(PropertyInfo property) => Getters.GetOrAdd(property, p =>
    {
        var row = Expression.Parameter(typeof(object), "row");
        var read = Expression.Property(Expression.Convert(row, p.DeclaringType!), p);
        return Expression.Lambda<Func<object, object?>>(Expression.Convert(read, typeof(object)), row).Compile();
    });

    private sealed record Column(IProperty Property, string Name, RelationalTypeMapping Mapping)
    {
        private readonly Func<object, object?> _get = GetterOf(Property.PropertyInfo!);

        /// <summary>The value as the entity holds it.</summary>
        public object? ModelValue(object row) => _get(row);

        /// <summary>The value as the database stores it (after the model's value converter).</summary>
        public object? ProviderValue(object row)
        {
            var value = _get(row);
            return value is not null && Mapping.Converter is { } converter ? converter.ConvertToProvider(value) : value;
        }

        public Type ProviderType => Nullable(Mapping.Converter?.ProviderClrType ?? Property.ClrType);

        private Type Nullable(Type t) => Property.IsNullable && t.IsValueType && System.Nullable.GetUnderlyingType(t) is null ? typeof(Nullable<>).MakeGenericType(t) : t;
    }

    /// <summary>A table's columns and its two INSERT statements, read from the model once per model and entity type.</summary>
    /// <param name="RowSql">The single-row INSERT (SQLite), parameters @p0, @p1, ...</param>
    /// <param name="UnnestSql">The INSERT ... SELECT FROM unnest($1, $2, ...) of all rows (PostgreSQL).</param>
    private sealed record Shape(IReadOnlyList<Column> Columns, string RowSql, string UnnestSql)
    {
        /// <summary>The hot paths insert into the same few tables every batch.</summary>
        private static readonly ConcurrentDictionary<(IModel Model, Type Type), Shape> Shapes = new();

        public static Shape Of(DbContext db, ISqlGenerationHelper sql, Type type) => Shapes.GetOrAdd((db.Model, type), key =>
        {
            var entity = key.Model.FindEntityType(key.Type) ?? throw new InvalidOperationException($"{key.Type.Name} is not mapped.");
            var store = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
            var columns = entity.GetProperties()
                .Select(p => p.IsShadowProperty() || p.PropertyInfo is null
                    ? throw new InvalidOperationException($"{key.Type.Name}.{p.Name} cannot be read for a bulk insert.")
                    : new Column(p, sql.DelimitIdentifier(p.GetColumnName(store)!), p.GetRelationalTypeMapping()))
                .ToList();
            var head = $"INSERT INTO {sql.DelimitIdentifier(store.Name, store.Schema)} ({string.Join(", ", columns.Select(c => c.Name))})";
            return new Shape(columns,
                head + " VALUES (" + string.Join(", ", columns.Select((_, i) => "@p" + i.ToString(CultureInfo.InvariantCulture))) + ")",
                head + " SELECT * FROM unnest(" + string.Join(", ", columns.Select((_, i) => "$" + (i + 1).ToString(CultureInfo.InvariantCulture))) + ")");
        });
    }

    private sealed record Table(Shape Shape, IList Rows)
    {
        private IReadOnlyList<Column> Columns => Shape.Columns;

        /// <summary>One statement for all rows: each column goes as one array parameter.</summary>
        public NpgsqlBatchCommand UnnestInsert()
        {
            var command = new NpgsqlBatchCommand(Shape.UnnestSql);
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

        /// <summary>One prepared single-row statement, run for each row (kept prepared in <paramref name="prepared"/>, when given).</summary>
        public async Task RowByRowAsync(DbConnection connection, DbTransaction transaction, PreparedCommands? prepared, CancellationToken ct)
        {
            await using var lease = PreparedCommands.Use(prepared, connection, transaction, Shape.RowSql);
            var command = lease.Command;
            if (lease.IsNew)
            {
                // The mapping makes each parameter as EF would (converter, store type); later rows only set the
                // value, converted the same way.
                for (var c = 0; c < Columns.Count; c++)
                {
                    var column = Columns[c];
                    command.Parameters.Add(column.Mapping.CreateParameter(command, "@p" + c.ToString(CultureInfo.InvariantCulture), column.ModelValue(Rows[0]!), column.Property.IsNullable));
                }

                await command.PrepareAsync(ct);
            }

            for (var r = 0; r < Rows.Count; r++)
            {
                // A new command already holds the first row's values.
                if (r > 0 || !lease.IsNew)
                {
                    for (var c = 0; c < Columns.Count; c++)
                    {
                        command.Parameters[c].Value = Columns[c].ProviderValue(Rows[r]!) ?? DBNull.Value;
                    }
                }

                await command.ExecuteNonQueryAsync(ct);
            }
        }
    }
}
