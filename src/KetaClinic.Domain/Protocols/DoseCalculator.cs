using System.Globalization;
using KetaClinic.Domain.Common;

namespace KetaClinic.Domain.Protocols;

public enum DoseStopKind
{
    WrongDoseBasis,
    WeightMissing,
    WeightInFuture,
    WeightTooOld,
    WeightImplausible,
    BelowProtocolMinimum,
    AboveProtocolMaximum,
    AboveHardMaximum,
    AboveAbsoluteMaximum,
    NotAnAllowedDeviceDose,
    FirstSessionDose,
    RoundsToZero,
}

/// <summary>A reason the dose must not be given, naming the field at fault and the rule.</summary>
public sealed record DoseHardStop(DoseStopKind Kind, string Field, string Message);

/// <summary>What the dose calculation needs: the protocol, the physician's current order, the latest weight.</summary>
/// <param name="Protocol">The patient's protocol.</param>
/// <param name="Ordered">The current order, in the protocol's dose basis.</param>
/// <param name="LatestWeight">The most recent weight on record, or null when there is none.</param>
/// <param name="SessionNumberInCourse">1 for the first session of the course (esketamine's day-1 dose rule).</param>
/// <param name="At">When the dose is being prepared; the weight's age is measured to this instant.</param>
public sealed record DoseRequest(
    TreatmentProtocol Protocol, DoseAmount Ordered, RecordedWeight? LatestWeight, int SessionNumberInCourse, DateTimeOffset At);

/// <summary>
/// The dose to give, or the hard stops that forbid it. <see cref="Trace"/> shows the arithmetic in words, e.g.
/// "0.5 mg/kg × 82.4 kg = 41.2 mg → 41 mg (rounded to the nearest 1 mg)".
/// </summary>
public sealed record DoseCalculation(
    string ProtocolId,
    DoseAmount Ordered,
    WeightKg? WeightUsed,
    DoseMg? ExactDose,
    DoseMg? Dose,
    int? DeviceCount,
    string Trace,
    IReadOnlyList<DoseHardStop> HardStops)
{
    public bool IsAllowed => HardStops.Count == 0 && Dose is not null;
}

/// <summary>
/// Turns an order into a measurable dose with hard stops (REFERENCE.md §5): over the protocol's hard maximum or the
/// absolute mg cap, outside the protocol's range, no weight, a weight too old or implausible, an esketamine dose that
/// is not a whole allowed number of devices, or not 56 mg on the first session. Rounding: see <see cref="DoseRounding"/>.
/// </summary>
public static class DoseCalculator
{
    // Same tolerance as weight entry allows for clocks that differ a little (Patient.RecordWeight).
    private static readonly TimeSpan FutureTolerance = TimeSpan.FromMinutes(5);

    public static DoseCalculation Calculate(DoseRequest request, DosingSettings settings)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(request.Protocol);
        ArgumentOutOfRangeException.ThrowIfLessThan(request.SessionNumberInCourse, 1, nameof(request));
        var settingErrors = settings.Validate();
        if (settingErrors.Count > 0)
        {
            throw new ArgumentException("Dosing settings are invalid: " + string.Join("; ", settingErrors), nameof(settings));
        }

        var protocol = request.Protocol;
        var ordered = request.Ordered;
        var stops = new List<DoseHardStop>();
        if (ordered.Basis != protocol.DoseBasis)
        {
            stops.Add(new(DoseStopKind.WrongDoseBasis, "dose",
                $"the order {ordered} is not in the protocol's unit ({protocol.Dose.Default.Value.Unit}, {protocol.Name})."));
            return new DoseCalculation(protocol.Id, ordered, null, null, null, null, $"{ordered}: wrong unit for {protocol.Name}", stops);
        }

