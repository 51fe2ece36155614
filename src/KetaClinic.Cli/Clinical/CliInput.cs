using System.Globalization;
using System.Text;
using System.Text.Json;

namespace KetaClinic.Cli.Clinical;

/// <summary>Bad input to a clinical command. The message names the item or the JSON path, and the rule broken.</summary>
public sealed class CliInputException : Exception
{
    public CliInputException()
    {
    }

    public CliInputException(string message)
        : base(message)
    {
    }

    public CliInputException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public static CliInputException At(string path, string rule) => new($"{path}: {rule}");
}

/// <summary>Stable lower-case codes for enums, e.g. <c>SevereWithoutPsychosis</c> ↔ <c>severe-without-psychosis</c>.</summary>
internal static class Codes
{
    public static string Kebab<T>(T value)
        where T : struct, Enum => Kebab(value.ToString());

    public static string Kebab(string pascal)
    {
        var text = new StringBuilder(pascal.Length + 8);
        for (var i = 0; i < pascal.Length; i++)
        {
            if (i > 0 && char.IsUpper(pascal[i]))
            {
                text.Append('-');
            }

            text.Append(char.ToLowerInvariant(pascal[i]));
        }

        return text.ToString();
    }

    public static string Camel<T>(T value)
        where T : struct, Enum
    {
        var name = value.ToString();
        return char.ToLowerInvariant(name[0]) + name[1..];
    }

    public static IEnumerable<string> All<T>()
        where T : struct, Enum => Enum.GetValues<T>().Select(Kebab);

    public static bool TryParse<T>(string code, out T value)
        where T : struct, Enum
    {
        foreach (var candidate in Enum.GetValues<T>())
        {
            if (string.Equals(Kebab(candidate), code, StringComparison.Ordinal))
            {
                value = candidate;
                return true;
            }
        }

        value = default;
        return false;
    }

    public static string Number(decimal value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    public static string Date(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}

/// <summary>
/// Reads one JSON object strictly: an unknown or repeated field, a wrong type or a bad value is an error naming
/// its JSON path (<c>$.trials[1].maxDailyDoseMg</c>, indices from 0). A field that is absent or null is "not given".
/// </summary>
internal sealed class JsonInput
{
    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 32 };

    private readonly Dictionary<string, JsonElement> _fields = new(StringComparer.Ordinal);

    private JsonInput(JsonElement element, string path, IReadOnlyCollection<string> known)
    {
        Path = path;
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw CliInputException.At(path, $"must be a JSON object, not {Describe(element)}.");
        }

        foreach (var property in element.EnumerateObject())
        {
            var at = $"{path}.{property.Name}";
            if (!known.Contains(property.Name))
            {
                throw CliInputException.At(at, $"is not a known field; the fields here are: {string.Join(", ", known)}.");
            }

            if (!_fields.TryAdd(property.Name, property.Value))
            {
                throw CliInputException.At(at, "is given twice.");
            }
        }
    }

    public string Path { get; }

    /// <summary>Parses standard input as one JSON object with the given fields.</summary>
    public static JsonDocument Parse(string text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new CliInputException("Standard input is empty: expected one JSON object.");
        }

        try
        {
            return JsonDocument.Parse(text, DocumentOptions);
        }
        catch (JsonException ex)
        {
            var line = ex.LineNumber is { } n ? $" at line {n + 1}, position {ex.BytePositionInLine + 1}" : string.Empty;
            throw new CliInputException($"Standard input is not valid JSON{line}: {FirstSentence(ex.Message)}");
        }
    }

    public static JsonInput Object(JsonElement element, string path, params string[] known) => new(element, path, known);

    public string At(string name) => $"{Path}.{name}";

    public bool Has(string name) => _fields.TryGetValue(name, out var value) && value.ValueKind != JsonValueKind.Null;

    public string? String(string name, bool required = false) =>
        Value(name, required) is { } value ? StringValue(value, At(name)) : null;

    public int? Int(string name, bool required = false) =>
        Value(name, required) is { } value ? IntValue(value, At(name)) : null;

    public decimal? Decimal(string name, bool required = false) =>
        Value(name, required) is { } value ? DecimalValue(value, At(name)) : null;

    public bool? Bool(string name, bool required = false)
    {
        if (Value(name, required) is not { } value)
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw CliInputException.At(At(name), $"must be true or false, not {Describe(value)}."),
        };
    }

    public DateOnly? Date(string name, bool required = false) =>
        Value(name, required) is { } value ? DateValue(value, At(name)) : null;

    /// <summary>An enum written as its lower-case code (<c>severe-without-psychosis</c>).</summary>
    public T? Code<T>(string name, bool required = false)
        where T : struct, Enum
    {
        if (String(name, required) is not { } code)
        {
            return null;
        }

        return Codes.TryParse<T>(code, out var value)
            ? value
            : throw CliInputException.At(At(name), $"'{code}' is not allowed; use one of: {string.Join(", ", Codes.All<T>())}.");
    }

    public JsonInput? Object(string name, bool required, params string[] known) =>
        Value(name, required) is { } value ? new JsonInput(value, At(name), known) : null;

    /// <summary>The elements of an array with their paths; null when the field is not given.</summary>
    public IReadOnlyList<(JsonElement Element, string Path)>? Array(string name, bool required = false)
    {
        if (Value(name, required) is not { } value)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            throw CliInputException.At(At(name), $"must be an array, not {Describe(value)}.");
        }

        return value.EnumerateArray().Select((e, i) => (e, $"{At(name)}[{i}]")).ToList();
    }

    public static string StringValue(JsonElement value, string path)
    {
        if (value.ValueKind != JsonValueKind.String)
        {
            throw CliInputException.At(path, $"must be a string, not {Describe(value)}.");
        }

        var text = value.GetString()!.Trim();
        return text.Length == 0 ? throw CliInputException.At(path, "must not be blank.") : text;
    }

    public static int IntValue(JsonElement value, string path) =>
        value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number)
            ? number
            : throw CliInputException.At(path, $"must be a whole number, not {Describe(value)}.");

    public static decimal DecimalValue(JsonElement value, string path) =>
        value.ValueKind == JsonValueKind.Number && value.TryGetDecimal(out var number)
            ? number
            : throw CliInputException.At(path, $"must be a number, not {Describe(value)}.");

    public static DateOnly DateValue(JsonElement value, string path)
    {
        if (value.ValueKind == JsonValueKind.String
            && DateOnly.TryParseExact(value.GetString(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return date;
        }

        throw CliInputException.At(path, $"must be a date written yyyy-MM-dd, not {Describe(value)}.");
    }

    private JsonElement? Value(string name, bool required)
    {
        if (_fields.TryGetValue(name, out var value) && value.ValueKind != JsonValueKind.Null)
        {
            return value;
        }

        return required ? throw CliInputException.At(At(name), "is required.") : null;
    }

    private static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => $"\"{Shorten(value.GetString()!)}\"",
        JsonValueKind.Number => value.GetRawText(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        JsonValueKind.Null => "null",
        JsonValueKind.Array => "an array",
        JsonValueKind.Object => "an object",
        _ => value.ValueKind.ToString(),
    };

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";

    private static string FirstSentence(string message)
    {
        // System.Text.Json appends " Path: $ | LineNumber: 0 | BytePositionInLine: 5."; the position is given already.
        foreach (var marker in (string[])[" Path:", " LineNumber:"])
        {
            var end = message.IndexOf(marker, StringComparison.Ordinal);
            if (end > 0)
            {
                return message[..end];
            }
        }

        return message;
    }
}
