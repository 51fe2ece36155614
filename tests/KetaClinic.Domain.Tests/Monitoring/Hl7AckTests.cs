using System.Text;
using KetaClinic.Domain.Monitoring.Hl7;

namespace KetaClinic.Domain.Tests.Monitoring;

public class Hl7AckTests
{
    private static readonly Hl7AckOptions Options = new("ACK0001", new DateTimeOffset(2026, 3, 3, 10, 15, 31, TimeSpan.FromHours(-6)));

    private static Hl7Header Header(string text) => Samples.Parse(text).Header;

    private static Hl7Message ParseAck(string ack) => Samples.Parse(ack);

    [Fact]
    public void An_accept_swaps_sender_and_receiver_and_echoes_the_control_id()
    {
        var ack = Hl7Ack.Accept(Header(Samples.MdcMonitor()), Options);

        Assert.Equal(
            "MSH|^~\\&|KETACLINIC|CLINIC|IntelliVue-GW^0012A3FFFE000001^EUI-64|ICU|20260303101531-0600||ACK^R01^ACK|ACK0001|P|2.6||||||UNICODE UTF-8\r"
            + "MSA|AA|PHL000123\r",
            ack);
    }

    [Fact]
    public void An_ack_parses_back_with_our_own_parser()
    {
        var message = ParseAck(Hl7Ack.Accept(Header(Samples.LoincMonitor()), Options));

        Assert.True(message.Header.MessageType.Is("ACK", "R01"));
        Assert.Equal("AA", message.Get("MSA", 1));
        Assert.Equal("GE-4711", message.Get("MSA", 2));
        Assert.Equal("CARESCAPE", message.Header.ReceivingApplication.NamespaceId);
        Assert.Equal("GEHC", message.Header.ReceivingFacility.NamespaceId);
        Assert.Equal("2.3", message.Header.VersionId);
        Assert.Equal("ACK0001", message.Header.ControlId);
    }

    [Fact]
    public void An_application_error_carries_err_with_location_code_severity_and_user_message()
    {
        var header = Header(Samples.MdcMonitor());
        var error = new Hl7Error(Hl7ErrorCode.RequiredFieldMissing, "OBX-11 (result status) is required.", new Hl7Location("OBX", 5, 11));

        var ack = ParseAck(Hl7Ack.Build(Hl7AckCode.ApplicationError, header, [error], Options));
        var err = ack.SegmentsWithId("ERR").Single();

        Assert.Equal("AE", ack.Get("MSA", 1));
        Assert.Equal(string.Empty, ack.Get("MSA", 3));
        Assert.Equal(["OBX", "5", "11"], Enumerable.Range(1, 3).Select(c => err.Get(2, c)));
        Assert.Equal("101", err.Get(3, 1));
        Assert.Equal("Required field missing", err.Get(3, 2));
        Assert.Equal("HL70357", err.Get(3, 3));
        Assert.Equal("E", err.Get(4));
        Assert.Equal("OBX-11 (result status) is required.", err.Get(8));
    }

    [Theory]
    [InlineData(Hl7ErrorCode.SegmentSequenceError, "100", "Segment sequence error")]
    [InlineData(Hl7ErrorCode.RequiredFieldMissing, "101", "Required field missing")]
    [InlineData(Hl7ErrorCode.DataTypeError, "102", "Data type error")]
    [InlineData(Hl7ErrorCode.UnsupportedMessageType, "200", "Unsupported message type")]
    [InlineData(Hl7ErrorCode.UnsupportedVersionId, "203", "Unsupported version id")]
    [InlineData(Hl7ErrorCode.ApplicationInternalError, "207", "Application internal error")]
    public void Every_error_code_is_sent_with_its_table_0357_number_and_text(Hl7ErrorCode code, string number, string text)
    {
        var ack = ParseAck(Hl7Ack.Build(Hl7AckCode.ApplicationReject, Header(Samples.MdcMonitor()), [new Hl7Error(code, "x")], Options));

        Assert.Equal("AR", ack.Get("MSA", 1));
        Assert.Equal(number, ack.Get("ERR", 3, 1));
        Assert.Equal(text, ack.Get("ERR", 3, 2));
    }

