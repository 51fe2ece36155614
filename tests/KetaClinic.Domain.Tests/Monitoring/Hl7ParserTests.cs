using System.Text;
using KetaClinic.Domain.Monitoring.Hl7;

namespace KetaClinic.Domain.Tests.Monitoring;

public class Hl7ParserTests
{
    [Fact]
    public void A_monitor_message_parses_into_segments_fields_and_components()
    {
        var message = Samples.Parse(Samples.MdcMonitor());

        Assert.Equal(["MSH", "PID", "PV1", "OBR", "OBX", "OBX", "OBX", "OBX", "OBX", "OBX", "OBX", "OBX"], message.Segments.Select(s => s.Id));
        Assert.Equal("ORU", message.Get("MSH", 9, component: 1));
        Assert.Equal("R01", message.Get("MSH", 9, component: 2));
        Assert.Equal("ORU_R01", message.Get("MSH", 9, component: 3));
        Assert.Equal("Doe", message.Get("PID", 5));
        Assert.Equal("Jane", message.Get("PID", 5, component: 2));
        Assert.Equal("CHAIR3", message.Get("PV1", 3, component: 2));
        var spo2 = message.SegmentsWithId("OBX").ElementAt(1);
        Assert.Equal("2", spo2.Get(1));
        Assert.Equal("97", spo2.Get(5));
        Assert.Equal("MDC_DIM_PERCENT", spo2.Get(6, 2));
        Assert.Equal(6, spo2.Sequence);
    }

    [Fact]
    public void Msh_1_and_msh_2_are_the_separator_and_the_encoding_characters_themselves()
    {
        var message = Samples.Parse(Samples.MdcMonitor());

        Assert.Equal("|", message.Get("MSH", 1));
        Assert.Equal("^~\\&", message.Get("MSH", 2));
        Assert.Equal("IntelliVue-GW", message.Get("MSH", 3));
        Assert.Equal("EUI-64", message.Get("MSH", 3, component: 3));
    }

    [Fact]
    public void The_header_holds_the_essentials()
    {
        var header = Samples.Parse(Samples.MdcMonitor()).Header;

        Assert.Equal(new Hl7HierarchicDesignator("IntelliVue-GW", "0012A3FFFE000001", "EUI-64"), header.SendingApplication);
        Assert.Equal("ICU", header.SendingFacility.NamespaceId);
        Assert.Equal("KETACLINIC", header.ReceivingApplication.NamespaceId);
        Assert.Equal("CLINIC", header.ReceivingFacility.NamespaceId);
        Assert.True(header.MessageType.Is("ORU", "R01"));
        Assert.Equal("ORU^R01", header.MessageType.ToString());
        Assert.Equal("PHL000123", header.ControlId);
        Assert.Equal("P", header.ProcessingId);
        Assert.Equal("2.6", header.VersionId);
        Assert.Equal("UNICODE UTF-8", header.CharacterSet);
        Assert.Equal("20260303101500-0600", header.DateTimeOfMessage);
    }

    [Fact]
    public void Absent_segments_fields_and_components_read_as_empty()
    {
        var message = Samples.Parse(Samples.MdcMonitor());

        Assert.Equal(string.Empty, message.Get("NTE", 3));
        Assert.Equal(string.Empty, message.Get("PID", 40));
        Assert.Equal(string.Empty, message.Get("PID", 5, component: 9));
        Assert.Equal(string.Empty, message.Get("PID", 5, component: 1, subcomponent: 4));
        Assert.True(message.SegmentsWithId("PID").Single().Field(1).IsEmpty);
    }

