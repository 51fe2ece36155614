using System.Text;

namespace KetaClinic.Domain.Monitoring.Hl7;

/// <summary>
/// The character sets of MSH-18 (HL7 table 0211) this system reads and writes. An empty MSH-18 means UTF-8
/// here: HL7's own default is ASCII, of which UTF-8 is a superset, and it is what modern monitors send.
/// Decoding is strict: bytes that are not valid in the declared set are an error, never silently replaced.
/// ISO 2022 code switching (MSH-18 repetitions 2+, \C..\ and \M..\ escapes) and UTF-16/32 are not supported.
/// </summary>
internal static class Hl7Charset
{
    private static readonly Encoding StrictUtf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Table 0211 name, case-insensitive, to code page (0 for UTF-8).</summary>
    private static readonly Dictionary<string, int> CodePages = new(StringComparer.OrdinalIgnoreCase)
    {
        ["ASCII"] = 20127,
        ["8859/1"] = 28591,
        ["8859/2"] = 28592,
        ["8859/3"] = 28593,
        ["8859/4"] = 28594,
        ["8859/5"] = 28595,
        ["8859/6"] = 28596,
        ["8859/7"] = 28597,
        ["8859/8"] = 28598,
        ["8859/9"] = 28599,
        ["8859/15"] = 28605,
        ["UNICODE UTF-8"] = 0,
    };

    public static string SupportedNames => string.Join(", ", CodePages.Keys);

    /// <summary>The strict decoder for an MSH-18 value; an empty value means UTF-8.</summary>
    public static Encoding? Resolve(string msh18)
    {
        var name = msh18.Trim();
        if (name.Length == 0)
        {
            return StrictUtf8;
        }

        if (!CodePages.TryGetValue(name, out var codePage))
        {
            return null;
        }

        return codePage switch
        {
            0 => StrictUtf8,
            20127 => Encoding.GetEncoding(20127, EncoderFallback.ReplacementFallback, DecoderFallback.ExceptionFallback),
            28591 => Encoding.GetEncoding(28591, EncoderFallback.ReplacementFallback, DecoderFallback.ExceptionFallback),
            _ => CodePagesEncodingProvider.Instance.GetEncoding(codePage, EncoderFallback.ReplacementFallback, DecoderFallback.ExceptionFallback),
        };
    }

    /// <summary>Decodes strictly; null when a byte is not valid in the character set.</summary>
    public static string? TryDecode(Encoding encoding, ReadOnlySpan<byte> bytes)
    {
        try
        {
            return encoding.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
    }

    /// <summary>Encodes outgoing text; characters the set cannot hold become '?' (UTF-8 holds all).</summary>
    public static byte[] Encode(Encoding encoding, string text) =>
        ReferenceEquals(encoding, StrictUtf8) ? Encoding.UTF8.GetBytes(text) : encoding.GetBytes(text);

    /// <summary>
    /// MSH-18 (first repetition, first component) read from the first segment without unescaping, or ""
    /// when the text has no readable MSH. Header fields are plain ASCII, so this works before decoding.
    /// </summary>
    public static string ReadMsh18(ReadOnlySpan<char> text)
    {
        var end = text.IndexOfAny('\r', '\n');
        var msh = end < 0 ? text : text[..end];
        if (msh.Length < 4 || !msh.StartsWith("MSH", StringComparison.Ordinal))
        {
            return string.Empty;
        }

        var fieldSeparator = msh[3];
        var fieldNumber = 1;
        var start = 3;
        for (var i = 3; i < msh.Length; i++)
        {
            if (msh[i] != fieldSeparator)
            {
                continue;
            }

            fieldNumber++;
            start = i + 1;
            if (fieldNumber == 18)
            {
                var rest = msh[start..];
                var stop = rest.IndexOf(fieldSeparator);
                var field = stop < 0 ? rest : rest[..stop];
                if (msh.Length > 5)
                {
                    // Cut at the repetition and component characters of MSH-2.
                    var cut = field.IndexOfAny(msh[5], msh[4]);
                    field = cut < 0 ? field : field[..cut];
                }

                return field.ToString();
            }
        }

        return string.Empty;
    }
}
