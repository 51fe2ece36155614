namespace KetaClinic.Domain.Sessions;

/// <summary>An escalation that is due: alert <see cref="AlertNumber"/> should now be with <see cref="To"/>.</summary>
public sealed record EscalationDue(int AlertNumber, AlertLevel To, DateTimeOffset DueAt);

/// <summary>
/// Which open alerts must climb, given the time. An alert not acknowledged goes to the second level
/// <see cref="AlertEscalationSettings.SecondLevelAfterMinutes"/> after it was raised and to the physician
/// <see cref="AlertEscalationSettings.PhysicianAfterFurtherMinutes"/> later. A late evaluation yields every step
/// missed, in order, each with the time it was due. Acknowledged alerts never escalate.
/// </summary>
public static class AlertEscalation
{
    public static IReadOnlyList<EscalationDue> Due(IEnumerable<SessionAlert> alerts, DateTimeOffset now, AlertEscalationSettings settings)
    {
        ArgumentNullException.ThrowIfNull(alerts);
        ArgumentNullException.ThrowIfNull(settings);
        var due = new List<EscalationDue>();
        foreach (var alert in alerts.Where(a => a.IsOpen).OrderBy(a => a.Number))
        {
            foreach (var (level, at) in Steps(alert, settings))
            {
                if (level > alert.Level && now >= at)
                {
                    due.Add(new EscalationDue(alert.Number, level, at));
                }
            }
        }

        return due;
    }

    /// <summary>When the alert reaches each level above the chair nurse if nobody acknowledges it.</summary>
    public static IReadOnlyList<(AlertLevel Level, DateTimeOffset At)> Steps(SessionAlert alert, AlertEscalationSettings settings)
    {
        ArgumentNullException.ThrowIfNull(alert);
        ArgumentNullException.ThrowIfNull(settings);
        var second = alert.RaisedAt.AddMinutes(settings.SecondLevelAfterMinutes.Value);
        var physician = second.AddMinutes(settings.PhysicianAfterFurtherMinutes.Value);
        return [(AlertLevel.SecondLevel, second), (AlertLevel.Physician, physician)];
    }
}