    [Fact]
    public void All_text_in_the_ack_is_escaped()
    {
        var header = Header("MSH|^~\\&|MON\\S\\1|ICU\\T\\A|KETA\\F\\X|CLINIC|20260101||ORU^R01|ID\\R\\7|P|2.5\r");
        var error = new Hl7Error(Hl7ErrorCode.DataTypeError, "Value '1|2^3&4~5\\6' was\rnot a number.");

        var text = Hl7Ack.Build(Hl7AckCode.ApplicationError, header, [error], Options);
        var ack = ParseAck(text);

        Assert.Equal(3, text.Count(c => c == '\r'));
        Assert.Equal("KETA|X", ack.Get("MSH", 3));
        Assert.Equal("MON^1", ack.Get("MSH", 5));
        Assert.Equal("ICU&A", ack.Get("MSH", 6));
        Assert.Equal("ID~7", ack.Get("MSA", 2));
        Assert.Equal("Value '1|2^3&4~5\\6' was\rnot a number.", ack.Get("ERR", 8));
    }

    [Fact]
    public void Warnings_ride_along_an_accept_with_severity_w()
    {
        var warning = new Hl7Error(Hl7ErrorCode.DataTypeError, "SpO2 40 % outside the plausible range.", new Hl7Location("OBX", 6, 5), Hl7ErrorSeverity.Warning);

        var ack = ParseAck(Hl7Ack.Accept(Header(Samples.MdcMonitor()), Options, [warning]));

        Assert.Equal("AA", ack.Get("MSA", 1));
        Assert.Equal("W", ack.Get("ERR", 4));
    }

    [Fact]
    public void Versions_before_2_5_get_the_error_in_err_1_and_msa_3()
    {
        var error = new Hl7Error(Hl7ErrorCode.RequiredFieldMissing, "OBX-6 (units) is required.", new Hl7Location("OBX", 7, 6));

        var ack = ParseAck(Hl7Ack.Build(Hl7AckCode.ApplicationError, Header(Samples.LoincMonitor()), [error], Options));
        var err = ack.SegmentsWithId("ERR").Single();

        Assert.Equal("OBX-6 (units) is required.", ack.Get("MSA", 3));
        Assert.Equal("OBX", err.Get(1, 1));
        Assert.Equal("7", err.Get(1, 2));
        Assert.Equal("6", err.Get(1, 3));
        Assert.Equal("101", err.Get(1, 4, 1));
        Assert.Equal("HL70357", err.Get(1, 4, 3));
        Assert.Equal(1, err.FieldCount);
    }

    [Fact]
    public void A_broken_body_gets_an_application_error_addressed_from_the_readable_header()
    {
        var result = Hl7Parser.Parse(Samples.Oru("OBX|1|NM|8867-4^Heart rate^LN||7\\Q\\2|/min|||||F"));

        var ack = ParseAck(Hl7Ack.ForParseFailure(result, Options));

        Assert.Equal("AE", ack.Get("MSA", 1));
        Assert.Equal("CTRL1", ack.Get("MSA", 2));
        Assert.Equal("MON", ack.Get("MSH", 5));
        Assert.Equal("102", ack.Get("ERR", 3));
        Assert.Equal("OBX", ack.Get("ERR", 2, 1));
        Assert.Equal("5", ack.Get("ERR", 2, 3));
    }

    [Fact]
    public void An_unsupported_version_gets_a_reject_in_the_fallback_version()
    {
        var result = Hl7Parser.Parse("MSH|^~\\&|OLD|WARD|KETACLINIC|CLINIC|20260101||ORU^R01|V22|P|2.2\r");

        var ack = ParseAck(Hl7Ack.ForParseFailure(result, Options));

        Assert.Equal("AR", ack.Get("MSA", 1));
        Assert.Equal("V22", ack.Get("MSA", 2));
        Assert.Equal("203", ack.Get("ERR", 3));
        Assert.Equal("2.5.1", ack.Header.VersionId);
        Assert.Equal("OLD", ack.Get("MSH", 5));
    }

