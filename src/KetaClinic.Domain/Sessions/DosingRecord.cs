using KetaClinic.Domain.Common;
using KetaClinic.Domain.Protocols;

namespace KetaClinic.Domain.Sessions;

/// <summary>
/// The dose given at a session: the calculated dose and its trace, what was actually given and how, by whom, from
/// which product and lot. Only <see cref="Create"/> makes one, so a record in hand obeys every rule: the calculation
/// had no hard stop, the dose is not above the protocol's hard maximum, a difference from the calculation has a
/// reason, times are in order, device doses are whole devices spaced as the protocol says, and a second person
/// confirmed the calculation where the clinic requires it.
/// </summary>
public sealed class DosingRecord
{
    public const int ReasonMaxLength = 1000;

    private DosingRecord(DosingRecordInput input, TreatmentProtocol protocol, decimal? volume, int? deviceCount)
    {
        Id = input.Id;
        SessionId = input.SessionId;
        PatientId = input.PatientId;
        ProtocolId = protocol.Id;
        CalculatedDose = input.Calculation.Dose!.Value;
        CalculationTrace = input.Calculation.Trace;
        GivenDose = input.GivenDose;
        DoseDifferenceReason = input.DoseDifferenceReason?.Trim();
        Route = input.Route;
        Site = input.Site?.Trim();
        StartedAt = input.StartedAt;
        EndedAt = input.EndedAt;
        DurationDifferenceReason = input.DurationDifferenceReason?.Trim();
        InfusionVolumeMl = volume;
        DeviceCount = deviceCount;
        DeviceTimes = input.DeviceTimes is null ? [] : [.. input.DeviceTimes];
        Product = input.Product with { Name = input.Product.Name.Trim(), Lot = input.Product.Lot.Trim() };
        PreparedBy = input.PreparedBy;
        AdministeredBy = input.AdministeredBy;
        SecondCheck = input.SecondCheck;
    }

    public Guid Id { get; }

    public Guid SessionId { get; }

    public Guid PatientId { get; }

    public string ProtocolId { get; }

    public DoseMg CalculatedDose { get; }

    public string CalculationTrace { get; }

    public DoseMg GivenDose { get; }

    public string? DoseDifferenceReason { get; }

    public AdministrationRoute Route { get; }

    public string? Site { get; }

    public DateTimeOffset StartedAt { get; }

    public DateTimeOffset EndedAt { get; }

    public decimal DurationMinutes => (decimal)(EndedAt - StartedAt).TotalMinutes;

    public string? DurationDifferenceReason { get; }

    public decimal? InfusionVolumeMl { get; }

    /// <summary>Volume over time, mL/h, rounded to 0.1 mL/h; intravenous only.</summary>
    public decimal? InfusionRateMlPerHour => InfusionVolumeMl is { } ml && DurationMinutes > 0m
        ? Math.Round(ml * 60m / DurationMinutes, 1, MidpointRounding.AwayFromZero)
        : null;

    /// <summary>Dose over time, mg/min, rounded to 0.01 mg/min; intravenous only.</summary>
    public decimal? DoseRateMgPerMinute => InfusionVolumeMl is not null && DurationMinutes > 0m
        ? Math.Round(GivenDose.Value / DurationMinutes, 2, MidpointRounding.AwayFromZero)
        : null;

    /// <summary>Devices used (intranasal esketamine), else null.</summary>
    public int? DeviceCount { get; }

    public IReadOnlyList<DateTimeOffset> DeviceTimes { get; }

    public DrugProduct Product { get; }

    public SessionActor PreparedBy { get; }

    public SessionActor AdministeredBy { get; }

    public CalculationCheck? SecondCheck { get; }

    /// <summary>What the controlled-substance ledger records for this dose.</summary>
    public AdministeredDose ToAdministeredDose() =>
        new(SessionId, PatientId, Id, Product.ProductId, Product.Name, Product.Lot, GivenDose, AdministeredBy, EndedAt);

    /// <summary>Checks the input against the protocol and settings; throws <see cref="DomainValidationException"/> naming every broken rule.</summary>
    public static DosingRecord Create(DosingRecordInput input, TreatmentProtocol protocol, DosingRecordSettings settings)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(protocol);
        ArgumentNullException.ThrowIfNull(settings);
        var v = new Validator();
        var calculated = CheckCalculation(v, input, protocol);
        CheckGivenDose(v, input, protocol, calculated);
        if (input.Route != protocol.Route)
        {
            v.Add("route", $"{SessionText.Route(input.Route)} is not the protocol's route ({SessionText.Route(protocol.Route)}, {protocol.Name}).");
        }

