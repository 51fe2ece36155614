using System.Globalization;
using System.Text.Json;
using KetaClinic.Domain.Common;
using KetaClinic.Domain.Protocols;
using KetaClinic.Domain.Scheduling;

namespace KetaClinic.Cli.Clinical;

/// <summary>
/// <c>ketaclinic schedule propose</c> and <c>ketaclinic schedule replan</c>: series booking and re-planning on a clinic
/// calendar given as JSON (standard input or <c>--file</c>). Pure domain functions, no database. Exit 0 when the
/// series fits (propose) or every displaced appointment was re-fitted (replan), 1 when not, 2 for bad input.
/// </summary>
internal static class ScheduleCommand
{
    public const int NotFitted = 1;

    private static readonly string[] ProposeFields = ["calendar", "plan", "settings"];
    private static readonly string[] ReplanFields = ["calendar", "disruption", "series", "refitFrom", "refitUntil", "settings"];
    private static readonly string[] CalendarFields = ["openingHours", "closures", "chairs", "chairClosures", "nurseShifts", "appointments"];
    private static readonly string[] WindowFields = ["day", "from", "to"];
    private static readonly string[] ChairFields = ["id", "equipment"];
    private static readonly string[] ClosureFields = ["chairId", "day", "from", "to"];
    private static readonly string[] ShiftFields = ["nurseId", "day", "weekday", "start", "end"];
    private static readonly string[] AppointmentFields = ["id", "patientId", "chairId", "day", "start", "end", "seriesId", "sessionNumber"];
    private static readonly string[] PlanFields = ["seriesId", "patientId", "protocol", "phase", "availability", "earliestDay", "latestDay"];
    private static readonly string[] SeriesFields = ["seriesId", "patientId", "protocol", "phase", "availability"];
    private static readonly string[] AvailabilityFields = ["windows", "unavailableDates"];
    private static readonly string[] DisruptionFields = ["kind", "resourceId", "from", "to"];
    private static readonly string[] SettingFields = ["slotMinutes", "chairsPerNurse"];
    private const string SettingSource = "Given in the ketaclinic schedule input";

    public static (object Output, int Exit) Propose(JsonElement root, ProtocolLibrary protocols)
    {
        var input = JsonInput.Object(root, "$", ProposeFields);
        var planInput = input.Object("plan", required: true, PlanFields)!;
        var earliest = planInput.Date("earliestDay", required: true)!.Value;
        var latest = planInput.Date("latestDay", required: true)!.Value;
        var calendar = Calendar(input.Object("calendar", required: true, CalendarFields)!, earliest, latest);
        var plan = Plan(planInput, protocols);
        var settings = Settings(input);

        var proposal = Guarded(() => SeriesBooker.Propose(new SeriesRequest(plan, earliest, latest), calendar, settings), ProposeField);
        return proposal.Found
            ? (new { found = true, appointments = proposal.Appointments.Select(Write), explanation = proposal.Explanation }, ClinicalCommands.Success)
            : (new { found = false, failedConstraint = Codes.Kebab(proposal.FailedConstraint!.Value), explanation = proposal.Explanation }, NotFitted);
    }

