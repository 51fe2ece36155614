using KetaClinic.Domain.Common;
using KetaClinic.Domain.Protocols;
using static KetaClinic.Domain.Tests.Protocols.ProtocolFixtures;

namespace KetaClinic.Domain.Tests.Protocols;

public class DoseCalculatorTests
{
    private static readonly DateTimeOffset Now = new(2025, 3, 10, 9, 0, 0, TimeSpan.FromHours(-5));

    private static RecordedWeight Weighed(decimal kg, int daysAgo = 3) => new(new WeightKg(kg), Now.AddDays(-daysAgo));

    private static DoseCalculation Iv(decimal mgPerKg, RecordedWeight? weight, DosingSettings? settings = null) =>
        DoseCalculator.Calculate(
            new DoseRequest(ProtocolFixtures.Iv, DoseAmount.PerKg(new MgPerKg(mgPerKg)), weight, 2, Now),
            settings ?? DosingSettings.Default);

    private static DoseCalculation Esketamine(decimal mg, int session) =>
        DoseCalculator.Calculate(
            new DoseRequest(ProtocolFixtures.Esketamine, DoseAmount.InDevices(new DoseMg(mg)), null, session, Now),
            DosingSettings.Default);

    private static DosingSettings Precision(decimal mg) =>
        DosingSettings.Default with { MeasurablePrecision = new(new DoseMg(mg), "test") };

    private static DoseStopKind OnlyStop(DoseCalculation calculation)
    {
        Assert.False(calculation.IsAllowed);
        Assert.Null(calculation.Dose);
        return Assert.Single(calculation.HardStops).Kind;
    }

    [Fact]
    public void Half_a_milligram_per_kilogram_for_82_4_kg_is_41_mg_with_the_arithmetic_shown()
    {
        var result = Iv(0.5m, Weighed(82.4m));
        Assert.True(result.IsAllowed);
        Assert.Equal(new DoseMg(41.2m), result.ExactDose);
        Assert.Equal(new DoseMg(41m), result.Dose);
        Assert.Equal(new WeightKg(82.4m), result.WeightUsed);
        Assert.StartsWith("0.5 mg/kg × 82.4 kg = 41.2 mg → 41 mg (rounded to the nearest 1 mg)", result.Trace, StringComparison.Ordinal);
        Assert.Contains("weight 82.4 kg measured 2025-03-07", result.Trace, StringComparison.Ordinal);
    }

    [Fact]
    public void A_half_millilitre_precision_rounds_to_the_nearest_half_milligram()
    {
        Assert.Equal(new DoseMg(41m), Iv(0.5m, Weighed(82.4m), Precision(0.5m)).Dose);
        Assert.Equal(new DoseMg(41.5m), Iv(0.5m, Weighed(83.2m), Precision(0.5m)).Dose);
    }

    [Fact]
    public void An_exact_half_step_rounds_down_toward_the_smaller_dose()
    {
        var result = Iv(0.5m, Weighed(83m));
        Assert.Equal(new DoseMg(41.5m), result.ExactDose);
        Assert.Equal(new DoseMg(41m), result.Dose);
    }

    [Fact]
    public void Rounding_never_goes_above_the_hard_maximum_for_the_weight()
    {
        // 0.75 mg/kg × 82.3 kg = 61.725 mg: the nearest whole mg, 62, is above the hard maximum of 61.725 mg.
        var result = Iv(0.75m, Weighed(82.3m));
        Assert.True(result.IsAllowed);
        Assert.Equal(new DoseMg(61m), result.Dose);
        Assert.Contains("rounded down to 1 mg: the nearest step is above the hard maximum 0.75 mg/kg × 82.3 kg = 61.725 mg", result.Trace, StringComparison.Ordinal);
    }

    [Fact]
    public void An_order_above_the_hard_maximum_is_a_hard_stop()
    {
        var protocol = Edited(IvFile, root => SetValue(root, "dose.hardMaximum.value", 0.6));
        var result = DoseCalculator.Calculate(
            new DoseRequest(protocol, DoseAmount.PerKg(new MgPerKg(0.7m)), Weighed(80m), 2, Now), DosingSettings.Default);
        Assert.Equal(DoseStopKind.AboveHardMaximum, OnlyStop(result));
        Assert.Contains("hard maximum 0.6 mg/kg", result.HardStops[0].Message, StringComparison.Ordinal);
        Assert.Equal("dose", result.HardStops[0].Field);
    }

    [Fact]
    public void An_order_outside_the_protocol_range_is_a_hard_stop()
    {
        Assert.Equal(DoseStopKind.BelowProtocolMinimum, OnlyStop(Iv(0.05m, Weighed(80m))));
        Assert.Equal(DoseStopKind.AboveHardMaximum, OnlyStop(Iv(0.8m, Weighed(80m))));
    }

