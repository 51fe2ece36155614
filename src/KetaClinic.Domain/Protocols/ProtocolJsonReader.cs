using System.Globalization;
using System.Text.Json;
using KetaClinic.Domain.Evaluation;

namespace KetaClinic.Domain.Protocols;

/// <summary>
/// One JSON object of a protocol file. Every read reports problems under the file name and the JSON path of the field
/// (e.g. <c>$.dose.hardMaximum.value</c>), and unknown field names are reported so a typo never silently drops a limit.
/// </summary>
internal sealed class ProtocolJsonReader
{
    private static readonly string[] SettingFields = ["value", "source"];
    private readonly JsonElement _element;
    private readonly List<ProtocolDataError> _errors;

    private ProtocolJsonReader(JsonElement element, string file, string path, List<ProtocolDataError> errors)
    {
        _element = element;
        File = file;
        Path = path;
        _errors = errors;
    }

    public string File { get; }

    public string Path { get; }

    public List<ProtocolDataError> Errors => _errors;

    public static ProtocolJsonReader? Open(
        JsonElement element, string file, string path, List<ProtocolDataError> errors, IReadOnlyCollection<string> knownFields)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new ProtocolDataError(file, path, "must be a JSON object."));
            return null;
        }

        foreach (var property in element.EnumerateObject())
        {
            if (!knownFields.Contains(property.Name))
            {
                errors.Add(new ProtocolDataError(
                    file, path + "." + property.Name, $"is not a known field (known here: {string.Join(", ", knownFields)})."));
            }
        }

        return new ProtocolJsonReader(element, file, path, errors);
    }

    public void Error(string field, string message) => _errors.Add(new ProtocolDataError(File, At(field), message));

    public string At(string field) => field.Length == 0 ? Path : Path + "." + field;

    public bool Has(string name) =>
        _element.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null;

    public string? Text(string name)
    {
        if (!Present(name, out var value))
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(value.GetString()))
        {
            Error(name, "must be a non-empty text.");
            return null;
        }

        return value.GetString()!.Trim();
    }

    public ProtocolJsonReader? Object(string name, IReadOnlyCollection<string> knownFields) =>
        Present(name, out var value) ? Open(value, File, At(name), _errors, knownFields) : null;

    public IReadOnlyList<JsonElement>? Array(string name)
    {
        if (!Present(name, out var value))
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            Error(name, "must be a list.");
            return null;
        }

        return [.. value.EnumerateArray()];
    }

    public SourcedSetting<decimal>? DecimalSetting(string name, decimal min, decimal max, string unit) =>
        Setting(name, (value, path) => ReadDecimal(value, path, min, max, unit));

    public SourcedSetting<int>? IntSetting(string name, int min, int max, string unit) =>
        Setting(name, (value, path) => ReadInt(value, path, min, max, unit));

    public SourcedSetting<bool>? BoolSetting(string name) =>
        Setting(name, (value, path) =>
        {
            if (value.ValueKind is JsonValueKind.True or JsonValueKind.False)
            {
                return (true, value.GetBoolean());
            }

            _errors.Add(new ProtocolDataError(File, path, "must be true or false."));
            return (false, false);
        });

    public SourcedSetting<IReadOnlyList<int>>? IntListSetting(string name, int min, int max, string unit) =>
        Setting<IReadOnlyList<int>>(name, (value, path) => ReadList(value, path, (item, itemPath) => ReadInt(item, itemPath, min, max, unit)));

    public SourcedSetting<IReadOnlyList<decimal>>? DecimalListSetting(string name, decimal min, decimal max, string unit) =>
        Setting<IReadOnlyList<decimal>>(name, (value, path) => ReadList(value, path, (item, itemPath) => ReadDecimal(item, itemPath, min, max, unit)));

    public SourcedSetting<IReadOnlyList<string>>? CodeListSetting(string name) =>
        Setting<IReadOnlyList<string>>(name, (value, path) => ReadList(value, path, (item, itemPath) =>
        {
            var text = item.ValueKind == JsonValueKind.String ? item.GetString() : null;
            if (text is null || !ProtocolLoader.CodePattern().IsMatch(text))
            {
                _errors.Add(new ProtocolDataError(File, itemPath, "must be a code of lower case letters and digits joined by hyphens, e.g. 'infusion-pump'."));
                return (false, string.Empty);
            }

            return (true, text);
        }));

    private bool Present(string name, out JsonElement value)
    {
        if (!_element.TryGetProperty(name, out value) || value.ValueKind == JsonValueKind.Null)
        {
            Error(name, "is required.");
            return false;
        }

        return true;
    }

    // A setting is { "value": ..., "source": "..." }: the number and where it comes from travel together.
    private SourcedSetting<T>? Setting<T>(string name, Func<JsonElement, string, (bool Ok, T Value)> read)
    {
        var setting = Object(name, SettingFields);
        if (setting is null)
        {
            return null;
        }

        var source = setting.Text("source");
        if (!setting.Present("value", out var raw))
        {
            return null;
        }

        var (ok, value) = read(raw, setting.At("value"));
        return ok && source is not null ? new SourcedSetting<T>(value, source) : null;
    }

    private (bool, decimal) ReadDecimal(JsonElement value, string path, decimal min, decimal max, string unit)
    {
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetDecimal(out var number))
        {
            _errors.Add(new ProtocolDataError(File, path, $"must be a number ({unit}, without the unit)."));
            return (false, 0m);
        }

        if (number < min || number > max)
        {
            _errors.Add(new ProtocolDataError(File, path, string.Create(CultureInfo.InvariantCulture,
                $"must be between {DoseText.Number(min)} and {DoseText.Number(max)} {unit} (was {DoseText.Number(number)}).")));
            return (false, 0m);
        }

        return (true, number);
    }

    private (bool, int) ReadInt(JsonElement value, string path, int min, int max, string unit)
    {
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out var number))
        {
            _errors.Add(new ProtocolDataError(File, path, $"must be a whole number ({unit}, without the unit)."));
            return (false, 0);
        }

        if (number < min || number > max)
        {
            _errors.Add(new ProtocolDataError(File, path, string.Create(CultureInfo.InvariantCulture,
                $"must be between {min} and {max} {unit} (was {number}).")));
            return (false, 0);
        }

        return (true, number);
    }

    private (bool, IReadOnlyList<T>) ReadList<T>(JsonElement value, string path, Func<JsonElement, string, (bool Ok, T Value)> readItem)
    {
        if (value.ValueKind != JsonValueKind.Array)
        {
            _errors.Add(new ProtocolDataError(File, path, "must be a list."));
            return (false, []);
        }

        var items = new List<T>();
        var ok = true;
        var index = 0;
        foreach (var item in value.EnumerateArray())
        {
            var (itemOk, itemValue) = readItem(item, string.Create(CultureInfo.InvariantCulture, $"{path}[{index}]"));
            ok &= itemOk;
            items.Add(itemValue);
            index++;
        }

        return (ok, items);
    }
}
