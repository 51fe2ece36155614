namespace KetaClinic.Domain.ControlledSubstances;

/// <summary>Business days: Monday to Friday, less the clinic's holidays.</summary>
public static class BusinessCalendar
{
    public static bool IsBusinessDay(DateOnly day, IReadOnlySet<DateOnly> holidays)
    {
        ArgumentNullException.ThrowIfNull(holidays);
        return day.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday) && !holidays.Contains(day);
    }

    /// <summary>The day <paramref name="businessDays"/> business days after <paramref name="start"/> (a Friday plus one is the Monday).</summary>
    public static DateOnly AddBusinessDays(DateOnly start, int businessDays, IReadOnlySet<DateOnly> holidays)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(businessDays);
        var day = start;
        for (var left = businessDays; left > 0;)
        {
            day = day.AddDays(1);
            if (IsBusinessDay(day, holidays))
            {
                left--;
            }
        }
        return day;
    }
}

/// <summary>Where the two reports about a loss or theft stand on a day.</summary>
public sealed record LossReportStatus(
    long LossSequence, LossKind LossKind, DateOnly DiscoveredOn,
    DateOnly WrittenNoticeDue, DateOnly? WrittenNoticeFiledOn, bool WrittenNoticeOverdue, bool WrittenNoticeLate,
    DateOnly Form106Due, DateOnly? Form106FiledOn, bool Form106Overdue, bool Form106Late);

/// <summary>
/// Deadlines after a theft or significant loss (REFERENCE.md §8): written notice to the DEA field office within
/// one business day of discovery, Form 106 within 45 days; both numbers are settings.
/// </summary>
public static class LossDeadlines
{
    public static DateOnly WrittenNoticeDue(DateOnly discoveredOn, IReadOnlySet<DateOnly> holidays, LedgerSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return BusinessCalendar.AddBusinessDays(discoveredOn, settings.LossNoticeBusinessDays.Value, holidays);
    }

    public static DateOnly Form106Due(DateOnly discoveredOn, LedgerSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return discoveredOn.AddDays(settings.Form106Days.Value);
    }

    /// <summary>
    /// Every standing loss with its due dates; overdue = not filed and the due day has passed, late = filed after it.
    /// </summary>
    public static IReadOnlyList<LossReportStatus> Status(LedgerState state, DateOnly today, IReadOnlySet<DateOnly> holidays, LedgerSettings settings)
    {
        ArgumentNullException.ThrowIfNull(state);
        return [.. state.Losses.Where(l => !l.Reversed).Select(l => Status(l, today, holidays, settings))];
    }

    public static LossReportStatus Status(LossView loss, DateOnly today, IReadOnlySet<DateOnly> holidays, LedgerSettings settings)
    {
        ArgumentNullException.ThrowIfNull(loss);
        var discovered = loss.Loss.DiscoveredOn;
        var noticeDue = WrittenNoticeDue(discovered, holidays, settings);
        var formDue = Form106Due(discovered, settings);
        return new LossReportStatus(
            loss.Sequence, loss.Loss.LossKind, discovered,
            noticeDue, loss.WrittenNoticeFiledOn, loss.WrittenNoticeFiledOn is null && today > noticeDue, loss.WrittenNoticeFiledOn > noticeDue,
            formDue, loss.Form106FiledOn, loss.Form106FiledOn is null && today > formDue, loss.Form106FiledOn > formDue);
    }
}

/// <summary>Whether a registered location's inventory is due.</summary>
public sealed record InventoryDue(Guid ClinicLocationId, DateOnly? LastInventoryOn, CountKind? LastInventoryKind, DateOnly? DueOn, bool InitialMissing, bool Overdue);

/// <summary>Initial inventory first, then one at least every 2 years (REFERENCE.md §8; a setting, since some states ask for 1).</summary>
public static class InventorySchedule
{
    /// <summary>The last day by which the next inventory is due after one taken on <paramref name="lastInventoryOn"/>.</summary>
    public static DateOnly NextDue(DateOnly lastInventoryOn, LedgerSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return lastInventoryOn.AddYears(settings.InventoryIntervalYears.Value);
    }

    public static InventoryDue Status(LedgerState state, Guid clinicLocationId, DateOnly today, LedgerSettings settings)
    {
        ArgumentNullException.ThrowIfNull(state);
        var inventories = state.Inventories.Where(i => i.ClinicLocationId == clinicLocationId).ToList();
        var last = inventories.MaxBy(i => (i.CountedOn, i.Sequence));
        if (last is null || !inventories.Any(i => i.CountKind == CountKind.Initial))
        {
            // No initial inventory: it is due before any stock is handled.
            return new InventoryDue(clinicLocationId, last?.CountedOn, last?.CountKind, null, InitialMissing: true, Overdue: true);
        }
        var due = NextDue(last.CountedOn, settings);
        return new InventoryDue(clinicLocationId, last.CountedOn, last.CountKind, due, InitialMissing: false, Overdue: today > due);
    }
}
