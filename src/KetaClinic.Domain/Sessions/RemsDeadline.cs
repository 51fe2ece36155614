namespace KetaClinic.Domain.Sessions;

/// <summary>A REMS form to track: the session, its treatment date and when the form was sent, if it was.</summary>
public sealed record RemsFormTracking(Guid SessionId, DateOnly TreatmentDate, DateOnly? SubmittedOn);

/// <summary>A form not sent by its due day.</summary>
public sealed record OverdueRemsForm(Guid SessionId, DateOnly TreatmentDate, DateOnly DueOn, int DaysOverdue);

/// <summary>The REMS form deadline: due on the treatment date plus the setting's days (7, REFERENCE.md §6), overdue after that day.</summary>
public static class RemsDeadline
{
    public static DateOnly DueOn(DateOnly treatmentDate, RemsFormSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return treatmentDate.AddDays(settings.SubmitWithinDays.Value);
    }

    public static bool IsOverdue(RemsFormTracking form, DateOnly today, RemsFormSettings settings)
    {
        ArgumentNullException.ThrowIfNull(form);
        return form.SubmittedOn is null && today > DueOn(form.TreatmentDate, settings);
    }

    /// <summary>Forms not sent and past their due day, the longest overdue first.</summary>
    public static IReadOnlyList<OverdueRemsForm> Overdue(IEnumerable<RemsFormTracking> forms, DateOnly today, RemsFormSettings settings)
    {
        ArgumentNullException.ThrowIfNull(forms);
        return [.. forms
            .Where(f => IsOverdue(f, today, settings))
            .Select(f =>
            {
                var due = DueOn(f.TreatmentDate, settings);
                return new OverdueRemsForm(f.SessionId, f.TreatmentDate, due, today.DayNumber - due.DayNumber);
            })
            .OrderByDescending(f => f.DaysOverdue)
            .ThenBy(f => f.SessionId)];
    }
}
