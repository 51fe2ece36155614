using System.Globalization;
using System.Text;

namespace KetaClinic.Domain.Monitoring.Hl7;

/// <summary>
/// A strict HL7 v2 parser. It never throws on any input (only on a null argument): every problem comes back
/// as an <see cref="Hl7Error"/> with table 0357 code and location. Rules:
/// <list type="bullet">
/// <item>Segments end with CR; LF and CRLF are tolerated, blank lines skipped. The first segment is MSH.</item>
/// <item>Delimiters come from MSH-1 and MSH-2 (4 encoding characters, or 5 with the v2.7 truncation
/// character); they must be distinct printable ASCII punctuation.</item>
/// <item>Segment ids are three upper-case letters or digits, starting with a letter; one MSH only (no batches).</item>
/// <item>Escape sequences follow <see cref="Hl7Escaping"/>; an unsupported one fails the message.</item>
/// <item>MSH-9 (message code; the trigger event is left to the handler, a v2.3 ACK has none), MSH-10 (at most 199 characters), MSH-11 (P, D or T) and MSH-12 (2.3 to 2.8.x)
/// are required. An unescaped truncation character is kept as data; "" (the HL7 null) is kept verbatim.</item>
/// <item>Bytes are decoded in the MSH-18 character set, UTF-8 when MSH-18 is empty (see the charset rules in
/// the README of this folder).</item>
/// </list>
/// Callers bound the input size (the MLLP decoder's maximum frame size does).
/// </summary>
public static class Hl7Parser
{
    private const int MaxControlIdLength = 199;

    private static readonly HashSet<string> Versions = new(StringComparer.Ordinal)
    {
        "2.3", "2.3.1", "2.4", "2.5", "2.5.1", "2.6", "2.7", "2.7.1", "2.8", "2.8.1", "2.8.2",
    };

    /// <summary>The MSH-12 versions accepted: 2.3 through 2.8.2.</summary>
    public static IReadOnlyCollection<string> SupportedVersions => Versions;

    /// <summary>Parses an MLLP payload, decoding it in the character set MSH-18 declares.</summary>
    public static Hl7ParseResult Parse(ReadOnlySpan<byte> payload)
    {
        ReadOnlySpan<byte> utf8Bom = [0xEF, 0xBB, 0xBF];
        var bomStripped = payload.StartsWith(utf8Bom);
        if (bomStripped)
        {
            payload = payload[3..];
        }

        var firstLineEnd = payload.IndexOfAny((byte)'\r', (byte)'\n');
        var firstLine = Encoding.Latin1.GetString(firstLineEnd < 0 ? payload : payload[..firstLineEnd]);
        var msh18 = Hl7Charset.ReadMsh18(firstLine);
        var charset = Hl7Charset.Resolve(msh18);
        if (charset is null)
        {
            return ParseText(Encoding.Latin1.GetString(payload), Hl7Charset.Resolve(string.Empty)!, UnsupportedCharset(msh18));
        }

        if (bomStripped && msh18.Trim().Length != 0 && !msh18.Trim().Equals("UNICODE UTF-8", StringComparison.OrdinalIgnoreCase))
        {
            return ParseText(Encoding.Latin1.GetString(payload), charset, CharsetError(
                $"The payload starts with a UTF-8 byte order mark but MSH-18 declares '{msh18}'."));
        }

        var text = Hl7Charset.TryDecode(charset, payload);
        if (text is null)
        {
            var name = msh18.Trim().Length == 0 ? "UTF-8 (MSH-18 is empty)" : $"'{msh18.Trim()}' (MSH-18)";
            return ParseText(Encoding.Latin1.GetString(payload), charset, CharsetError(
                $"The payload holds bytes that are not valid in {name}; declare the character set actually used in MSH-18."));
        }

        return ParseText(text, charset, null);
    }