    [Fact]
    public void An_unreadable_msh_gets_a_reject_with_the_placeholder_control_id()
    {
        var result = Hl7Parser.Parse("this is not hl7\r");

        var text = Hl7Ack.ForParseFailure(result, Options);
        var ack = ParseAck(text);

        Assert.StartsWith("MSH|^~\\&|KETACLINIC||||20260303101531-0600||ACK|ACK0001|P|2.5.1\r", text, StringComparison.Ordinal);
        Assert.Equal("AR", ack.Get("MSA", 1));
        Assert.Equal("UNKNOWN", ack.Get("MSA", 2));
        Assert.Equal("100", ack.Get("ERR", 3));
    }

    [Fact]
    public void An_unreadable_msh_with_an_id_like_control_id_gets_it_echoed()
    {
        var result = Hl7Parser.Parse("MSH|^^\\&|A|B|C|D|20260101||ORU^R01|CTRL-42|P|2.5\r");

        var ack = ParseAck(Hl7Ack.ForParseFailure(result, Options with { PlaceholderControlId = "NONE" }));

        Assert.Equal("AR", ack.Get("MSA", 1));
        Assert.Equal("CTRL-42", ack.Get("MSA", 2));
    }

    [Fact]
    public void A_processing_error_on_a_readable_message_chooses_reject_or_error_by_code()
    {
        var header = Header(Samples.MdcMonitor());

        var unsupported = ParseAck(Hl7Ack.ForError(header, new Hl7Error(Hl7ErrorCode.UnsupportedMessageType, "ADT is not read."), Options));
        var internalError = ParseAck(Hl7Ack.ForError(header, new Hl7Error(Hl7ErrorCode.ApplicationInternalError, "Database unavailable.", new Hl7Location("OBX", 5)), Options));

        Assert.Equal("AR", unsupported.Get("MSA", 1));
        Assert.Equal("AE", internalError.Get("MSA", 1));
        Assert.Equal("207", internalError.Get("ERR", 3));
    }

    [Fact]
    public void An_oversized_frame_gets_a_reject_addressed_from_its_head()
    {
        var head = Encoding.UTF8.GetBytes(Samples.MdcMonitor())[..300];
        var error = new Hl7Error(Hl7ErrorCode.ApplicationInternalError, "The message exceeds the maximum frame size of 1048576 bytes.");

        var ack = ParseAck(Hl7Ack.RejectFrame(head, error, Options));

        Assert.Equal("AR", ack.Get("MSA", 1));
        Assert.Equal("PHL000123", ack.Get("MSA", 2));
        Assert.Equal("IntelliVue-GW", ack.Get("MSH", 5));
    }

    [Fact]
    public void An_error_ack_without_errors_is_a_programming_error()
    {
        Assert.Throws<ArgumentException>(() => Hl7Ack.Build(Hl7AckCode.ApplicationError, Header(Samples.MdcMonitor()), [], Options));
        Assert.Throws<ArgumentException>(() => Hl7Ack.ForParseFailure(Hl7Parser.Parse(Samples.MdcMonitor()), Options));
    }

    [Fact]
    public void The_ack_is_framed_in_the_character_set_it_declares()
    {
        var header = Header("MSH|^~\\&|MONITOR|STATION|KETACLINIC|CLINIC|20260101||ORU^R01|1|P|2.5||||||8859/1\r");
        var ack = Hl7Ack.Build(Hl7AckCode.ApplicationError, header, [new Hl7Error(Hl7ErrorCode.DataTypeError, "37 °C")], Options);

        var frame = Mllp.FrameMessage(ack);

        Assert.Equal(Encoding.Latin1.GetBytes(ack), frame[1..^2]);
        Assert.Equal("37 °C", Hl7Parser.Parse(frame.AsSpan(1, frame.Length - 3)).Message!.Get("ERR", 8));
    }
}
