using KetaClinic.Domain.Common;
using KetaClinic.Domain.Protocols;
using KetaClinic.Domain.Sessions;
using static KetaClinic.Domain.Tests.Sessions.SessionFixtures;

namespace KetaClinic.Domain.Tests.Sessions;

public class DosingRecordTests
{
    private static readonly DateTimeOffset Start = T0.AddMinutes(15);

    private static DosingRecordInput Input(TreatmentProtocol protocol) => RecordInput(DosingSession(protocol), Start);

    private static DosingRecord Create(DosingRecordInput input, TreatmentProtocol protocol) =>
        DosingRecord.Create(input, protocol, Settings.DosingRecord);

    private static IReadOnlyList<string> Fields(DosingRecordInput input, TreatmentProtocol protocol) =>
        [.. Assert.Throws<DomainValidationException>(() => Create(input, protocol)).Errors.Select(e => e.Field)];

    [Fact]
    public void An_iv_record_derives_the_rate_in_ml_per_hour_and_mg_per_minute()
    {
        var record = Create(Input(Iv), Iv);

        Assert.Equal(new DoseMg(40m), record.CalculatedDose);
        Assert.Equal(new DoseMg(40m), record.GivenDose);
        Assert.Equal("0.5 mg/kg × 80 kg = 40 mg → 40 mg (already a multiple of 1 mg); weight 80 kg measured 2026-02-21; hard maximum 0.75 mg/kg × 80 kg = 60 mg", record.CalculationTrace);
        Assert.Equal(40m, record.DurationMinutes);
        Assert.Equal(150m, record.InfusionRateMlPerHour);
        Assert.Equal(1m, record.DoseRateMgPerMinute);
        Assert.Null(record.DeviceCount);
    }

    [Fact]
    public void The_record_is_the_seam_the_ledger_consumes()
    {
        var input = Input(Iv);
        var record = Create(input, Iv);

        var dose = record.ToAdministeredDose();

        Assert.Equal(new AdministeredDose(input.SessionId, PatientId, input.Id, input.Product.ProductId, "Ketamine 50 mg/mL vial", "LOT-42", new DoseMg(40m), Nurse, Start.AddMinutes(40)), dose);
    }

    [Fact]
    public void A_dose_different_from_the_calculation_needs_a_reason()
    {
        var input = Input(Iv) with { GivenDose = new DoseMg(35m) };

        Assert.Equal(["doseDifferenceReason"], Fields(input, Iv));
        Assert.Equal(new DoseMg(35m), Create(input with { DoseDifferenceReason = "Line occluded for 5 minutes" }, Iv).GivenDose);
    }

    [Fact]
    public void A_dose_above_the_hard_maximum_for_the_weight_is_refused_whatever_the_reason()
    {
        // 0.75 mg/kg × 80 kg = 60 mg.
        var input = Input(Iv) with { GivenDose = new DoseMg(61m), DoseDifferenceReason = "Physician asked for more" };

        var error = Assert.Throws<DomainValidationException>(() => Create(input, Iv));

        Assert.Equal("givenDose", Assert.Single(error.Errors).Field);
        Assert.Contains("hard maximum 60 mg", error.Message, StringComparison.Ordinal);
        Assert.Equal(new DoseMg(60m), Create(input with { GivenDose = new DoseMg(60m) }, Iv).GivenDose);
    }

    [Fact]
    public void A_calculation_with_hard_stops_cannot_be_recorded_as_given()
    {
        var stopped = DoseCalculator.Calculate(new DoseRequest(Iv, Iv.Dose.Default.Value, null, 1, Start), DosingSettings.Default);

        Assert.Contains("calculation", Fields(Input(Iv) with { Calculation = stopped, GivenDose = new DoseMg(40m) }, Iv));
    }

    [Fact]
    public void A_calculation_for_another_protocol_is_refused()
    {
        Assert.Contains("calculation", Fields(Input(Iv) with { Calculation = Calculation(Im, Start) }, Iv));
    }

    [Fact]
    public void The_route_must_be_the_protocols()
    {
        Assert.Contains("route", Fields(Input(Iv) with { Route = AdministrationRoute.Intramuscular, Site = "deltoid-left" }, Iv));
    }

    [Fact]
    public void The_end_may_not_come_before_the_start()
    {
        Assert.Equal(["endedAt"], Fields(Input(Iv) with { EndedAt = Start.AddMinutes(-1) }, Iv));
    }

    [Theory]
    [InlineData(35, false)]
    [InlineData(45, false)]
    [InlineData(34, true)]
    [InlineData(46, true)]
    [InlineData(20, true)]
    public void An_infusion_outside_the_protocol_time_and_tolerance_needs_a_reason(int minutes, bool needsReason)
    {
        var input = Input(Iv) with { EndedAt = Start.AddMinutes(minutes) };

        if (needsReason)
        {
            Assert.Equal(["durationDifferenceReason"], Fields(input, Iv));
            Create(input with { DurationDifferenceReason = "Pump alarm, paused" }, Iv);
        }
        else
        {
            Create(input, Iv);
        }
    }

    [Fact]
    public void An_infusion_needs_its_volume_and_site()
    {
        Assert.Equal(["site", "infusionVolumeMl"], Fields(Input(Iv) with { Site = null, InfusionVolumeMl = null }, Iv));
        Assert.Equal(["infusionVolumeMl"], Fields(Input(Iv) with { InfusionVolumeMl = 0m }, Iv));
    }

