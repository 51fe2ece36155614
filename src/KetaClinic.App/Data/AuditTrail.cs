using System.Collections.Concurrent;
using System.Text.Json;
using KetaClinic.App.Security;
using KetaClinic.Domain.Audit;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace KetaClinic.App.Data;

public static class AuditActions
{
    public const string Read = "read";
    public const string Search = "search";
    public const string Create = "create";
    public const string Update = "update";
    public const string Login = "login";
    public const string LoginFailed = "login-failed";
}

/// <summary>The audit chain's head: the last entry's sequence number and hash.</summary>
public sealed record AuditHead(long LastSequence, string LastHash);

/// <summary>One audit entry to append with <see cref="AuditTrail.RecordManyAsync"/>.</summary>
public sealed record AuditRecord(Actor Actor, string Action, string RecordType, string? RecordId, Guid? PatientId, object? Details);

/// <summary>
/// Appends hash-chained audit entries inside the caller's transaction, so an entry exists exactly when the
/// change (or read) it records does.
/// </summary>
public sealed class AuditTrail(TimeProvider clock)
{
    private static readonly JsonSerializerOptions DetailsJson = new(JsonSerializerDefaults.Web);

    /// <summary>
    /// SQLite has one writer at a time and makes the others retry with growing sleeps (up to 100 ms each), so under a
    /// monitor stream a nurse's command or a board's audit entry could wait long for its turn. Writers in this process
    /// queue here instead, in order, and reach the file lock only when it is theirs.
    /// </summary>
    private static readonly ConcurrentDictionary<string, SemaphoreSlim> SqliteWriters = new(StringComparer.Ordinal);

    /// <summary>
    /// Takes the row lock (PostgreSQL) / write lock (SQLite) on the chain head: every writer runs it first, so entries
    /// get consecutive sequence numbers and writers never deadlock over what they read.
    /// </summary>
    public const string HeadLockSql = "UPDATE audit_chain_heads SET last_sequence = last_sequence WHERE id = 1";

    /// <summary>Reads the head (its sequence and hash), under the head lock.</summary>
    public const string HeadReadSql = "SELECT last_sequence, last_hash FROM audit_chain_heads WHERE id = 1";

    /// <summary>Starts a transaction that holds the audit chain's head, so entries get consecutive sequence numbers.</summary>
    public static Task<IDbContextTransaction> BeginAsync(ClinicDbContext db, CancellationToken ct) => BeginAsync(db, lockHead: true, ct);

    /// <summary>
    /// Like <see cref="BeginAsync(ClinicDbContext, CancellationToken)"/>, for a writer that sends <see cref="HeadLockSql"/>
    /// itself as the first statement of its first command (so the lock costs no round trip of its own). Nothing else
    /// may run in the transaction before it.
    /// </summary>
    public static Task<IDbContextTransaction> BeginForHeadLockAsync(ClinicDbContext db, CancellationToken ct) => BeginAsync(db, lockHead: false, ct);

    private static async Task<IDbContextTransaction> BeginAsync(ClinicDbContext db, bool lockHead, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        SemaphoreSlim? turn = null;
        if (db.IsSqlite)
        {
            turn = SqliteWriters.GetOrAdd(db.Database.GetConnectionString() ?? "", _ => new SemaphoreSlim(1, 1));
            await turn.WaitAsync(ct);
        }

        try
        {
            var tx = await db.Database.BeginTransactionAsync(ct);
            if (lockHead)
            {
                // Before anything is read.
                await db.Database.ExecuteSqlRawAsync(HeadLockSql, ct);
            }
            return turn is null ? tx : new WriterTurn(tx, turn, SqliteCheckpointer.For(db.Database.GetConnectionString() ?? ""));
        }
        catch
        {
            turn?.Release();
            throw;
        }
    }

    /// <summary>
    /// A SQLite transaction that gives the next writer its turn once it is committed, rolled back or disposed, and
    /// after a commit nudges the file's <see cref="SqliteCheckpointer"/>.
    /// </summary>
    private sealed class WriterTurn(IDbContextTransaction inner, SemaphoreSlim turn, SqliteCheckpointer checkpointer) : IDbContextTransaction
    {
        private int _released;

