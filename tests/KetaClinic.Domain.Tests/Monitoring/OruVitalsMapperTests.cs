using KetaClinic.Domain.Evaluation;
using KetaClinic.Domain.Monitoring;
using KetaClinic.Domain.Monitoring.Hl7;

namespace KetaClinic.Domain.Tests.Monitoring;

public class OruVitalsMapperTests
{
    private static readonly TimeSpan Cst = TimeSpan.FromHours(-6);

    private static OruVitalsResult Map(string text, VitalsMappingSettings? settings = null) =>
        OruVitalsMapper.Map(Samples.Parse(text), settings ?? VitalsMappingSettings.Default, Samples.Chicago, Samples.ReceivedAt);

    private static RejectedObservation RejectedOnly(string obx)
    {
        var result = Map(Samples.Oru(obx));
        Assert.Empty(result.Accepted);
        return Assert.Single(result.Rejected);
    }

    private static VitalObservation AcceptedOnly(string obx)
    {
        var result = Map(Samples.Oru(obx));
        Assert.Empty(result.Rejected);
        return Assert.Single(result.Accepted);
    }

    [Fact]
    public void A_monitor_with_mdc_codes_yields_its_vitals_with_loinc_codes_and_device()
    {
        var result = Map(Samples.MdcMonitor());

        Assert.Null(result.Failure);
        Assert.Equal("PHL000123", result.ControlId);
        Assert.Equal(
            [
                (VitalKind.OxygenSaturation, 97m, VitalUnit.Percent),
                (VitalKind.HeartRate, 72m, VitalUnit.BeatsPerMinute),
                (VitalKind.SystolicBloodPressure, 128m, VitalUnit.MillimetresOfMercury),
                (VitalKind.DiastolicBloodPressure, 82m, VitalUnit.MillimetresOfMercury),
                (VitalKind.RespiratoryRate, 14m, VitalUnit.BreathsPerMinute),
                (VitalKind.BodyTemperature, 36.8m, VitalUnit.DegreesCelsius),
            ],
            result.Accepted.Select(o => (o.Kind, o.Value.Amount, o.Value.Unit)));
        var spo2 = result.Accepted[0];
        Assert.Equal(["59408-5", "2708-6"], spo2.LoincCodes);
        Assert.Equal(new DateTimeOffset(2026, 3, 3, 10, 15, 0, Cst), spo2.ObservedAt);
        Assert.Equal(new DeviceIdentity("IntelliVue-GW^0012A3FFFE000001^EUI-64", "ICU", "0012A3FFFE4B5C6D^EUI-64", "INFUSION^CHAIR3^1"), spo2.Device);
        Assert.Equal("150456^MDC_PULS_OXIM_SAT_O2^MDC", spo2.ObservationCode);
        Assert.Equal("R", spo2.ResultStatus);
        Assert.Equal("MRN12345", spo2.ReportedPatientId);
        Assert.Equal(new DateTimeOffset(2026, 3, 3, 10, 14, 0, Cst), result.Accepted[2].ObservedAt);
    }

    [Fact]
    public void Device_hierarchy_rows_and_untracked_parameters_are_reported_as_not_a_vital_sign()
    {
        var result = Map(Samples.MdcMonitor());

        Assert.Equal(2, result.Rejected.Count);
        Assert.All(result.Rejected, r => Assert.Equal(ObservationRejectionReason.NotAVitalSign, r.Reason));
        Assert.Equal(["69965^MDC_DEV_MON_PHYSIO_MULTI_PARAM_MDS^MDC", "150023^MDC_PRESS_BLD_NONINV_MEAN^MDC"], result.Rejected.Select(r => r.ObservationCode));
        Assert.Equal(new Hl7Location("OBX", 10, 3), result.Rejected[1].Location);
    }

