using System.Globalization;
using System.Text;

namespace KetaClinic.Domain.Monitoring.Hl7;

/// <summary>
/// HL7 v2 escape sequences. Decoding rules, chosen to be strict:
/// <list type="bullet">
/// <item>\F\ \S\ \T\ \R\ \E\ become the field, component, subcomponent, repetition and escape characters;
/// \P\ the truncation character when MSH-2 declares one.</item>
/// <item>\Xhh..\ is hexadecimal data in the message's character set (an even, non-zero number of digits).</item>
/// <item>\.br\ and \.sp\ (with an optional count) become a line feed; the other formatting commands
/// (\.in\ \.ti\ \.sk\ \.ce\ \.fi\ \.nf\) and the highlighting escapes \H\ \N\ are dropped: they carry no data.</item>
/// <item>Everything else (locally defined \Z..\, ISO 2022 \C..\ \M..\, an empty or unterminated sequence) is
/// an error, never passed through: a value whose meaning is unknown is not stored.</item>
/// </list>
/// </summary>
public static class Hl7Escaping
{
    /// <summary>
    /// Escapes <paramref name="text"/> for use as one field, component or subcomponent value: delimiters
    /// become \F\ \S\ \T\ \R\ \E\ (\P\), and control characters (CR and LF included) become \Xhh\, so the
    /// value can neither split segments nor break MLLP framing.
    /// </summary>
    public static string Escape(string text, Hl7Delimiters delimiters)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(delimiters);
        var index = 0;
        while (index < text.Length && !NeedsEscape(text[index], delimiters))
        {
            index++;
        }

        if (index == text.Length)
        {
            return text;
        }

        var builder = new StringBuilder(text.Length + 16).Append(text, 0, index);
        var e = delimiters.Escape;
        for (; index < text.Length; index++)
        {
            var c = text[index];
            if (c == delimiters.Field)
            {
                builder.Append(e).Append('F').Append(e);
            }
            else if (c == delimiters.Component)
            {
                builder.Append(e).Append('S').Append(e);
            }
            else if (c == delimiters.Subcomponent)
            {
                builder.Append(e).Append('T').Append(e);
            }
            else if (c == delimiters.Repetition)
            {
                builder.Append(e).Append('R').Append(e);
            }
            else if (c == e)
            {
                builder.Append(e).Append('E').Append(e);
            }
            else if (c == delimiters.Truncation)
            {
                builder.Append(e).Append('P').Append(e);
            }
            else if (char.IsControl(c) && c < 0x80)
            {
                builder.Append(e).Append('X').Append(((int)c).ToString("X2", CultureInfo.InvariantCulture)).Append(e);
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }

    private static bool NeedsEscape(char c, Hl7Delimiters delimiters) =>
        delimiters.IsDelimiter(c) || (char.IsControl(c) && c < 0x80);

    /// <summary>Decodes one leaf value; null with <paramref name="error"/> set when a sequence is not allowed.</summary>
    internal static string? Unescape(string raw, Hl7Delimiters delimiters, Encoding charset, out string? error)
    {
        error = null;
        var e = delimiters.Escape;
        var first = raw.IndexOf(e, StringComparison.Ordinal);
        if (first < 0)
        {
            return raw;
        }

        var builder = new StringBuilder(raw.Length).Append(raw, 0, first);
        var i = first;
        while (i < raw.Length)
        {
            var c = raw[i];
            if (c != e)
            {
                builder.Append(c);
                i++;
                continue;
            }

            var close = raw.IndexOf(e, i + 1);
            if (close < 0)
            {
                error = $"Unterminated escape sequence starting at character {i + 1}.";
                return null;
            }

            var sequence = raw.AsSpan(i + 1, close - i - 1);
            if (!AppendSequence(builder, sequence, delimiters, charset, out error))
            {
                return null;
            }

            i = close + 1;
        }

        return builder.ToString();
    }

    private static bool AppendSequence(
        StringBuilder builder, ReadOnlySpan<char> sequence, Hl7Delimiters delimiters, Encoding charset, out string? error)
    {
        error = null;
        var e = delimiters.Escape;
        switch (sequence)
        {
            case "F":
                builder.Append(delimiters.Field);
                return true;
            case "S":
                builder.Append(delimiters.Component);
                return true;
            case "T":
                builder.Append(delimiters.Subcomponent);
                return true;
            case "R":
                builder.Append(delimiters.Repetition);
                return true;
            case "E":
                builder.Append(e);
                return true;
            case "P" when delimiters.Truncation is { } truncation:
                builder.Append(truncation);
                return true;
            case "H" or "N":
                return true;
        }

        if (sequence.Length > 1 && sequence[0] == 'X')
        {
            return AppendHex(builder, sequence[1..], charset, out error);
        }

        if (sequence.Length > 1 && sequence[0] == '.' && IsFormattingCommand(sequence[1..], out var lineBreak))
        {
            if (lineBreak)
            {
                builder.Append('\n');
            }

            return true;
        }

        error = sequence.Length == 0
            ? "Empty escape sequence (two escape characters in a row); write \\E\\ for a literal escape character."
            : $"Unsupported escape sequence {e}{Shorten(sequence)}{e}.";
        return false;
    }

    private static bool AppendHex(StringBuilder builder, ReadOnlySpan<char> hex, Encoding charset, out string? error)
    {
        error = null;
        if (hex.Length % 2 != 0 || !hex.ContainsOnlyHex())
        {
            error = $"Hexadecimal escape \\X{Shorten(hex)}\\ must hold an even number of hex digits.";
            return false;
        }

        var bytes = Convert.FromHexString(hex);
        var text = Hl7Charset.TryDecode(charset, bytes);
        if (text is null)
        {
            error = $"Hexadecimal escape \\X{Shorten(hex)}\\ is not valid in the message's character set.";
            return false;
        }

        builder.Append(text);
        return true;
    }

    /// <summary>The formatting commands of the FT data type: .br .sp .in .ti .sk .ce .fi .nf (some with a count).</summary>
    private static bool IsFormattingCommand(ReadOnlySpan<char> command, out bool lineBreak)
    {
        lineBreak = false;
        if (command.Length < 2)
        {
            return false;
        }

        var name = command[..2];
        var argument = command[2..].Trim(' ');
        var unsigned = argument.Length > 0 && argument[0] is '+' or '-' ? argument[1..] : argument;
        var hasNumber = argument.Length == 0 || (unsigned.Length > 0 && unsigned.ContainsOnlyDigits());
        switch (name)
        {
            case "br" or "fi" or "nf" or "ce":
                lineBreak = name is "br";
                return argument.Length == 0;
            case "sp":
                lineBreak = true;
                return hasNumber;
            case "in" or "ti" or "sk":
                return hasNumber;
            default:
                return false;
        }
    }

    private static string Shorten(ReadOnlySpan<char> sequence) =>
        sequence.Length <= 16 ? sequence.ToString() : string.Concat(sequence[..16], "…");

    private static bool ContainsOnlyHex(this ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (!char.IsAsciiHexDigit(c))
            {
                return false;
            }
        }

        return true;
    }

    private static bool ContainsOnlyDigits(this ReadOnlySpan<char> text)
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
}