    [Fact]
    public void Positions_below_one_are_a_programming_error()
    {
        var message = Samples.Parse(Samples.MdcMonitor());

        Assert.Throws<ArgumentOutOfRangeException>(() => message.Get("PID", 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => message.Get("PID", 5, component: 0));
    }

    [Theory]
    [InlineData("\n")]
    [InlineData("\r\n")]
    [InlineData("\r\r")]
    public void Line_feeds_and_blank_lines_between_segments_are_tolerated(string separator)
    {
        var text = Samples.MdcMonitor().TrimEnd('\r').Replace("\r", separator, StringComparison.Ordinal);

        var message = Samples.Parse("\r\n" + text + separator);

        Assert.Equal(12, message.Segments.Count);
        Assert.Equal(Enumerable.Range(1, 12), message.Segments.Select(s => s.Sequence));
    }

    [Fact]
    public void Repetitions_components_and_subcomponents_are_split()
    {
        var message = Samples.Parse(Samples.Join(
            "MSH|^~\\&|A|B|C|D|20260101||ORU^R01|1|P|2.5",
            "PID|||MRN1^^^CLINIC&1.2.3&ISO^MR~NHS9^^^NHS^NH||Doe^Jane"));
        var ids = message.SegmentsWithId("PID").Single().Field(3);

        Assert.Equal(2, ids.Repetitions.Count);
        Assert.Equal("MRN1", ids.Get(1));
        Assert.Equal("CLINIC", ids.Get(4, 1));
        Assert.Equal("1.2.3", ids.Get(4, 2));
        Assert.Equal("ISO", ids.Get(4, 3));
        Assert.Equal("NHS9", ids.Get(1, repetition: 2));
        Assert.Equal("NH", ids.Get(5, repetition: 2));
        Assert.Equal(string.Empty, ids.Get(1, repetition: 3));
    }

    [Fact]
    public void Unusual_delimiters_declared_in_msh_are_honoured()
    {
        var message = Samples.Parse(Samples.Join(
            "MSH#$*!@#A#B#C#D#20260101##ORU$R01#1#P#2.5",
            "NTE#1##part one$part two*second rep!E!!F!@sub"));
        var note = message.SegmentsWithId("NTE").Single();

        Assert.Equal('#', message.Delimiters.Field);
        Assert.Equal("part one", note.Get(3, 1));
        Assert.Equal("part two", note.Get(3, 2));
        Assert.Equal("second rep!#", note.Get(3, 1, repetition: 2));
        Assert.Equal("sub", note.Get(3, 1, 2, repetition: 2));
    }

    [Fact]
    public void A_declared_truncation_character_is_recognised_and_its_escape_decoded()
    {
        var message = Samples.Parse(Samples.Join(
            "MSH|^~\\&#|A|B|C|D|20260101||ORU^R01|1|P|2.7",
            "NTE|1||100\\P\\ sure|cut off valu#"));

        Assert.Equal('#', message.Delimiters.Truncation);
        Assert.Equal("^~\\&#", message.Get("MSH", 2));
        Assert.Equal("100# sure", message.Get("NTE", 3));
        Assert.Equal("cut off valu#", message.Get("NTE", 4));
    }

    [Fact]
    public void Without_a_declared_truncation_character_the_p_escape_is_an_error()
    {
        var error = Samples.ParseError(Samples.Join("MSH|^~\\&|A|B|C|D|20260101||ORU^R01|1|P|2.5", "NTE|1||a\\P\\b"));

        Assert.Equal(Hl7ErrorCode.DataTypeError, error.Code);
    }

    [Fact]
    public void The_hl7_null_is_kept_verbatim()
    {
        var message = Samples.Parse(Samples.Join("MSH|^~\\&|A|B|C|D|20260101||ORU^R01|1|P|2.5", "PID|||\"\""));

        Assert.Equal("\"\"", message.Get("PID", 3));
    }

    [Theory]
    [InlineData("")]
    [InlineData("\r\n\r")]
    public void An_empty_message_is_a_segment_sequence_error(string text)
    {
        var result = Hl7Parser.Parse(text);

        Assert.Equal(Hl7ErrorCode.SegmentSequenceError, result.Error!.Code);
        Assert.Null(result.Header);
    }

    [Fact]
    public void A_message_not_starting_with_msh_is_refused_without_a_header()
    {
        var result = Hl7Parser.Parse("PID|1||MRN\rMSH|^~\\&|A|B|C|D|20260101||ORU^R01|1|P|2.5\r");

        Assert.Equal(Hl7ErrorCode.SegmentSequenceError, result.Error!.Code);
        Assert.Contains("must start with an MSH", result.Error.Message, StringComparison.Ordinal);
        Assert.Null(result.Header);
        Assert.Null(result.ControlId);
    }

    [Theory]
    [InlineData("MSH", "field separator")]
    [InlineData("MSH|^~\\|A", "4 encoding characters")]
    [InlineData("MSH|^~\\&#$|A", "4 encoding characters")]
    [InlineData("MSH|^^\\&|A", "must all differ")]
    [InlineData("MSH|^~\\A|A", "not allowed")]
    [InlineData("MSH ^~\\& A", "not allowed")]
    public void Broken_delimiters_make_msh_unreadable(string msh, string rule)
    {
        var result = Hl7Parser.Parse(msh + "\rPID|1\r");

        Assert.False(result.IsSuccess);
        Assert.Null(result.Header);
        Assert.Contains(rule, result.Error!.Message, StringComparison.Ordinal);
        Assert.Equal("MSH", result.Error.Location?.SegmentId ?? "MSH");
    }

    [Fact]
    public void When_msh_is_unreadable_an_id_like_control_id_is_still_recovered_for_the_reject()
    {
        var result = Hl7Parser.Parse("MSH|^^\\&|A|B|C|D|20260101||ORU^R01|CTRL-42|P|2.5\r");

        Assert.Null(result.Header);
        Assert.Equal("CTRL-42", result.ControlId);
    }

    [Fact]
    public void A_bad_escape_in_msh_makes_msh_unreadable()
    {
        var result = Hl7Parser.Parse("MSH|^~\\&|A\\Q\\|B|C|D|20260101||ORU^R01|CTRL-7|P|2.5\r");

        Assert.Null(result.Header);
        Assert.Equal(new Hl7Location("MSH", 1, 3, 1, 1, 1), result.Error!.Location);
        Assert.Equal("CTRL-7", result.ControlId);
    }

    [Theory]
    [InlineData("MSH|^~\\&|A|B|C|D|20260101|||1|P|2.5", Hl7ErrorCode.RequiredFieldMissing, 9)]
    [InlineData("MSH|^~\\&|A|B|C|D|20260101||ORU^R01||P|2.5", Hl7ErrorCode.RequiredFieldMissing, 10)]
    [InlineData("MSH|^~\\&|A|B|C|D|20260101||ORU^R01|1||2.5", Hl7ErrorCode.RequiredFieldMissing, 11)]
    [InlineData("MSH|^~\\&|A|B|C|D|20260101||ORU^R01|1|X|2.5", Hl7ErrorCode.UnsupportedProcessingId, 11)]
    [InlineData("MSH|^~\\&|A|B|C|D|20260101||ORU^R01|1|P", Hl7ErrorCode.RequiredFieldMissing, 12)]
    [InlineData("MSH|^~\\&|A|B|C|D|20260101||ORU^R01|1|P|2.2", Hl7ErrorCode.UnsupportedVersionId, 12)]
    [InlineData("MSH|^~\\&|A|B|C|D|20260101||ORU^R01|1|P|2.9", Hl7ErrorCode.UnsupportedVersionId, 12)]
    [InlineData("MSH|^~\\&|A|B|C|D|20260101||ORU^R01|1|P|3.0", Hl7ErrorCode.UnsupportedVersionId, 12)]
    public void Required_header_fields_are_checked_and_the_header_is_kept_for_the_ack(string msh, Hl7ErrorCode code, int field)
    {
        var result = Hl7Parser.Parse(msh + "\r");

        Assert.False(result.IsSuccess);
        Assert.Equal(code, result.Error!.Code);
        Assert.Equal(field, result.Error.Location!.Field);
        Assert.NotNull(result.Header);
        Assert.Equal("A", result.Header.SendingApplication.NamespaceId);
    }

    [Fact]
    public void An_unsupported_version_is_rejected_with_a_clear_reason()
    {
        var error = Samples.ParseError("MSH|^~\\&|A|B|C|D|20260101||ORU^R01|1|P|2.1\r");

        Assert.Equal("HL7 version '2.1' is not supported; this receiver accepts versions 2.3 to 2.8.2.", error.Message);
    }

    [Theory]
    [InlineData("2.3")]
    [InlineData("2.3.1")]
    [InlineData("2.4")]
    [InlineData("2.5")]
    [InlineData("2.5.1")]
    [InlineData("2.6")]
    [InlineData("2.7")]
    [InlineData("2.7.1")]
    [InlineData("2.8")]
    [InlineData("2.8.2")]
    public void Versions_2_3_to_2_8_are_accepted(string version)
    {
        var message = Samples.Parse($"MSH|^~\\&|A|B|C|D|20260101||ORU^R01|1|P|{version}\r");

        Assert.Equal(version, message.Header.VersionId);
    }

    [Fact]
    public void A_control_id_longer_than_199_characters_is_a_data_type_error()
    {
        var error = Samples.ParseError($"MSH|^~\\&|A|B|C|D|20260101||ORU^R01|{new string('9', 200)}|P|2.5\r");

        Assert.Equal(Hl7ErrorCode.DataTypeError, error.Code);
        Assert.Equal(10, error.Location!.Field);
    }

    [Theory]
    [InlineData("pid|1")]
    [InlineData("PI|1")]
    [InlineData("1ID|1")]
    [InlineData("PIDX|1")]
    [InlineData(" PID|1")]
    public void A_segment_without_a_valid_id_is_a_segment_sequence_error(string segment)
    {
        var result = Hl7Parser.Parse($"MSH|^~\\&|A|B|C|D|20260101||ORU^R01|1|P|2.5\r{segment}\r");

        Assert.Equal(Hl7ErrorCode.SegmentSequenceError, result.Error!.Code);
        Assert.Contains("Segment 2", result.Error.Message, StringComparison.Ordinal);
        Assert.NotNull(result.Header);
    }

    [Fact]
    public void Z_segments_and_segments_without_fields_are_accepted()
    {
        var message = Samples.Parse("MSH|^~\\&|A|B|C|D|20260101||ORU^R01|1|P|2.5\rZV1|custom\rNTE\r");

        Assert.Equal("custom", message.Get("ZV1", 1));
        Assert.Equal(0, message.SegmentsWithId("NTE").Single().FieldCount);
    }

    [Fact]
    public void A_second_msh_is_refused_because_batches_are_not_supported()
    {
        var error = Samples.ParseError("MSH|^~\\&|A|B|C|D|20260101||ORU^R01|1|P|2.5\rMSH|^~\\&|A|B|C|D|20260101||ORU^R01|2|P|2.5\r");

        Assert.Equal(Hl7ErrorCode.SegmentSequenceError, error.Code);
        Assert.Equal(new Hl7Location("MSH", 2), error.Location);
    }

    [Fact]
    public void A_bad_escape_in_the_body_names_segment_field_repetition_component_and_subcomponent()
    {
        var result = Hl7Parser.Parse(Samples.Oru("OBX|1|NM|8867-4^Heart rate^LN||72|/min~x^y&\\Z99\\|||||F"));

        Assert.Equal(Hl7ErrorCode.DataTypeError, result.Error!.Code);
        Assert.Equal(new Hl7Location("OBX", 3, 6, 2, 2, 2), result.Error.Location);
        Assert.Contains("Unsupported escape sequence", result.Error.Message, StringComparison.Ordinal);
        Assert.Equal("CTRL1", result.Header!.ControlId);
    }

    [Fact]
    public void Bytes_are_read_as_utf8_when_msh_18_is_empty()
    {
        var bytes = Encoding.UTF8.GetBytes("MSH|^~\\&|A|B|C|D|20260101||ORU^R01|1|P|2.5\rNTE|1||Körpertemperatur 37 °C\r");

        var result = Hl7Parser.Parse(bytes);

        Assert.Equal("Körpertemperatur 37 °C", result.Message!.Get("NTE", 3));
    }

    [Fact]
    public void A_utf8_byte_order_mark_is_skipped()
    {
        var bytes = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes("MSH|^~\\&|A|B|C|D|20260101||ORU^R01|1|P|2.5\r")).ToArray();

        Assert.True(Hl7Parser.Parse(bytes).IsSuccess);
    }

