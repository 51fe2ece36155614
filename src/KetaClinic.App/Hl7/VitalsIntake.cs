using System.Data.Common;
using System.Text;
using System.Threading.Channels;
using KetaClinic.App.Data;
using KetaClinic.App.Features.Sessions;
using KetaClinic.App.Realtime;
using KetaClinic.App.Security;
using KetaClinic.Domain.Monitoring;
using KetaClinic.Domain.Monitoring.Hl7;
using Microsoft.EntityFrameworkCore;

namespace KetaClinic.App.Hl7;

/// <summary>
/// Turns one MLLP frame from a bedside monitor into stored vital signs and the ACK to send back. AA is returned
/// only after the values and the message log are committed and on disk; AE/AR carry an ERR segment saying why. A message
/// whose sender and control id were seen before is acknowledged again but stored once.
/// </summary>
/// <remarks>
/// Group commit: frames are parsed and mapped on their connections, then one writer files every message waiting
/// at that moment in a single transaction (one read of the audit head and the earlier answers, the monitors and
/// sessions kept from the batch before unless they changed, one audit chain update, one commit) and only then
/// releases their ACKs, once the database's log holding the commit is on disk: the commit
/// itself does not wait for the disk (<see cref="SqliteLogSync"/>, <see cref="PostgresWalFlush"/>), so the writer files
/// the next batch while the log is synced. Each monitor has one message in flight, so a batch holds at most one
/// message per connection, and a lone message is filed at once. If a batch fails, its messages are filed one by
/// one so that one bad message cannot cost the others their ACK.
/// </remarks>
public sealed class VitalsIntake(
    IDbContextFactory<ClinicDbContext> dbFactory,
    AuditTrail audit,
    TimeProvider clock,
    ClinicSettings clinic,
    ClinicNotifier notifier,
    KetaClinic.Domain.Sessions.SessionSettings sessions,
    KetaClinic.App.Features.Sessions.Sessions chair,
    SessionLog sessionLog,
    VitalsMappingSettings mapping,
    ILogger<VitalsIntake> logger) : IAsyncDisposable, IDisposable
{
    public const string VitalsRecord = "vital-signs";

    /// <summary>Most messages filed in one transaction.</summary>
    private const int MaxBatch = 512;

    /// <summary>Session states in which a patient is at the chair and monitored.</summary>
    public static readonly IReadOnlyList<string> SessionsAtChair = ["checked-in", "pre-dose-checks-passed", "dosing", "monitoring", "recovery"];

    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _startLock = new();
    private Task? _writer;
    private int _disposed;

    /// <summary>
    /// Sessions the writer rebuilt, kept between batches so a batch does not replay every session's history again.
    /// Only the writer touches it. An entry is used only while the stored session still ends at the same event and
    /// status (checked under the audit-head lock every writer holds), and is dropped when a batch that touched it fails.
    /// </summary>
    private readonly Dictionary<Guid, RebuiltSession> _rebuilt = [];

    /// <summary>
    /// The monitors and sessions at chairs the writer last read, with the chair state's version they belong to, kept
    /// from batch to batch and read again only when the version has moved (<see cref="ChairStateVersion"/>: the database
    /// counts every change to monitors, sessions, MRNs and session steps other than the intake's own), when a batch
    /// names a monitor not looked up yet, or after a failed batch (null then). Only the writer touches it.
    /// </summary>
    private ChairsKept? _chairs;

    /// <summary>Most device keys kept looked up (registered or not); past it, a read asks for the batch's keys only.</summary>
    private const int MaxKeptKeys = 4096;

    /// <summary>How much earlier than a batch needs the sessions are read, so the next batches can use them too.</summary>
    private static readonly TimeSpan SinceMargin = TimeSpan.FromMinutes(10);

    /// <summary>What <see cref="IntakeReads.ReadChairsAsync"/> returned, for the keys asked (null: not registered).</summary>
    private sealed class ChairsKept(long version, DateTimeOffset since)
    {
        public long Version { get; } = version;

        /// <summary>The sessions are those in progress since this time (a batch that needs earlier ones reads again).</summary>
        public DateTimeOffset Since { get; } = since;

        public Dictionary<string, IntakeMonitor?> Monitors { get; } = new(StringComparer.Ordinal);

        public List<ChairSession> Sessions { get; } = [];

        public bool Covers(long version, IEnumerable<string> keys, DateTimeOffset since) =>
            Version == version && since >= Since && keys.All(Monitors.ContainsKey);

        /// <summary>The intake stored a step of this session itself: what a new read would now say its last step is.</summary>
        public void Stepped(Guid sessionId, int lastSequence)
        {
            var i = Sessions.FindIndex(s => s.Id == sessionId);
            if (i >= 0)
            {
                Sessions[i] = Sessions[i] with { LastSequence = lastSequence };
            }
        }
    }

    /// <summary>The kept monitors and sessions if still current for this batch, else read again (in this transaction).</summary>
    private async Task<ChairsKept> ChairsAsync(ClinicDbContext db, IntakeReads reads, long version, IReadOnlySet<string> keys, DateTimeOffset earliest, CancellationToken ct)
    {
        if (_chairs is { } kept && kept.Covers(version, keys, earliest))
        {
            return kept;
        }
        // Every key looked up before is asked again with the batch's, so that the monitors that take turns in batches
        // are all found in one read.
        var asked = new HashSet<string>(keys, StringComparer.Ordinal);
        if (_chairs is { } before && before.Monitors.Count + asked.Count <= MaxKeptKeys)
        {
            asked.UnionWith(before.Monitors.Keys);
        }
        var since = earliest - SinceMargin;
        var read = await reads.ReadChairsAsync(db, asked, SessionsAtChair, since, ct, _writerCommands);
        var chairs = new ChairsKept(read.Version, since);
        foreach (var key in asked)
        {
            chairs.Monitors[key] = null;
        }
        foreach (var monitor in read.Monitors)
        {
            chairs.Monitors[monitor.DeviceKey] = monitor;
        }
        chairs.Sessions.AddRange(read.Sessions);
        return chairs;
    }

    /// <summary>The writer's context, kept open from batch to batch (<see cref="WriterContextAsync"/>); null after a failed batch.</summary>
    private ClinicDbContext? _writerDb;

    /// <summary>The writer's statements, kept prepared on its connection (they go with it).</summary>
    private readonly PreparedCommands _writerCommands = new();

    /// <summary>
    /// On SQLite, what makes the writer's commits durable before their ACKs go out (<see cref="SqliteLogSync"/>): the
    /// writer commits without waiting for the disk and files its next batch while the log is synced. Null on PostgreSQL.
    /// </summary>
    private SqliteLogSync? _logSync;

    /// <summary>Makes the <see cref="SqliteLogSync"/> for a database (tests put a gate in its flush).</summary>
    internal Func<string, SqliteLogSync> NewLogSync { get; set; } = connectionString => new SqliteLogSync(connectionString);

    /// <summary>
    /// On PostgreSQL, the same for the server's log (<see cref="PostgresWalFlush"/>): the writer's transactions commit
    /// with synchronous_commit=off (set by <see cref="IntakeReads"/>), and no ACK goes out before this has flushed the
    /// log past them. Null on SQLite.
    /// </summary>
    private PostgresWalFlush? _walFlush;

    /// <summary>Makes the <see cref="PostgresWalFlush"/> for a database (tests put a gate in its flush).</summary>
    internal Func<string, PostgresWalFlush> NewWalFlush { get; set; } = connectionString => new PostgresWalFlush(connectionString);

    /// <summary>Why the intake can no longer make its commits durable, if that has happened (see <see cref="SqliteLogSync.Failure"/>).</summary>
    public Exception? DurabilityFailure => _logSync?.Failure;

    /// <summary>How long a rebuilt session is reused before it is rebuilt from storage anyway (plan or protocol edits).</summary>
    private static readonly TimeSpan RebuiltLifetime = TimeSpan.FromMinutes(5);

    private sealed record RebuiltSession(LoadedSession Loaded, DateTimeOffset BuiltAt);

    /// <summary>How ORU^R01 observations are read (section Hl7:Mapping, over the built-in codes and limits).</summary>
    public VitalsMappingSettings Mapping { get; init; } = mapping;

    /// <summary>A mapped message waiting for the writer, and the ACK it gets once its batch is committed.</summary>
    private sealed record Pending(Hl7Message Message, OruVitalsResult Mapped, IReadOnlyList<Hl7Error> Warnings, string? RemoteAddress, DateTimeOffset ReceivedAt, Hl7AckOptions AckOptions)
    {
        public TaskCompletionSource<string> Ack { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>Files one frame and returns the ACK to send back (its MSA says AA, AE or AR).</summary>
    public async Task<string> HandleFrameAsync(ReadOnlyMemory<byte> payload, string? remoteAddress, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var options = new Hl7AckOptions(NewControlId(now), now);
        var parsed = Hl7Parser.Parse(payload.Span);
        if (!parsed.IsSuccess)
        {
            await LogRejectedAsync(parsed.Header, parsed.ControlId, remoteAddress, parsed.Error.ToString(), ct);
            return Hl7Ack.ForParseFailure(parsed, options);
        }
        var message = parsed.Message;
        var header = message.Header;
        var mapped = OruVitalsMapper.Map(message, Mapping, clinic.Zone, now);
        if (mapped.Failure is { } failure)
        {
            await LogRejectedAsync(header, header.ControlId, remoteAddress, failure.ToString(), ct);
            return Hl7Ack.ForError(header, failure, options);
        }

        var warnings = mapped.Rejected.Where(r => r.Reason != ObservationRejectionReason.NotAVitalSign).Select(r => r.ToAckWarning()).ToList();
        var pending = new Pending(message, mapped, warnings, remoteAddress, now, options);
        StartWriter();
        if (!_queue.Writer.TryWrite(pending))
        {
            throw new ObjectDisposedException(nameof(VitalsIntake), "The intake is shutting down.");
        }
        // Cancelled (the app stops): no ACK is sent, so the monitor sends again; the message is stored at most once.
        return await pending.Ack.Task.WaitAsync(ct);
    }

    private void StartWriter()
    {
        if (Volatile.Read(ref _writer) is not null)
        {
            return;
        }
        lock (_startLock)
        {
            _writer ??= Task.Run(WriteLoopAsync);
        }
    }

    private async Task WriteLoopAsync()
    {
        var reader = _queue.Reader;
        var batch = new List<Pending>(MaxBatch);
        try
        {
            while (await reader.WaitToReadAsync(_stopping.Token))
            {
                while (batch.Count < MaxBatch && reader.TryRead(out var next))
                {
                    batch.Add(next);
                }
                await FileBatchAsync(batch, _stopping.Token);
                batch.Clear();
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            // Stopping: whatever was not committed is not acknowledged.
            foreach (var p in batch)
            {
                p.Ack.TrySetCanceled(_stopping.Token);
            }
            while (reader.TryRead(out var left))
            {
                left.Ack.TrySetCanceled(_stopping.Token);
            }
        }
    }

    private async Task FileBatchAsync(List<Pending> batch, CancellationToken ct)
    {
        if (DurabilityFailure is { } failure)
        {
            // Nothing filed now could be reported durable: leave it to the monitors to send again after a restart.
            foreach (var p in batch)
            {
                p.Ack.TrySetException(failure);
            }
            return;
        }
        try
        {
            var outcomes = await FileAsync(batch, ct);
            if ((_logSync?.DurableAsync() ?? _walFlush?.DurableAsync()) is { } durable)
            {
                // Committed but not yet on disk: the ACKs wait for the log to be synced, the writer goes on to the next batch.
                _ = AcknowledgeWhenDurableAsync(durable, outcomes);
            }
            else
            {
                Acknowledge(outcomes);
            }
        }
        catch (Exception ex) when (batch.Count > 1 && ex is DbException or DbUpdateException or InvalidOperationException)
        {
            LogBatchFailed(logger, batch.Count, ex.Message);
            foreach (var p in batch)
            {
                await FileBatchAsync([p], ct);
            }
        }
        catch (Exception ex) when (ex is DbException or DbUpdateException or InvalidOperationException)
        {
            // The connection gets no ACK and drops; the monitor sends again.
            batch[0].Ack.TrySetException(ex);
        }
    }

    private static void Acknowledge(List<(Pending Pending, string Ack)> outcomes)
    {
        foreach (var (pending, ack) in outcomes)
        {
            pending.Ack.TrySetResult(ack);
        }
    }

    /// <summary>Sends a committed batch's ACKs once the commit is on disk; if the log could not be synced, none is sent.</summary>
    private async Task AcknowledgeWhenDurableAsync(Task durable, List<(Pending Pending, string Ack)> outcomes)
    {
        try
        {
            await durable;
        }
        catch (IOException ex)
        {
            LogNotDurable(logger, outcomes.Count, ex.Message);
            foreach (var (pending, _) in outcomes)
            {
                pending.Ack.TrySetException(ex);
            }
            return;
        }
        Acknowledge(outcomes);
    }

    /// <summary>Files a batch in one transaction; the ACKs are released by the caller only after the commit.</summary>
    private async Task<List<(Pending Pending, string Ack)>> FileAsync(List<Pending> batch, CancellationToken ct)
    {
        var db = await WriterContextAsync(ct);
        try
        {
            var filed = await FileWithinAsync(db, batch, ct);
            db.ChangeTracker.Clear();
            return filed;
        }
        catch
        {
            // The connection may be broken and the change tracker may hold the failed batch's rows: the next batch
            // starts on a new context and connection.
            _writerDb = null;
            _chairs = null;
            _writerCommands.Dispose();
            await db.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// The writer's own context, kept with its connection open from batch to batch (opening a context and a connection
    /// for every batch cost about as much as reading the batch's monitors and sessions). Only the writer uses it.
    /// </summary>
    private async Task<ClinicDbContext> WriterContextAsync(CancellationToken ct)
    {
        if (_writerDb is { } kept)
        {
            return kept;
        }
        var db = await dbFactory.CreateDbContextAsync(ct);
        try
        {
            // Nothing read here is changed, and everything added is new: change detection would only cost time.
            db.ChangeTracker.AutoDetectChangesEnabled = false;
            await db.Database.OpenConnectionAsync(ct);
            if (!db.IsSqlite)
            {
                _walFlush ??= NewWalFlush(db.Database.GetConnectionString()!);
            }
            else if (await DurableBesideAsync(db, ct))
            {
                _logSync ??= NewLogSync(db.Database.GetConnectionString()!);
            }
        }
        catch
        {
            await db.DisposeAsync();
            throw;
        }
        return _writerDb = db;
    }

    /// <summary>
    /// Lets the writer's SQLite connection commit without syncing the log (synchronous=NORMAL) when the database is in
    /// WAL mode, where <see cref="SqliteLogSync"/> syncs it before any ACK. Every other connection keeps FULL: the
    /// setting goes with the connection, and <see cref="SqliteConnectionPragmas"/> sets FULL again on each open.
    /// </summary>
    private static async Task<bool> DurableBesideAsync(ClinicDbContext db, CancellationToken ct)
    {
        var connection = db.Database.GetDbConnection();
        await using var mode = connection.CreateCommand();
        mode.CommandText = "PRAGMA journal_mode";
        if (!string.Equals(await mode.ExecuteScalarAsync(ct) as string, "wal", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }
        await using var normal = connection.CreateCommand();
        normal.CommandText = "PRAGMA synchronous=NORMAL";
        await normal.ExecuteNonQueryAsync(ct);
        return true;
    }

    private async Task<List<(Pending Pending, string Ack)>> FileWithinAsync(ClinicDbContext db, List<Pending> batch, CancellationToken ct)
    {
        // The reads below take the head lock as their first statement: one round trip for the lock and every read.
        await using var tx = await AuditTrail.BeginForHeadLockAsync(db, ct);

        // The resend lookup goes by control id (the resend index's leading column); sender and facility are compared
        // here: asking for all three columns at once makes PostgreSQL probe every combination of the batch's values.
        var controlIds = batch.Select(p => Truncate(p.Message.Header.ControlId, 199)).ToHashSet();
        var keysOf = batch.Select(p => DeviceKeys(p.Mapped.Accepted.Select(o => o.Device).FirstOrDefault() ?? DeviceFrom(p.Message))).ToList();
        var allKeys = keysOf.SelectMany(k => k).ToHashSet();
        var earliest = ChairOccupancy.InProgressSince(batch.Min(p => p.ReceivedAt), sessions);
        var reads = IntakeReads.For(db);
        var read = await reads.ReadBatchAsync(db, controlIds, ct, _writerCommands);
        var chairs = await ChairsAsync(db, reads, read.ChairStateVersion, allKeys, earliest, ct);
        var senders = batch.Select(p => Truncate(Designator(p.Message.Header.SendingApplication), 227)).ToHashSet();
        var facilities = batch.Select(p => Truncate(Designator(p.Message.Header.SendingFacility), 227)).ToHashSet();
        var answered = read.Answered
            .Where(m => senders.Contains(m.SendingApplication) && facilities.Contains(m.SendingFacility))
            .ToDictionary(m => (m.SendingApplication, m.SendingFacility, m.ControlId), m => (m.AckCode, m.Error));
        // Each session comes with the sequence of its last stored event, to tell whether a kept rebuilt session is current.
        var atChairs = chairs.Sessions;

        var outcomes = new List<(Pending, string)>(batch.Count);
        var logs = new List<Hl7InboundMessage>(batch.Count);
        var vitalRows = new List<VitalSignRecord>(batch.Count * 6);
        var events = new List<SessionEventRow>();
        var records = new List<AuditRecord>();
        var refused = new List<(string ControlId, string Reason)>();
        var changed = new HashSet<Guid>();
        var toSessions = new Dictionary<Guid, (List<VitalSignRecord> Records, Actor Actor, Guid PatientId)>();
        for (var i = 0; i < batch.Count; i++)
        {
            var p = batch[i];
            var header = p.Message.Header;
            var sender = Designator(header.SendingApplication);
            var facility = Designator(header.SendingFacility);
            if (answered.TryGetValue((Truncate(sender, 227), Truncate(facility, 227), Truncate(header.ControlId, 199)), out var previous))
            {
                // The monitor did not get our ACK and sent again: the first answer stands, nothing is stored twice.
                outcomes.Add((p, previous.AckCode == "AA"
                    ? Hl7Ack.Accept(header, p.AckOptions, p.Warnings)
                    : Hl7Ack.ForError(header, new Hl7Error(Hl7ErrorCode.DuplicateKeyIdentifier, $"Message {header.ControlId} was received before and answered {previous.AckCode}: {previous.Error}"), p.AckOptions)));
                continue;
            }

            var keys = keysOf[i];
            var chosen = keys.Select(k => chairs.Monitors.GetValueOrDefault(k)).FirstOrDefault(m => m is not null);
            Hl7Error? refusal = null;
            ChairSession? session = null;
            if (chosen is null)
            {
                refusal = new Hl7Error(Hl7ErrorCode.UnknownKeyIdentifier,
                    $"Monitor not registered: none of {string.Join(", ", keys.DefaultIfEmpty("(no device identity in MSH-3/4, OBX-18 or PV1-3)"))} is mapped to a chair.");
            }
            else
            {
                // A session left open from an earlier visit is not current; one checked in late (after its booked time) is.
                session = ChairOccupancy.AtChair(atChairs, chosen.ChairId, ChairOccupancy.InProgressSince(p.ReceivedAt, sessions));
                if (session is null)
                {
                    refusal = new Hl7Error(Hl7ErrorCode.UnknownKeyIdentifier, "No treatment session is in progress at this monitor's chair; values not stored.");
                }
                else if (ReportedPatient(p) is { } reported
                    && !string.Equals(reported.Split('^')[0], session.Mrn, StringComparison.OrdinalIgnoreCase))
                {
                    refusal = new Hl7Error(Hl7ErrorCode.UnknownKeyIdentifier, "PID-3 names a different patient than the one in session at this chair; values not stored.", new Hl7Location("PID", 2, 3));
                }
            }

            var log = NewLog(header, header.ControlId, chosen?.DeviceKey ?? (keys.Count > 0 ? keys[0] : null), p.RemoteAddress, p.ReceivedAt);
            answered[(log.SendingApplication, log.SendingFacility, log.ControlId)] = (refusal is null ? "AA" : "AE", refusal is null ? null : Truncate(refusal.ToString(), 500));
            if (refusal is not null)
            {
                log.AckCode = "AE";
                log.Error = Truncate(refusal.ToString(), 500);
                log.ObservationsRejected = p.Mapped.Accepted.Count + p.Mapped.Rejected.Count;
                logs.Add(log);
                refused.Add((header.ControlId, refusal.Message));
                // AE, not AR: the message was fine; this clinic cannot file it (unknown monitor, no session, other patient).
                outcomes.Add((p, Hl7Ack.Build(Hl7AckCode.ApplicationError, header, [refusal], p.AckOptions)));
                continue;
            }

            log.AckCode = "AA";
            log.ObservationsStored = p.Mapped.Accepted.Count;
            log.ObservationsRejected = p.Warnings.Count;
            logs.Add(log);
            var actor = new Actor($"hl7:{chosen!.DeviceKey}", chosen.Description ?? chosen.DeviceKey, ["Device"], p.RemoteAddress);
            if (!toSessions.TryGetValue(session!.Id, out var forSession))
            {
                forSession = ([], actor, session.PatientId);
                toSessions[session.Id] = forSession;
            }
            foreach (var o in p.Mapped.Accepted)
            {
                var vital = new VitalSignRecord
                {
                    Id = Guid.CreateVersion7(p.ReceivedAt),
                    PatientId = session!.PatientId,
                    SessionId = session.Id,
                    ChairId = chosen!.ChairId,
                    Kind = VitalCodes.Code(o.Kind),
                    Value = o.Value.Amount,
                    Unit = VitalCodes.Ucum(o.Value.Unit),
                    ObservedAt = AuditTrail.TruncateToMicroseconds(o.ObservedAt.ToUniversalTime()),
                    Source = "monitor",
                    DeviceKey = chosen.DeviceKey,
                    InboundMessageId = log.Id,
                    ResultStatus = o.ResultStatus,
                    RecordedAt = AuditTrail.TruncateToMicroseconds(p.ReceivedAt),
                    RecordedBy = $"hl7:{chosen.DeviceKey}",
                };
                vitalRows.Add(vital);
                forSession.Records.Add(vital);
            }
            records.Add(new AuditRecord(actor, AuditActions.Create, VitalsRecord, log.Id.ToString(), session!.PatientId,
                new { session = session.Id, controlId = header.ControlId, stored = p.Mapped.Accepted.Count, rejected = p.Warnings.Count }));
            changed.Add(session.PatientId);
            outcomes.Add((p, Hl7Ack.Accept(header, p.AckOptions, p.Warnings)));
        }

        // Each session takes its new values once per batch and evaluates them for alerts (VitalAlerts thresholds) in
        // this transaction, so an alert is stored with the values that raised it.
        var alerted = new HashSet<Guid>();
        var touched = new List<Guid>(toSessions.Count);
        try
        {
            if (toSessions.Count > 0)
            {
                var now = AuditTrail.TruncateToMicroseconds(clock.GetUtcNow());
                var rebuilt = await RebuiltSessionsAsync(db, [.. toSessions.Keys], atChairs, now, ct);
                foreach (var (sessionId, (vitals, actor, patientId)) in toSessions)
                {
                    if (!rebuilt.TryGetValue(sessionId, out var loaded))
                    {
                        continue;
                    }
                    touched.Add(sessionId);
                    switch (chair.AddVitalsWithin(db, loaded, vitals, actor, now, events))
                    {
                        case null:
                            _rebuilt.Remove(sessionId);
                            break;
                        case > 0:
                            alerted.Add(patientId);
                            break;
                    }
                }
            }
            // Bulk inserts in one go: change tracking would cost more than the database does on this path.
            var inserts = new RowInserts(_writerCommands).Add(logs).Add(vitalRows).Add(events);
            await audit.AddManyAsync(db, records, inserts, read.Head, ct);
            await inserts.ExecuteAsync(db, ct);
            if (db.ChangeTracker.HasChanges())
            {
                await db.SaveChangesAsync(ct); // a session row whose status the workflow moved
            }
            await tx.CommitAsync(ct);
        }
        catch
        {
            // The rebuilt sessions took values that were not stored: rebuild them from storage next time.
            foreach (var id in touched)
            {
                _rebuilt.Remove(id);
            }
            throw;
        }

        foreach (var id in touched)
        {
            if (_rebuilt.TryGetValue(id, out var kept))
            {
                kept.Loaded.Events.Clear(); // the rebuilt session is kept; the event rows are not needed again
                chairs.Stepped(id, kept.Loaded.LastSequence);
            }
        }
        // What was read (or kept) stays for the next batch; if this batch changed a session itself (its status), the
        // version has moved and the next batch reads again.
        _chairs = chairs;
        foreach (var (controlId, reason) in refused)
        {
            LogRefused(logger, controlId, reason);
        }
        // Alerts first: the pages reload at once for them, and the routine vitals reload then finds nothing new.
        foreach (var patientId in alerted)
        {
            await notifier.PublishAsync(new ClinicChange(ClinicNotifier.AlertsChanged, patientId));
        }
        foreach (var patientId in changed)
        {
            await notifier.PublishAsync(new ClinicChange(ClinicNotifier.VitalsChanged, patientId));
        }
        return outcomes;
    }

    /// <summary>
    /// The sessions to add values to, rebuilt: kept ones whose stored history has not moved on since (same last event,
    /// same status, not older than <see cref="RebuiltLifetime"/>), the others replayed from storage and kept.
    /// </summary>
    private async Task<Dictionary<Guid, LoadedSession>> RebuiltSessionsAsync(
        ClinicDbContext db, List<Guid> sessionIds, IReadOnlyList<ChairSession> rows, DateTimeOffset now, CancellationToken ct)
    {
        var result = new Dictionary<Guid, LoadedSession>(sessionIds.Count);
        foreach (var id in sessionIds)
        {
            var row = rows.First(r => r.Id == id);
            if (_rebuilt.TryGetValue(id, out var kept)
                && kept.Loaded.LastSequence == row.LastSequence
                && kept.Loaded.Row.Status == row.Status
                && kept.Loaded.Row.ChairId == row.ChairId
                && now - kept.BuiltAt < RebuiltLifetime)
            {
                result[id] = kept.Loaded;
                continue;
            }

            _rebuilt.Remove(id);
            try
            {
                if (await sessionLog.LoadAsync(db, id, ct, now) is { } loaded)
                {
                    _rebuilt[id] = new RebuiltSession(loaded, now);
                    result[id] = loaded;
                }
            }
            catch (SessionSetupException ex)
            {
                LogNotRebuilt(logger, id, ex.Message);
            }
        }

        // Sessions no longer reported on (the patient left) are let go.
        if (_rebuilt.Count > 64)
        {
            foreach (var stale in _rebuilt.Where(e => now - e.Value.BuiltAt >= RebuiltLifetime).Select(e => e.Key).ToList())
            {
                _rebuilt.Remove(stale);
            }
        }
        return result;
    }

    private static string? ReportedPatient(Pending p) => p.Mapped.Accepted.Select(o => o.ReportedPatientId).FirstOrDefault(id => id is not null);

    /// <summary>Stops the writer: a batch not yet committed is rolled back and its messages get no ACK.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }
        _queue.Writer.TryComplete();
        await _stopping.CancelAsync();
        if (_writer is { } writer)
        {
            await writer;
        }
        _logSync?.Dispose();
        if (_walFlush is { } flush)
        {
            await flush.DisposeAsync();
        }
        _writerCommands.Dispose();
        if (_writerDb is { } db)
        {
            await db.DisposeAsync();
        }
        _stopping.Dispose();
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }
        _queue.Writer.TryComplete();
        _stopping.Cancel();
        if (_writer is null || _writer.Wait(TimeSpan.FromSeconds(30)))
        {
            _logSync?.Dispose();
            _walFlush?.DisposeAsync().AsTask().Wait(TimeSpan.FromSeconds(30));
            _writerCommands.Dispose();
            _writerDb?.Dispose();
        }
        _stopping.Dispose();
    }

    /// <summary>The ACK for a frame the decoder could not deliver (too large, broken end block).</summary>
    public string RejectFrame(MllpFrameError error, int maxFrameBytes)
    {
        ArgumentNullException.ThrowIfNull(error);
        var now = clock.GetUtcNow();
        var problem = error.Kind switch
        {
            MllpFrameErrorKind.TooLarge => new Hl7Error(Hl7ErrorCode.ApplicationInternalError, $"Frame of {error.PayloadBytes} bytes is larger than the {maxFrameBytes}-byte limit."),
            _ => new Hl7Error(Hl7ErrorCode.SegmentSequenceError, $"Frame not properly ended ({error.Kind})."),
        };
        return Hl7Ack.RejectFrame(error.Head.Span, problem, new Hl7AckOptions(NewControlId(now), now));
    }

    /// <summary>The keys a monitor may be registered under, most specific first.</summary>
    public static IReadOnlyList<string> DeviceKeys(DeviceIdentity device)
    {
        ArgumentNullException.ThrowIfNull(device);
        var keys = new List<string>();
        if (!string.IsNullOrWhiteSpace(device.EquipmentInstance))
        {
            keys.Add("equipment:" + device.EquipmentInstance);
        }
        if (!string.IsNullOrWhiteSpace(device.BedLocation))
        {
            keys.Add("bed:" + device.BedLocation);
        }
        if (device.SendingApplication is not null || device.SendingFacility is not null)
        {
            keys.Add($"sender:{device.SendingApplication}|{device.SendingFacility}");
        }
        return keys;
    }

    private static DeviceIdentity DeviceFrom(Hl7Message message)
    {
        static string? Text(Hl7HierarchicDesignator d) => d.IsEmpty ? null : d.ToString();
        return new DeviceIdentity(Text(message.Header.SendingApplication), Text(message.Header.SendingFacility), null, null);
    }

    /// <summary>Logs a message answered AR before anything was read from it.</summary>
    private async Task LogRejectedAsync(Hl7Header? header, string? controlId, string? remoteAddress, string error, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var log = NewLog(header, controlId ?? "", null, remoteAddress, clock.GetUtcNow());
        log.AckCode = "AR";
        log.Error = Truncate(error, 500);
        // A rejected message is logged under a fresh id: a resend of an unreadable message must be refused again.
        log.ControlId = Truncate($"{log.ControlId}#rejected-{log.Id:N}", 199);
        db.Hl7InboundMessages.Add(log);
        await db.SaveChangesAsync(ct);
        LogRefused(logger, controlId ?? "(none)", error);
    }

    private static Hl7InboundMessage NewLog(Hl7Header? header, string controlId, string? deviceKey, string? remoteAddress, DateTimeOffset now) => new()
    {
        Id = Guid.CreateVersion7(now),
        SendingApplication = header is null ? "" : Truncate(Designator(header.SendingApplication), 227),
        SendingFacility = header is null ? "" : Truncate(Designator(header.SendingFacility), 227),
        ControlId = Truncate(controlId, 199),
        MessageType = header is null ? "" : Truncate(header.MessageType.ToString(), 20),
        ReceivedAt = AuditTrail.TruncateToMicroseconds(now),
        RemoteAddress = remoteAddress is null ? null : Truncate(remoteAddress, 64),
        DeviceKey = deviceKey is null ? null : Truncate(deviceKey, 300),
    };

    private static string Designator(Hl7HierarchicDesignator d) => d.IsEmpty ? "" : d.ToString();

    private static string Truncate(string text, int max) => text.Length <= max ? text : text[..max];

    private static string NewControlId(DateTimeOffset now) => "KC" + now.ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture) + Random.Shared.Next(1000, 9999).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static void LogRefused(ILogger logger, string controlId, string reason) =>
        logger.LogWarning("HL7 message {ControlId} not stored: {Reason}", controlId, reason);

    private static void LogNotRebuilt(ILogger logger, Guid sessionId, string reason) =>
        logger.LogWarning("Vitals not added to session {SessionId}: {Reason}", sessionId, reason);

    private static void LogNotDurable(ILogger logger, int count, string reason) =>
        logger.LogCritical("{Count} HL7 messages committed but not acknowledged: {Reason}. No message is acknowledged until the app is restarted.", count, reason);

    private static void LogBatchFailed(ILogger logger, int count, string reason) =>
        logger.LogWarning("HL7 batch of {Count} messages failed ({Reason}); filing them one by one", count, reason);
}

/// <summary>How vital kinds and units are written in storage and the API.</summary>
public static class VitalCodes
{
    public static string Code(VitalKind kind) => kind switch
    {
        VitalKind.HeartRate => "heart-rate",
        VitalKind.SystolicBloodPressure => "systolic-blood-pressure",
        VitalKind.DiastolicBloodPressure => "diastolic-blood-pressure",
        VitalKind.RespiratoryRate => "respiratory-rate",
        VitalKind.OxygenSaturation => "oxygen-saturation",
        VitalKind.BodyTemperature => "body-temperature",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown vital kind."),
    };

    public static string Ucum(VitalUnit unit) => unit switch
    {
        VitalUnit.MillimetresOfMercury => "mm[Hg]",
        VitalUnit.BeatsPerMinute or VitalUnit.BreathsPerMinute => "/min",
        VitalUnit.Percent => "%",
        VitalUnit.DegreesCelsius => "Cel",
        _ => throw new ArgumentOutOfRangeException(nameof(unit), unit, "Unknown unit."),
    };
}
