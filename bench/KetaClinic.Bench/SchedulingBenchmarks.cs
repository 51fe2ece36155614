using BenchmarkDotNet.Attributes;
using KetaClinic.Domain.Protocols;
using KetaClinic.Domain.Scheduling;

namespace KetaClinic.Bench;

/// <summary>Booking one IV induction in a 10-chair clinic over a 21-day window already holding 30 series,
/// and the same request when nothing fits (every constraint level searched for the explanation).</summary>
[MemoryDiagnoser]
public class SeriesBookingBenchmarks
{
    private static readonly DateOnly Monday = new(2026, 3, 2);
    private static readonly string[] Pump = ["infusion-pump", "vital-signs-monitor"];
    private static readonly string[] Monitor = ["vital-signs-monitor"];
    private ClinicCalendar _calendar = null!;
    private SeriesRequest _request = null!;
    private SeriesRequest _impossible = null!;

    [GlobalSetup]
    public void Setup()
    {
        var weekdays = Enum.GetValues<DayOfWeek>().Where(d => d is not (DayOfWeek.Saturday or DayOfWeek.Sunday)).ToList();
        var hours = weekdays.Select(d => new WeeklyWindow(d, new TimeOnly(8, 0), new TimeOnly(18, 0))).ToList();
        _calendar = new ClinicCalendar(
            hours,
            [],
            [.. Enumerable.Range(1, 10).Select(i => new Chair($"c{i}", i <= 6 ? Pump : Monitor))],
            [],
            [.. Enumerable.Range(0, 28).SelectMany(d => Enumerable.Range(1, 4).Select(n => new NurseShift($"n{n}", Monday.AddDays(d), new TimeOnly(7, 30), new TimeOnly(18, 30))))],
            []);
        var iv = ProtocolLibrary.Default.Get("iv-racemic-ketamine");
        var availability = new PatientAvailability(hours, []);
        for (var p = 0; p < 30; p++)
        {
            var plan = SeriesPlan.ForProtocol($"s{p}", $"p{p}", iv, "induction", availability);
            var proposal = SeriesBooker.Propose(new SeriesRequest(plan, Monday, Monday.AddDays(20)), _calendar, SchedulingSettings.Default);
            _calendar = _calendar with { Appointments = [.. _calendar.Appointments, .. proposal.Appointments] };
        }

        _request = new SeriesRequest(SeriesPlan.ForProtocol("new", "new-patient", iv, "induction", availability), Monday, Monday.AddDays(20));
        var tuesdays = new PatientAvailability([new WeeklyWindow(DayOfWeek.Tuesday, new TimeOnly(8, 0), new TimeOnly(18, 0))], []);
        _impossible = _request with { Plan = _request.Plan with { Availability = tuesdays } };
    }

    [Benchmark]
    public SeriesProposal BookSeries() => SeriesBooker.Propose(_request, _calendar, SchedulingSettings.Default);

    [Benchmark]
    public SeriesProposal ExplainImpossibleSeries() => SeriesBooker.Propose(_impossible, _calendar, SchedulingSettings.Default);
}
