using System.Globalization;

namespace KetaClinic.Domain.Monitoring.Hl7;

/// <summary>How much of an HL7 DTM value was given.</summary>
public enum Hl7DateTimePrecision
{
    Year,
    Month,
    Day,
    Hour,
    Minute,
    Second,
}

/// <summary>A parsed DTM: the instant and its precision, or why it could not be read.</summary>
public sealed record Hl7DateTimeResult(DateTimeOffset? Instant, Hl7DateTimePrecision Precision, string? Error);

/// <summary>
/// The HL7 DTM data type: YYYY[MM[DD[HH[MM[SS[.S[S[S[S]]]]]]]]][+/-ZZZZ]. A value without an offset is
/// read in the zone the caller names (the clinic's: the sender is a device in the clinic). A local time the
/// zone skips or repeats at a clock change is an error, not a guess: the device should send an offset.
/// </summary>
public static class Hl7DateTime
{
    public static Hl7DateTimeResult Parse(string value, TimeZoneInfo zoneWhenNoOffset)
    {
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(zoneWhenNoOffset);
        var text = value.AsSpan();
        TimeSpan? offset = null;
        var sign = text.IndexOfAny('+', '-');
        if (sign >= 0)
        {
            var zone = text[(sign + 1)..];
            if (zone.Length != 4 || !AllDigits(zone))
            {
                return Fail(value, "the time zone offset must be +HHMM or -HHMM");
            }

            var hours = Number(zone[..2]);
            var minutes = Number(zone[2..]);
            if (hours > 14 || minutes > 59 || (hours == 14 && minutes > 0))
            {
                return Fail(value, "the time zone offset is out of range");
            }

            offset = new TimeSpan(hours, minutes, 0) * (text[sign] == '-' ? -1 : 1);
            text = text[..sign];
        }

        var fraction = 0;
        var dot = text.IndexOf('.');
        if (dot >= 0)
        {
            var digits = text[(dot + 1)..];
            if (dot != 14 || digits.Length is < 1 or > 4 || !AllDigits(digits))
            {
                return Fail(value, "fractions of a second need a full YYYYMMDDHHMMSS before them and 1 to 4 digits");
            }

            fraction = Number(digits) * (int)Math.Pow(10, 4 - digits.Length);
            text = text[..dot];
        }

        if (text.Length is not (4 or 6 or 8 or 10 or 12 or 14) || !AllDigits(text))
        {
            return Fail(value, "expected YYYY[MM[DD[HH[MM[SS]]]]] digits");
        }

        var precision = (Hl7DateTimePrecision)((text.Length / 2) - 2);
        var year = Number(text[..4]);
        var month = text.Length >= 6 ? Number(text[4..6]) : 1;
        var day = text.Length >= 8 ? Number(text[6..8]) : 1;
        var hour = text.Length >= 10 ? Number(text[8..10]) : 0;
        var minute = text.Length >= 12 ? Number(text[10..12]) : 0;
        var second = text.Length >= 14 ? Number(text[12..14]) : 0;
        if (year is < 2 or > 9998 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month)
            || hour > 23 || minute > 59 || second > 59)
        {
            return Fail(value, "the date or time is out of range");
        }

        var local = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Unspecified)
            .AddTicks(fraction * (TimeSpan.TicksPerSecond / 10_000));
        if (offset is { } given)
        {
            return new Hl7DateTimeResult(new DateTimeOffset(local, given), precision, null);
        }

        if (zoneWhenNoOffset.IsInvalidTime(local))
        {
            return Fail(value, $"it has no offset and does not exist in time zone {zoneWhenNoOffset.Id} (clock change)");
        }

        if (zoneWhenNoOffset.IsAmbiguousTime(local))
        {
            return Fail(value, $"it has no offset and occurs twice in time zone {zoneWhenNoOffset.Id} (clock change)");
        }

        return new Hl7DateTimeResult(new DateTimeOffset(local, zoneWhenNoOffset.GetUtcOffset(local)), precision, null);
    }

    /// <summary>Formats an instant as a DTM to the second with its offset, for example 20260301143000+0100.</summary>
    public static string Format(DateTimeOffset instant) =>
        instant.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture)
        + (instant.Offset < TimeSpan.Zero ? "-" : "+")
        + instant.Offset.Duration().ToString("hhmm", CultureInfo.InvariantCulture);

    private static Hl7DateTimeResult Fail(string value, string reason) =>
        new(null, Hl7DateTimePrecision.Year, $"'{Hl7Parser.Printable(value, 30)}' is not an HL7 date/time: {reason}.");

    private static bool AllDigits(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return true;
    }

    private static int Number(ReadOnlySpan<char> digits) => int.Parse(digits, NumberStyles.None, CultureInfo.InvariantCulture);
}
