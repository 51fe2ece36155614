namespace KetaClinic.Domain.Monitoring.Hl7;

/// <summary>
/// The separators a message declares in MSH-1 and MSH-2. <see cref="Truncation"/> is the optional fifth
/// encoding character of HL7 v2.7+ (usually '#'); null when the message does not declare one.
/// </summary>
public sealed record Hl7Delimiters
{
    public Hl7Delimiters(char field, char component, char repetition, char escape, char subcomponent, char? truncation = null)
    {
        if (Check(field, $"{component}{repetition}{escape}{subcomponent}{truncation}") is { } problem)
        {
            throw new ArgumentException(problem, nameof(field));
        }

        Field = field;
        Component = component;
        Repetition = repetition;
        Escape = escape;
        Subcomponent = subcomponent;
        Truncation = truncation;
    }

    /// <summary>The delimiters every outgoing message uses: <c>|^~\&amp;</c>.</summary>
    public static Hl7Delimiters Standard { get; } = new('|', '^', '~', '\\', '&');

    public char Field { get; }

    public char Component { get; }

    public char Repetition { get; }

    public char Escape { get; }

    public char Subcomponent { get; }

    public char? Truncation { get; }

    /// <summary>MSH-2 as written: component, repetition, escape, subcomponent and, when declared, truncation.</summary>
    public string EncodingCharacters => $"{Component}{Repetition}{Escape}{Subcomponent}{Truncation}";

    internal bool IsDelimiter(char c) =>
        c == Field || c == Component || c == Repetition || c == Escape || c == Subcomponent || c == Truncation;

    /// <summary>Why these characters cannot serve as delimiters, or null when they can.</summary>
    internal static string? Check(char field, string encodingCharacters)
    {
        if (encodingCharacters.Length is < 4 or > 5)
        {
            return "MSH-2 must hold the 4 encoding characters (component, repetition, escape, subcomponent) "
                + $"and optionally the truncation character; found {encodingCharacters.Length}.";
        }

        var all = field + encodingCharacters;
        foreach (var c in all)
        {
            if (c > '~' || char.IsAsciiLetterOrDigit(c) || char.IsWhiteSpace(c) || char.IsControl(c))
            {
                return $"Delimiter U+{(int)c:X4} is not allowed: delimiters must be printable ASCII punctuation.";
            }
        }

        if (all.Distinct().Count() != all.Length)
        {
            return "The field separator and the encoding characters must all differ.";
        }

        return null;
    }
}