    [Fact]
    public void A_monitor_with_loinc_codes_yields_its_vitals_in_stored_units_and_clinic_time()
    {
        var result = Map(Samples.LoincMonitor());

        Assert.Empty(result.Rejected);
        Assert.Equal(
            [
                (VitalKind.HeartRate, 64m),
                (VitalKind.SystolicBloodPressure, 132m),
                (VitalKind.DiastolicBloodPressure, 84m),
                (VitalKind.OxygenSaturation, 96m),
                (VitalKind.RespiratoryRate, 16m),
                (VitalKind.BodyTemperature, 37m),
            ],
            result.Accepted.Select(o => (o.Kind, o.Value.Amount)));
        Assert.Equal(new DateTimeOffset(2026, 3, 3, 10, 15, 0, Cst), result.Accepted[0].ObservedAt);
        Assert.Equal(new DateTimeOffset(2026, 3, 3, 10, 12, 0, Cst), result.Accepted[1].ObservedAt);
        Assert.Equal(new DeviceIdentity("CARESCAPE", "GEHC", null, "INF^BAY2^B"), result.Accepted[0].Device);
    }

    [Theory]
    [InlineData("OBX|1|NM|8867-4^Heart rate^LN||72|/min|||||F", VitalKind.HeartRate)]
    [InlineData("OBX|1|NM|8480-6^SBP^LN||120|mm[Hg]|||||F", VitalKind.SystolicBloodPressure)]
    [InlineData("OBX|1|NM|8462-4^DBP^LN||80|mm[Hg]|||||F", VitalKind.DiastolicBloodPressure)]
    [InlineData("OBX|1|NM|9279-1^RR^LN||14|/min|||||F", VitalKind.RespiratoryRate)]
    [InlineData("OBX|1|NM|2708-6^SpO2^LN||98|%|||||F", VitalKind.OxygenSaturation)]
    [InlineData("OBX|1|NM|59408-5^SpO2^LN||98|%|||||F", VitalKind.OxygenSaturation)]
    [InlineData("OBX|1|NM|8310-5^Temp^LN||37.1|Cel|||||F", VitalKind.BodyTemperature)]
    [InlineData("OBX|1|NM|147842^MDC_ECG_HEART_RATE^MDC||72|264864^MDC_DIM_BEAT_PER_MIN^MDC|||||R", VitalKind.HeartRate)]
    [InlineData("OBX|1|NM|150301^MDC_PRESS_CUFF_SYS^MDC||120|266016^MDC_DIM_MMHG^MDC|||||R", VitalKind.SystolicBloodPressure)]
    [InlineData("OBX|1|NM|150364^MDC_TEMP_BODY^mdc||37.1|268192^MDC_DIM_DEGC^MDC|||||R", VitalKind.BodyTemperature)]
    [InlineData("OBX|1|NM|X1^vendor HR^99VND^8867-4^Heart rate^LN||72|/min|||||F", VitalKind.HeartRate)]
    public void Loinc_codes_and_device_codes_map_to_vital_kinds(string obx, VitalKind kind) =>
        Assert.Equal(kind, AcceptedOnly(obx).Kind);

    [Fact]
    public void A_clinic_can_map_a_vendor_code_through_settings()
    {
        var settings = VitalsMappingSettings.Default with
        {
            Codes = [.. VitalsMappingSettings.Default.Codes, new ObservationCodeMapping("99GE", "HR-ECG", VitalKind.HeartRate, "Clinic device list")],
        };

        var result = Map(Samples.Oru("OBX|1|NM|HR-ECG^ECG heart rate^99GE||66|bpm|||||F"), settings);

        Assert.Equal(66m, Assert.Single(result.Accepted).Value.Amount);
    }

    [Fact]
    public void A_code_in_another_coding_system_does_not_match()
    {
        var rejected = RejectedOnly("OBX|1|NM|8867-4^Heart rate^SCT||72|/min|||||F");

        Assert.Equal(ObservationRejectionReason.NotAVitalSign, rejected.Reason);
        Assert.Null(rejected.Kind);
    }

    [Theory]
    [InlineData("mm[Hg]", "120", 120)]
    [InlineData("mmHg", "120", 120)]
    [InlineData("266016^MDC_DIM_MMHG^MDC", "120", 120)]
    [InlineData("^mm Hg", "120", 120)]
    [InlineData("kPa", "16", 120)]
    [InlineData("265987^MDC_DIM_KILO_PASCAL^MDC", "16", 120)]
    public void Pressure_units_are_checked_and_kilopascal_converted(string units, string value, decimal mmHg) =>
        Assert.Equal(mmHg, AcceptedOnly($"OBX|1|NM|8480-6^SBP^LN||{value}|{units}|||||F").Value.Amount);