        public Guid TransactionId => inner.TransactionId;

        public void Commit()
        {
            Then(inner.Commit);
            checkpointer.Nudge();
        }

        public async Task CommitAsync(CancellationToken cancellationToken = default)
        {
            await ThenAsync(() => inner.CommitAsync(cancellationToken));
            checkpointer.Nudge();
        }

        public void Rollback() => Then(inner.Rollback);

        public Task RollbackAsync(CancellationToken cancellationToken = default) => ThenAsync(() => inner.RollbackAsync(cancellationToken));

        public void Dispose() => Then(inner.Dispose);

        public async ValueTask DisposeAsync() => await ThenAsync(() => inner.DisposeAsync().AsTask());

        /// <summary>Ends the transaction one way or another, then gives the next writer its turn whatever happened.</summary>
        private void Then(Action end)
        {
            try
            {
                end();
            }
            finally
            {
                Release();
            }
        }

        private async Task ThenAsync(Func<Task> end)
        {
            try
            {
                await end();
            }
            finally
            {
                Release();
            }
        }

        private void Release()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                turn.Release();
            }
        }
    }

    /// <summary>Moves the head to {0} (sequence) and {1} (hash).</summary>
    private const string HeadMoveSql = "UPDATE audit_chain_heads SET last_sequence = {0}, last_hash = {1} WHERE id = 1";

    public Task RecordAsync(ClinicDbContext db, Actor actor, string action, string recordType, string? recordId, Guid? patientId, object? details, CancellationToken ct) =>
        RecordManyAsync(db, [new AuditRecord(actor, action, recordType, recordId, patientId, details)], ct);

    /// <summary>
    /// Appends entries in the given order with one read and one update of the chain head; they are saved with the
    /// caller's SaveChanges.
    /// </summary>
    public async Task RecordManyAsync(ClinicDbContext db, IReadOnlyList<AuditRecord> records, CancellationToken ct)
    {
        foreach (var entry in await ChainAsync(db, records, null, null, ct))
        {
            db.AuditEntries.Add(entry);
        }
    }

    /// <summary>
    /// Like <see cref="RecordManyAsync"/>, but the entries go with the caller's bulk inserts instead of SaveChanges: for
    /// writers that file many records in one transaction (the HL7 intake's group commit).
    /// </summary>
    public async Task AddManyAsync(ClinicDbContext db, IReadOnlyList<AuditRecord> records, RowInserts inserts, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(inserts);
        inserts.Add(await ChainAsync(db, records, null, null, ct));
    }

    /// <summary>
    /// Like <see cref="AddManyAsync(ClinicDbContext, IReadOnlyList{AuditRecord}, RowInserts, CancellationToken)"/>, after
    /// a head the caller read under the head lock (<see cref="HeadReadSql"/>): the entries and the head's move go with
    /// the inserts, so appending costs no round trip of its own.
    /// </summary>
    public async Task AddManyAsync(ClinicDbContext db, IReadOnlyList<AuditRecord> records, RowInserts inserts, AuditHead head, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(inserts);
        ArgumentNullException.ThrowIfNull(head);
        inserts.Add(await ChainAsync(db, records, head, inserts, ct));
    }

    /// <summary>
    /// Chains the records after the head (read here unless given), moves the head past them (with <paramref name="inserts"/>
    /// when given, at once otherwise), and returns the entries to store.
    /// </summary>
    private async Task<List<AuditEntry>> ChainAsync(ClinicDbContext db, IReadOnlyList<AuditRecord> records, AuditHead? given, RowInserts? inserts, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(records);
        if (db.Database.CurrentTransaction is null)
        {
            throw new InvalidOperationException("An audit entry must be written in the same transaction as what it records: call AuditTrail.BeginAsync first.");
        }
        var entries = new List<AuditEntry>(records.Count);
        if (records.Count == 0)
        {
            return entries;
        }
        var head = given ?? await db.AuditChainHeads.AsNoTracking().Where(h => h.Id == 1).Select(h => new AuditHead(h.LastSequence, h.LastHash)).SingleAsync(ct);
        var sequence = head.LastSequence;
        var previousHash = head.LastHash;
        // Stored at tick precision on SQLite and microseconds on PostgreSQL: round so the hash survives the round trip.
        var occurredAt = TruncateToMicroseconds(clock.GetUtcNow());
        foreach (var record in records)
        {
            ArgumentNullException.ThrowIfNull(record);
            var actor = record.Actor;
            ArgumentNullException.ThrowIfNull(actor);
            sequence++;
            var facts = new AuditFacts(
                sequence,
                occurredAt,
                actor.UserId,
                actor.UserName,
                actor.RolesText,
                record.Action,
                record.RecordType,
                record.RecordId,
                record.PatientId,
                actor.RemoteAddress,
                record.Details switch
                {
                    null => null,
                    string s => s,
                    var d => JsonSerializer.Serialize(d, DetailsJson),
                });
            var hash = AuditChain.ComputeHash(previousHash, facts);
            entries.Add(new AuditEntry
            {
                Sequence = facts.Sequence,
                OccurredAt = facts.OccurredAt,
                UserId = facts.UserId,
                UserName = facts.UserName,
                Roles = facts.Roles,
                Action = facts.Action,
                RecordType = facts.RecordType,
                RecordId = facts.RecordId,
                PatientId = facts.PatientId,
                RemoteAddress = facts.RemoteAddress,
                Details = facts.Details,
                PreviousHash = previousHash,
                Hash = hash,
            });
            previousHash = hash;
        }
        if (inserts is not null)
        {
            inserts.Then(HeadMoveSql, sequence, previousHash);
        }
        else
        {
            await db.Database.ExecuteSqlRawAsync(HeadMoveSql, [sequence, previousHash], ct);
        }
        return entries;
    }

    public static DateTimeOffset TruncateToMicroseconds(DateTimeOffset t) =>
        new(t.UtcTicks - (t.UtcTicks % 10), TimeSpan.Zero);

    public static AuditFacts ToFacts(AuditEntry e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return new AuditFacts(e.Sequence, e.OccurredAt, e.UserId, e.UserName, e.Roles, e.Action, e.RecordType, e.RecordId, e.PatientId, e.RemoteAddress, e.Details);
    }

    /// <summary>Recomputes the whole chain in pages and checks that the head points at its last entry.</summary>
    public static async Task<ChainVerification> VerifyAsync(ClinicDbContext db, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        var head = await db.AuditChainHeads.AsNoTracking().SingleAsync(h => h.Id == 1, ct);
        var verifier = new AuditChainVerifier();
        const int page = 2000;
        long after = 0;
        while (true)
        {
            var batch = await db.AuditEntries.AsNoTracking().Where(e => e.Sequence > after).OrderBy(e => e.Sequence).Take(page).ToListAsync(ct);
            if (!batch.All(e => verifier.Accept(new ChainedAuditEntry(ToFacts(e), e.PreviousHash, e.Hash))) || batch.Count < page)
            {
                break;
            }
            after = batch[^1].Sequence;
        }
        var result = verifier.Result;
        if (!result.Intact)
        {
            return result;
        }
        if (result.EntriesChecked != head.LastSequence)
        {
            return new ChainVerification(false, result.EntriesChecked, result.EntriesChecked + 1,
                $"the chain head says {head.LastSequence} entries but {result.EntriesChecked} are stored (entries removed from the end)");
        }
        var lastHash = head.LastSequence == 0
            ? AuditChain.GenesisHash
            : await db.AuditEntries.AsNoTracking().Where(e => e.Sequence == head.LastSequence).Select(e => e.Hash).SingleAsync(ct);
        return lastHash == head.LastHash
            ? result
            : new ChainVerification(false, result.EntriesChecked, head.LastSequence, "the chain head's hash does not match the last entry");
    }
}
