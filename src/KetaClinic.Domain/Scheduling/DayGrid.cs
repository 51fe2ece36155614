namespace KetaClinic.Domain.Scheduling;

/// <summary>
/// Which days can hold one appointment of a series, and at what times and chairs. A candidate is a start time on the
/// slot grid and a chair; it is checked against the constraints in <see cref="SeriesConstraint"/> order (clinic hours,
/// patient hours, equipment, patient's other appointments, chair free, nurse ratio). A day's level is the most
/// constraints, counted in that order, that some candidate meets: level 6 means the day can hold the appointment.
/// Because a series places at most one appointment a day (spacing ≥ 1 day), days are independent of each other.
/// </summary>
internal sealed class DayGrid
{
    public const int FullLevel = 6;
    private const int MinutesPerDay = 1440;

    private readonly SeriesPlan _plan;
    private readonly int _slot;
    private readonly int _chairsPerNurse;
    private readonly HashSet<DateOnly> _closures;
    private readonly HashSet<DateOnly> _patientAway;
    private readonly ILookup<DayOfWeek, (int From, int To)> _opening;
    private readonly ILookup<DayOfWeek, (int From, int To)> _patientHours;
    private readonly IReadOnlyList<Chair> _chairs;
    private readonly bool[] _equipped;
    private readonly ILookup<(int Day, string Chair), (int From, int To)> _chairClosures;
    private readonly ILookup<int, NurseShift> _shifts;
    private readonly ILookup<int, Appointment> _appointments;
    private readonly Dictionary<int, int> _levels = [];

    public DayGrid(ClinicCalendar calendar, SchedulingSettings settings, SeriesPlan plan)
    {
        _plan = plan;
        _slot = settings.SlotMinutes.Value;
        _chairsPerNurse = settings.ChairsPerNurse.Value;
        _closures = [.. calendar.Closures];
        _patientAway = [.. plan.Availability.UnavailableDates];
        _opening = calendar.OpeningHours.ToLookup(w => w.Day, w => (WindowStart(w.From), WindowEnd(w.To)));
        _patientHours = plan.Availability.Windows.ToLookup(w => w.Day, w => (WindowStart(w.From), WindowEnd(w.To)));
        _chairs = calendar.Chairs;
        _equipped = [.. calendar.Chairs.Select(c => plan.RequiredEquipment.All(e => c.Equipment.Contains(e, StringComparer.Ordinal)))];
        _chairClosures = calendar.ChairClosures.ToLookup(c => (c.Day.DayNumber, c.ChairId), c => (OccupiedStart(c.From), OccupiedEnd(c.To)));
        _shifts = calendar.NurseShifts.ToLookup(s => s.Day.DayNumber);
        _appointments = calendar.Appointments.ToLookup(a => a.Day.DayNumber);
    }

    public int Duration => _plan.AppointmentMinutes;

    /// <summary>0–6: how many constraints, in order, some candidate on the day meets.</summary>
    public int Level(int day)
    {
        if (!_levels.TryGetValue(day, out var level))
        {
            level = Evaluate(day, null);
            _levels[day] = level;
        }

        return level;
    }

    /// <summary>Every (start minute, chair) on the day that meets all constraints, earliest first, chairs in preference order.</summary>
    public List<(int Start, Chair Chair)> Slots(int day)
    {
        var slots = new List<(int Start, Chair Chair)>();
        Evaluate(day, slots);
        return slots;
    }

    // Windows shrink to whole minutes, occupied periods grow to whole minutes: both err toward not double-booking.
    internal static int WindowStart(TimeOnly t) => (t.Hour * 60) + t.Minute + (t.Second > 0 || t.Millisecond > 0 ? 1 : 0);

    internal static int WindowEnd(TimeOnly t) => (t.Hour * 60) + t.Minute;

    internal static int OccupiedStart(TimeOnly t) => (t.Hour * 60) + t.Minute;

    internal static int OccupiedEnd(TimeOnly t) => WindowStart(t);

    internal static TimeOnly Time(int minute) => new(minute / 60, minute % 60);

