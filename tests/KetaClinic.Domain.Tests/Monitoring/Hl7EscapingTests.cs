using KetaClinic.Domain.Monitoring.Hl7;

namespace KetaClinic.Domain.Tests.Monitoring;

public class Hl7EscapingTests
{
    private static string Note(string rawField) =>
        Samples.Parse($"MSH|^~\\&|A|B|C|D|20260101||ORU^R01|1|P|2.5\rNTE|1||{rawField}\r").Get("NTE", 3);

    private static Hl7Error NoteError(string rawField) =>
        Samples.ParseError($"MSH|^~\\&|A|B|C|D|20260101||ORU^R01|1|P|2.5\rNTE|1||{rawField}\r");

    [Theory]
    [InlineData("a\\F\\b", "a|b")]
    [InlineData("a\\S\\b", "a^b")]
    [InlineData("a\\T\\b", "a&b")]
    [InlineData("a\\R\\b", "a~b")]
    [InlineData("a\\E\\b", "a\\b")]
    [InlineData("\\E\\\\E\\", "\\\\")]
    [InlineData("\\F\\\\S\\\\T\\\\R\\\\E\\", "|^&~\\")]
    public void Delimiter_escapes_become_the_delimiters(string raw, string expected) =>
        Assert.Equal(expected, Note(raw));

    [Theory]
    [InlineData("line\\X0D0A\\next", "line\r\nnext")]
    [InlineData("\\X41\\", "A")]
    [InlineData("\\Xc2b0\\C", "°C")]
    public void Hex_escapes_are_decoded_in_the_message_character_set(string raw, string expected) =>
        Assert.Equal(expected, Note(raw));

    [Fact]
    public void Hex_escapes_are_decoded_as_latin1_when_msh_18_says_so()
    {
        var message = Samples.Parse("MSH|^~\\&|A|B|C|D|20260101||ORU^R01|1|P|2.5||||||8859/1\rNTE|1||37\\XB0\\C\r");

        Assert.Equal("37°C", message.Get("NTE", 3));
    }

    [Theory]
    [InlineData("one\\.br\\two", "one\ntwo")]
    [InlineData("one\\.sp\\two", "one\ntwo")]
    [InlineData("one\\.sp 2\\two", "one\ntwo")]
    [InlineData("\\.in+4\\indented", "indented")]
    [InlineData("\\.ce\\centred\\.fi\\", "centred")]
    [InlineData("\\H\\important\\N\\ text", "important text")]
    public void Formatting_commands_keep_line_breaks_and_drop_the_rest(string raw, string expected) =>
        Assert.Equal(expected, Note(raw));

    [Theory]
    [InlineData("C:\\temp", "Unterminated")]
    [InlineData("a\\\\b", "Empty escape")]
    [InlineData("\\Zvendor\\", "Unsupported escape")]
    [InlineData("\\C2842\\", "Unsupported escape")]
    [InlineData("\\M2442\\", "Unsupported escape")]
    [InlineData("\\X4\\", "even number")]
    [InlineData("\\XZZ\\", "even number")]
    [InlineData("\\X\\", "Unsupported escape")]
    [InlineData("\\XC3\\", "not valid")]
    [InlineData("\\.zz\\", "Unsupported escape")]
    [InlineData("\\.br 2\\", "Unsupported escape")]
    [InlineData("\\.sp x\\", "Unsupported escape")]
    public void Unknown_or_malformed_escapes_fail_the_message_rather_than_pass_verbatim(string raw, string rule)
    {
        var error = NoteError(raw);

        Assert.Equal(Hl7ErrorCode.DataTypeError, error.Code);
        Assert.Contains(rule, error.Message, StringComparison.Ordinal);
        Assert.Equal(new Hl7Location("NTE", 2, 3, 1, 1, 1), error.Location);
    }

    [Fact]
    public void Escape_turns_delimiters_and_control_characters_into_sequences()
    {
        Assert.Equal("a\\F\\b\\S\\c\\T\\d\\R\\e\\E\\f\\X0D\\\\X0A\\\\X09\\\\X0B\\\\X1C\\", Hl7Escaping.Escape("a|b^c&d~e\\f\r\n\t\u000b\u001c", Hl7Delimiters.Standard));
    }

    [Fact]
    public void Escape_leaves_plain_text_and_non_ascii_alone()
    {
        const string text = "Körpertemperatur 37 °C # ok";

        Assert.Same(text, Hl7Escaping.Escape(text, Hl7Delimiters.Standard));
    }

    [Fact]
    public void Escape_writes_the_truncation_character_as_p_when_one_is_declared()
    {
        var delimiters = new Hl7Delimiters('|', '^', '~', '\\', '&', '#');

        Assert.Equal("no\\P\\1", Hl7Escaping.Escape("no#1", delimiters));
    }

    [Fact]
    public void Delimiters_that_clash_are_a_programming_error()
    {
        Assert.Throws<ArgumentException>(() => new Hl7Delimiters('|', '^', '^', '\\', '&'));
        Assert.Throws<ArgumentException>(() => new Hl7Delimiters('|', 'A', '~', '\\', '&'));
    }
}