    [Theory]
    [InlineData("Cel", "37.2", 37.2)]
    [InlineData("degC", "37.2", 37.2)]
    [InlineData("[degF]", "98.6", 37)]
    [InlineData("degF", "100.4", 38)]
    [InlineData("266560^MDC_DIM_FAHR^MDC", "99.5", 37.5)]
    public void Temperature_units_are_checked_and_fahrenheit_converted(string units, string value, decimal celsius) =>
        Assert.Equal(celsius, AcceptedOnly($"OBX|1|NM|8310-5^Temp^LN||{value}|{units}|||||F").Value.Amount);

    [Theory]
    [InlineData("8867-4^HR^LN", "bpm")]
    [InlineData("8867-4^HR^LN", "{beats}/min")]
    [InlineData("9279-1^RR^LN", "{breaths}/min")]
    [InlineData("9279-1^RR^LN", "264928^MDC_DIM_RESP_PER_MIN^MDC")]
    [InlineData("2708-6^SpO2^LN", "262688^MDC_DIM_PERCENT^MDC")]
    public void Common_rate_and_percent_spellings_are_accepted(string code, string units) =>
        AcceptedOnly($"OBX|1|NM|{code}||80|{units}|||||F");

    [Theory]
    [InlineData("8480-6^SBP^LN", "%")]
    [InlineData("8867-4^HR^LN", "mm[Hg]")]
    [InlineData("2708-6^SpO2^LN", "/min")]
    [InlineData("8310-5^Temp^LN", "K")]
    [InlineData("8310-5^Temp^LN", "C")]
    public void A_unit_that_does_not_fit_the_vital_is_rejected(string code, string units)
    {
        var rejected = RejectedOnly($"OBX|1|NM|{code}||80|{units}|||||F");

        Assert.Equal(ObservationRejectionReason.UnitNotAccepted, rejected.Reason);
        Assert.Equal(6, rejected.Location.Field);
    }