        CheckOrderWithinProtocol(protocol, ordered, stops);
        return protocol.DoseBasis switch
        {
            DoseBasis.MgPerKg => WeightBased(request, settings, stops),
            DoseBasis.FixedMg => Fixed(request, settings, stops),
            _ => Devices(request, stops),
        };
    }

    private static void CheckOrderWithinProtocol(TreatmentProtocol protocol, DoseAmount ordered, List<DoseHardStop> stops)
    {
        var dose = protocol.Dose;
        if (ordered > dose.HardMaximum.Value)
        {
            stops.Add(new(DoseStopKind.AboveHardMaximum, "dose",
                $"the order {ordered} is above the protocol's hard maximum {dose.HardMaximum.Value} ({dose.HardMaximum.Source})."));
        }
        else if (ordered > dose.Maximum.Value)
        {
            stops.Add(new(DoseStopKind.AboveProtocolMaximum, "dose",
                $"the order {ordered} is above the protocol's range {dose.Minimum.Value}–{dose.Maximum.Value}."));
        }

        if (ordered < dose.Minimum.Value)
        {
            stops.Add(new(DoseStopKind.BelowProtocolMinimum, "dose",
                $"the order {ordered} is below the protocol's range {dose.Minimum.Value}–{dose.Maximum.Value}."));
        }
    }

    private static DoseCalculation WeightBased(DoseRequest request, DosingSettings settings, List<DoseHardStop> stops)
    {
        var protocol = request.Protocol;
        var perKg = request.Ordered.AsMgPerKg();
        var weight = request.LatestWeight;
        if (weight is null)
        {
            stops.Add(new(DoseStopKind.WeightMissing, "weight", "no weight is on record: weigh the patient before a weight-based dose."));
            return Stopped(request, null, $"{perKg} × ? kg: no weight on record", stops);
        }

        var kg = weight.Weight;
        var age = request.At - weight.MeasuredAt;
        var measured = weight.MeasuredAt.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        if (age < -FutureTolerance)
        {
            stops.Add(new(DoseStopKind.WeightInFuture, "weight", $"the weight is dated {weight.MeasuredAt:O}, after the dose time: check the date."));
        }
        else if (age > TimeSpan.FromDays(settings.MaximumWeightAgeDays.Value))
        {
            stops.Add(new(DoseStopKind.WeightTooOld, "weight", string.Create(CultureInfo.InvariantCulture,
                $"the latest weight ({kg}, {measured}) is {(int)age.TotalDays} days old; weight-based doses need one from the last {settings.MaximumWeightAgeDays.Value} days ({settings.MaximumWeightAgeDays.Source}).")));
        }

        if (kg.Value < settings.MinimumPlausibleWeightKg.Value || kg.Value > settings.MaximumPlausibleWeightKg.Value)
        {
            stops.Add(new(DoseStopKind.WeightImplausible, "weight", string.Create(CultureInfo.InvariantCulture,
                $"{kg} is outside the plausible range {DoseText.Number(settings.MinimumPlausibleWeightKg.Value)}–{DoseText.Number(settings.MaximumPlausibleWeightKg.Value)} kg: re-weigh the patient.")));
        }

        var exact = perKg.For(kg);
        var calculation = $"{perKg} × {kg} = {exact}";
        if (stops.Count > 0)
        {
            return Stopped(request, kg, calculation, stops);
        }

        var hardLimit = protocol.Dose.HardMaximum.Value.AsMgPerKg().For(kg);
        var absolute = protocol.Dose.AbsoluteMaximum.Value;
        if (exact > absolute)
        {
            stops.Add(new(DoseStopKind.AboveAbsoluteMaximum, "dose",
                $"{calculation} is above the protocol's absolute maximum {absolute} ({protocol.Dose.AbsoluteMaximum.Source})."));
            return Stopped(request, kg, calculation, stops);
        }

        var limit = hardLimit < absolute ? hardLimit : absolute;
        var limitText = hardLimit < absolute
            ? $"hard maximum {protocol.Dose.HardMaximum.Value} × {kg} = {hardLimit}"
            : $"absolute maximum {absolute}";
        return Rounded(request, settings, kg, exact, limit, $"{calculation} → ", limitText, $"; weight {kg} measured {measured}; {limitText}", stops);
    }

    private static DoseCalculation Fixed(DoseRequest request, DosingSettings settings, List<DoseHardStop> stops)
    {
        var protocol = request.Protocol;
        var exact = request.Ordered.AsMg();
        if (stops.Count > 0)
        {
            return Stopped(request, null, $"{exact} (fixed dose)", stops);
        }

        var hard = protocol.Dose.HardMaximum.Value.AsMg();
        var absolute = protocol.Dose.AbsoluteMaximum.Value;
        if (exact > absolute)
        {
            stops.Add(new(DoseStopKind.AboveAbsoluteMaximum, "dose",
                $"{exact} is above the protocol's absolute maximum {absolute} ({protocol.Dose.AbsoluteMaximum.Source})."));
            return Stopped(request, null, $"{exact} (fixed dose)", stops);
        }

        var limit = hard < absolute ? hard : absolute;
        var limitText = hard < absolute ? $"hard maximum {hard}" : $"absolute maximum {absolute}";
        return Rounded(request, settings, null, exact, limit, $"{exact} (fixed dose) → ", limitText, string.Empty, stops);
    }

    private static DoseCalculation Rounded(
        DoseRequest request,
        DosingSettings settings,
        WeightKg? weight,
        DoseMg exact,
        DoseMg limit,
        string prefix,
        string limitText,
        string suffix,
        List<DoseHardStop> stops)
    {
        var precision = settings.MeasurablePrecision.Value;
        var rounded = DoseRounding.Round(exact, precision, limit);
        var how = rounded.Kind switch
        {
            DoseRoundingKind.Exact => $"already a multiple of {precision}",
            DoseRoundingKind.Nearest => $"rounded to the nearest {precision}",
            _ => $"rounded down to {precision}: the nearest step is above the {limitText}",
        };
        var trace = $"{prefix}{rounded.Dose} ({how}){suffix}";
        if (rounded.Dose.Value <= 0m)
        {
            stops.Add(new(DoseStopKind.RoundsToZero, "dose", $"{exact} rounds to 0 mg at a precision of {precision}."));
            return Stopped(request, weight, trace, stops) with { ExactDose = exact };
        }

        return new DoseCalculation(request.Protocol.Id, request.Ordered, weight, exact, rounded.Dose, null, trace, stops);
    }

    private static DoseCalculation Devices(DoseRequest request, List<DoseHardStop> stops)
    {
        var devices = request.Protocol.Devices!;
        var dose = request.Ordered.AsMg();
        var count = devices.DeviceCount(dose);
        var perDevice = devices.MgPerDevice.Value;
        if (count is null)
        {
            stops.Add(new(DoseStopKind.NotAnAllowedDeviceDose, "dose",
                $"{dose} is not an allowed device dose ({string.Join(" or ", devices.AllowedDoses.Value)}, in {perDevice} devices; {devices.AllowedDoses.Source})."));
        }

        if (request.SessionNumberInCourse == 1 && dose != devices.FirstSessionDose.Value)
        {
            stops.Add(new(DoseStopKind.FirstSessionDose, "dose",
                $"the first session's dose must be {devices.FirstSessionDose.Value} ({devices.FirstSessionDose.Source}); the order is {dose}."));
        }

        var absolute = request.Protocol.Dose.AbsoluteMaximum.Value;
        if (dose > absolute)
        {
            stops.Add(new(DoseStopKind.AboveAbsoluteMaximum, "dose", $"{dose} is above the protocol's absolute maximum {absolute}."));
        }

        var trace = count is null
            ? $"{dose}: not a whole allowed number of {perDevice} devices"
            : string.Create(CultureInfo.InvariantCulture, $"{dose} = {count} × {perDevice} devices, {devices.MinutesBetweenDevices.Value} minutes apart");
        return stops.Count > 0
            ? Stopped(request, null, trace, stops)
            : new DoseCalculation(request.Protocol.Id, request.Ordered, null, dose, dose, count, trace, stops);
    }

    private static DoseCalculation Stopped(DoseRequest request, WeightKg? weight, string trace, List<DoseHardStop> stops) =>
        new(request.Protocol.Id, request.Ordered, weight, null, null, null, trace + " — not allowed: " + string.Join(" ", stops.Select(s => s.Message)), stops);
}
