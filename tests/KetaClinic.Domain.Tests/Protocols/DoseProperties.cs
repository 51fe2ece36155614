using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using KetaClinic.Domain.Common;
using KetaClinic.Domain.Protocols;

namespace KetaClinic.Domain.Tests.Protocols;

public class DoseProperties
{
    private static readonly DateTimeOffset Now = new(2025, 3, 10, 9, 0, 0, TimeSpan.Zero);

    private static readonly decimal[] Precisions = [0.1m, 0.25m, 0.5m, 1m, 2m, 5m];

    private static readonly TreatmentProtocol[] WeightBased =
        [.. ProtocolLibrary.Default.Protocols.Where(p => p.DoseBasis == DoseBasis.MgPerKg)];

    // Orders from well below the range to above the hard maximum, weights across and beyond the plausible range.
    private static readonly Gen<DoseCase> Cases =
        from protocol in Gen.Elements(WeightBased)
        from hundredths in Gen.Choose(1, 100)
        from tenthsKg in Gen.Choose(150, 3500)
        from precision in Gen.Elements(Precisions)
        from daysAgo in Gen.Choose(0, 45)
        select new DoseCase(protocol, hundredths / 100m, tenthsKg / 10m, precision, daysAgo);

    private static readonly Gen<(decimal Exact, decimal Precision, decimal Limit)> Roundings =
        from precision in Gen.Elements(Precisions)
        from limitThousandths in Gen.Choose(1, 300_000)
        from fraction in Gen.Choose(0, 1000)
        let limit = limitThousandths / 1000m
        select (limit * fraction / 1000m, precision, limit);

    [Property(MaxTest = 2000)]
    public Property A_calculated_dose_never_exceeds_the_hard_maximum_or_the_absolute_cap() =>
        Prop.ForAll(Cases.ToArbitrary(), c =>
        {
            var result = c.Calculate();
            if (!result.IsAllowed)
            {
                return true;
            }

            var hard = c.Protocol.Dose.HardMaximum.Value.AsMgPerKg().For(new WeightKg(c.Kg));
            return result.Dose!.Value <= hard && result.Dose.Value <= c.Protocol.Dose.AbsoluteMaximum.Value
                && c.PerKg <= c.Protocol.Dose.HardMaximum.Value.Value;
        });

    [Property(MaxTest = 2000)]
    public Property A_calculated_dose_is_a_measurable_amount_within_half_a_step_unless_that_would_cross_the_limit() =>
        Prop.ForAll(Cases.ToArbitrary(), c =>
        {
            var result = c.Calculate();
            if (!result.IsAllowed)
            {
                return true;
            }

            var dose = result.Dose!.Value.Value;
            var exact = result.ExactDose!.Value.Value;
            var limit = Math.Min(c.Protocol.Dose.HardMaximum.Value.Value * c.Kg, c.Protocol.Dose.AbsoluteMaximum.Value.Value);
            var multiple = dose % c.Precision == 0m;
            var near = Math.Abs(dose - exact) * 2 <= c.Precision;
            var downForLimit = dose <= exact && exact - dose < c.Precision && dose + c.Precision > limit;
            return multiple && (near || downForLimit);
        });

    [Property(MaxTest = 2000)]
    public Property Every_order_within_the_rules_with_a_usable_weight_gets_a_dose() =>
        Prop.ForAll(Cases.ToArbitrary(), c =>
        {
            var dose = c.Protocol.Dose;
            var withinRules = c.PerKg >= dose.Minimum.Value.Value && c.PerKg <= dose.Maximum.Value.Value
                && c.PerKg <= dose.HardMaximum.Value.Value
                && c.Kg >= 30m && c.Kg <= 300m && c.DaysAgo <= 30
                && c.PerKg * c.Kg <= dose.AbsoluteMaximum.Value.Value;
            var result = c.Calculate();

            // The one stop an order within the rules can meet: a dose too small to measure at this precision.
            var tooSmall = result.HardStops.Count == 1 && result.HardStops[0].Kind == DoseStopKind.RoundsToZero;
            return withinRules == (result.IsAllowed || tooSmall);
        });

    [Property(MaxTest = 5000)]
    public Property Rounding_stays_under_the_limit_and_within_half_a_step_when_it_can() =>
        Prop.ForAll(Roundings.ToArbitrary(), r =>
        {
            var rounded = DoseRounding.Round(new DoseMg(r.Exact), new DoseMg(r.Precision), new DoseMg(r.Limit));
            var dose = rounded.Dose.Value;
            var underLimit = dose <= r.Limit && dose >= 0m;
            var multiple = dose % r.Precision == 0m;
            var close = rounded.Kind == DoseRoundingKind.DownToStayWithinLimit
                ? dose < r.Exact && r.Exact - dose < r.Precision && dose + r.Precision > r.Limit
                : Math.Abs(dose - r.Exact) * 2 <= r.Precision;

            // An exact half never rounds up.
            var halfDown = Math.Abs(dose - r.Exact) * 2 != r.Precision || dose < r.Exact;
            return underLimit && multiple && close && halfDown;
        });

    public sealed record DoseCase(TreatmentProtocol Protocol, decimal PerKg, decimal Kg, decimal Precision, int DaysAgo)
    {
        public DoseCalculation Calculate() => DoseCalculator.Calculate(
            new DoseRequest(Protocol, DoseAmount.PerKg(new MgPerKg(PerKg)), new RecordedWeight(new WeightKg(Kg), Now.AddDays(-DaysAgo)), 2, Now),
            DosingSettings.Default with { MeasurablePrecision = new(new DoseMg(Precision), "test") });

        public override string ToString() => $"{Protocol.Id}: {PerKg} mg/kg × {Kg} kg, precision {Precision} mg, weighed {DaysAgo} days ago";
    }
}
