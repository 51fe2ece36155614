using FsCheck;
using FsCheck.Fluent;
using KetaClinic.Domain.Monitoring;
using KetaClinic.Domain.Sessions;

namespace KetaClinic.Domain.Tests.Monitoring;

/// <summary>The look-ups from the end of a time-ordered history answer as the plain queries over the same window do.</summary>
public sealed class TimeOrderedVitalsTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 2, 14, 0, 0, TimeSpan.Zero);
    private static readonly VitalKind[] Kinds = Enum.GetValues<VitalKind>();

    private static readonly DeviceIdentity[] Devices =
    [
        new("MON", "KC", "chair-3", null),
        new("MON", "KC", "chair-4", null),
        new(null, null, null, "keypad"),
    ];

    /// <summary>
    /// A history as a session keeps it: in time order, equal times in arrival order. Few minutes, kinds and devices, so
    /// that equal times, pairs split across devices and lone systolic or diastolic values are common.
    /// </summary>
    private static List<VitalObservation> History((byte Kind, byte Minute, byte Value, byte Device)[] raw) =>
        [.. raw.Select(r =>
            {
                var kind = Kinds[r.Kind % Kinds.Length];
                return new VitalObservation(kind, new VitalValue(60m + (r.Value % 80), VitalSigns.UnitOf(kind)), T0.AddMinutes(r.Minute % 20),
                    Devices[r.Device % Devices.Length], "code", "F", null);
            })
            .OrderBy(v => v.ObservedAt)];

    private static Arbitrary<(byte, byte, byte, byte)[]> Raw => ArbMap.Default.ArbFor<(byte, byte, byte, byte)[]>();

    private static Arbitrary<(byte, byte)> Window => ArbMap.Default.ArbFor<(byte, byte)>();

    [FsCheck.Xunit.Property(MaxTest = 500)]
    public Property Window_bounds_found_by_search_are_the_bounds_of_the_filtered_window() =>
        Prop.ForAll(Raw, ArbMap.Default.ArbFor<byte>(), (raw, minute) =>
        {
            var history = History(raw);
            var t = T0.AddMinutes(minute % 22);
            Assert.Equal(history.Count(v => v.ObservedAt < t), TimeOrderedVitals.FirstAtOrAfter(history, t));
            Assert.Equal(history.Count(v => v.ObservedAt <= t), TimeOrderedVitals.FirstAfter(history, t));
        });

    [FsCheck.Xunit.Property(MaxTest = 500)]
    public Property The_latest_blood_pressure_in_a_window_is_the_one_LatestFrom_finds_in_it() =>
        Prop.ForAll(Raw, Window, (raw, window) =>
        {
            var history = History(raw);
            var (from, to) = Bounds(history, window);
            Assert.Equal(BloodPressureReading.LatestFrom(history.Skip(from).Take(to - from)), TimeOrderedVitals.LatestBloodPressure(history, from, to));
        });

    [FsCheck.Xunit.Property(MaxTest = 500)]
    public Property The_latest_value_of_a_kind_in_a_window_is_the_first_of_those_at_its_latest_time() =>
        Prop.ForAll(Raw, Window, ArbMap.Default.ArbFor<byte>(), (raw, window, k) =>
        {
            var history = History(raw);
            var (from, to) = Bounds(history, window);
            var kind = Kinds[k % Kinds.Length];
            var expected = history.Skip(from).Take(to - from).Where(v => v.Kind == kind).MaxBy(v => v.ObservedAt);
            Assert.Same(expected, TimeOrderedVitals.Latest(history, kind, from, to));
        });

    [FsCheck.Xunit.Property(MaxTest = 500)]
    public Property Tiles_read_with_the_counts_by_kind_are_the_tiles_of_grouping_all_of_it() =>
        Prop.ForAll(Raw, ArbMap.Default.ArbFor<byte>(), (raw, cutoff) =>
        {
            var history = History(raw);
            var counts = history.GroupBy(v => v.Kind).ToDictionary(g => g.Key, g => g.Count());
            var upTo = T0.AddMinutes(cutoff % 22);
            Assert.Equal(ChairBoard.LatestWithTrend(history.Where(v => v.ObservedAt <= upTo)), ChairBoard.LatestWithTrend(history, upTo, counts));
        });

    [Fact]
    public void A_systolic_and_a_diastolic_from_different_devices_are_not_a_reading()
    {
        List<VitalObservation> history =
        [
            new(VitalKind.SystolicBloodPressure, new VitalValue(150m, VitalUnit.MillimetresOfMercury), T0, Devices[0], "code", "F", null),
            new(VitalKind.DiastolicBloodPressure, new VitalValue(95m, VitalUnit.MillimetresOfMercury), T0, Devices[1], "code", "F", null),
        ];

        Assert.Null(TimeOrderedVitals.LatestBloodPressure(history, 0, history.Count));
    }

    /// <summary>An index window over the history, both ends anywhere from 0 to its length.</summary>
    private static (int From, int To) Bounds(List<VitalObservation> history, (byte A, byte B) window)
    {
        var a = window.A % (history.Count + 1);
        var b = window.B % (history.Count + 1);
        return (Math.Min(a, b), Math.Max(a, b));
    }
}
