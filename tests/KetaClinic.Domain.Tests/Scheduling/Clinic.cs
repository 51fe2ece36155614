using KetaClinic.Domain.Protocols;
using KetaClinic.Domain.Scheduling;
using KetaClinic.Domain.Tests.Protocols;

namespace KetaClinic.Domain.Tests.Scheduling;

/// <summary>A small clinic open Monday to Friday 08:00–18:00 with two pump chairs, one monitor-only chair and two nurses.</summary>
internal static class Clinic
{
    public static readonly DateOnly Monday = new(2025, 3, 3);

    public static readonly string[] PumpAndMonitor = ["infusion-pump", "vital-signs-monitor"];

    public static readonly string[] Nurses = ["n1", "n2"];

    public static readonly string[] PumpChairs = ["pump-1", "pump-2"];

    public static readonly DayOfWeek[] Weekdays =
        [DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday];

    public static DateOnly Day(int offset) => Monday.AddDays(offset);

    public static TimeOnly T(int hour, int minute = 0) => new(hour, minute);

    public static ClinicCalendar Calendar(int days = 35) => new(
        [.. Weekdays.Select(d => new WeeklyWindow(d, T(8), T(18)))],
        [],
        [new Chair("pump-1", PumpAndMonitor), new Chair("pump-2", PumpAndMonitor), new Chair("chair-3", ["vital-signs-monitor"])],
        [],
        [.. Enumerable.Range(0, days).SelectMany(i => Nurses.Select(n => new NurseShift(n, Day(i), T(7, 30), T(18, 30))))],
        []);

    public static PatientAvailability Weekdays9To5 => new([.. Weekdays.Select(d => new WeeklyWindow(d, T(8), T(18)))], []);

    public static SeriesPlan IvInduction(string seriesId = "s1", string patientId = "p1", PatientAvailability? availability = null) =>
        SeriesPlan.ForProtocol(seriesId, patientId, ProtocolFixtures.Iv, "induction", availability ?? Weekdays9To5);

    public static SeriesRequest Request(SeriesPlan plan, int days = 21) => new(plan, Monday, Monday.AddDays(days - 1));

    public static ClinicCalendar With(this ClinicCalendar calendar, IEnumerable<Appointment> appointments) =>
        calendar with { Appointments = [.. calendar.Appointments, .. appointments] };
}
