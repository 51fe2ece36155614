using System.Data.Common;
using System.Globalization;
using System.Text;
using System.Text.Json;
using KetaClinic.App.Data;
using KetaClinic.App.Features.Sessions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using Patient = KetaClinic.Domain.Patients.Patient;

namespace KetaClinic.App.Hl7;

/// <summary>A registered monitor, as the intake needs it.</summary>
internal sealed record IntakeMonitor(string DeviceKey, Guid ChairId, string? Description);

/// <summary>How a message was answered before (its resend is answered the same way).</summary>
internal sealed record IntakeAnswer(string SendingApplication, string SendingFacility, string ControlId, string AckCode, string? Error);

/// <summary>What every intake batch reads first, under the audit chain's head lock.</summary>
/// <param name="ChairStateVersion">The count of changes to monitors, sessions and their steps (<see cref="Data.ChairStateVersion"/>).</param>
internal sealed record IntakeBatchRead(AuditHead Head, long ChairStateVersion, IReadOnlyList<IntakeAnswer> Answered);

/// <summary>Registered monitors and the sessions in progress at their chairs, as of <paramref name="Version"/> of the chair state.</summary>
internal sealed record IntakeChairs(long Version, IReadOnlyList<IntakeMonitor> Monitors, IReadOnlyList<ChairSession> Sessions);

/// <summary>A session in progress at a chair, as the intake reads it: with its patient's MRN and the sequence of its last stored event.</summary>
public sealed record ChairSession(Guid Id, Guid PatientId, Guid? ChairId, string Status, DateTimeOffset? CheckedInAt, DateTimeOffset ScheduledStart, string Mrn, int LastSequence);

/// <summary>
/// The HL7 intake's reads, in two commands. Every batch runs the first: it takes the audit chain's head lock, reads
/// the head, the chair state's version and the earlier answers to the batch's control ids. The second, run only when
/// the version has moved since the intake last read it (or the batch names a monitor it has not looked up), reads the
/// registered monitors among the device keys and the sessions in progress at their chairs (with the patient's MRN and
/// the session's last event). On PostgreSQL each is one round trip; on SQLite they skip EF's query pipeline. Table
/// names, column names and value conversions come from the EF model, so the statements read what EF writes.
/// </summary>
internal sealed class IntakeReads
{
    private readonly Col _answerApp, _answerFacility, _answerControl, _answerAck, _answerError;
    private readonly Col _deviceKey, _deviceChair, _deviceDescription, _deviceActive;
    private readonly Col _sessionId, _sessionPatient, _sessionChair, _sessionStatus, _sessionCheckedIn, _sessionScheduled;
    private readonly Col _patientId, _patientMrn, _eventSession, _eventSequence, _stateId, _stateVersion;
    private readonly string _messages, _devices, _sessions, _patients, _events, _states;

