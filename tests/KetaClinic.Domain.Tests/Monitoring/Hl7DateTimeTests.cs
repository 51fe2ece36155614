using KetaClinic.Domain.Monitoring.Hl7;

namespace KetaClinic.Domain.Tests.Monitoring;

public class Hl7DateTimeTests
{
    [Theory]
    [InlineData("20260303101530+0100", 2026, 3, 3, 10, 15, 30, 60, Hl7DateTimePrecision.Second)]
    [InlineData("20260303101530-0530", 2026, 3, 3, 10, 15, 30, -330, Hl7DateTimePrecision.Second)]
    [InlineData("202603031015+0000", 2026, 3, 3, 10, 15, 0, 0, Hl7DateTimePrecision.Minute)]
    [InlineData("2026030310-0600", 2026, 3, 3, 10, 0, 0, -360, Hl7DateTimePrecision.Hour)]
    [InlineData("20260303", 2026, 3, 3, 0, 0, 0, -360, Hl7DateTimePrecision.Day)]
    [InlineData("202603", 2026, 3, 1, 0, 0, 0, -360, Hl7DateTimePrecision.Month)]
    [InlineData("2026", 2026, 1, 1, 0, 0, 0, -360, Hl7DateTimePrecision.Year)]
    [InlineData("20260715101500", 2026, 7, 15, 10, 15, 0, -300, Hl7DateTimePrecision.Second)]
    public void Dtm_values_are_read_with_their_precision_and_offset(
        string text, int year, int month, int day, int hour, int minute, int second, int offsetMinutes, Hl7DateTimePrecision precision)
    {
        var result = Hl7DateTime.Parse(text, Samples.Chicago);

        Assert.Null(result.Error);
        Assert.Equal(new DateTimeOffset(year, month, day, hour, minute, second, TimeSpan.FromMinutes(offsetMinutes)), result.Instant);
        Assert.Equal(TimeSpan.FromMinutes(offsetMinutes), result.Instant!.Value.Offset);
        Assert.Equal(precision, result.Precision);
    }

    [Fact]
    public void Fractions_of_a_second_are_kept()
    {
        var result = Hl7DateTime.Parse("20260303101530.25+0000", Samples.Chicago);

        Assert.Equal(new DateTimeOffset(2026, 3, 3, 10, 15, 30, 250, TimeSpan.Zero), result.Instant);
    }

    [Theory]
    [InlineData("")]
    [InlineData("26")]
    [InlineData("2026030")]
    [InlineData("20261303")]
    [InlineData("20260230")]
    [InlineData("20260303246000")]
    [InlineData("20260303101560")]
    [InlineData("20260303101530+01")]
    [InlineData("20260303101530+1500")]
    [InlineData("20260303101530+0160")]
    [InlineData("202603031015.5")]
    [InlineData("20260303101530.12345")]
    [InlineData("00010101")]
    [InlineData("2026-03-03")]
    [InlineData("２０２６")]
    public void Malformed_or_out_of_range_values_are_errors_not_exceptions(string text)
    {
        var result = Hl7DateTime.Parse(text, Samples.Chicago);

        Assert.Null(result.Instant);
        Assert.Contains("is not an HL7 date/time", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_local_time_skipped_by_the_spring_clock_change_is_an_error()
    {
        var result = Hl7DateTime.Parse("20260308023000", Samples.Chicago);

        Assert.Contains("does not exist", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_local_time_repeated_by_the_autumn_clock_change_is_an_error_but_fine_with_an_offset()
    {
        Assert.Contains("occurs twice", Hl7DateTime.Parse("20261101013000", Samples.Chicago).Error, StringComparison.Ordinal);
        Assert.NotNull(Hl7DateTime.Parse("20261101013000-0500", Samples.Chicago).Instant);
    }

    [Theory]
    [InlineData(0, "20260303101530+0000")]
    [InlineData(-360, "20260303101530-0600")]
    [InlineData(330, "20260303101530+0530")]
    public void Format_writes_seconds_and_the_offset(int offsetMinutes, string expected)
    {
        var instant = new DateTimeOffset(2026, 3, 3, 10, 15, 30, TimeSpan.FromMinutes(offsetMinutes));

        Assert.Equal(expected, Hl7DateTime.Format(instant));
        Assert.Equal(instant, Hl7DateTime.Parse(expected, TimeZoneInfo.Utc).Instant);
    }
}