    private static bool Inside(IEnumerable<(int From, int To)> windows, int start, int end)
    {
        foreach (var (from, to) in windows)
        {
            if (start >= from && end <= to)
            {
                return true;
            }
        }

        return false;
    }

    private static bool Overlaps(IEnumerable<(int From, int To)> periods, int start, int end)
    {
        foreach (var (from, to) in periods)
        {
            if (from < end && start < to)
            {
                return true;
            }
        }

        return false;
    }

    private int Evaluate(int day, List<(int Start, Chair Chair)>? slots)
    {
        var date = DateOnly.FromDayNumber(day);
        if (_closures.Contains(date))
        {
            return 0;
        }

        var opening = _opening[date.DayOfWeek].ToList();
        if (opening.Count == 0)
        {
            return 0;
        }

        var patientHours = _patientAway.Contains(date) ? [] : _patientHours[date.DayOfWeek].ToList();
        var appointments = _appointments[day].ToList();
        var patientBusy = appointments
            .Where(a => a.PatientId == _plan.PatientId)
            .Select(a => (OccupiedStart(a.Start), OccupiedEnd(a.End)))
            .ToList();
        var chairBusy = _chairs
            .Select(c => appointments.Where(a => a.ChairId == c.Id).Select(a => (OccupiedStart(a.Start), OccupiedEnd(a.End))).ToList())
            .ToList();
        var chairClosed = _chairs.Select(c => _chairClosures[(day, c.Id)].ToList()).ToList();
        var overCapacity = OverCapacityPrefix(day, appointments);

        var duration = _plan.AppointmentMinutes;
        var best = 0;
        for (var start = 0; start + duration <= MinutesPerDay; start += _slot)
        {
            var end = start + duration;
            if (!Inside(opening, start, end))
            {
                continue;
            }

            best = Math.Max(best, 1);
            if (!Inside(patientHours, start, end))
            {
                continue;
            }

            best = Math.Max(best, 2);
            for (var c = 0; c < _chairs.Count; c++)
            {
                if (!_equipped[c] || Overlaps(chairClosed[c], start, end))
                {
                    continue;
                }

                best = Math.Max(best, 3);
                if (Overlaps(patientBusy, start, end))
                {
                    continue;
                }

                best = Math.Max(best, 4);
                if (Overlaps(chairBusy[c], start, end))
                {
                    continue;
                }

                best = Math.Max(best, 5);
                if (overCapacity[end] - overCapacity[start] > 0)
                {
                    continue;
                }

                if (slots is null)
                {
                    return FullLevel;
                }

                best = FullLevel;
                slots.Add((start, _chairs[c]));
            }
        }

        return best;
    }

    // prefix[m] = minutes before m at which one more occupied chair would exceed nurses on shift × chairs per nurse.
    private int[] OverCapacityPrefix(int day, List<Appointment> appointments)
    {
        var occupied = new int[MinutesPerDay];
        foreach (var a in appointments)
        {
            for (var m = OccupiedStart(a.Start); m < Math.Min(OccupiedEnd(a.End), MinutesPerDay); m++)
            {
                occupied[m]++;
            }
        }

        var nurses = NursesOnShift(_shifts[day]);
        var prefix = new int[MinutesPerDay + 1];
        for (var m = 0; m < MinutesPerDay; m++)
        {
            prefix[m + 1] = prefix[m] + (occupied[m] + 1 > nurses[m] * _chairsPerNurse ? 1 : 0);
        }

        return prefix;
    }

    /// <summary>Nurses on shift at each minute of a day; a nurse counts once however their shifts overlap.</summary>
    internal static int[] NursesOnShift(IEnumerable<NurseShift> shifts)
    {
        var nurses = new int[MinutesPerDay];
        foreach (var ofNurse in shifts.GroupBy(s => s.NurseId, StringComparer.Ordinal))
        {
            var onShift = new bool[MinutesPerDay];
            foreach (var shift in ofNurse)
            {
                for (var m = WindowStart(shift.Start); m < WindowEnd(shift.End); m++)
                {
                    onShift[m] = true;
                }
            }

            for (var m = 0; m < MinutesPerDay; m++)
            {
                nurses[m] += onShift[m] ? 1 : 0;
            }
        }

        return nurses;
    }
}