    private IntakeReads(DbContext db)
    {
        var sql = db.GetService<ISqlGenerationHelper>();
        Col C<T>(string property) => Col.Of(db, sql, typeof(T), property);
        string T<TEntity>() => Col.TableOf(db, sql, typeof(TEntity));
        _messages = T<Hl7InboundMessage>();
        _answerApp = C<Hl7InboundMessage>(nameof(Hl7InboundMessage.SendingApplication));
        _answerFacility = C<Hl7InboundMessage>(nameof(Hl7InboundMessage.SendingFacility));
        _answerControl = C<Hl7InboundMessage>(nameof(Hl7InboundMessage.ControlId));
        _answerAck = C<Hl7InboundMessage>(nameof(Hl7InboundMessage.AckCode));
        _answerError = C<Hl7InboundMessage>(nameof(Hl7InboundMessage.Error));
        _devices = T<MonitorDevice>();
        _deviceKey = C<MonitorDevice>(nameof(MonitorDevice.DeviceKey));
        _deviceChair = C<MonitorDevice>(nameof(MonitorDevice.ChairId));
        _deviceDescription = C<MonitorDevice>(nameof(MonitorDevice.Description));
        _deviceActive = C<MonitorDevice>(nameof(MonitorDevice.IsActive));
        _sessions = T<TreatmentSession>();
        _sessionId = C<TreatmentSession>(nameof(TreatmentSession.Id));
        _sessionPatient = C<TreatmentSession>(nameof(TreatmentSession.PatientId));
        _sessionChair = C<TreatmentSession>(nameof(TreatmentSession.ChairId));
        _sessionStatus = C<TreatmentSession>(nameof(TreatmentSession.Status));
        _sessionCheckedIn = C<TreatmentSession>(nameof(TreatmentSession.CheckedInAt));
        _sessionScheduled = C<TreatmentSession>(nameof(TreatmentSession.ScheduledStart));
        _patients = T<Patient>();
        _patientId = C<Patient>(nameof(Patient.Id));
        _patientMrn = C<Patient>(nameof(Patient.Mrn));
        _events = T<SessionEventRow>();
        _eventSession = C<SessionEventRow>(nameof(SessionEventRow.SessionId));
        _eventSequence = C<SessionEventRow>(nameof(SessionEventRow.Sequence));
        _states = T<ChairStateVersion>();
        _stateId = C<ChairStateVersion>(nameof(ChairStateVersion.Id));
        _stateVersion = C<ChairStateVersion>(nameof(ChairStateVersion.Version));
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<IModel, IntakeReads> ByModel = new();

    /// <summary>The statements for the context's model (built once per model).</summary>
    public static IntakeReads For(DbContext db)
    {
        ArgumentNullException.ThrowIfNull(db);
        return ByModel.GetOrAdd(db.Model, _ => new IntakeReads(db));
    }

    /// <summary>The commands' texts for PostgreSQL and for SQLite (the same for every batch, built once).</summary>
    private string? _postgresBatch, _sqliteBatch, _postgresChairs, _sqliteChairs;

    /// <summary>
    /// What every batch reads, in the context's transaction begun with <see cref="AuditTrail.BeginForHeadLockAsync"/>:
    /// the command takes the head lock before it reads anything, then reads the head, the chair state's version and the
    /// earlier answers to the batch's control ids. With <paramref name="prepared"/>, the command stays prepared on the
    /// connection for the next batch.
    /// </summary>
    public async Task<IntakeBatchRead> ReadBatchAsync(DbContext db, IReadOnlyCollection<string> controlIds, CancellationToken ct, PreparedCommands? prepared = null)
    {
        ArgumentNullException.ThrowIfNull(db);
        var (connection, transaction, postgres) = Open(db);
        var text = postgres ? _postgresBatch ??= BatchText(postgres: true) : _sqliteBatch ??= BatchText(postgres: false);
        await using var lease = PreparedCommands.Use(prepared, connection, transaction, text);
        var command = lease.Command;
        if (lease.IsNew)
        {
            command.Parameters.Add(List(command, "@c"));
            await PrepareAsync(command, prepared, ct);
        }

        // A kept command keeps its parameters and takes this batch's values: a command prepared by Npgsql binds the
        // parameter objects it was prepared with, so replacing them would send the old values.
        command.Parameters[0].Value = ListValue(postgres, controlIds);

        await using var reader = await command.ExecuteReaderAsync(ct);
        // The head lock (an UPDATE) has no result set: the first one is the head.
        if (!await reader.ReadAsync(ct))
        {
            throw new InvalidOperationException("The audit chain has no head row.");
        }
        var head = new AuditHead(reader.GetInt64(0), reader.GetString(1));
        await reader.NextResultAsync(ct);
        var version = await VersionAsync(reader, ct);

        await reader.NextResultAsync(ct);
        var answered = new List<IntakeAnswer>();
        while (await reader.ReadAsync(ct))
        {
            answered.Add(new IntakeAnswer(_answerApp.Read<string>(reader, 0)!, _answerFacility.Read<string>(reader, 1)!, _answerControl.Read<string>(reader, 2)!,
                _answerAck.Read<string>(reader, 3)!, _answerError.Read<string>(reader, 4)));
        }
        return new IntakeBatchRead(head, version, answered);
    }

    /// <summary>
    /// The registered monitors among <paramref name="deviceKeys"/> and the sessions in progress at their chairs (with
    /// the patient's MRN and the session's last step), with the chair state's version they belong to; read in the same
    /// transaction, after <see cref="ReadBatchAsync"/>.
    /// </summary>
    public async Task<IntakeChairs> ReadChairsAsync(
        DbContext db, IReadOnlyCollection<string> deviceKeys, IReadOnlyCollection<string> statuses, DateTimeOffset since, CancellationToken ct, PreparedCommands? prepared = null)
    {
        ArgumentNullException.ThrowIfNull(db);
        var (connection, transaction, postgres) = Open(db);
        var text = postgres ? _postgresChairs ??= ChairsText(postgres: true) : _sqliteChairs ??= ChairsText(postgres: false);
        await using var lease = PreparedCommands.Use(prepared, connection, transaction, text);
        var command = lease.Command;
        if (lease.IsNew)
        {
            command.Parameters.Add(List(command, "@k"));
            command.Parameters.Add(List(command, "@s"));
            command.Parameters.Add(_deviceActive.Parameter(command, "@active", true));
            command.Parameters.Add(_sessionScheduled.Parameter(command, "@since", since));
            await PrepareAsync(command, prepared, ct);
        }

        command.Parameters[0].Value = ListValue(postgres, deviceKeys);
        command.Parameters[1].Value = ListValue(postgres, statuses);
        command.Parameters[3].Value = _sessionScheduled.ProviderValue(since);

        await using var reader = await command.ExecuteReaderAsync(ct);
        var version = await VersionAsync(reader, ct);

        await reader.NextResultAsync(ct);
        var monitors = new List<IntakeMonitor>();
        while (await reader.ReadAsync(ct))
        {
            monitors.Add(new IntakeMonitor(_deviceKey.Read<string>(reader, 0)!, _deviceChair.Read<Guid>(reader, 1), _deviceDescription.Read<string>(reader, 2)));
        }

        await reader.NextResultAsync(ct);
        var sessions = new List<ChairSession>();
        while (await reader.ReadAsync(ct))
        {
            sessions.Add(new ChairSession(
                _sessionId.Read<Guid>(reader, 0),
                _sessionPatient.Read<Guid>(reader, 1),
                _sessionChair.Read<Guid?>(reader, 2),
                _sessionStatus.Read<string>(reader, 3)!,
                _sessionCheckedIn.Read<DateTimeOffset?>(reader, 4),
                _sessionScheduled.Read<DateTimeOffset>(reader, 5),
                _patientMrn.Read<string>(reader, 6)!,
                reader.IsDBNull(7) ? 0 : Convert.ToInt32(reader.GetValue(7), CultureInfo.InvariantCulture)));
        }
        return new IntakeChairs(version, monitors, sessions);
    }

    /// <summary>
    /// A PostgreSQL command kept for the next batches is prepared on the server, each of its statements: left to
    /// Npgsql's automatic preparation, its reads ran unprepared and were parsed and planned again for every batch.
    /// </summary>
    private static async Task PrepareAsync(DbCommand command, PreparedCommands? prepared, CancellationToken ct)
    {
        if (prepared is not null && command is NpgsqlCommand)
        {
            await command.PrepareAsync(ct);
        }
    }

    private static (DbConnection Connection, DbTransaction Transaction, bool Postgres) Open(DbContext db)
    {
        var transaction = db.Database.CurrentTransaction?.GetDbTransaction()
            ?? throw new InvalidOperationException("The intake reads under the audit head lock: begin a transaction first.");
        var connection = db.Database.GetDbConnection();
        return (connection, transaction, connection is NpgsqlConnection);
    }

    /// <summary>Reads the chair state's version, the current result set of <paramref name="reader"/>.</summary>
    private async Task<long> VersionAsync(DbDataReader reader, CancellationToken ct)
    {
        if (!await reader.ReadAsync(ct))
        {
            throw new InvalidOperationException("The chair state has no version row.");
        }
        return _stateVersion.Read<long>(reader, 0);
    }

    private string VersionSql => $"SELECT {_stateVersion.Name} FROM {_states} WHERE {_stateId.Name} = 1";

    /// <summary>
    /// The statements every batch runs. A list of values goes as one parameter, so the text is the same for every
    /// batch: PostgreSQL (whose connections prepare repeated statements, see <see cref="DatabaseSettings"/>) gets an
    /// array, SQLite a JSON array read with json_each (its index on the column is still used).
    /// </summary>
    private string BatchText(bool postgres)
    {
        Plain(_answerControl);
        var text = new StringBuilder(1024);
        if (postgres)
        {
            // These reads go by primary key or through the resend index whatever the values (see below), so their
            // plans are made once per connection rather than for each batch; the connection's default, planning for
            // the values, comes back for the chair reads and for everything after the transaction.
            text.Append("SET LOCAL plan_cache_mode = force_generic_plan;\n");
        }
        text.Append(AuditTrail.HeadLockSql).Append(";\n");
        text.Append(AuditTrail.HeadReadSql).Append(";\n");
        text.Append(VersionSql).Append(";\n");
        var answers = $"SELECT {_answerApp.Name}, {_answerFacility.Name}, {_answerControl.Name}, {_answerAck.Name}, {_answerError.Name} FROM {_messages}";
        text.Append(postgres
            // One index probe per control id, whatever the table's statistics say: with "= ANY" and no statistics yet
            // (a new or fast-growing table, before autovacuum's next analyze) PostgreSQL scans the whole message log.
            ? $"SELECT m.* FROM unnest(@c) AS c(id) CROSS JOIN LATERAL ({answers} WHERE {_answerControl.Name} = c.id OFFSET 0) m"
            : $"{answers} WHERE {In(postgres, _answerControl.Name, "@c")}");
        if (postgres)
        {
            AfterReads(text);
        }
        return text.ToString();
    }

    /// <summary>The chair reads: the version, the registered monitors among the keys, the sessions in progress at their chairs.</summary>
    private string ChairsText(bool postgres)
    {
        Plain(_deviceKey);
        Plain(_sessionStatus);
        var text = new StringBuilder(1024);
        if (postgres)
        {
            // Planned for their values: which statuses and times select few sessions depends on the table's statistics.
            text.Append("SET LOCAL plan_cache_mode = force_custom_plan;\n");
        }
        text.Append(VersionSql).Append(";\n");
        var registered = $"{_deviceActive.Name} = @active AND {In(postgres, _deviceKey.Name, "@k")}";
        text.Append(CultureInfo.InvariantCulture, $"SELECT {_deviceKey.Name}, {_deviceChair.Name}, {_deviceDescription.Name} FROM {_devices} WHERE {registered};\n");

        // The rule of ChairOccupancy.InProgress: a patient at the chair, checked in (or booked) within the visit window.
        text.Append(CultureInfo.InvariantCulture,
            $"SELECT s.{_sessionId.Name}, s.{_sessionPatient.Name}, s.{_sessionChair.Name}, s.{_sessionStatus.Name}, s.{_sessionCheckedIn.Name}, s.{_sessionScheduled.Name}, p.{_patientMrn.Name}, ")
            .Append(CultureInfo.InvariantCulture, $"(SELECT MAX(e.{_eventSequence.Name}) FROM {_events} e WHERE e.{_eventSession.Name} = s.{_sessionId.Name}) ")
            .Append(CultureInfo.InvariantCulture, $"FROM {_sessions} s JOIN {_patients} p ON p.{_patientId.Name} = s.{_sessionPatient.Name} ")
            .Append(CultureInfo.InvariantCulture, $"WHERE {In(postgres, "s." + _sessionStatus.Name, "@s")} AND COALESCE(s.{_sessionCheckedIn.Name}, s.{_sessionScheduled.Name}) >= @since ")
            .Append(CultureInfo.InvariantCulture, $"AND s.{_sessionChair.Name} IN (SELECT {_deviceChair.Name} FROM {_devices} WHERE {registered})");
        if (postgres)
        {
            AfterReads(text);
        }
        return text.ToString();
    }

    private static string In(bool postgres, string columnSql, string parameter) =>
        postgres ? $"{columnSql} = ANY({parameter})" : $"{columnSql} IN (SELECT value FROM json_each({parameter}))";

    private static void Plain(Col column)
    {
        if (column.Mapping.Converter is not null || column.Property.ClrType != typeof(string))
        {
            throw new InvalidOperationException($"{column.Name} is listed as plain text, but the model converts it.");
        }
    }

    /// <summary>PostgreSQL: how the rest of the transaction, the inserts, is planned and committed.</summary>
    private static void AfterReads(StringBuilder text)
    {
        // For the rest of this transaction, the inserts, PostgreSQL's own plan caching applies: each inserted row's
        // foreign-key check is a saved plan that would otherwise be planned again for every row (a third of the
        // server's time per batch in the bench). The setting ends with the transaction.
        text.Append(";\nSET LOCAL plan_cache_mode = auto");
        // The commit does not wait for the log to reach the disk: the intake acknowledges nothing before
        // PostgresWalFlush has flushed the log past it, and meanwhile its writer files the next batch.
        text.Append(";\nSET LOCAL synchronous_commit = off");
    }

    /// <summary>A list of text values as one parameter (its value is set per batch with <see cref="ListValue"/>).</summary>
    private static DbParameter List(DbCommand command, string name)
    {
        if (command is NpgsqlCommand)
        {
            return new NpgsqlParameter<string[]>(name, []);
        }
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        return parameter;
    }

    /// <summary>The list's value: an array for PostgreSQL, a JSON array for SQLite.</summary>
    private static object ListValue(bool postgres, IReadOnlyCollection<string> values) => postgres ? values.ToArray() : JsonSerializer.Serialize(values);

    /// <summary>A mapped column: its delimited name and how its values go to and come from the database.</summary>
    private sealed record Col(string Name, IProperty Property, RelationalTypeMapping Mapping)
    {
        public static string TableOf(DbContext db, ISqlGenerationHelper sql, Type type)
        {
            var entity = db.Model.FindEntityType(type) ?? throw new InvalidOperationException($"{type.Name} is not mapped.");
            return sql.DelimitIdentifier(entity.GetTableName()!, entity.GetSchema());
        }

        public static Col Of(DbContext db, ISqlGenerationHelper sql, Type type, string property)
        {
            var entity = db.Model.FindEntityType(type) ?? throw new InvalidOperationException($"{type.Name} is not mapped.");
            var p = entity.FindProperty(property) ?? throw new InvalidOperationException($"{type.Name}.{property} is not mapped.");
            var store = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
            return new Col(sql.DelimitIdentifier(p.GetColumnName(store)!), p, p.GetRelationalTypeMapping());
        }

        /// <summary>A parameter made as EF makes it for this column (value converter, database type).</summary>
        public DbParameter Parameter(DbCommand command, string name, object? value) => Mapping.CreateParameter(command, name, value, Property.IsNullable);

        /// <summary>A value as the database takes it (through the value converter, if any), for a parameter made before.</summary>
        public object ProviderValue(object? value) =>
            (value is not null && Mapping.Converter is { } converter ? converter.ConvertToProvider(value) : value) ?? DBNull.Value;

        /// <summary>The column's value as the model's type (through the value converter, if any).</summary>
        public T? Read<T>(DbDataReader reader, int ordinal)
        {
            if (reader.IsDBNull(ordinal))
            {
                return default;
            }
            if (Mapping.Converter is not { } converter)
            {
                return (T)Native(reader, ordinal, Nullable.GetUnderlyingType(typeof(T)) ?? typeof(T));
            }
            var raw = reader.GetValue(ordinal);
            var providerType = Nullable.GetUnderlyingType(converter.ProviderClrType) ?? converter.ProviderClrType;
            if (raw.GetType() != providerType)
            {
                raw = Convert.ChangeType(raw, providerType, CultureInfo.InvariantCulture);
            }
            return (T?)converter.ConvertFromProvider(raw);
        }

        /// <summary>A value the provider reads natively (SQLite's text Guids are parsed by GetGuid).</summary>
        private static object Native(DbDataReader reader, int ordinal, Type type) =>
            type == typeof(Guid) ? reader.GetGuid(ordinal)
            : type == typeof(string) ? reader.GetString(ordinal)
            : type == typeof(DateTimeOffset) ? reader.GetFieldValue<DateTimeOffset>(ordinal)
            : type == typeof(bool) ? reader.GetBoolean(ordinal)
            : type == typeof(int) ? reader.GetInt32(ordinal)
            : type == typeof(long) ? reader.GetInt64(ordinal)
            : throw new NotSupportedException($"The intake does not read {type.Name} columns.");
    }
}