    [Fact]
    public void A_value_without_a_unit_is_rejected()
    {
        var rejected = RejectedOnly("OBX|1|NM|2708-6^SpO2^LN||98||||||F");

        Assert.Equal(ObservationRejectionReason.MissingUnit, rejected.Reason);
        Assert.Contains("OBX-6", rejected.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("^120")]
    [InlineData("=^120")]
    [InlineData("^120^^")]
    public void Structured_numerics_that_state_one_value_are_accepted(string value) =>
        Assert.Equal(120m, AcceptedOnly($"OBX|1|SN|8480-6^SBP^LN||{value}|mm[Hg]|||||F").Value.Amount);

    [Theory]
    [InlineData(">^120")]
    [InlineData("<^60")]
    [InlineData("^120^/^80")]
    [InlineData("^100^-^120")]
    [InlineData("^120&1")]
    [InlineData("120")]
    public void Structured_numerics_with_comparators_ranges_or_ratios_are_not_measurements(string value) =>
        Assert.Equal(ObservationRejectionReason.NotANumber, RejectedOnly($"OBX|1|SN|8480-6^SBP^LN||{value}|mm[Hg]|||||F").Reason);

    [Theory]
    [InlineData("12O")]
    [InlineData("1,5")]
    [InlineData("1e2")]
    [InlineData("1.2.3")]
    [InlineData("-")]
    [InlineData("\"\"")]
    [InlineData("120^")]
    [InlineData("120&1")]
    [InlineData("120~121")]
    [InlineData("123456789012345678901")]
    public void Numeric_values_must_be_plain_numbers(string value) =>
        Assert.Equal(ObservationRejectionReason.NotANumber, RejectedOnly($"OBX|1|NM|8867-4^HR^LN||{value}|/min|||||F").Reason);

    [Theory]
    [InlineData(" 72 ", 72)]
    [InlineData("+72", 72)]
    [InlineData("072.0", 72)]
    [InlineData("72.", 72)]
    public void Numeric_values_allow_sign_leading_zeros_and_surrounding_spaces(string value, decimal expected) =>
        Assert.Equal(expected, AcceptedOnly($"OBX|1|NM|8867-4^HR^LN||{value}|/min|||||F").Value.Amount);

    [Theory]
    [InlineData("ST")]
    [InlineData("TX")]
    [InlineData("CWE")]
    [InlineData("")]
    public void Value_types_other_than_nm_and_sn_are_not_read(string type)
    {
        var rejected = RejectedOnly($"OBX|1|{type}|8867-4^HR^LN||72|/min|||||F");

        Assert.Equal(ObservationRejectionReason.UnsupportedValueType, rejected.Reason);
        Assert.Equal(2, rejected.Location.Field);
    }

    [Fact]
    public void An_empty_value_is_rejected() =>
        Assert.Equal(ObservationRejectionReason.MissingValue, RejectedOnly("OBX|1|NM|8867-4^HR^LN|||/min|||||F").Reason);

    [Theory]
    [InlineData("F")]
    [InlineData("C")]
    [InlineData("R")]
    public void Final_corrected_and_device_results_are_stored(string status) =>
        Assert.Equal(status, AcceptedOnly($"OBX|1|NM|8867-4^HR^LN||72|/min|||||{status}").ResultStatus);

    [Theory]
    [InlineData("P")]
    [InlineData("X")]
    [InlineData("D")]
    [InlineData("W")]
    [InlineData("f")]
    public void Preliminary_cannot_obtain_deleted_and_wrong_results_are_not_stored(string status)
    {
        var rejected = RejectedOnly($"OBX|1|NM|8867-4^HR^LN||72|/min|||||{status}");

        Assert.Equal(ObservationRejectionReason.ResultStatusNotAccepted, rejected.Reason);
        Assert.Equal(11, rejected.Location.Field);
    }

    [Fact]
    public void A_clinic_may_accept_preliminary_results()
    {
        var settings = VitalsMappingSettings.Default with { AcceptedResultStatuses = new(["F", "C", "R", "P"], "Clinic decision") };

        var result = Map(Samples.Oru("OBX|1|NM|8867-4^HR^LN||72|/min|||||P"), settings);

        Assert.Single(result.Accepted);
    }

    [Fact]
    public void A_missing_result_status_is_rejected() =>
        Assert.Equal(ObservationRejectionReason.MissingResultStatus, RejectedOnly("OBX|1|NM|8867-4^HR^LN||72|/min").Reason);

    [Theory]
    [InlineData("8867-4^HR^LN", "19", "/min")]
    [InlineData("8867-4^HR^LN", "301", "/min")]
    [InlineData("8480-6^SBP^LN", "39", "mm[Hg]")]
    [InlineData("8480-6^SBP^LN", "301", "mm[Hg]")]
    [InlineData("8462-4^DBP^LN", "19", "mm[Hg]")]
    [InlineData("8462-4^DBP^LN", "201", "mm[Hg]")]
    [InlineData("2708-6^SpO2^LN", "49", "%")]
    [InlineData("2708-6^SpO2^LN", "100.1", "%")]
    [InlineData("9279-1^RR^LN", "1", "/min")]
    [InlineData("9279-1^RR^LN", "81", "/min")]
    [InlineData("8310-5^Temp^LN", "29.9", "Cel")]
    [InlineData("8310-5^Temp^LN", "45.1", "Cel")]
    [InlineData("8310-5^Temp^LN", "37", "[degF]")]
    [InlineData("2708-6^SpO2^LN", "8388607", "%")]
    [InlineData("2708-6^SpO2^LN", "-100", "%")]
    public void Values_outside_the_plausibility_limits_are_rejected_not_stored(string code, string value, string units)
    {
        var rejected = RejectedOnly($"OBX|1|NM|{code}||{value}|{units}|||||F");

        Assert.Equal(ObservationRejectionReason.OutsidePlausibleRange, rejected.Reason);
        Assert.Contains("plausibility limit", rejected.Message, StringComparison.Ordinal);
        Assert.Equal(5, rejected.Location.Field);
    }

    [Theory]
    [InlineData("8867-4^HR^LN", "20", "/min")]
    [InlineData("8867-4^HR^LN", "300", "/min")]
    [InlineData("2708-6^SpO2^LN", "50", "%")]
    [InlineData("2708-6^SpO2^LN", "100", "%")]
    [InlineData("8310-5^Temp^LN", "45", "Cel")]
    public void Values_on_the_plausibility_limits_are_stored(string code, string value, string units) =>
        AcceptedOnly($"OBX|1|NM|{code}||{value}|{units}|||||F");

    [Fact]
    public void Plausibility_limits_are_clinic_settings()
    {
        var settings = VitalsMappingSettings.Default with
        {
            Plausibility = new VitalPlausibilityLimits { HeartRateBeatsPerMinute = new(new(30m, 250m), "Clinic engineering review") },
        };

        var result = Map(Samples.Oru("OBX|1|NM|8867-4^HR^LN||25|/min|||||F"), settings);

        Assert.Contains("Clinic engineering review", Assert.Single(result.Rejected).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_systolic_not_above_the_diastolic_of_the_same_reading_rejects_both()
    {
        var result = Map(Samples.LoincMonitor(systolic: "^80", diastolic: "^90"));

        Assert.DoesNotContain(result.Accepted, o => o.Kind is VitalKind.SystolicBloodPressure or VitalKind.DiastolicBloodPressure);
        var rejected = result.Rejected.Where(r => r.Reason == ObservationRejectionReason.SystolicNotAboveDiastolic).ToList();
        Assert.Equal([VitalKind.SystolicBloodPressure, VitalKind.DiastolicBloodPressure], rejected.Select(r => r.Kind!.Value));
        Assert.Contains("80/90 mmHg", rejected[0].Message, StringComparison.Ordinal);
        Assert.Equal(4, result.Accepted.Count);
    }

    [Fact]
    public void The_same_reading_coded_twice_is_stored_once()
    {
        var result = Map(Samples.Oru(
            "OBX|1|NM|59408-5^SpO2^LN||97|%|||||F",
            "OBX|2|NM|2708-6^SpO2^LN||97|%|||||F"));

        Assert.Single(result.Accepted);
        Assert.Equal(ObservationRejectionReason.Duplicate, Assert.Single(result.Rejected).Reason);
    }

    [Fact]
    public void Obx_14_without_offset_is_read_in_the_clinic_time_zone_including_summer_time()
    {
        var message = Samples.Oru("OBX|1|NM|8867-4^HR^LN||72|/min|||||F|||20260715101500");

        var observation = Assert.Single(OruVitalsMapper.Map(Samples.Parse(message), VitalsMappingSettings.Default, Samples.Chicago, new DateTimeOffset(2026, 7, 15, 16, 0, 0, TimeSpan.Zero)).Accepted);

        Assert.Equal(new DateTimeOffset(2026, 7, 15, 10, 15, 0, TimeSpan.FromHours(-5)), observation.ObservedAt);
    }

    [Fact]
    public void Without_obx_14_the_obr_7_time_is_used()
    {
        var observation = AcceptedOnly("OBX|1|NM|8867-4^HR^LN||72|/min|||||F");

        Assert.Equal(new DateTimeOffset(2026, 3, 3, 10, 15, 0, Cst), observation.ObservedAt);
    }

    [Fact]
    public void Without_any_observation_time_the_value_is_rejected()
    {
        var message = Samples.Join(
            "MSH|^~\\&|MON|ICU|||20260303101500||ORU^R01|C2|P|2.5",
            "OBR|1|||VITALS",
            "OBX|1|NM|8867-4^HR^LN||72|/min|||||F");

        Assert.Equal(ObservationRejectionReason.MissingObservationTime, Assert.Single(Map(message).Rejected).Reason);
    }

    [Theory]
    [InlineData("202603031015", true)]
    [InlineData("2026030310", false)]
    [InlineData("20260303", false)]
    public void The_observation_time_must_be_given_at_least_to_the_minute(string time, bool accepted)
    {
        var result = Map(Samples.Oru($"OBX|1|NM|8867-4^HR^LN||72|/min|||||F|||{time}"));

        Assert.Equal(accepted, result.Accepted.Count == 1);
        Assert.Equal(accepted, result.Rejected.Count == 0 || result.Rejected[0].Reason != ObservationRejectionReason.InvalidObservationTime);
    }

    [Theory]
    [InlineData("20260308023000")]
    [InlineData("20261101013000")]
    [InlineData("20261301101500")]
    [InlineData("yesterday")]
    public void Times_that_do_not_exist_or_repeat_at_a_clock_change_or_are_malformed_are_rejected(string time)
    {
        var message = Samples.Oru($"OBX|1|NM|8867-4^HR^LN||72|/min|||||F|||{time}");

        var result = OruVitalsMapper.Map(Samples.Parse(message), VitalsMappingSettings.Default, Samples.Chicago, new DateTimeOffset(2026, 12, 31, 0, 0, 0, TimeSpan.Zero));

        var rejected = Assert.Single(result.Rejected);
        Assert.Equal(ObservationRejectionReason.InvalidObservationTime, rejected.Reason);
        Assert.Equal(14, rejected.Location.Field);
    }

    [Fact]
    public void An_observation_time_beyond_the_clock_drift_allowance_is_rejected()
    {
        var justInside = Map(Samples.Oru("OBX|1|NM|8867-4^HR^LN||72|/min|||||F|||20260303102030-0600"));
        var beyond = Map(Samples.Oru("OBX|1|NM|8867-4^HR^LN||72|/min|||||F|||20260303102031-0600"));

        Assert.Single(justInside.Accepted);
        Assert.Equal(ObservationRejectionReason.ObservationTimeInFuture, Assert.Single(beyond.Rejected).Reason);
    }

    [Fact]
    public void One_bad_observation_does_not_hide_the_good_ones()
    {
        var result = Map(Samples.MdcMonitor(spo2: "abc"));

        Assert.Equal(5, result.Accepted.Count);
        Assert.Contains(result.Rejected, r => r.Reason == ObservationRejectionReason.NotANumber && r.Kind == VitalKind.OxygenSaturation);
    }

    [Fact]
    public void Obx_before_any_obr_fails_the_message_with_a_segment_sequence_error()
    {
        var message = Samples.Join(
            "MSH|^~\\&|MON|ICU|||20260303101500||ORU^R01|C3|P|2.5",
            "PID|1||MRN",
            "OBX|1|NM|8867-4^HR^LN||72|/min|||||F|||202603031015");

        var result = Map(message);

        Assert.Equal(Hl7ErrorCode.SegmentSequenceError, result.Failure!.Code);
        Assert.Equal(new Hl7Location("OBX", 3), result.Failure.Location);
        Assert.Empty(result.Accepted);
        Assert.Equal("C3", result.ControlId);
    }

    [Fact]
    public void A_new_patient_group_needs_its_own_obr()
    {
        var message = Samples.Join(
            "MSH|^~\\&|MON|ICU|||20260303101500||ORU^R01|C4|P|2.5",
            "PID|1||A",
            "OBR|1|||VITALS|||202603031015",
            "OBX|1|NM|8867-4^HR^LN||72|/min|||||F",
            "PID|2||B",
            "OBX|1|NM|8867-4^HR^LN||90|/min|||||F");

        Assert.Equal(Hl7ErrorCode.SegmentSequenceError, Map(message).Failure!.Code);
    }

    [Fact]
    public void Each_patient_group_keeps_its_own_patient_id_and_bed()
    {
        var message = Samples.Join(
            "MSH|^~\\&|GW|ICU|||20260303101500||ORU^R01|C5|P|2.5",
            "PID|1||A",
            "PV1||O|INF^CHAIR1",
            "OBR|1|||VITALS|||202603031015",
            "OBX|1|NM|8867-4^HR^LN||72|/min|||||F",
            "PID|2||B",
            "OBR|1|||VITALS|||202603031015",
            "OBX|1|NM|8867-4^HR^LN||90|/min|||||F");

        var result = Map(message);

        Assert.Equal([("A", "INF^CHAIR1"), ("B", null)], result.Accepted.Select(o => (o.ReportedPatientId!, o.Device.BedLocation)));
    }

    [Theory]
    [InlineData("ADT^A01", Hl7ErrorCode.UnsupportedMessageType)]
    [InlineData("ORU^R30", Hl7ErrorCode.UnsupportedEventCode)]
    [InlineData("ORU", Hl7ErrorCode.UnsupportedEventCode)]
    public void Messages_other_than_oru_r01_are_refused(string type, Hl7ErrorCode code)
    {
        var message = Samples.Parse($"MSH|^~\\&|MON|ICU|||20260303101500||{type}|C6|P|2.5\r");

        var result = OruVitalsMapper.Map(message, VitalsMappingSettings.Default, Samples.Chicago, Samples.ReceivedAt);

        Assert.Equal(code, result.Failure!.Code);
        Assert.Equal(9, result.Failure.Location!.Field);
    }

    [Fact]
    public void A_rejection_becomes_an_ack_warning_with_its_location()
    {
        var rejected = RejectedOnly("OBX|1|NM|2708-6^SpO2^LN||98||||||F");

        var warning = rejected.ToAckWarning();

        Assert.Equal(Hl7ErrorSeverity.Warning, warning.Severity);
        Assert.Equal(Hl7ErrorCode.RequiredFieldMissing, warning.Code);
        Assert.Equal(new Hl7Location("OBX", 3, 6), warning.Location);
    }

    [Fact]
    public void A_message_naming_no_device_gives_an_anonymous_identity()
    {
        var message = Samples.Join(
            "MSH|^~\\&|||||20260303101500||ORU^R01|C7|P|2.5",
            "OBR|1|||VITALS|||202603031015",
            "OBX|1|NM|8867-4^HR^LN||72|/min|||||F");

        Assert.True(Assert.Single(Map(message).Accepted).Device.IsAnonymous);
    }

    [Fact]
    public void The_default_settings_are_valid_and_every_mapping_names_a_source()
    {
        Assert.Empty(VitalsMappingSettings.Default.Validate());
        Assert.All(VitalsMappingSettings.Default.Codes, c => Assert.False(string.IsNullOrWhiteSpace(c.Source)));
    }

    [Fact]
    public void The_loinc_mappings_are_exactly_those_of_the_reference()
    {
        var loinc = VitalsMappingSettings.Default.Codes.Where(c => c.CodingSystem == "LN").Select(c => (c.Code, c.Kind)).Order().ToList();

        var expected = VitalSigns.All.SelectMany(k => VitalSigns.LoincCodes(k).Select(code => (code, k))).Order().ToList();

        Assert.Equal(expected, loinc);
        Assert.Equal(["8867-4"], VitalSigns.LoincCodes(VitalKind.HeartRate));
        Assert.Equal(["8480-6"], VitalSigns.LoincCodes(VitalKind.SystolicBloodPressure));
        Assert.Equal(["8462-4"], VitalSigns.LoincCodes(VitalKind.DiastolicBloodPressure));
        Assert.Equal(["9279-1"], VitalSigns.LoincCodes(VitalKind.RespiratoryRate));
        Assert.Equal(["8310-5"], VitalSigns.LoincCodes(VitalKind.BodyTemperature));
    }

    [Fact]
    public void Settings_validation_names_each_problem()
    {
        var settings = new VitalsMappingSettings
        {
            Codes =
            [
                new("LN", "8867-4", VitalKind.HeartRate, "x"),
                new("ln", "8867-4", VitalKind.RespiratoryRate, "x"),
                new("", "1", VitalKind.HeartRate, " "),
            ],
            Plausibility = new VitalPlausibilityLimits { SystolicMmHg = new(new(300m, 40m), "") },
            AcceptedResultStatuses = new(["F", "X", "Q"], "x"),
            FutureToleranceMinutes = new(-1, "x"),
        };

        var errors = settings.Validate();

        Assert.Contains(errors, e => e.Row == 3 && e.Field == "CodingSystem");
        Assert.Contains(errors, e => e.Row == 3 && e.Field == "Source");
        Assert.Contains(errors, e => e.Field == "Codes" && e.Message.Contains("more than one vital kind", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Field == "Plausibility.SystolicBloodPressure" && e.Message.Contains("below maximum", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Field == "Plausibility.SystolicBloodPressure" && e.Message.Contains("source", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Field == "AcceptedResultStatuses" && e.Message.Contains("status X", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Field == "AcceptedResultStatuses" && e.Message.Contains("'Q'", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Field == "FutureToleranceMinutes");
    }

    [Fact]
    public void Plausibility_limits_carry_an_engineering_source()
    {
        Assert.All(VitalSigns.All, k => Assert.Contains("engineering plausibility limit", VitalsMappingSettings.Default.Plausibility.For(k).Source, StringComparison.Ordinal));
        Assert.IsType<SourcedSetting<PlausibleRange>>(VitalsMappingSettings.Default.Plausibility.HeartRateBeatsPerMinute);
    }
}