    [Fact]
    public void A_heavy_patient_is_stopped_at_the_absolute_cap_whatever_the_per_kilogram_order()
    {
        // 0.75 mg/kg × 140 kg = 105 mg, above the IV protocol's absolute 100 mg.
        var result = Iv(0.75m, Weighed(140m));
        Assert.Equal(DoseStopKind.AboveAbsoluteMaximum, OnlyStop(result));
        Assert.Contains("105 mg", result.HardStops[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void No_weight_on_record_is_a_hard_stop()
    {
        var result = Iv(0.5m, null);
        Assert.Equal(DoseStopKind.WeightMissing, OnlyStop(result));
        Assert.Equal("weight", result.HardStops[0].Field);
    }

    [Fact]
    public void A_weight_older_than_the_setting_is_a_hard_stop()
    {
        Assert.True(Iv(0.5m, Weighed(80m, daysAgo: 30)).IsAllowed);
        var result = Iv(0.5m, Weighed(80m, daysAgo: 31));
        Assert.Equal(DoseStopKind.WeightTooOld, OnlyStop(result));
        Assert.Contains("31 days old", result.HardStops[0].Message, StringComparison.Ordinal);
        var lenient = DosingSettings.Default with { MaximumWeightAgeDays = new(60, "test") };
        Assert.True(Iv(0.5m, Weighed(80m, daysAgo: 31), lenient).IsAllowed);
    }

    [Fact]
    public void A_weight_dated_after_the_dose_is_a_hard_stop()
    {
        Assert.Equal(DoseStopKind.WeightInFuture, OnlyStop(Iv(0.5m, new RecordedWeight(new WeightKg(80m), Now.AddHours(2)))));
    }

    [Theory]
    [InlineData(8.24)]
    [InlineData(824)]
    public void An_absurd_weight_is_a_hard_stop(double kg)
    {
        Assert.Equal(DoseStopKind.WeightImplausible, OnlyStop(Iv(0.5m, Weighed((decimal)kg))));
    }

    [Fact]
    public void Every_hard_stop_is_reported_together()
    {
        var result = Iv(0.05m, Weighed(8m, daysAgo: 90));
        Assert.Equal(
            [DoseStopKind.BelowProtocolMinimum, DoseStopKind.WeightTooOld, DoseStopKind.WeightImplausible],
            result.HardStops.Select(s => s.Kind));
        Assert.Contains("not allowed", result.Trace, StringComparison.Ordinal);
    }

    [Fact]
    public void An_order_in_milligrams_on_a_weight_based_protocol_is_refused()
    {
        var result = DoseCalculator.Calculate(
            new DoseRequest(ProtocolFixtures.Iv, DoseAmount.Fixed(new DoseMg(40m)), Weighed(80m), 2, Now), DosingSettings.Default);
        Assert.Equal(DoseStopKind.WrongDoseBasis, OnlyStop(result));
    }

    [Theory]
    [InlineData(56, 2)]
    [InlineData(84, 3)]
    public void Esketamine_doses_are_whole_devices(int mg, int devices)
    {
        var result = Esketamine(mg, session: 3);
        Assert.True(result.IsAllowed);
        Assert.Equal(devices, result.DeviceCount);
        Assert.Equal(new DoseMg(mg), result.Dose);
        Assert.Contains($"{mg} mg = {devices} × 28 mg devices, 5 minutes apart", result.Trace, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(28)]
    [InlineData(70)]
    public void Esketamine_doses_other_than_56_or_84_mg_are_refused(int mg)
    {
        var result = Esketamine(mg, session: 3);
        Assert.Contains(result.HardStops, s => s.Kind is DoseStopKind.NotAnAllowedDeviceDose);
        Assert.Null(result.DeviceCount);
    }

    [Fact]
    public void Esketamine_starts_at_56_mg_on_the_first_session()
    {
        Assert.True(Esketamine(56, session: 1).IsAllowed);
        Assert.Equal(DoseStopKind.FirstSessionDose, OnlyStop(Esketamine(84, session: 1)));
    }

    [Fact]
    public void A_fixed_sublingual_dose_needs_no_weight()
    {
        var result = DoseCalculator.Calculate(
            new DoseRequest(Sublingual, DoseAmount.Fixed(new DoseMg(10m)), null, 1, Now), DosingSettings.Default);
        Assert.True(result.IsAllowed);
        Assert.Equal(new DoseMg(10m), result.Dose);
        Assert.Equal("10 mg (fixed dose) → 10 mg (already a multiple of 1 mg)", result.Trace);
    }

    [Fact]
    public void Invalid_dosing_settings_are_refused_by_name()
    {
        var settings = DosingSettings.Default with { MeasurablePrecision = new(new DoseMg(0m), "test") };
        var ex = Assert.Throws<ArgumentException>(() => Iv(0.5m, Weighed(80m), settings));
        Assert.Contains("MeasurablePrecision", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_precision_of_zero_cannot_round()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => DoseRounding.Round(new DoseMg(1m), new DoseMg(0m), new DoseMg(2m)));
    }

    [Fact]
    public void The_default_dosing_settings_name_their_sources()
    {
        Assert.Empty(DosingSettings.Default.Validate());
        Assert.Contains("clinic policy", DosingSettings.Default.MaximumWeightAgeDays.Source, StringComparison.Ordinal);
    }
}
