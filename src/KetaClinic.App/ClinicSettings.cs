using KetaClinic.Domain.Patients;

namespace KetaClinic.App;

/// <summary>Clinic-wide settings (section "Clinic"). Clinical thresholds live with their modules, each with its source.</summary>
public sealed class ClinicSettings
{
    public const string Section = "Clinic";

    /// <summary>The clinic's IANA time zone: "today" for date-of-birth and onset checks is the clinic's day.</summary>
    public string TimeZone { get; set; } = "America/Chicago";

    public string Name { get; set; } = "KetaClinic";

    /// <summary>The address patients reach the clinic at, used in links sent to them.</summary>
    public string PublicBaseUrl { get; set; } = "http://localhost:5000";

    public MeasurementLimits MeasurementLimits { get; set; } = MeasurementLimits.Default;

    public TimeZoneInfo Zone => TimeZoneInfo.FindSystemTimeZoneById(TimeZone);

    public DateOnly Today(TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(clock);
        return DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(clock.GetUtcNow(), Zone).DateTime);
    }

    public DateTimeOffset ToClinicTime(DateTimeOffset instant) => TimeZoneInfo.ConvertTime(instant, Zone);
}
