using System.Collections.Concurrent;
using KetaClinic.App.Data;
using Microsoft.EntityFrameworkCore;
using SessionRow = KetaClinic.App.Data.TreatmentSession;

namespace KetaClinic.App.Features.Sessions;

/// <summary>
/// Sessions rebuilt for the live readers (the chair board reloads every few hundred milliseconds while monitors
/// stream), kept between reads and brought up to date by applying only the events stored since, instead of replaying
/// every session's whole history on every reload. Only committed events read from the database are applied, in
/// sequence order, so a kept session is exactly what a full replay would give. Each session is used under its own
/// lock: one reader brings it up to date and projects it while others wait.
/// </summary>
public sealed class SessionReadCache(SessionLog log)
{
    /// <summary>A kept session is rebuilt from scratch after this long anyway (plan or protocol edits).</summary>
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);

    private sealed class Entry
    {
        public SemaphoreSlim Gate { get; } = new(1, 1);
        public LoadedSession? Loaded { get; set; }
        public DateTimeOffset BuiltAt { get; set; }
    }

    private readonly ConcurrentDictionary<Guid, Entry> _entries = new();

    /// <summary>
    /// Runs <paramref name="use"/> on the session as stored now (its row as given), under the session's lock; what it
    /// returns must not hold on to the session. Throws <see cref="SessionSetupException"/> when it cannot be rebuilt.
    /// </summary>
    public async Task<T> WithCurrentAsync<T>(ClinicDbContext db, SessionRow row, DateTimeOffset now, Func<LoadedSession, T> use, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(row);
        ArgumentNullException.ThrowIfNull(use);
        var entry = _entries.GetOrAdd(row.Id, _ => new Entry());
        await entry.Gate.WaitAsync(ct);
        try
        {
            entry.Loaded = entry.Loaded is { } kept && now - entry.BuiltAt < Lifetime
                ? await CatchUpAsync(db, kept, row, ct)
                : await RebuildAsync(db, entry, row.Id, now, ct);
            return use(entry.Loaded);
        }
        catch
        {
            entry.Loaded = null; // half brought up to date: rebuilt from scratch next time
            throw;
        }
        finally
        {
            entry.Gate.Release();
        }
    }

    /// <summary>Lets go of sessions no longer in <paramref name="current"/> (their patients left the chairs).</summary>
    public void KeepOnly(IReadOnlyCollection<Guid> current)
    {
        ArgumentNullException.ThrowIfNull(current);
        foreach (var id in _entries.Keys.Where(id => !current.Contains(id)).ToList())
        {
            _entries.TryRemove(id, out _);
        }
    }

    private async Task<LoadedSession> RebuildAsync(ClinicDbContext db, Entry entry, Guid sessionId, DateTimeOffset now, CancellationToken ct)
    {
        var loaded = await log.LoadAsync(db, sessionId, ct, now)
            ?? throw new SessionSetupException($"Session {sessionId} is no longer stored.");
        entry.BuiltAt = now;
        loaded.Events.Clear(); // only the last sequence is needed from here on
        return loaded;
    }

    private async Task<LoadedSession> CatchUpAsync(ClinicDbContext db, LoadedSession kept, SessionRow row, CancellationToken ct)
    {
        var after = kept.LastSequence;
        var events = await db.SessionEvents.AsNoTracking().Where(e => e.SessionId == row.Id && e.Sequence > after).OrderBy(e => e.Sequence).ToListAsync(ct);
        var facts = kept.Facts;
        if (events.Count > 0)
        {
            var vitalIds = SessionLog.VitalIdsOf(events);
            var vitals = vitalIds.Count == 0
                ? new Dictionary<Guid, VitalSignRecord>()
                : await db.VitalSigns.AsNoTracking().Where(v => vitalIds.Contains(v.Id)).ToDictionaryAsync(v => v.Id, ct);
            facts = log.ApplyAll(kept.Session, kept.Plan, events, vitals, facts);
        }

        return new LoadedSession(row, kept.Session, kept.Plan, [], facts) { LastSequence = events.Count > 0 ? events[^1].Sequence : after };
    }
}