    [Fact]
    public void Bytes_are_read_as_latin1_when_msh_18_says_8859_1()
    {
        var bytes = Encoding.Latin1.GetBytes("MSH|^~\\&|A|B|C|D|20260101||ORU^R01|1|P|2.5||||||8859/1\rNTE|1||Körpertemperatur 37 °C\r");

        var result = Hl7Parser.Parse(bytes);

        Assert.Equal("Körpertemperatur 37 °C", result.Message!.Get("NTE", 3));
    }

    [Fact]
    public void Latin1_bytes_without_msh_18_are_not_valid_utf8_and_are_refused_rather_than_guessed()
    {
        var bytes = Encoding.Latin1.GetBytes("MSH|^~\\&|A|B|C|D|20260101||ORU^R01|1|P|2.5\rNTE|1||37 °C\r");

        var result = Hl7Parser.Parse(bytes);

        Assert.Equal(Hl7ErrorCode.DataTypeError, result.Error!.Code);
        Assert.Equal(18, result.Error.Location!.Field);
        Assert.Contains("UTF-8", result.Error.Message, StringComparison.Ordinal);
        Assert.Equal("1", result.Header!.ControlId);
    }

    [Fact]
    public void Non_ascii_bytes_under_msh_18_ascii_are_refused()
    {
        var bytes = Encoding.Latin1.GetBytes("MSH|^~\\&|A|B|C|D|20260101||ORU^R01|1|P|2.5||||||ASCII\rNTE|1||37 °C\r");

        Assert.Equal(Hl7ErrorCode.DataTypeError, Hl7Parser.Parse(bytes).Error!.Code);
    }

    [Fact]
    public void Other_8859_parts_are_decoded_with_their_own_code_page()
    {
        var latin2 = System.Text.CodePagesEncodingProvider.Instance.GetEncoding(28592)!;
        var bytes = latin2.GetBytes("MSH|^~\\&|A|B|C|D|20260101||ORU^R01|1|P|2.5||||||8859/2\rNTE|1||Łódź\r");

        Assert.Equal("Łódź", Hl7Parser.Parse(bytes).Message!.Get("NTE", 3));
    }

    [Fact]
    public void An_unsupported_character_set_is_refused_with_the_list_of_supported_ones()
    {
        var result = Hl7Parser.Parse("MSH|^~\\&|A|B|C|D|20260101||ORU^R01|1|P|2.5||||||UNICODE UTF-16\r");

        Assert.Equal(Hl7ErrorCode.DataTypeError, result.Error!.Code);
        Assert.Contains("'UNICODE UTF-16'", result.Error.Message, StringComparison.Ordinal);
        Assert.Contains("8859/1", result.Error.Message, StringComparison.Ordinal);
        Assert.NotNull(result.Header);
    }
}
