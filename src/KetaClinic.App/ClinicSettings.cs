using KetaClinic.Domain.Patients;

namespace KetaClinic.App;

/// <summary>Clinic-wide settings (section "Clinic"). Clinical thresholds live with their modules, each with its source.</summary>
public sealed class ClinicSettings
{
    public const string Section = "Clinic";

    /// <summary>The clinic's IANA time zone: "today" for date-of-birth and onset checks is the clinic's day.</summary>
    public string TimeZone
    {
        get => _timeZone;
        set
        {
            _timeZone = value;
            _zone = null;
        }
    }

    private string _timeZone = "America/Chicago";

    /// <summary>The zone found for <see cref="TimeZone"/>, kept: the system's lookup takes a process-wide lock on every call.</summary>
    private TimeZoneInfo? _zone;

    public string Name { get; set; } = "KetaClinic";

    /// <summary>The address patients reach the clinic at, used in links sent to them.</summary>
    public string PublicBaseUrl { get; set; } = "http://localhost:5000";

    public MeasurementLimits MeasurementLimits { get; set; } = MeasurementLimits.Default;

    /// <summary>The clinic's letterhead on printed documents (evaluation summary, referral letter).</summary>
    public LetterheadSettings Letterhead { get; set; } = new();

    public TimeZoneInfo Zone => _zone ??= TimeZoneInfo.FindSystemTimeZoneById(_timeZone);

    public DateOnly Today(TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(clock);
        return DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(clock.GetUtcNow(), Zone).DateTime);
    }

    public DateTimeOffset ToClinicTime(DateTimeOffset instant) => TimeZoneInfo.ConvertTime(instant, Zone);

    /// <summary>A wall-clock time in the clinic (as typed into a form) as a UTC instant.</summary>
    public DateTimeOffset FromClinicTime(DateTime local) => ToInstant(local, Zone);

    /// <summary>Midnight at the start of a clinic day, as a UTC instant.</summary>
    public DateTimeOffset StartOfDay(DateOnly day) => FromClinicTime(day.ToDateTime(TimeOnly.MinValue));

    /// <summary>A wall-clock time in a time zone as a UTC instant.</summary>
    public static DateTimeOffset ToInstant(DateTime local, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        return new DateTimeOffset(local, zone.GetUtcOffset(local)).ToUniversalTime();
    }
}

/// <summary>Section "Clinic:Letterhead": what heads every printed document.</summary>
public sealed class LetterheadSettings
{
    /// <summary>Printed name; empty means the clinic's name.</summary>
    public string? Name { get; set; }

    public List<string> AddressLines { get; set; } = [];
    public string? Phone { get; set; }
    public string? Fax { get; set; }
    public string? Website { get; set; }

    /// <summary>Printed under the signing physician's name, e.g. "Attending psychiatrist, ketamine service".</summary>
    public string SignatureLine { get; set; } = "Attending physician";
}
