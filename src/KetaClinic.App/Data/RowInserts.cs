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
/// SQLite: one prepared single-row statement per table, its values bound by position and run per row through SQLite's
/// own interface (in process, the fastest way). PostgreSQL: one
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
                    table.RowByRow(connection, prepared);
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
    /// <param name="RowSql">The single-row INSERT (SQLite), parameters ?1, ?2, ... in column order.</param>
    /// <param name="UnnestSql">The INSERT ... SELECT FROM unnest($1, $2, ...) of all rows (PostgreSQL).</param>
    private sealed record Shape(IReadOnlyList<Column> Columns, string RowSql, string UnnestSql)
    {
        private IReadOnlyList<SqliteColumnBinder>? _sqliteBinders;

        /// <summary>How each column's values are bound on SQLite (made on first use, from the columns' mappings).</summary>
        public IReadOnlyList<SqliteColumnBinder> SqliteBinders => _sqliteBinders ??= [.. Columns.Select(SqliteColumnBinder.For)];

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
                head + " VALUES (" + string.Join(", ", columns.Select((_, i) => "?" + (i + 1).ToString(CultureInfo.InvariantCulture))) + ")",
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

        /// <summary>
        /// One prepared single-row statement, run for each row (kept prepared in <paramref name="prepared"/>, when
        /// given). The values are bound by position through SQLite's own interface: binding them through
        /// Microsoft.Data.Sqlite looks every parameter up by name, for every row, and took most of the insert's time.
        /// </summary>
        public void RowByRow(Microsoft.Data.Sqlite.SqliteConnection connection, PreparedCommands? prepared)
        {
            var owned = prepared is null;
            var statement = prepared?.SqliteStatement(connection, Shape.RowSql) ?? PreparedCommands.PrepareSqlite(connection, Shape.RowSql);
            var binders = Shape.SqliteBinders;
            try
            {
                for (var r = 0; r < Rows.Count; r++)
                {
                    var row = Rows[r]!;
                    for (var c = 0; c < binders.Count; c++)
                    {
                        Check(binders[c].Bind(statement, c + 1, Columns[c].ProviderValue(row)), connection);
                    }

                    var done = SQLitePCL.raw.sqlite3_step(statement);
                    // Reset before reporting, so the statement is ready for the next use whatever happened.
                    SQLitePCL.raw.sqlite3_reset(statement);
                    if (done != SQLitePCL.raw.SQLITE_DONE)
                    {
                        Microsoft.Data.Sqlite.SqliteException.ThrowExceptionForRC(done, connection.Handle);
                    }
                }
            }
            finally
            {
                SQLitePCL.raw.sqlite3_clear_bindings(statement);
                if (owned)
                {
                    statement.Dispose();
                }
            }
        }

        private static void Check(int result, Microsoft.Data.Sqlite.SqliteConnection connection)
        {
            if (result != SQLitePCL.raw.SQLITE_OK)
            {
                Microsoft.Data.Sqlite.SqliteException.ThrowExceptionForRC(result, connection.Handle);
            }
        }
    }

    /// <summary>
    /// Binds one column's values on SQLite as Microsoft.Data.Sqlite binds a parameter made by the column's EF mapping
    /// (the model's value converter is applied before, so times arrive as ticks): text, integers (and booleans and
    /// enums), decimals in Microsoft.Data.Sqlite's text format, GUIDs as upper-case text. A column of any other type,
    /// or a GUID the mapping stores as a blob, is refused when the table is first inserted into.
    /// </summary>
    private sealed class SqliteColumnBinder
    {
        private readonly Func<SQLitePCL.sqlite3_stmt, int, object, int> _bind;

        private SqliteColumnBinder(Func<SQLitePCL.sqlite3_stmt, int, object, int> bind) => _bind = bind;

        public int Bind(SQLitePCL.sqlite3_stmt statement, int index, object? value) =>
            value is null or DBNull ? SQLitePCL.raw.sqlite3_bind_null(statement, index) : _bind(statement, index, value);

        public static SqliteColumnBinder For(Column column) => For(column.ProviderType, SqliteTypeOf(column));

        /// <summary>The SQLite type the column's mapping gives its parameters (text or blob, for a GUID).</summary>
        private static Microsoft.Data.Sqlite.SqliteType SqliteTypeOf(Column column)
        {
            using var command = new Microsoft.Data.Sqlite.SqliteCommand();
            var parameter = (Microsoft.Data.Sqlite.SqliteParameter)column.Mapping.CreateParameter(command, "p", null, column.Property.IsNullable);
            return parameter.SqliteType;
        }

        private static SqliteColumnBinder For(Type providerType, Microsoft.Data.Sqlite.SqliteType sqliteType)
        {
            var type = Nullable.GetUnderlyingType(providerType) ?? providerType;
            if (type.IsEnum)
            {
                type = Enum.GetUnderlyingType(type);
            }
            return new SqliteColumnBinder(type switch
            {
                _ when type == typeof(string) => (s, i, v) => SQLitePCL.raw.sqlite3_bind_text(s, i, (string)v),
                _ when type == typeof(long) || type == typeof(int) || type == typeof(short) || type == typeof(byte)
                    || type == typeof(sbyte) || type == typeof(ushort) || type == typeof(uint) || type == typeof(ulong) || type == typeof(bool) =>
                    (s, i, v) => SQLitePCL.raw.sqlite3_bind_int64(s, i, v switch
                    {
                        bool b => b ? 1 : 0,
                        ulong u => unchecked((long)u),
                        _ => Convert.ToInt64(v, CultureInfo.InvariantCulture),
                    }),
                _ when type == typeof(decimal) => (s, i, v) => SQLitePCL.raw.sqlite3_bind_text(s, i, ((decimal)v).ToString("0.0###########################", CultureInfo.InvariantCulture)),
                _ when type == typeof(Guid) && sqliteType != Microsoft.Data.Sqlite.SqliteType.Blob => (s, i, v) => SQLitePCL.raw.sqlite3_bind_text(s, i, ((Guid)v).ToString().ToUpperInvariant()),
                _ => throw new NotSupportedException($"Bulk inserts on SQLite do not bind {type.Name} values stored as {sqliteType}."),
            });
        }
    }
}
