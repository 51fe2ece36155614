using KetaClinic.Domain.Common;
using KetaClinic.Domain.Protocols;
using static KetaClinic.Domain.Tests.Protocols.ProtocolFixtures;

namespace KetaClinic.Domain.Tests.Protocols;

public class DoseOrderTests
{
    private static readonly DateTimeOffset Monday = new(2025, 3, 3, 9, 0, 0, TimeSpan.Zero);

    private static DoseAmount PerKg(decimal value) => DoseAmount.PerKg(new MgPerKg(value));

    private static DoseOrder IvOrder() => DoseOrder.Start(Iv, null, "dr.lee", Monday, "Start of induction");

    private static FieldError Refused(Action action) =>
        Assert.Single(Assert.Throws<DomainValidationException>(action).Errors);

    [Fact]
    public void An_order_starts_at_the_protocol_default()
    {
        var order = IvOrder();
        Assert.Equal(new DoseOrderVersion(1, PerKg(0.5m), "dr.lee", Monday, "Start of induction"), order.Current);
    }

    [Fact]
    public void A_titration_within_the_step_adds_a_version_with_its_reason()
    {
        var order = IvOrder();
        var version = order.Titrate(PerKg(0.6m), "dr.lee", Monday.AddDays(2), "Partial response after session 2");
        Assert.Equal(2, version.Version);
        Assert.Equal(PerKg(0.6m), order.Current.Dose);
        Assert.Equal("Partial response after session 2", order.Current.Reason);
        Assert.Equal([PerKg(0.5m), PerKg(0.6m)], order.Versions.Select(v => v.Dose));
    }

    [Fact]
    public void A_change_larger_than_the_titration_step_is_refused_and_the_order_is_unchanged()
    {
        var order = IvOrder();
        var error = Refused(() => order.Titrate(PerKg(0.75m), "dr.lee", Monday.AddDays(2), "Faster"));
        Assert.Equal("dose", error.Field);
        Assert.Contains("more than the titration step 0.1 mg/kg", error.Message, StringComparison.Ordinal);
        Assert.Single(order.Versions);
        Assert.Equal(PerKg(0.5m), order.Current.Dose);
    }

    [Fact]
    public void Titration_reaches_the_top_of_the_range_in_steps()
    {
        var order = IvOrder();
        order.Titrate(PerKg(0.6m), "dr.lee", Monday.AddDays(2), "step");
        order.Titrate(PerKg(0.7m), "dr.lee", Monday.AddDays(4), "step");
        order.Titrate(PerKg(0.75m), "dr.lee", Monday.AddDays(7), "step");
        Assert.Equal(4, order.Current.Version);
    }

    [Fact]
    public void A_titration_above_the_hard_maximum_is_refused()
    {
        var protocol = Edited(IvFile, root => SetValue(root, "dose.hardMaximum.value", 0.55));
        var order = DoseOrder.Start(protocol, null, "dr.lee", Monday, "start");
        var error = Refused(() => order.Titrate(PerKg(0.6m), "dr.lee", Monday.AddDays(2), "step"));
        Assert.Contains("above the hard maximum 0.55 mg/kg", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_titration_below_the_range_is_refused()
    {
        var order = DoseOrder.Start(Iv, PerKg(0.15m), "dr.lee", Monday, "cautious start");
        var error = Refused(() => order.Titrate(PerKg(0.05m), "dr.lee", Monday.AddDays(2), "lower"));
        Assert.Contains("outside the protocol's range 0.1 mg/kg–0.75 mg/kg", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_titration_needs_a_reason()
    {
        var error = Refused(() => IvOrder().Titrate(PerKg(0.6m), "dr.lee", Monday.AddDays(2), "  "));
        Assert.Equal(new FieldError("reason", "is required."), error);
    }

    [Fact]
    public void A_titration_must_change_the_dose()
    {
        var error = Refused(() => IvOrder().Titrate(PerKg(0.5m), "dr.lee", Monday.AddDays(2), "same"));
        Assert.Contains("must change it", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_titration_cannot_be_dated_before_the_current_order()
    {
        var error = Refused(() => IvOrder().Titrate(PerKg(0.6m), "dr.lee", Monday.AddDays(-1), "backdated"));
        Assert.Equal("orderedAt", error.Field);
    }

    [Fact]
    public void An_order_in_the_wrong_unit_is_refused()
    {
        var error = Refused(() => DoseOrder.Start(Iv, DoseAmount.Fixed(new DoseMg(40m)), "dr.lee", Monday, "start"));
        Assert.Contains("not in the protocol's unit (mg/kg)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Esketamine_titrates_one_device_at_a_time_and_only_to_allowed_doses()
    {
        var order = DoseOrder.Start(Esketamine, null, "dr.lee", Monday, "Day 1");
        Assert.Equal(DoseAmount.InDevices(new DoseMg(56m)), order.Current.Dose);
        order.Titrate(DoseAmount.InDevices(new DoseMg(84m)), "dr.lee", Monday.AddDays(3), "Tolerated, partial response");
        Assert.Equal(2, order.Current.Version);
        var error = Refused(() => order.Titrate(DoseAmount.InDevices(new DoseMg(70m)), "dr.lee", Monday.AddDays(7), "down a little"));
        Assert.Contains("not an allowed device dose (56 mg or 84 mg)", error.Message, StringComparison.Ordinal);
    }
}
