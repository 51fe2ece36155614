using KetaClinic.Domain.Monitoring.Hl7;

namespace KetaClinic.Domain.Tests.Monitoring;

/// <summary>Realistic ORU^R01 messages and helpers shared by the monitoring tests.</summary>
internal static class Samples
{
    public static readonly TimeZoneInfo Chicago = TimeZoneInfo.FindSystemTimeZoneById("America/Chicago");

    /// <summary>Receipt time for the samples: 3 March 2026 10:15:30 in Chicago (CST, -06:00).</summary>
    public static readonly DateTimeOffset ReceivedAt = new(2026, 3, 3, 10, 15, 30, TimeSpan.FromHours(-6));

    /// <summary>
    /// A Philips-like IHE PCD-01 message: MDC codes and units, v2.6, UTF-8, OBX-18 EUI-64, PV1-3 bed, device
    /// hierarchy OBX with status X, a non-invasive mean pressure this system does not track.
    /// </summary>
    public static string MdcMonitor(string spo2 = "97", string status = "R") => Join(
        "MSH|^~\\&|IntelliVue-GW^0012A3FFFE000001^EUI-64|ICU|KETACLINIC|CLINIC|20260303101500-0600||ORU^R01^ORU_R01|PHL000123|P|2.6|||AL|NE||UNICODE UTF-8|||IHE_PCD_001^IHE PCD^1.3.6.1.4.1.19376.1.6.1.1.1^ISO",
        "PID|||MRN12345^^^KETACLINIC^MR||Doe^Jane^^^^^L",
        "PV1||O|INFUSION^CHAIR3^1",
        "OBR|1|PHL000123^IntelliVue-GW|PHL000123^IntelliVue-GW|182777000^monitoring of patient^SCT|||20260303101500-0600",
        "OBX|1||69965^MDC_DEV_MON_PHYSIO_MULTI_PARAM_MDS^MDC|1|||||||X|||||||0012A3FFFE4B5C6D^EUI-64",
        $"OBX|2|NM|150456^MDC_PULS_OXIM_SAT_O2^MDC|1.3.1.150456|{spo2}|262688^MDC_DIM_PERCENT^MDC|||||{status}|||20260303101500-0600||||0012A3FFFE4B5C6D^EUI-64",
        "OBX|3|NM|149530^MDC_PULS_OXIM_PULS_RATE^MDC|1.3.1.149530|72|264864^MDC_DIM_BEAT_PER_MIN^MDC|||||R|||20260303101500-0600||||0012A3FFFE4B5C6D^EUI-64",
        "OBX|4|NM|150021^MDC_PRESS_BLD_NONINV_SYS^MDC|1.1.9.150021|128|266016^MDC_DIM_MMHG^MDC|||||R|||20260303101400-0600||||0012A3FFFE4B5C6D^EUI-64",
        "OBX|5|NM|150022^MDC_PRESS_BLD_NONINV_DIA^MDC|1.1.9.150022|82|266016^MDC_DIM_MMHG^MDC|||||R|||20260303101400-0600||||0012A3FFFE4B5C6D^EUI-64",
        "OBX|6|NM|150023^MDC_PRESS_BLD_NONINV_MEAN^MDC|1.1.9.150023|97|266016^MDC_DIM_MMHG^MDC|||||R|||20260303101400-0600||||0012A3FFFE4B5C6D^EUI-64",
        "OBX|7|NM|151562^MDC_RESP_RATE^MDC|1.2.1.151562|14|264928^MDC_DIM_RESP_PER_MIN^MDC|||||R|||20260303101500-0600||||0012A3FFFE4B5C6D^EUI-64",
        "OBX|8|NM|150344^MDC_TEMP^MDC|1.4.1.150344|36.8|268192^MDC_DIM_DEGC^MDC|||||R|||20260303101500-0600||||0012A3FFFE4B5C6D^EUI-64");

    /// <summary>
    /// A GE-like v2.3 message with LOINC codes and UCUM units, no MSH-18, times without offset (clinic zone),
    /// blood pressure as SN, temperature in Fahrenheit, heart rate timed by OBR-7 only.
    /// </summary>
    public static string LoincMonitor(string systolic = "^132", string diastolic = "^84") => Join(
        "MSH|^~\\&|CARESCAPE|GEHC|KETACLINIC|CLINIC|20260303101500||ORU^R01|GE-4711|P|2.3",
        "PID|1||MRN12345||DOE^JANE",
        "PV1|1|O|INF^BAY2^B",
        "OBR|1|||VITALS^Vital signs|||20260303101500",
        "OBX|1|NM|8867-4^Heart rate^LN||64|/min|||||F",
        $"OBX|2|SN|8480-6^Systolic blood pressure^LN||{systolic}|mm[Hg]|||||F|||20260303101200",
        $"OBX|3|SN|8462-4^Diastolic blood pressure^LN||{diastolic}|mm[Hg]|||||F|||20260303101200",
        "OBX|4|NM|59408-5^Oxygen saturation in Arterial blood by Pulse oximetry^LN||96|%|||||F",
        "OBX|5|NM|9279-1^Respiratory rate^LN||16|/min|||||F",
        "OBX|6|NM|8310-5^Body temperature^LN||98.6|[degF]|||||F");

    /// <summary>A minimal ORU^R01 around the given OBX segments (after one OBR).</summary>
    public static string Oru(params string[] obx) => Join(
        [
            "MSH|^~\\&|MON|ICU|KETACLINIC|CLINIC|20260303101500-0600||ORU^R01|CTRL1|P|2.5.1",
            "OBR|1|||VITALS|||20260303101500-0600",
            .. obx,
        ]);

    public static string Join(params string[] segments) => string.Join('\r', segments) + "\r";

    public static Hl7Message Parse(string text)
    {
        var result = Hl7Parser.Parse(text);
        Assert.True(result.IsSuccess, result.Error?.ToString());
        return result.Message!;
    }

    public static Hl7Error ParseError(string text)
    {
        var result = Hl7Parser.Parse(text);
        Assert.False(result.IsSuccess, "The message was expected to fail.");
        return result.Error!;
    }
}