    /// <summary>Parses message text; MSH-18 only matters here for \X..\ escapes.</summary>
    public static Hl7ParseResult Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var msh18 = Hl7Charset.ReadMsh18(text);
        var charset = Hl7Charset.Resolve(msh18);
        return charset is null
            ? ParseText(text, Hl7Charset.Resolve(string.Empty)!, UnsupportedCharset(msh18))
            : ParseText(text, charset, null);
    }

    private static Hl7Error UnsupportedCharset(string msh18) => CharsetError(
        $"Character set '{msh18.Trim()}' in MSH-18 is not supported; use one of {Hl7Charset.SupportedNames}, or leave MSH-18 empty for UTF-8.");

    private static Hl7Error CharsetError(string message) =>
        new(Hl7ErrorCode.DataTypeError, message, new Hl7Location("MSH", 1, 18));

    private static Hl7ParseResult ParseText(string text, Encoding charset, Hl7Error? charsetError)
    {
        var lines = SplitSegments(text);
        if (lines.Count == 0)
        {
            return Hl7ParseResult.Failure(new Hl7Error(Hl7ErrorCode.SegmentSequenceError, "The message is empty."), null);
        }

        var msh = lines[0];
        if (!msh.StartsWith("MSH", StringComparison.Ordinal))
        {
            return Hl7ParseResult.Failure(
                new Hl7Error(Hl7ErrorCode.SegmentSequenceError, $"A message must start with an MSH segment; it starts with '{Printable(msh, 3)}'."),
                null);
        }

        if (msh.Length < 4)
        {
            return Hl7ParseResult.Failure(
                new Hl7Error(Hl7ErrorCode.RequiredFieldMissing, "MSH-1 (the field separator) is missing.", new Hl7Location("MSH", 1, 1)),
                null);
        }

        var fieldSeparator = msh[3];
        var encodingEnd = msh.IndexOf(fieldSeparator, 4);
        var encodingCharacters = encodingEnd < 0 ? msh[4..] : msh[4..encodingEnd];
        if (Hl7Delimiters.Check(fieldSeparator, encodingCharacters) is { } delimiterProblem)
        {
            return Hl7ParseResult.Failure(
                new Hl7Error(Hl7ErrorCode.DataTypeError, delimiterProblem, new Hl7Location("MSH", 1, 2)),
                null,
                ScrapeControlId(msh));
        }

        var delimiters = new Hl7Delimiters(
            fieldSeparator,
            encodingCharacters[0],
            encodingCharacters[1],
            encodingCharacters[2],
            encodingCharacters[3],
            encodingCharacters.Length == 5 ? encodingCharacters[4] : null);

        var parser = new SegmentParser(delimiters, charset);
        var mshSegment = parser.ParseMsh(msh, encodingCharacters);
        if (mshSegment is null)
        {
            return Hl7ParseResult.Failure(parser.Error!, null, ScrapeControlId(msh));
        }

        var header = ReadHeader(mshSegment, delimiters);
        if ((charsetError ?? CheckHeader(header)) is { } headerError)
        {
            return Hl7ParseResult.Failure(headerError, header);
        }

        var segments = new List<Hl7Segment>(lines.Count) { mshSegment };
        for (var i = 1; i < lines.Count; i++)
        {
            var segment = parser.Parse(lines[i], i + 1);
            if (segment is null)
            {
                return Hl7ParseResult.Failure(parser.Error!, header);
            }

            segments.Add(segment);
        }

        return Hl7ParseResult.Success(new Hl7Message(header, segments));
    }

    private static List<string> SplitSegments(string text)
    {
        var lines = new List<string>();
        var start = 0;
        for (var i = 0; i <= text.Length; i++)
        {
            if (i < text.Length && text[i] is not ('\r' or '\n'))
            {
                continue;
            }

            if (i > start)
            {
                lines.Add(text[start..i]);
            }

            start = i + 1;
        }

        return lines;
    }

    private static Hl7Header ReadHeader(Hl7Segment msh, Hl7Delimiters delimiters) => new(
        delimiters,
        Hl7HierarchicDesignator.From(msh.Field(3)),
        Hl7HierarchicDesignator.From(msh.Field(4)),
        Hl7HierarchicDesignator.From(msh.Field(5)),
        Hl7HierarchicDesignator.From(msh.Field(6)),
        msh.Get(7),
        new Hl7MessageType(msh.Get(9, 1), msh.Get(9, 2), msh.Get(9, 3)),
        msh.Get(10),
        msh.Get(11),
        msh.Get(12),
        msh.Get(18));

    private static Hl7Error? CheckHeader(Hl7Header header)
    {
        static Hl7Location At(int field, int? component = null) => new("MSH", 1, field, Component: component);

        if (header.MessageType.Code.Length == 0)
        {
            return new Hl7Error(Hl7ErrorCode.RequiredFieldMissing, "MSH-9 (message type) is required.", At(9, 1));
        }

        if (header.ControlId.Length == 0)
        {
            return new Hl7Error(Hl7ErrorCode.RequiredFieldMissing, "MSH-10 (message control id) is required.", At(10));
        }

        if (header.ControlId.Length > MaxControlIdLength)
        {
            return new Hl7Error(
                Hl7ErrorCode.DataTypeError,
                string.Create(CultureInfo.InvariantCulture, $"MSH-10 (message control id) must be at most {MaxControlIdLength} characters."),
                At(10));
        }

        if (header.ProcessingId.Length == 0)
        {
            return new Hl7Error(Hl7ErrorCode.RequiredFieldMissing, "MSH-11 (processing id) is required.", At(11));
        }

        if (header.ProcessingId is not ("P" or "D" or "T"))
        {
            return new Hl7Error(
                Hl7ErrorCode.UnsupportedProcessingId,
                $"MSH-11 (processing id) '{Printable(header.ProcessingId, 10)}' is not P, D or T.",
                At(11));
        }

        if (header.VersionId.Length == 0)
        {
            return new Hl7Error(Hl7ErrorCode.RequiredFieldMissing, "MSH-12 (version id) is required.", At(12));
        }

        if (!Versions.Contains(header.VersionId))
        {
            return new Hl7Error(
                Hl7ErrorCode.UnsupportedVersionId,
                $"HL7 version '{Printable(header.VersionId, 10)}' is not supported; this receiver accepts versions 2.3 to 2.8.2.",
                At(12));
        }

        return null;
    }

    /// <summary>Best effort MSH-10 from an MSH whose delimiters or escapes are broken: an id-like token or null.</summary>
    private static string? ScrapeControlId(string msh)
    {
        if (msh.Length < 4)
        {
            return null;
        }

        var parts = msh.Split(msh[3]);
        if (parts.Length < 10)
        {
            return null;
        }

        var candidate = parts[9].Trim();
        return candidate.Length is > 0 and <= MaxControlIdLength
            && candidate.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or ':')
            ? candidate
            : null;
    }

    /// <summary>A short, printable rendering of untrusted text for an error message.</summary>
    internal static string Printable(string text, int maxLength)
    {
        var shown = text.Length > maxLength ? text[..maxLength] + "…" : text;
        return string.Concat(shown.Select(c => char.IsControl(c) ? '?' : c));
    }

    /// <summary>Splits segments into fields, repetitions, components and subcomponents; keeps the first error.</summary>
    private sealed class SegmentParser(Hl7Delimiters delimiters, Encoding charset)
    {
        /// <summary>What makes a field more than one plain value: a repetition, component, subcomponent or escape character.</summary>
        private readonly char[] _structure = [delimiters.Repetition, delimiters.Component, delimiters.Subcomponent, delimiters.Escape];

        /// <summary>What makes a component more than one plain value.</summary>
        private readonly char[] _componentStructure = [delimiters.Subcomponent, delimiters.Escape];

        public Hl7Error? Error { get; private set; }

        public Hl7Segment? ParseMsh(string line, string encodingCharacters)
        {
            var raw = line.Split(delimiters.Field);

            // raw[0] is "MSH", raw[1] is MSH-2; MSH-n is raw[n - 1] for n >= 3.
            var fields = new List<Hl7Field>(raw.Length)
            {
                Literal(delimiters.Field.ToString()),
                Literal(encodingCharacters),
            };
            for (var n = 3; n <= raw.Length; n++)
            {
                var field = ParseField(raw[n - 1], "MSH", 1, n);
                if (field is null)
                {
                    return null;
                }

                fields.Add(field);
            }

            return new Hl7Segment("MSH", 1, fields);
        }

        public Hl7Segment? Parse(string line, int sequence)
        {
            if (!HasSegmentId(line))
            {
                Error = new Hl7Error(
                    Hl7ErrorCode.SegmentSequenceError,
                    $"Segment {sequence.ToString(CultureInfo.InvariantCulture)} does not start with a segment id "
                    + $"(three upper-case letters or digits, the first a letter) followed by '{delimiters.Field}': '{Printable(line, 20)}'.");
                return null;
            }

            var id = line[..3];
            if (id is "MSH")
            {
                Error = new Hl7Error(
                    Hl7ErrorCode.SegmentSequenceError,
                    "A second MSH segment was found; send one message per frame (batches are not supported).",
                    new Hl7Location(id, sequence));
                return null;
            }

            var raw = line.Split(delimiters.Field);
            var fields = new List<Hl7Field>(raw.Length - 1);
            for (var n = 1; n < raw.Length; n++)
            {
                var field = ParseField(raw[n], id, sequence, n);
                if (field is null)
                {
                    return null;
                }

                fields.Add(field);
            }

            return new Hl7Segment(id, sequence, fields);
        }

        private bool HasSegmentId(string line) =>
            line.Length >= 3
            && char.IsAsciiLetterUpper(line[0])
            && (char.IsAsciiLetterUpper(line[1]) || char.IsAsciiDigit(line[1]))
            && (char.IsAsciiLetterUpper(line[2]) || char.IsAsciiDigit(line[2]))
            && (line.Length == 3 || line[3] == delimiters.Field);

        private static Hl7Field Literal(string value) => new([new Hl7Repetition([new Hl7Component([value])])]);

        private Hl7Field? ParseField(string raw, string segmentId, int sequence, int fieldNumber)
        {
            if (raw.Length == 0)
            {
                return Hl7Field.Empty;
            }

            // Most fields are one plain value: no splitting and no unescaping to do.
            if (raw.AsSpan().IndexOfAny(_structure) < 0)
            {
                return new Hl7Field([new Hl7Repetition([new Hl7Component([raw])])]);
            }

            var rawRepetitions = raw.Split(delimiters.Repetition);
            var repetitions = new Hl7Repetition[rawRepetitions.Length];
            for (var r = 0; r < rawRepetitions.Length; r++)
            {
                if (rawRepetitions[r].Length == 0)
                {
                    repetitions[r] = Hl7Repetition.Empty;
                    continue;
                }

                var rawComponents = rawRepetitions[r].Split(delimiters.Component);
                var components = new Hl7Component[rawComponents.Length];
                for (var c = 0; c < rawComponents.Length; c++)
                {
                    if (rawComponents[c].Length == 0)
                    {
                        components[c] = Hl7Component.Empty;
                        continue;
                    }

                    if (rawComponents[c].AsSpan().IndexOfAny(_componentStructure) < 0)
                    {
                        components[c] = new Hl7Component([rawComponents[c]]);
                        continue;
                    }

                    var rawSubcomponents = rawComponents[c].Split(delimiters.Subcomponent);
                    var subcomponents = new string[rawSubcomponents.Length];
                    for (var s = 0; s < rawSubcomponents.Length; s++)
                    {
                        var value = Hl7Escaping.Unescape(rawSubcomponents[s], delimiters, charset, out var problem);
                        if (value is null)
                        {
                            Error = new Hl7Error(
                                Hl7ErrorCode.DataTypeError,
                                problem!,
                                new Hl7Location(segmentId, sequence, fieldNumber, r + 1, c + 1, s + 1));
                            return null;
                        }

                        subcomponents[s] = value;
                    }

                    components[c] = new Hl7Component(subcomponents);
                }

                repetitions[r] = new Hl7Repetition(components);
            }

            return new Hl7Field(repetitions);
        }
    }
}
