using System.Globalization;

namespace KetaClinic.Domain.Sessions;

/// <summary>Number and time wording shared by the session's sentences (invariant culture, clinic-readable).</summary>
internal static class SessionText
{
    public static string Number(decimal value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    public static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>"09:05" in the instant's own offset.</summary>
    public static string Time(DateTimeOffset at) => at.ToString("HH:mm", CultureInfo.InvariantCulture);

    /// <summary>"2026-03-03 09:05" in the instant's own offset.</summary>
    public static string DateTime(DateTimeOffset at) => at.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    public static string Date(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>Whole minutes, rounded down: "1 minute", "45 minutes".</summary>
    public static string Minutes(TimeSpan span)
    {
        var minutes = (int)Math.Floor(span.TotalMinutes);
        return minutes == 1 ? "1 minute" : Number(minutes) + " minutes";
    }

    public static string Minutes(int minutes) => minutes == 1 ? "1 minute" : Number(minutes) + " minutes";

    /// <summary>The calendar date of an instant in its own offset (the clinic passes clinic-local times).</summary>
    public static DateOnly DateOf(DateTimeOffset at) => DateOnly.FromDateTime(at.DateTime);

    /// <summary>A vital's name inside a sentence: "heart rate", "SpO2".</summary>
    public static string VitalName(Monitoring.VitalKind kind)
    {
        var name = Monitoring.VitalSigns.DisplayName(kind);
        return kind == Monitoring.VitalKind.OxygenSaturation ? name : char.ToLowerInvariant(name[0]) + name[1..];
    }

    public static string Route(Protocols.AdministrationRoute route) => route switch
    {
        Protocols.AdministrationRoute.Intravenous => "intravenous",
        Protocols.AdministrationRoute.Intramuscular => "intramuscular",
        Protocols.AdministrationRoute.Oral => "oral",
        Protocols.AdministrationRoute.Sublingual => "sublingual",
        Protocols.AdministrationRoute.Intranasal => "intranasal",
        _ => route.ToString(),
    };
}
