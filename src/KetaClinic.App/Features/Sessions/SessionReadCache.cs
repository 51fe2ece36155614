using System.Collections.Concurrent;
using KetaClinic.App.Data;
using Microsoft.EntityFrameworkCore;
using SessionRow = KetaClinic.App.Data.TreatmentSession;

namespace KetaClinic.App.Features.Sessions;

/// <summary>A session in a chair as stored now: its row and the sequence of its last stored event (0 when none).</summary>
public sealed record StoredSession(SessionRow Row, int LastSequence);

/// <summary>
/// Sessions rebuilt for the live readers (the chair board reloads every few hundred milliseconds while monitors
/// stream), kept between reads and brought up to date by applying only the events stored since, instead of replaying
/// every session's whole history on every reload. Only committed events read from the database are applied, in
/// sequence order, so a kept session is exactly what a full replay would give. Each session is used under its own
/// lock: one reader brings it up to date and projects it while others wait.
/// </summary>
/// <remarks>
/// A reload costs a handful of queries whatever the number of chairs: a session whose last stored event is the one it
/// already holds needs none, and the new events (and their vital signs) of all the others are read together.
/// </remarks>
public sealed class SessionReadCache(SessionLog log)
{
    /// <summary>A kept session is rebuilt from scratch after this long anyway (plan or protocol edits).</summary>
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Sessions behind by different amounts are read in separate queries when their last applied events are further
    /// apart than this, so that one long-kept session does not make the read fetch the others' older events again.
    /// </summary>
    private const int ReadSpan = 256;

    private sealed class Entry
    {
        public SemaphoreSlim Gate { get; } = new(1, 1);
        public LoadedSession? Loaded { get; set; }
        public DateTimeOffset BuiltAt { get; set; }
    }

    private readonly ConcurrentDictionary<Guid, Entry> _entries = new();