    [Fact]
    public void An_intramuscular_injection_names_a_known_site()
    {
        var input = Input(Im);
        Assert.Equal("deltoid-left", Create(input, Im).Site);
        Assert.Equal(["site"], Fields(input with { Site = null }, Im));
        Assert.Equal(["site"], Fields(input with { Site = "forearm" }, Im));
        Assert.Equal(["infusionVolumeMl"], Fields(input with { InfusionVolumeMl = 5m }, Im));
    }

    [Fact]
    public void A_second_person_confirms_the_calculation_for_injected_doses()
    {
        Assert.Equal(["secondCheck"], Fields(Input(Iv) with { SecondCheck = null }, Iv));
        Assert.Equal(["secondCheck.by"], Fields(Input(Iv) with { SecondCheck = new CalculationCheck(Nurse with { Name = "N. Nurse" }, Start.AddMinutes(-1)) }, Iv));
        Assert.Equal(["secondCheck.at"], Fields(Input(Iv) with { SecondCheck = new CalculationCheck(SecondNurse, Start.AddMinutes(1)) }, Iv));
        Assert.Equal(["secondCheck"], Fields(Input(Im) with { SecondCheck = null }, Im));
    }

    [Fact]
    public void The_second_check_follows_the_clinic_setting()
    {
        var settings = Settings.DosingRecord with { SecondPersonCheckRoutes = new([], "clinic policy: single-nurse unit") };

        var record = DosingRecord.Create(Input(Iv) with { SecondCheck = null }, Iv, settings);

        Assert.Null(record.SecondCheck);
    }

    [Fact]
    public void Esketamine_56_mg_is_two_devices_five_minutes_apart()
    {
        var record = Create(Input(Esketamine), Esketamine);

        Assert.Equal(2, record.DeviceCount);
        Assert.Equal([Start, Start.AddMinutes(5)], record.DeviceTimes);
        Assert.Null(record.InfusionRateMlPerHour);
    }

    [Fact]
    public void Esketamine_84_mg_is_three_devices()
    {
        var calculation = Calculation(Esketamine, Start, DoseAmount.InDevices(new DoseMg(84m)), sessionNumber: 3);
        var input = Input(Esketamine) with
        {
            Calculation = calculation,
            GivenDose = new DoseMg(84m),
            EndedAt = Start.AddMinutes(10),
            DeviceTimes = [Start, Start.AddMinutes(5), Start.AddMinutes(10)],
        };

        Assert.Equal(3, Create(input, Esketamine).DeviceCount);
        Assert.Equal(["deviceTimes"], Fields(input with { DeviceTimes = [Start, Start.AddMinutes(10)] }, Esketamine));
    }

    [Fact]
    public void Devices_less_than_five_minutes_apart_are_refused()
    {
        var input = Input(Esketamine) with { EndedAt = Start.AddMinutes(4), DeviceTimes = [Start, Start.AddMinutes(4)] };

        var error = Assert.Throws<DomainValidationException>(() => Create(input, Esketamine));

        Assert.Equal("deviceTimes[1]", Assert.Single(error.Errors).Field);
        Assert.Contains("at least 5 minutes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_device_dose_must_be_whole_devices_and_never_above_84_mg()
    {
        Assert.Contains("givenDose", Fields(Input(Esketamine) with { GivenDose = new DoseMg(50m), DoseDifferenceReason = "x" }, Esketamine));
        Assert.Contains("givenDose", Fields(Input(Esketamine) with { GivenDose = new DoseMg(112m), DoseDifferenceReason = "x" }, Esketamine));
    }

    [Fact]
    public void Product_lot_and_people_are_required()
    {
        var input = Input(Iv) with
        {
            Product = new DrugProduct(Guid.Empty, " ", ""),
            PreparedBy = new SessionActor("", "Someone", StaffRole.Nurse),
        };

        Assert.Equal(["preparedBy.userId", "product.lot", "product.name", "product.productId"], Fields(input, Iv).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Completing_dosing_checks_the_record_belongs_to_the_session()
    {
        var session = DosingSession();
        var other = DosingSession();
        var record = Create(RecordInput(other, Start), Iv);

        var error = Assert.Throws<DomainValidationException>(() => session.CompleteDosing(record, Nurse, Start.AddMinutes(41)));

        Assert.Equal("dosingRecord.sessionId", Assert.Single(error.Errors).Field);
        Assert.Equal(SessionState.Dosing, session.State);
    }

    [Fact]
    public void A_record_ending_after_the_moment_it_is_recorded_is_refused()
    {
        var session = DosingSession();
        var record = Create(RecordInput(session, Start), Iv);

        var error = Assert.Throws<DomainValidationException>(() => session.CompleteDosing(record, Nurse, Start.AddMinutes(39)));

        Assert.Equal("dosingRecord.endedAt", Assert.Single(error.Errors).Field);
    }

    [Fact]
    public void A_record_starting_before_the_checks_passed_is_refused()
    {
        var session = DosingSession();
        var record = Create(RecordInput(session, T0.AddMinutes(5)), Iv);

        var error = Assert.Throws<DomainValidationException>(() => session.CompleteDosing(record, Nurse, T0.AddMinutes(50)));

        Assert.Equal("dosingRecord.startedAt", Assert.Single(error.Errors).Field);
    }
}
