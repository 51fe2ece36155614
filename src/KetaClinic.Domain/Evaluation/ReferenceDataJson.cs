using System.Globalization;
using System.Text.Json;

namespace KetaClinic.Domain.Evaluation;

/// <summary>Reads clinic-edited reference tables: a JSON object holding one array of row objects.
/// Collects every problem with its row and field instead of stopping at the first.</summary>
internal static class ReferenceDataJson
{
    // Clinics edit these files by hand, so comments and trailing commas are forgiven.
    private static readonly JsonDocumentOptions DocumentOptions = new()
    {
        CommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    public static JsonDocument? Parse(string json, string listName, List<DataValidationError> errors)
    {
        try
        {
            var document = JsonDocument.Parse(json, DocumentOptions);
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty(listName, out var list)
                || list.ValueKind != JsonValueKind.Array)
            {
                document.Dispose();
                errors.Add(new DataValidationError(null, null, listName, $"the document must be an object with a '{listName}' array."));
                return null;
            }

            return document;
        }
        catch (JsonException ex)
        {
            var line = ex.LineNumber is { } n ? string.Create(CultureInfo.InvariantCulture, $" at line {n + 1}") : string.Empty;
            errors.Add(new DataValidationError(null, null, listName, $"the file is not valid JSON{line}: {ex.Message}"));
            return null;
        }
    }

    public static string ReadEmbedded(string fileName)
    {
        var assembly = typeof(ReferenceDataJson).Assembly;
        var resource = assembly.GetManifestResourceNames()
            .SingleOrDefault(n => n.EndsWith("." + fileName, StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"Embedded reference data '{fileName}' is missing from {assembly.GetName().Name}.");
        using var stream = assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"Embedded reference data '{fileName}' cannot be opened.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    public static T LoadEmbedded<T>(string fileName, Func<string, DataLoadResult<T>> load)
        where T : class
    {
        var result = load(ReadEmbedded(fileName));
        return result.Value ?? throw new InvalidOperationException(
            $"Built-in reference data '{fileName}' is invalid: " + string.Join("; ", result.Errors));
    }
}

/// <summary>One row of a reference table, reporting problems under its row number and name.</summary>
internal sealed class JsonRow
{
    private readonly JsonElement _element;
    private readonly List<DataValidationError> _errors;

    public JsonRow(JsonElement element, int rowNumber, IReadOnlyCollection<string> knownFields, List<DataValidationError> errors)
    {
        _element = element;
        _errors = errors;
        RowNumber = rowNumber;
        if (element.ValueKind != JsonValueKind.Object)
        {
            Error("(row)", "each row must be a JSON object.");
            IsObject = false;
            return;
        }

        IsObject = true;
        if (element.TryGetProperty("name", out var name) && name.ValueKind == JsonValueKind.String)
        {
            RowName = name.GetString();
        }

        foreach (var property in element.EnumerateObject())
        {
            if (!knownFields.Contains(property.Name))
            {
                Error(property.Name, "is not a known field (check the spelling).");
            }
        }
    }

    public int RowNumber { get; }

    public string? RowName { get; }

    public bool IsObject { get; }

    public void Error(string field, string message) => _errors.Add(new DataValidationError(RowNumber, RowName, field, message));

    public string? RequiredString(string field)
    {
        if (!IsObject)
        {
            return null;
        }

        if (!_element.TryGetProperty(field, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            Error(field, "is required.");
            return null;
        }

        if (value.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(value.GetString()))
        {
            Error(field, "must be a non-empty text.");
            return null;
        }

        return value.GetString()!.Trim();
    }

    public IReadOnlyList<string> OptionalStringList(string field)
    {
        if (!IsObject || !_element.TryGetProperty(field, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return [];
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            Error(field, "must be a list of texts.");
            return [];
        }

        var items = new List<string>();
        var index = 0;
        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(item.GetString()))
            {
                Error(string.Create(CultureInfo.InvariantCulture, $"{field}[{index}]"), "must be a non-empty text.");
            }
            else
            {
                items.Add(item.GetString()!.Trim());
            }

            index++;
        }

        return items;
    }

    /// <summary>A number greater than zero and at most <paramref name="maximum"/>; null (with an error) otherwise.</summary>
    public decimal? PositiveDecimal(string field, decimal maximum, bool required)
    {
        if (!IsObject)
        {
            return null;
        }

        if (!_element.TryGetProperty(field, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            if (required)
            {
                Error(field, "is required.");
            }

            return null;
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetDecimal(out var number))
        {
            Error(field, "must be a number (milligrams, without a unit).");
            return null;
        }

        if (number <= 0m || number > maximum)
        {
            Error(field, string.Create(CultureInfo.InvariantCulture, $"must be greater than 0 and at most {maximum} (was {number})."));
            return null;
        }

        return number;
    }
}