    /// <summary>
    /// Brings every given session up to date and runs <paramref name="use"/> on each under its lock, in the given order;
    /// what it returns must not hold on to the session. A session that cannot be rebuilt is passed to
    /// <paramref name="failed"/> and left out.
    /// </summary>
    public async Task<List<T>> UseCurrentAsync<T>(ClinicDbContext db, IReadOnlyList<StoredSession> sessions, DateTimeOffset now,
        Func<LoadedSession, T> use, Action<Guid, SessionSetupException> failed, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(sessions);
        ArgumentNullException.ThrowIfNull(use);
        ArgumentNullException.ThrowIfNull(failed);

        // Which kept sessions are behind what is stored, and from which event on (read without the locks: checked again under them).
        var behind = new Dictionary<Guid, int>();
        foreach (var s in sessions)
        {
            if (_entries.TryGetValue(s.Row.Id, out var entry) && entry.Loaded is { } kept && now - entry.BuiltAt < Lifetime && kept.LastSequence < s.LastSequence)
            {
                behind[s.Row.Id] = kept.LastSequence;
            }
        }
        var (newEvents, vitals) = await NewEventsAsync(db, behind, ct);

        var result = new List<T>(sessions.Count);
        foreach (var s in sessions)
        {
            var entry = _entries.GetOrAdd(s.Row.Id, _ => new Entry());
            await entry.Gate.WaitAsync(ct);
            try
            {
                entry.Loaded = entry.Loaded is { } kept && now - entry.BuiltAt < Lifetime
                    ? await CatchUpAsync(db, kept, s, newEvents.GetValueOrDefault(s.Row.Id), behind.GetValueOrDefault(s.Row.Id, -1), vitals, ct)
                    : await RebuildAsync(db, entry, s.Row.Id, now, ct);
                result.Add(use(entry.Loaded));
            }
            catch (SessionSetupException ex)
            {
                entry.Loaded = null; // half brought up to date: rebuilt from scratch next time
                failed(s.Row.Id, ex);
            }
            catch
            {
                entry.Loaded = null;
                throw;
            }
            finally
            {
                entry.Gate.Release();
            }
        }

        return result;
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

    /// <summary>
    /// The events stored after each session's given sequence, in order, and the vital signs they name; sessions whose
    /// starting points are close are read in one query.
    /// </summary>
    private static async Task<(Dictionary<Guid, List<SessionEventRow>> Events, Dictionary<Guid, VitalSignRecord> Vitals)> NewEventsAsync(
        ClinicDbContext db, Dictionary<Guid, int> after, CancellationToken ct)
    {
        var events = new Dictionary<Guid, List<SessionEventRow>>();
        var ordered = after.OrderBy(a => a.Value).ToList();
        for (var start = 0; start < ordered.Count;)
        {
            var from = ordered[start].Value;
            var end = start;
            while (end < ordered.Count && ordered[end].Value - from <= ReadSpan)
            {
                end++;
            }
            var ids = ordered.Skip(start).Take(end - start).Select(a => a.Key).ToList();
            foreach (var e in await db.SessionEvents.AsNoTracking().Where(e => ids.Contains(e.SessionId) && e.Sequence > from).ToListAsync(ct))
            {
                if (e.Sequence > after[e.SessionId])
                {
                    (events.TryGetValue(e.SessionId, out var list) ? list : events[e.SessionId] = []).Add(e);
                }
            }
            start = end;
        }

        foreach (var list in events.Values)
        {
            list.Sort((a, b) => a.Sequence.CompareTo(b.Sequence));
        }
        var vitalIds = SessionLog.VitalIdsOf(events.Values.SelectMany(l => l));
        var vitals = vitalIds.Count == 0
            ? []
            : await db.VitalSigns.AsNoTracking().Where(v => vitalIds.Contains(v.Id)).ToDictionaryAsync(v => v.Id, ct);
        return (events, vitals);
    }

    private async Task<LoadedSession> RebuildAsync(ClinicDbContext db, Entry entry, Guid sessionId, DateTimeOffset now, CancellationToken ct)
    {
        var loaded = await log.LoadAsync(db, sessionId, ct, now)
            ?? throw new SessionSetupException($"Session {sessionId} is no longer stored.");
        entry.BuiltAt = now;
        loaded.Events.Clear(); // only the last sequence is needed from here on
        return loaded;
    }

    /// <summary>
    /// Applies the events stored since the kept session's last one. <paramref name="read"/> holds every event after
    /// <paramref name="readAfter"/> (-1: none were read) up to at least the stored last one; if another reader moved
    /// the session on in the meantime, only the rest of them are applied, and if it is not covered by them (it was
    /// rebuilt meanwhile) its new events are read here.
    /// </summary>
    private async Task<LoadedSession> CatchUpAsync(ClinicDbContext db, LoadedSession kept, StoredSession stored, List<SessionEventRow>? read, int readAfter,
        Dictionary<Guid, VitalSignRecord> vitals, CancellationToken ct)
    {
        var row = stored.Row;
        var after = kept.LastSequence;
        List<SessionEventRow> events;
        if (after >= stored.LastSequence)
        {
            events = []; // already holds every event stored when the board read its sessions
        }
        else if (readAfter >= 0 && after >= readAfter)
        {
            events = read is null ? [] : [.. read.Where(e => e.Sequence > after)];
        }
        else
        {
            events = await db.SessionEvents.AsNoTracking().Where(e => e.SessionId == row.Id && e.Sequence > after).OrderBy(e => e.Sequence).ToListAsync(ct);
            var missing = SessionLog.VitalIdsOf(events).Where(id => !vitals.ContainsKey(id)).ToList();
            if (missing.Count > 0)
            {
                vitals = new Dictionary<Guid, VitalSignRecord>(vitals);
                foreach (var v in await db.VitalSigns.AsNoTracking().Where(v => missing.Contains(v.Id)).ToListAsync(ct))
                {
                    vitals[v.Id] = v;
                }
            }
        }

        await log.LoadSettingsAsync(db, events, ct);
        var facts = events.Count > 0 ? log.ApplyAll(kept.Session, kept.Plan, events, vitals, kept.Facts) : kept.Facts;
        return new LoadedSession(row, kept.Session, kept.Plan, [], facts) { LastSequence = events.Count > 0 ? events[^1].Sequence : after };
    }
}