        CheckSite(v, input, settings);
        CheckTimes(v, input, protocol, settings);
        var volume = CheckInfusion(v, input, settings);
        var devices = CheckDevices(v, input, protocol);
        CheckPeople(v, input, settings);
        if (input.Product is null)
        {
            v.Add("product", "is required.");
        }
        else
        {
            v.Text("product.name", input.Product.Name, 200, required: true);
            v.Text("product.lot", input.Product.Lot, 64, required: true);
            if (input.Product.ProductId == Guid.Empty)
            {
                v.Add("product.productId", "is required.");
            }
        }

        if (!v.IsValid)
        {
            throw new DomainValidationException(v.Errors);
        }

        return new DosingRecord(input, protocol, volume, devices);
    }

    private static DoseMg? CheckCalculation(Validator v, DosingRecordInput input, TreatmentProtocol protocol)
    {
        var calculation = input.Calculation;
        if (calculation is null)
        {
            v.Add("calculation", "is required (the dose calculated from the plan).");
            return null;
        }

        if (!string.Equals(calculation.ProtocolId, protocol.Id, StringComparison.Ordinal))
        {
            v.Add("calculation", $"was made for protocol '{calculation.ProtocolId}', not '{protocol.Id}'.");
            return null;
        }

        if (!calculation.IsAllowed)
        {
            v.Add("calculation", "has hard stops and may not be given: " + string.Join(" ", calculation.HardStops.Select(s => s.Message)));
            return null;
        }

        return calculation.Dose;
    }

    private static void CheckGivenDose(Validator v, DosingRecordInput input, TreatmentProtocol protocol, DoseMg? calculated)
    {
        var given = input.GivenDose;
        if (given.Value <= 0m)
        {
            v.Add("givenDose", "must be more than 0 mg.");
            return;
        }

        var limits = protocol.Dose;
        var absolute = limits.AbsoluteMaximum.Value;
        DoseMg? hard = protocol.DoseBasis switch
        {
            DoseBasis.MgPerKg when input.Calculation?.WeightUsed is { } kg => limits.HardMaximum.Value.AsMgPerKg().For(kg),
            DoseBasis.MgPerKg => null,
            _ => limits.HardMaximum.Value.AsMg(),
        };
        if (hard is { } h && given > h)
        {
            v.Add("givenDose", $"{given} is above the protocol's hard maximum {h} ({limits.HardMaximum.Value}; {limits.HardMaximum.Source}): refused.");
        }
        else if (given > absolute)
        {
            v.Add("givenDose", $"{given} is above the protocol's absolute maximum {absolute} ({limits.AbsoluteMaximum.Source}): refused.");
        }

        if (calculated is { } calc && given != calc)
        {
            v.Text("doseDifferenceReason", input.DoseDifferenceReason, ReasonMaxLength, required: false);
            if (string.IsNullOrWhiteSpace(input.DoseDifferenceReason))
            {
                v.Add("doseDifferenceReason", $"is required: {given} was given but {calc} was calculated.");
            }
        }
    }

    private static void CheckSite(Validator v, DosingRecordInput input, DosingRecordSettings settings)
    {
        switch (input.Route)
        {
            case AdministrationRoute.Intramuscular:
                var sites = settings.IntramuscularSites.Value;
                if (string.IsNullOrWhiteSpace(input.Site))
                {
                    v.Add("site", $"is required for an intramuscular injection ({string.Join(", ", sites)}).");
                }
                else if (!sites.Contains(input.Site.Trim(), StringComparer.Ordinal))
                {
                    v.Add("site", $"'{input.Site.Trim()}' is not an intramuscular site the clinic records ({string.Join(", ", sites)}).");
                }

                break;
            case AdministrationRoute.Intravenous:
                v.Text("site", input.Site, 200, required: true);
                break;
            default:
                v.Text("site", input.Site, 200, required: false);
                break;
        }
    }

    private static void CheckTimes(Validator v, DosingRecordInput input, TreatmentProtocol protocol, DosingRecordSettings settings)
    {
        if (input.EndedAt < input.StartedAt)
        {
            v.Add("endedAt", $"{SessionText.DateTime(input.EndedAt)} is before the start {SessionText.DateTime(input.StartedAt)}.");
            return;
        }

        if (input.Route != AdministrationRoute.Intravenous)
        {
            return;
        }

        var expected = protocol.Timing.AdministrationMinutes;
        var tolerance = settings.InfusionDurationToleranceMinutes;
        var minutes = (decimal)(input.EndedAt - input.StartedAt).TotalMinutes;
        if (minutes <= 0m)
        {
            v.Add("endedAt", "an infusion must last more than 0 minutes.");
            return;
        }

        if (Math.Abs(minutes - expected.Value) > tolerance.Value)
        {
            v.Text("durationDifferenceReason", input.DurationDifferenceReason, ReasonMaxLength, required: false);
            if (string.IsNullOrWhiteSpace(input.DurationDifferenceReason))
            {
                v.Add("durationDifferenceReason", $"is required: the infusion ran {SessionText.Number(Math.Round(minutes, 1))} minutes; the protocol gives {SessionText.Minutes(expected.Value)} ({expected.Source}) ± {SessionText.Minutes(tolerance.Value)}.");
            }
        }
    }

    private static decimal? CheckInfusion(Validator v, DosingRecordInput input, DosingRecordSettings settings)
    {
        if (input.Route != AdministrationRoute.Intravenous)
        {
            if (input.InfusionVolumeMl is not null)
            {
                v.Add("infusionVolumeMl", "applies to intravenous infusions only.");
            }

            return null;
        }

        var max = settings.MaximumInfusionVolumeMl.Value;
        if (input.InfusionVolumeMl is not { } ml)
        {
            v.Add("infusionVolumeMl", "is required for an infusion (the rate is derived from it).");
            return null;
        }

        if (ml <= 0m || ml > max)
        {
            v.Add("infusionVolumeMl", $"must be more than 0 and at most {SessionText.Number(max)} mL.");
            return null;
        }

        return ml;
    }

    private static int? CheckDevices(Validator v, DosingRecordInput input, TreatmentProtocol protocol)
    {
        if (protocol.Devices is not { } rules)
        {
            if (input.DeviceTimes is { Count: > 0 })
            {
                v.Add("deviceTimes", $"apply only to device protocols; {protocol.Name} is not one.");
            }

            return null;
        }

        var perDevice = rules.MgPerDevice.Value;
        var exact = input.GivenDose.Value / perDevice.Value;
        if (exact != decimal.Truncate(exact))
        {
            v.Add("givenDose", $"{input.GivenDose} is not a whole number of {perDevice} devices ({rules.MgPerDevice.Source}).");
            return null;
        }

        var count = (int)exact;
        var times = input.DeviceTimes ?? [];
        if (times.Count != count)
        {
            v.Add("deviceTimes", $"{input.GivenDose} is {SessionText.Number(count)} devices of {perDevice}; {SessionText.Number(times.Count)} device times were recorded ({rules.AllowedDoses.Source}).");
            return null;
        }

        var gap = TimeSpan.FromMinutes(rules.MinutesBetweenDevices.Value);
        for (var i = 0; i < times.Count; i++)
        {
            if (times[i] < input.StartedAt || times[i] > input.EndedAt)
            {
                v.Add($"deviceTimes[{SessionText.Number(i)}]", "must lie between the start and the end of dosing.");
            }

            if (i > 0 && times[i] - times[i - 1] < gap)
            {
                v.Add($"deviceTimes[{SessionText.Number(i)}]", $"device {SessionText.Number(i + 1)} came {SessionText.Minutes(times[i] - times[i - 1])} after the previous one; at least {SessionText.Minutes(rules.MinutesBetweenDevices.Value)} are needed ({rules.MinutesBetweenDevices.Source}).");
            }
        }

        if (times.Count > 0 && (times[0] != input.StartedAt || times[^1] != input.EndedAt))
        {
            v.Add("deviceTimes", "the first device time is the start of dosing and the last is its end.");
        }

        return count;
    }

    private static void CheckPeople(Validator v, DosingRecordInput input, DosingRecordSettings settings)
    {
        SessionActor.Check(v, "preparedBy", input.PreparedBy);
        SessionActor.Check(v, "administeredBy", input.AdministeredBy);
        if (!settings.SecondPersonCheckRoutes.Value.Contains(input.Route))
        {
            return;
        }

        if (input.SecondCheck is not { } check)
        {
            v.Add("secondCheck", $"is required: the clinic asks a second person to confirm the calculation for {SessionText.Route(input.Route)} doses ({settings.SecondPersonCheckRoutes.Source}).");
            return;
        }

        SessionActor.Check(v, "secondCheck.by", check.By);
        if (input.PreparedBy is not null && check.By is not null && check.By.IsSameUserAs(input.PreparedBy))
        {
            v.Add("secondCheck.by", "must be a different person from the one who prepared the dose.");
        }

        if (check.At > input.StartedAt)
        {
            v.Add("secondCheck.at", "the calculation is confirmed before the dose starts.");
        }
    }
}
