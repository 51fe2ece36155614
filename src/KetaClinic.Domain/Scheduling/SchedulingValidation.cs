using System.Globalization;
using KetaClinic.Domain.Common;

namespace KetaClinic.Domain.Scheduling;

/// <summary>Checks scheduling input before any search, naming each field at fault.</summary>
internal static class SchedulingValidation
{
    private const int MaxSearchDays = 366;

    public static void ThrowIfInvalid(List<FieldError> errors)
    {
        if (errors.Count > 0)
        {
            throw new DomainValidationException(errors);
        }
    }

    public static void Calendar(ClinicCalendar calendar, SchedulingSettings settings, List<FieldError> errors)
    {
        ArgumentNullException.ThrowIfNull(calendar);
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.SlotMinutes.Value is < 1 or > 240)
        {
            errors.Add(new("settings.slotMinutes", "must be between 1 and 240 minutes."));
        }

        if (settings.ChairsPerNurse.Value is < 1 or > 50)
        {
            errors.Add(new("settings.chairsPerNurse", "must be between 1 and 50."));
        }

        Windows(calendar.OpeningHours ?? [], "calendar.openingHours", errors);
        var chairIds = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < (calendar.Chairs ?? []).Count; i++)
        {
            var chair = calendar.Chairs![i];
            var field = At("calendar.chairs", i);
            if (string.IsNullOrWhiteSpace(chair.Id))
            {
                errors.Add(new(field + ".id", "is required."));
            }
            else if (!chairIds.Add(chair.Id))
            {
                errors.Add(new(field + ".id", $"chair '{chair.Id}' is listed twice."));
            }

            if (chair.Equipment is null)
            {
                errors.Add(new(field + ".equipment", "is required (an empty list when the chair has none)."));
            }
        }

        for (var i = 0; i < (calendar.ChairClosures ?? []).Count; i++)
        {
            var closure = calendar.ChairClosures![i];
            var field = At("calendar.chairClosures", i);
            if (!chairIds.Contains(closure.ChairId ?? string.Empty))
            {
                errors.Add(new(field + ".chairId", $"'{closure.ChairId}' is not a chair of the clinic."));
            }

            Period(closure.From, closure.To, field, "from", "to", errors);
        }

        for (var i = 0; i < (calendar.NurseShifts ?? []).Count; i++)
        {
            var shift = calendar.NurseShifts![i];
            var field = At("calendar.nurseShifts", i);
            if (string.IsNullOrWhiteSpace(shift.NurseId))
            {
                errors.Add(new(field + ".nurseId", "is required."));
            }

            Period(shift.Start, shift.End, field, "start", "end", errors);
        }

        var appointmentIds = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < (calendar.Appointments ?? []).Count; i++)
        {
            var appointment = calendar.Appointments![i];
            var field = At("calendar.appointments", i);
            if (string.IsNullOrWhiteSpace(appointment.Id))
            {
                errors.Add(new(field + ".id", "is required."));
            }
            else if (!appointmentIds.Add(appointment.Id))
            {
                errors.Add(new(field + ".id", $"appointment '{appointment.Id}' is listed twice."));
            }

            if (string.IsNullOrWhiteSpace(appointment.PatientId))
            {
                errors.Add(new(field + ".patientId", "is required."));
            }

            if (!chairIds.Contains(appointment.ChairId ?? string.Empty))
            {
                errors.Add(new(field + ".chairId", $"'{appointment.ChairId}' is not a chair of the clinic."));
            }

            Period(appointment.Start, appointment.End, field, "start", "end", errors);
        }

        if (calendar.OpeningHours is null || calendar.Closures is null || calendar.Chairs is null || calendar.ChairClosures is null
            || calendar.NurseShifts is null || calendar.Appointments is null)
        {
            errors.Add(new("calendar", "every list (openingHours, closures, chairs, chairClosures, nurseShifts, appointments) is required; use an empty list for none."));
        }
    }

    public static void Plan(SeriesPlan plan, string prefix, List<FieldError> errors)
    {
        ArgumentNullException.ThrowIfNull(plan);
        if (string.IsNullOrWhiteSpace(plan.SeriesId))
        {
            errors.Add(new(prefix + ".seriesId", "is required."));
        }

        if (string.IsNullOrWhiteSpace(plan.PatientId))
        {
            errors.Add(new(prefix + ".patientId", "is required."));
        }

        if (plan.Rules is null)
        {
            errors.Add(new(prefix + ".rules", "is required."));
        }
        else
        {
            errors.AddRange(plan.Rules.Problems().Select(p => new FieldError(prefix + ".rules", p)));
        }

        if (plan.AppointmentMinutes is < 1 or > 720)
        {
            errors.Add(new(prefix + ".appointmentMinutes", string.Create(CultureInfo.InvariantCulture,
                $"must be between 1 and 720 minutes (was {plan.AppointmentMinutes}).")));
        }

        if (plan.RequiredEquipment is null)
        {
            errors.Add(new(prefix + ".requiredEquipment", "is required (an empty list when none is needed)."));
        }

        if (plan.Availability?.Windows is null || plan.Availability.UnavailableDates is null)
        {
            errors.Add(new(prefix + ".availability", "needs its windows and unavailable dates (empty lists for none)."));
        }
        else
        {
            Windows(plan.Availability.Windows, prefix + ".availability.windows", errors);
        }
    }

    public static void Days(DateOnly from, DateOnly until, string fromField, string untilField, List<FieldError> errors)
    {
        if (until < from)
        {
            errors.Add(new(untilField, $"must not be before {fromField} ({from:yyyy-MM-dd})."));
        }
        else if (until.DayNumber - from.DayNumber + 1 > MaxSearchDays)
        {
            errors.Add(new(untilField, string.Create(CultureInfo.InvariantCulture, $"the search period may span at most {MaxSearchDays} days.")));
        }
    }

    private static void Windows(IReadOnlyList<WeeklyWindow> windows, string prefix, List<FieldError> errors)
    {
        for (var i = 0; i < windows.Count; i++)
        {
            Period(windows[i].From, windows[i].To, At(prefix, i), "from", "to", errors);
        }
    }

    private static void Period(TimeOnly from, TimeOnly to, string field, string fromName, string toName, List<FieldError> errors)
    {
        if (to <= from)
        {
            errors.Add(new($"{field}.{toName}", $"must be after {fromName} ({from:HH\\:mm}); periods end on the day they start."));
        }
    }

    private static string At(string list, int index) => string.Create(CultureInfo.InvariantCulture, $"{list}[{index}]");
}
