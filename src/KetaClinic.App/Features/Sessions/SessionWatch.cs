using KetaClinic.App.Data;
using KetaClinic.App.Realtime;
using KetaClinic.App.Security;
using KetaClinic.Domain.Evaluation;
using KetaClinic.Domain.Sessions;
using Microsoft.EntityFrameworkCore;

namespace KetaClinic.App.Features.Sessions;

/// <summary>How often the chair is watched for overdue vitals and unacknowledged alerts (Sessions:WatchIntervalSeconds; 0 = off).</summary>
public sealed record SessionWatchSettings(SourcedSetting<int> IntervalSeconds)
{
    public const string Key = "Sessions:WatchIntervalSeconds";

    public static SourcedSetting<int> DefaultInterval { get; } = new(
        30,
        "clinic policy [open]: a pass every 30 s applies an escalation well within its first step (AlertEscalationSettings, 2 min) " +
        "and flags a blood pressure missed during infusion (REFERENCE.md §5, every 10 min) within half a minute");
}

/// <summary>What one pass did: open sessions looked at, overdue-vitals alerts raised, escalation steps applied, sessions that failed.</summary>
public sealed record SessionWatchPass(int Sessions, int AlertsRaised, int Escalations, int Failed);

/// <summary>
/// Watches the sessions at the chair (dosing, monitoring, recovery): raises an alert for each overdue vital-sign check
/// (<see cref="MonitoringSchedule"/>) and escalates unacknowledged alerts when due (<see cref="AlertEscalation"/>). Each change
/// is a session event appended through <see cref="SessionLog"/> with its audit entry in one transaction, by the system;
/// live pages are told. A session that cannot be handled is logged and skipped; the watch never stops the app.
/// </summary>
public sealed partial class SessionWatch(
    IDbContextFactory<ClinicDbContext> dbFactory,
    AuditTrail audit,
    TimeProvider clock,
    SessionLog log,
    ClinicNotifier notifier,
    SessionWatchSettings settings,
    ILogger<SessionWatch> logger) : BackgroundService
{
    private static readonly string[] WatchedStatuses = [SessionState.Dosing.Code(), SessionState.Monitoring.Code(), SessionState.Recovery.Code()];

    /// <summary>The system actor the watch's changes are recorded under.</summary>
    public static readonly SessionActor By = new("system", "Session watch", StaffRole.Other);

    private readonly SemaphoreSlim _one = new(1, 1);

    /// <summary>One pass over every open session at the current time (the timer calls this; tests call it directly).</summary>
    public async Task<SessionWatchPass> RunOnceAsync(CancellationToken ct)
    {
        await _one.WaitAsync(ct);
        try
        {
            List<Guid> ids;
            await using (var db = await dbFactory.CreateDbContextAsync(ct))
            {
                ids = await db.TreatmentSessions.AsNoTracking().Where(s => WatchedStatuses.Contains(s.Status)).Select(s => s.Id).ToListAsync(ct);
            }

            int raised = 0, escalated = 0, failed = 0;
            foreach (var id in ids)
            {
                try
                {
                    var (r, e) = await WatchAsync(id, ct);
                    raised += r;
                    escalated += e;
                }
                catch (OperationCanceledException) when (ct.IsCancellationRequested)
                {
                    throw;
                }
#pragma warning disable CA1031 // One bad session must not stop the watch over the others.
                catch (Exception ex)
#pragma warning restore CA1031
                {
                    failed++;
                    LogSessionFailed(logger, id, ex.Message);
                }
            }

            return new SessionWatchPass(ids.Count, raised, escalated, failed);
        }
        finally
        {
            _one.Release();
        }
    }

    private async Task<(int Raised, int Escalated)> WatchAsync(Guid sessionId, CancellationToken ct)
    {
        var now = AuditTrail.TruncateToMicroseconds(clock.GetUtcNow());
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await AuditTrail.BeginAsync(db, ct);
        var loaded = await log.LoadAsync(db, sessionId, ct, now);
        if (loaded is null || !loaded.Session.State.IsInChair())
        {
            return (0, 0);
        }

        var s = loaded.Session;
        var before = s.Alerts.Count;
        var changes = new List<string>();
        var overdue = s.MonitoringStatus(now, log.Settings).Overdue;
        if (overdue.Any(c => !s.Alerts.Any(a => a.Kind == SessionAlertKind.VitalsOverdue && a.CheckCode == c.Code && a.CheckDueAt == c.DueAt)))
        {
            log.Append(db, loaded, SessionEventKinds.RaiseOverdue, new EmptyPayload(), By, now);
            changes.Add(SessionEventKinds.RaiseOverdue);
        }

        var raised = s.Alerts.Count - before;
        var escalations = AlertEscalation.Due(s.Alerts, now, log.Settings.Escalation).Count;
        if (escalations > 0)
        {
            log.Append(db, loaded, SessionEventKinds.Escalate, new EmptyPayload(), By, now);
            changes.Add(SessionEventKinds.Escalate);
        }

        if (changes.Count == 0)
        {
            return (0, 0);
        }

        await audit.RecordAsync(db, Actor.System("session-watch"), AuditActions.Update, SessionLog.SessionRecord, sessionId.ToString(), loaded.Row.PatientId,
            new { change = string.Join(",", changes), raised, escalations, state = s.State.Code() }, ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        await notifier.PublishAsync(new ClinicChange(ClinicNotifier.SessionsChanged, loaded.Row.PatientId));
        await notifier.PublishAsync(new ClinicChange(ClinicNotifier.AlertsChanged, loaded.Row.PatientId));
        return (raised, escalations);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (settings.IntervalSeconds.Value <= 0)
        {
            return;
        }

        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(settings.IntervalSeconds.Value), clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await RunOnceAsync(stoppingToken);
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    break;
                }
#pragma warning disable CA1031 // The watch logs and tries again on the next tick rather than stopping the app.
                catch (Exception ex)
#pragma warning restore CA1031
                {
                    LogPassFailed(logger, ex.Message);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    public override void Dispose()
    {
        _one.Dispose();
        base.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Session watch skipped session {SessionId}: {Reason}")]
    private static partial void LogSessionFailed(ILogger logger, Guid sessionId, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Session watch pass failed: {Reason}")]
    private static partial void LogPassFailed(ILogger logger, string reason);
}
