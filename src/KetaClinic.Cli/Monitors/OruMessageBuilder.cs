using System.Globalization;

namespace KetaClinic.Cli.Monitors;

/// <summary>
/// Builds the ORU^R01 a bedside monitor sends: MSH, PID, OBR and one NM OBX per vital sign with its LOINC code
/// (REFERENCE.md §1) and UCUM unit, result status R (device, unverified) and the monitor's equipment id in OBX-18,
/// which is how monitors are registered to chairs (<c>equipment:&lt;OBX-18&gt;</c>).
/// </summary>
public static class OruMessageBuilder
{
    public const string SendingApplication = "KCSIM";
    public const string SendingFacility = "BEDSIDE";

    public static string Build(string controlId, string equipmentId, VitalsReading reading, DateTimeOffset observedAt, string? patientId = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(controlId);
        ArgumentException.ThrowIfNullOrWhiteSpace(equipmentId);
        ArgumentNullException.ThrowIfNull(reading);
        var t = observedAt.ToUniversalTime().ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture) + "+0000";
        string Obx(int n, string loinc, string name, int value, string unit) => string.Create(CultureInfo.InvariantCulture,
            $"OBX|{n}|NM|{loinc}^{name}^LN||{value}|{unit}^{unit}^UCUM|||||R|||{t}||||{equipmentId}");
        return string.Join('\r',
            $"MSH|^~\\&|{SendingApplication}|{SendingFacility}|KETACLINIC|CLINIC|{t}||ORU^R01^ORU_R01|{controlId}|P|2.6|||AL|NE||UNICODE UTF-8",
            $"PID|||{patientId}",
            $"OBR|1|||VITALS^Vital signs|||{t}",
            Obx(1, "8480-6", "Systolic blood pressure", reading.SystolicMmHg, "mm[Hg]"),
            Obx(2, "8462-4", "Diastolic blood pressure", reading.DiastolicMmHg, "mm[Hg]"),
            Obx(3, "8867-4", "Heart rate", reading.HeartRateBpm, "/min"),
            Obx(4, "59408-5", "Oxygen saturation by pulse oximetry", reading.OxygenSaturationPercent, "%"),
            Obx(5, "9279-1", "Respiratory rate", reading.RespiratoryRateBreathsPerMinute, "/min")) + "\r";
    }

    /// <summary>MSA-1 (AA, AE, AR...) and MSA-2 (the control id acknowledged) of an ACK; nulls when it has no MSA.</summary>
    public static (string? Code, string? ControlId) ReadAck(string ack)
    {
        ArgumentNullException.ThrowIfNull(ack);
        foreach (var segment in ack.Split('\r', '\n'))
        {
            if (segment.StartsWith("MSA|", StringComparison.Ordinal))
            {
                var fields = segment.Split('|');
                return (fields.Length > 1 ? fields[1] : null, fields.Length > 2 ? fields[2] : null);
            }
        }
        return (null, null);
    }
}
