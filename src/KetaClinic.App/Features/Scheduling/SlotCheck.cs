using System.Globalization;
using KetaClinic.Domain.Scheduling;

namespace KetaClinic.App.Features.Scheduling;

/// <summary>
/// Checks one slot against the calendar as it is now, at confirmation or a quick reschedule: the same constraints the
/// booker honours (clinic hours and holidays, chair equipment and closures, chair and patient free, nurse ratio).
/// </summary>
public static class SlotCheck
{
    /// <summary>Why the slot cannot be taken, or null when it can. <paramref name="ignoreAppointmentId"/> is the session being moved.</summary>
    public static string? Problem(
        ClinicCalendar calendar, SchedulingSettings settings, string patientId, string chairId, string chairName,
        IReadOnlyCollection<string> requiredEquipment, DateOnly day, TimeOnly start, TimeOnly end, string? ignoreAppointmentId = null)
    {
        ArgumentNullException.ThrowIfNull(calendar);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(requiredEquipment);
        var when = string.Create(CultureInfo.InvariantCulture, $"{day:ddd d MMM yyyy} {start:HH\\:mm}–{end:HH\\:mm}");
        if (end <= start)
        {
            return $"{when}: the end must be after the start.";
        }
        if (calendar.Closures.Contains(day))
        {
            return $"{when}: the clinic is closed that day.";
        }
        if (!calendar.OpeningHours.Any(w => w.Day == day.DayOfWeek && w.From <= start && end <= w.To))
        {
            return $"{when}: outside the clinic's opening hours.";
        }
        var chair = calendar.Chairs.FirstOrDefault(c => c.Id == chairId);
        if (chair is null)
        {
            return $"{when}: {chairName} is not an active chair of this location.";
        }
        var missing = requiredEquipment.Where(e => !chair.Equipment.Contains(e)).ToList();
        if (missing.Count > 0)
        {
            return $"{when}: {chairName} has no {string.Join(", ", missing.Select(m => m.Replace('-', ' ')))}.";
        }
        if (calendar.ChairClosures.Any(c => c.ChairId == chairId && c.Day == day && c.From < end && start < c.To))
        {
            return $"{when}: {chairName} is closed then.";
        }
        var others = calendar.Appointments.Where(a => a.Id != ignoreAppointmentId && a.Day == day && a.Start < end && start < a.End).ToList();
        if (others.Any(a => a.ChairId == chairId))
        {
            return $"{when}: {chairName} was booked meanwhile.";
        }
        if (others.Any(a => a.PatientId == patientId))
        {
            return $"{when}: the patient has another session then.";
        }
        // Nurse ratio: at every minute of the slot, occupied chairs (this one included) ≤ nurses on shift × chairs per nurse.
        var from = ClinicCalendarBuilder.Minute(start);
        var until = ClinicCalendarBuilder.Minute(end);
        for (var m = from; m < until; m++)
        {
            var t = ClinicCalendarBuilder.Time(m);
            var occupied = others.Count(a => a.Start <= t && t < a.End) + 1;
            var nurses = calendar.NurseShifts.Where(s => s.Day == day && s.Start <= t && t < s.End).Select(s => s.NurseId).Distinct(StringComparer.Ordinal).Count();
            if (occupied > nurses * settings.ChairsPerNurse.Value)
            {
                return string.Create(CultureInfo.InvariantCulture,
                    $"{when}: at {t:HH\\:mm} {nurses} nurse(s) on shift cannot cover {occupied} occupied chairs (one nurse per {settings.ChairsPerNurse.Value} chairs, {settings.ChairsPerNurse.Source}).");
            }
        }
        return null;
    }
}
