using System.Globalization;
using System.Text;
using KetaClinic.Domain.Protocols;
using KetaClinic.Domain.Scheduling;

namespace KetaClinic.Domain.Tests.Scheduling;

/// <summary>
/// A small random clinic and series request, rebuilt from its seed so a failing case can be replayed and printed.
/// Small enough (up to 12 days, 3 chairs) for brute-force enumeration of every series.
/// </summary>
public sealed class RandomClinic
{
    private static readonly string[] EquipmentCodes = ["infusion-pump", "vital-signs-monitor"];
    private static readonly int[] SlotChoices = [15, 30, 60];

    public RandomClinic(int seed)
    {
        Seed = seed;
        var random = new Random(seed);
        Start = new DateOnly(2025, 3, 3).AddDays(random.Next(7));
        Days = random.Next(5, 13);
        Settings = SchedulingSettings.Default with
        {
            SlotMinutes = new(SlotChoices[random.Next(SlotChoices.Length)], "test"),
            ChairsPerNurse = new(random.Next(1, 3), "test"),
        };

        var opening = new List<WeeklyWindow>();
        foreach (var day in Enum.GetValues<DayOfWeek>())
        {
            if (random.NextDouble() < 0.85)
            {
                var open = random.Next(14, 21) * 30;
                opening.Add(new WeeklyWindow(day, Time(open), Time(Math.Min(open + (random.Next(4, 20) * 30), 1410))));
            }
        }

        var closures = DaysOf(random, 0.1);
        var chairs = Enumerable.Range(1, random.Next(1, 4))
            .Select(i => new Chair($"c{i}", [.. EquipmentCodes.Where(_ => random.NextDouble() < 0.7)]))
            .ToList();
        var chairClosures = Enumerable.Range(0, random.Next(0, 3)).Select(_ =>
        {
            var from = random.Next(14, 34) * 30;
            return new ChairClosure(chairs[random.Next(chairs.Count)].Id, Day(random.Next(Days)), Time(from), Time(from + (random.Next(1, 8) * 30)));
        }).ToList();

        var shifts = new List<NurseShift>();
        for (var d = 0; d < Days + 10; d++)
        {
            var nurses = random.NextDouble() < 0.1 ? 0 : random.Next(1, 4);
            for (var n = 0; n < nurses; n++)
            {
                var from = random.Next(14, 26) * 30;
                shifts.Add(new NurseShift($"n{n + 1}", Day(d), Time(from), Time(Math.Min(from + (random.Next(4, 20) * 30), 1410))));
            }
        }

        var appointments = new List<Appointment>();
        var count = random.Next(0, 14);
        for (var i = 0; i < count; i++)
        {
            var chair = chairs[random.Next(chairs.Count)];
            var day = Day(random.Next(Days));
            var from = random.Next(14, 34) * 30;
            var to = from + (random.Next(1, 7) * 30);
            if (!appointments.Any(a => a.ChairId == chair.Id && a.Day == day && Naive.Overlap(from, to, Naive.Minute(a.Start), Naive.Minute(a.End))))
            {
                appointments.Add(new Appointment($"a{i}", random.NextDouble() < 0.3 ? "me" : $"other{i}", chair.Id, day, Time(from), Time(to)));
            }
        }

        Calendar = new ClinicCalendar(opening, closures, chairs, chairClosures, shifts, appointments);

        var patientWindows = Enum.GetValues<DayOfWeek>()
            .Where(_ => random.NextDouble() < 0.9)
            .Select(d =>
            {
                var from = random.Next(14, 24) * 30;
                return new WeeklyWindow(d, Time(from), Time(Math.Min(from + (random.Next(4, 20) * 30), 1410)));
            })
            .ToList();

        SeriesRules rules;
        do
        {
            var spacingMin = random.Next(1, 4);
            rules = new SeriesRules(random.NextDouble() < 0.15 ? 1 : random.Next(2, 5), spacingMin, spacingMin + random.Next(0, 4), random.Next(1, 8), random.Next(1, Days + 4));
        }
        while (rules.Problems().Count > 0);

        Plan = new SeriesPlan(
            "s", "me", rules, random.Next(2, 9) * 15, [.. EquipmentCodes.Where(_ => random.NextDouble() < 0.4)],
            new PatientAvailability(patientWindows, DaysOf(random, 0.15)));
        Request = new SeriesRequest(Plan, Start, Start.AddDays(Days - 1));

        List<DateOnly> DaysOf(Random r, double p) => [.. Enumerable.Range(0, Days).Where(_ => r.NextDouble() < p).Select(Day)];
    }

    public int Seed { get; }

    public DateOnly Start { get; }

    public int Days { get; }

    public SchedulingSettings Settings { get; }

    public ClinicCalendar Calendar { get; }

    public SeriesPlan Plan { get; }

    public SeriesRequest Request { get; }

    public DateOnly Day(int offset) => Start.AddDays(offset);

    public override string ToString()
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"seed {Seed}: {Days} days from {Start:yyyy-MM-dd}, slot {Settings.SlotMinutes.Value}, ");
        text.Append(CultureInfo.InvariantCulture, $"{Settings.ChairsPerNurse.Value} chairs/nurse; {Plan.Rules}; {Plan.AppointmentMinutes} min; ");
        text.Append(CultureInfo.InvariantCulture, $"needs [{string.Join(",", Plan.RequiredEquipment)}]; chairs ");
        text.Append(string.Join(" ", Calendar.Chairs.Select(c => $"{c.Id}[{string.Join(",", c.Equipment)}]")));
        return text.ToString();
    }

    private static TimeOnly Time(int minute) => new(minute / 60, minute % 60);
}