    public static (object Output, int Exit) Replan(JsonElement root, ProtocolLibrary protocols)
    {
        var input = JsonInput.Object(root, "$", ReplanFields);
        var from = input.Date("refitFrom", required: true)!.Value;
        var until = input.Date("refitUntil", required: true)!.Value;
        var calendarInput = input.Object("calendar", required: true, CalendarFields)!;
        var appointmentDays = (calendarInput.Array("appointments") ?? [])
            .Select(a => a.Element.ValueKind == JsonValueKind.Object && a.Element.TryGetProperty("day", out var d)
                && DateOnly.TryParseExact(d.GetString(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day) ? day : from)
            .ToList();
        var calendar = Calendar(calendarInput, appointmentDays.Append(from).Min(), until);

        var disruptionInput = input.Object("disruption", required: true, DisruptionFields)!;
        var disruption = new Disruption(
            disruptionInput.Code<DisruptionKind>("kind", required: true)!.Value,
            disruptionInput.String("resourceId", required: true)!,
            DateTimeValue(disruptionInput, "from"),
            DateTimeValue(disruptionInput, "to"));
        var series = (input.Array("series", required: true) ?? [])
            .Select(s => Plan(JsonInput.Object(s.Element, s.Path, SeriesFields), protocols))
            .ToList();
        var settings = Settings(input);

        var result = Guarded(() => SeriesReplanner.Replan(calendar, new ReplanRequest(disruption, series, from, until), settings), ReplanField);
        var output = new
        {
            refitted = result.NotRefitted.Count == 0,
            displaced = result.Displaced.Select(a => a.Id),
            moved = result.Moved.Select(m => new { id = m.From.Id, from = Write(m.From), to = Write(m.To) }),
            notRefitted = result.NotRefitted.Select(u => new
            {
                appointment = Write(u.Appointment),
                failedConstraint = u.FailedConstraint is { } c ? Codes.Kebab(c) : null,
                reason = u.Reason,
            }),
        };
        return (output, result.NotRefitted.Count == 0 ? ClinicalCommands.Success : NotFitted);
    }

    private static ClinicCalendar Calendar(JsonInput input, DateOnly first, DateOnly last)
    {
        var opening = Windows(input, "openingHours");
        var closures = (input.Array("closures", required: true) ?? []).Select(c => JsonInput.DateValue(c.Element, c.Path)).ToList();
        var chairs = (input.Array("chairs", required: true) ?? []).Select(c =>
        {
            var chair = JsonInput.Object(c.Element, c.Path, ChairFields);
            return new Chair(chair.String("id", required: true)!, Strings(chair, "equipment"));
        }).ToList();
        var chairClosures = (input.Array("chairClosures") ?? []).Select(c =>
        {
            var closure = JsonInput.Object(c.Element, c.Path, ClosureFields);
            return new ChairClosure(
                closure.String("chairId", required: true)!, closure.Date("day", required: true)!.Value, Time(closure, "from"), Time(closure, "to"));
        }).ToList();

        var shifts = new List<NurseShift>();
        foreach (var (element, path) in input.Array("nurseShifts", required: true) ?? [])
        {
            var shift = JsonInput.Object(element, path, ShiftFields);
            var nurse = shift.String("nurseId", required: true)!;
            var (start, end) = (Time(shift, "start"), Time(shift, "end"));
            if (shift.Has("day") == shift.Has("weekday"))
            {
                throw CliInputException.At(shift.At("day"), "give either day (yyyy-MM-dd, one shift) or weekday (e.g. \"monday\", every such day of the period).");
            }

            if (shift.Date("day") is { } day)
            {
                shifts.Add(new NurseShift(nurse, day, start, end));
                continue;
            }

            var weekday = Weekday(shift, "weekday");
            for (var d = first; d <= last; d = d.AddDays(1))
            {
                if (d.DayOfWeek == weekday)
                {
                    shifts.Add(new NurseShift(nurse, d, start, end));
                }
            }
        }

        var appointments = (input.Array("appointments") ?? []).Select(a =>
        {
            var appointment = JsonInput.Object(a.Element, a.Path, AppointmentFields);
            return new Appointment(
                appointment.String("id", required: true)!,
                appointment.String("patientId", required: true)!,
                appointment.String("chairId", required: true)!,
                appointment.Date("day", required: true)!.Value,
                Time(appointment, "start"),
                Time(appointment, "end"),
                appointment.String("seriesId"),
                appointment.Int("sessionNumber"));
        }).ToList();
        return new ClinicCalendar(opening, closures, chairs, chairClosures, shifts, appointments);
    }

    private static SeriesPlan Plan(JsonInput input, ProtocolLibrary protocols)
    {
        var protocolId = input.String("protocol", required: true)!;
        var protocol = protocols.Find(protocolId)
            ?? throw CliInputException.At(input.At("protocol"), $"'{protocolId}' is not a protocol of the library; use one of: {string.Join(", ", protocols.Protocols.Select(p => p.Id))}.");
        var phaseId = input.String("phase", required: true)!;
        var phases = protocol.SeriesPhases.Select(p => p.Id).ToList();
        if (!phases.Contains(phaseId, StringComparer.Ordinal))
        {
            throw CliInputException.At(input.At("phase"), $"'{phaseId}' is not a series phase of {protocolId}; use one of: {string.Join(", ", phases)}.");
        }

        var availabilityInput = input.Object("availability", required: true, AvailabilityFields)!;
        var availability = new PatientAvailability(
            Windows(availabilityInput, "windows"),
            (availabilityInput.Array("unavailableDates") ?? []).Select(d => JsonInput.DateValue(d.Element, d.Path)).ToList());
        return SeriesPlan.ForProtocol(
            input.String("seriesId", required: true)!, input.String("patientId", required: true)!, protocol, phaseId, availability);
    }

    private static SchedulingSettings Settings(JsonInput input)
    {
        var overrides = input.Object("settings", required: false, SettingFields);
        var settings = SchedulingSettings.Default;
        if (overrides?.Int("slotMinutes") is { } slot)
        {
            settings = settings with { SlotMinutes = new(slot, SettingSource) };
        }

        if (overrides?.Int("chairsPerNurse") is { } ratio)
        {
            settings = settings with { ChairsPerNurse = new(ratio, SettingSource) };
        }

        return settings;
    }

    private static List<WeeklyWindow> Windows(JsonInput input, string name) =>
        [.. (input.Array(name, required: true) ?? []).Select(w =>
        {
            var window = JsonInput.Object(w.Element, w.Path, WindowFields);
            return new WeeklyWindow(Weekday(window, "day"), Time(window, "from"), Time(window, "to"));
        })];

    private static List<string> Strings(JsonInput input, string name) =>
        [.. (input.Array(name, required: true) ?? []).Select(e => JsonInput.StringValue(e.Element, e.Path))];

    private static DayOfWeek Weekday(JsonInput input, string name)
    {
        var text = input.String(name, required: true)!;
        return Enum.GetValues<DayOfWeek>().FirstOrDefault(d => string.Equals(d.ToString(), text, StringComparison.OrdinalIgnoreCase)) is var day
            && string.Equals(day.ToString(), text, StringComparison.OrdinalIgnoreCase)
                ? day
                : throw CliInputException.At(input.At(name), $"'{text}' is not a weekday; use monday … sunday.");
    }

    private static TimeOnly Time(JsonInput input, string name)
    {
        var text = input.String(name, required: true)!;
        return TimeOnly.TryParseExact(text, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var time)
            ? time
            : throw CliInputException.At(input.At(name), $"must be a clinic wall-clock time written HH:mm, not \"{text}\".");
    }

    private static DateTime DateTimeValue(JsonInput input, string name)
    {
        var text = input.String(name, required: true)!;
        return DateTime.TryParseExact(text, "yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var value)
            ? value
            : throw CliInputException.At(input.At(name), $"must be a clinic wall-clock time written yyyy-MM-ddTHH:mm, not \"{text}\".");
    }

    private static object Write(Appointment a) => new
    {
        id = a.Id,
        patientId = a.PatientId,
        chairId = a.ChairId,
        day = Codes.Date(a.Day),
        start = a.Start.ToString("HH:mm", CultureInfo.InvariantCulture),
        end = a.End.ToString("HH:mm", CultureInfo.InvariantCulture),
        seriesId = a.SeriesId,
        sessionNumber = a.SessionNumber,
    };

    // The domain names fields from its own records; these map them onto the input's JSON paths.
    private static string ProposeField(string field) => field switch
    {
        "earliestDay" or "latestDay" => "$.plan." + field,
        _ => "$." + field,
    };

    private static string ReplanField(string field) => "$." + field;

    private static T Guarded<T>(Func<T> run, Func<string, string> path)
    {
        try
        {
            return run();
        }
        catch (DomainValidationException ex)
        {
            throw new CliInputException(string.Join("; ", ex.Errors.Select(e => $"{path(e.Field)}: {e.Message}")));
        }
    }
}
