using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using KetaClinic.Domain.Evaluation;
using KetaClinic.Domain.Monitoring;
using KetaClinic.Domain.Sessions;

namespace KetaClinic.App.Features.Sessions;

/// <summary>
/// The clinic's own values for the built-in clinical settings of the chair (section <c>Sessions</c>) and of the monitor
/// intake (section <c>Hl7:Mapping</c>), laid over the defaults from REFERENCE.md.
/// </summary>
/// <remarks>
/// Keys follow the settings' shape, e.g. <c>Sessions:Vitals:PreDoseHoldSystolicAboveMmHg:Value</c> with its
/// <c>...:Source</c>. Rules, each refused at start with the key named:
/// <list type="bullet">
/// <item>a key that is not a setting;</item>
/// <item>a value that is not of the setting's kind (a number, true/false, a known name);</item>
/// <item>a changed value without its source (every clinical value says where it comes from);</item>
/// <item>a value the setting's own check refuses (ranges, orderings).</item>
/// </list>
/// A list given in configuration replaces the built-in list whole (e.g. <c>Sessions:Vitals:Thresholds:0:...</c>), and each
/// of its items must be complete.
/// </remarks>
public static class ClinicalSettings
{
    public const string SessionsSection = "Sessions";
    public const string MappingSection = "Hl7:Mapping";

    /// <summary>Keys of the Sessions section that belong to the app, not to the clinical settings.</summary>
    private static readonly HashSet<string> SessionAppKeys = new(StringComparer.OrdinalIgnoreCase) { "WatchIntervalSeconds" };

    private static readonly HashSet<string> NoAppKeys = [];

    /// <summary>
    /// How settings are written in configuration snapshots: camel-case names, enums by name. Left out of the session
    /// settings: the medication tables (reference tables of the evaluation module) and the plausibility limits (one
    /// set for monitor and keypad values, under Hl7:Mapping:Plausibility).
    /// </summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { LeaveOutSettingsKeptElsewhere } },
    };

    /// <summary>The session settings: defaults with the clinic's values laid over them; throws naming every bad key.</summary>
    public static SessionSettings Sessions(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection(SessionsSection);
        if (section.GetSection(nameof(SessionSettings.Plausibility)).Exists())
        {
            throw Refused(SessionsSection, [$"{SessionsSection}:{nameof(SessionSettings.Plausibility)}: "
                + $"the plausibility limits are set once for monitor and keypad values, under {MappingSection}:Plausibility."]);
        }

        // One set of plausibility limits: the mapping's (the Sessions copy is not read by the chair).
        var settings = Overlay(SessionSettings.Default, section, SessionAppKeys) with
        {
            Medications = SessionSettings.Default.Medications,
            Plausibility = Mapping(configuration).Plausibility,
        };
        Refuse(SessionsSection, settings.Validate());
        return settings;
    }

    /// <summary>The ORU^R01 mapping (observation codes, plausibility, result statuses) with the clinic's values.</summary>
    public static VitalsMappingSettings Mapping(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var mapping = Overlay(VitalsMappingSettings.Default, configuration.GetSection(MappingSection), NoAppKeys);
        Refuse(MappingSection, mapping.Validate());
        return mapping;
    }

    /// <summary>The settings as stored with each session event (stable text, so equal settings give equal text).</summary>
    public static string Snapshot(SessionSettings settings) => JsonSerializer.Serialize(settings, Json);

    /// <summary>The version name of a snapshot: its SHA-256, in hex.</summary>
    public static string VersionOf(string snapshot) => System.Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(snapshot)));

    /// <summary>Settings read back from a snapshot, with the current medication tables.</summary>
    public static SessionSettings FromSnapshot(string snapshot, SessionSettings current)
    {
        ArgumentNullException.ThrowIfNull(current);
        var settings = JsonSerializer.Deserialize<SessionSettings>(snapshot, Json) ?? throw new JsonException("The settings snapshot is empty.");
        return settings with { Medications = current.Medications };
    }

    /// <summary>One setting as shown to staff: the configuration key that changes it, its value and its source.</summary>
    public sealed record Described(string Key, string Value, string Source);

    /// <summary>Every setting of a group as rows, under the configuration key that changes it (e.g. Sessions:Vitals:...).</summary>
    public static IReadOnlyList<Described> Describe<T>(T settings, string section)
    {
        var rows = new List<Described>();
        Walk(JsonSerializer.SerializeToNode(settings, Json), section, rows);
        return rows;
    }

    private static void Walk(JsonNode? node, string key, List<Described> rows)
    {
        switch (node)
        {
            case JsonObject obj when obj.TryGetPropertyValue("source", out var source):
                var value = obj.Where(p => p.Key != "source").ToList();
                rows.Add(new Described(key, value is [{ Key: "value" } only] ? Render(only.Value) : string.Join(", ", value.Select(p => $"{Pascal(p.Key)} {Render(p.Value)}")), source?.ToString() ?? ""));
                break;
            case JsonObject obj:
                foreach (var (name, child) in obj)
                {
                    Walk(child, $"{key}:{Pascal(name)}", rows);
                }

                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    Walk(array[i], $"{key}:{i.ToString(CultureInfo.InvariantCulture)}", rows);
                }

                break;
            default:
                rows.Add(new Described(key, Render(node), ""));
                break;
        }
    }

    private static string Render(JsonNode? node) => node switch
    {
        null => "none",
        JsonArray array => array.Count == 0 ? "none" : string.Join(", ", array.Select(Render)),
        JsonObject obj => string.Join(", ", obj.Select(p => $"{Pascal(p.Key)} {Render(p.Value)}")),
        _ => node.ToString(),
    };

    /// <summary>Lays a configuration section over the defaults; every problem is collected and reported together.</summary>
    public static T Overlay<T>(T defaults, IConfigurationSection section, IReadOnlySet<string> appKeys)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(section);
        ArgumentNullException.ThrowIfNull(appKeys);
        var tree = JsonSerializer.SerializeToNode(defaults, Json)!.AsObject();
        var problems = new List<string>();
        foreach (var child in section.GetChildren())
        {
            if (!appKeys.Contains(child.Key))
            {
                MergePart(tree, tree, child, problems, complete: false);
            }
        }

        if (problems.Count == 0)
        {
            try
            {
                return tree.Deserialize<T>(Json) ?? throw new JsonException("empty");
            }
            catch (JsonException ex)
            {
                problems.Add($"{section.Path}:{KeyOf(ex.Path)}: {FirstSentence(ex.Message)}");
            }
        }

        throw Refused(section.Path, problems);
    }

    /// <summary>
    /// The node a configuration section stands for, shaped like <paramref name="template"/>. Objects merge into the
    /// template (or, for a new list item, must give every property); lists are replaced; values are converted.
    /// Returns null after recording a problem.
    /// </summary>
    private static JsonNode? Shape(JsonNode? template, IConfigurationSection section, List<string> problems, bool complete)
    {
        var children = section.GetChildren().ToList();
        switch (template)
        {
            case JsonObject obj:
                if (children.Count == 0)
                {
                    problems.Add($"{section.Path}: give its parts ({string.Join(", ", obj.Select(p => Pascal(p.Key)))}), not a single value.");
                    return null;
                }

                var result = complete ? [] : obj.DeepClone().AsObject();
                foreach (var part in children)
                {
                    MergePart(obj, result, part, problems, complete);
                }

                if (complete)
                {
                    foreach (var missing in obj.Select(p => p.Key).Where(k => !result.ContainsKey(k) && obj[k] is not null))
                    {
                        problems.Add($"{section.Path}:{Pascal(missing)}: required in each item of a list given in configuration.");
                    }
                }

                return result;

            case JsonArray array:
                // An empty value ("") stands for an empty list; otherwise items 0, 1, 2, ... replace the built-in list.
                if (children.Count == 0)
                {
                    if (string.IsNullOrEmpty(section.Value))
                    {
                        return new JsonArray();
                    }

                    problems.Add($"{section.Path}: a list: give items {section.Path}:0, :1, ... (or an empty value for none).");
                    return null;
                }

                var itemTemplate = array.Count > 0 ? array[0] : JsonValue.Create(string.Empty);
                var items = new JsonArray();
                var ordered = children.Select(c => (Index: int.TryParse(c.Key, NumberStyles.None, CultureInfo.InvariantCulture, out var i) ? i : -1, Item: c)).OrderBy(c => c.Index).ToList();
                for (var i = 0; i < ordered.Count; i++)
                {
                    if (ordered[i].Index != i)
                    {
                        problems.Add($"{section.Path}: list items must be numbered 0, 1, 2, ... without gaps ('{ordered[i].Item.Key}' found).");
                        return null;
                    }

                    if (Shape(itemTemplate, ordered[i].Item, problems, complete: true) is { } item)
                    {
                        items.Add(item);
                    }
                }

                return items;

            default:
                if (children.Count > 0 || section.Value is null)
                {
                    problems.Add($"{section.Path}: a single value is expected here.");
                    return null;
                }

                return Value(template, section, problems);
        }
    }

    private static JsonValue? Value(JsonNode? template, IConfigurationSection section, List<string> problems)
    {
        var text = section.Value!.Trim();
        switch (template?.GetValueKind())
        {
            case JsonValueKind.Number:
                if (decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
                {
                    return JsonValue.Create(number);
                }

                problems.Add($"{section.Path}: '{section.Value}' is not a number (write it with a point, e.g. 92.5).");
                return null;
            case JsonValueKind.True or JsonValueKind.False:
                if (bool.TryParse(text, out var flag))
                {
                    return JsonValue.Create(flag);
                }

                problems.Add($"{section.Path}: '{section.Value}' is not true or false.");
                return null;
            default:
                return JsonValue.Create(text);
        }
    }

    /// <summary>
    /// Lays one configured part over the property of the same name (case ignored) of <paramref name="template"/>, into
    /// <paramref name="result"/>. A changed value of a setting with a source needs its source too (not in a new list item,
    /// which must give everything anyway).
    /// </summary>
    private static void MergePart(JsonObject template, JsonObject result, IConfigurationSection part, List<string> problems, bool complete)
    {
        var key = template.Select(p => p.Key).FirstOrDefault(k => string.Equals(k, part.Key, StringComparison.OrdinalIgnoreCase));
        if (key is null)
        {
            problems.Add($"{part.Path}: not a setting here (known: {string.Join(", ", template.Select(p => Pascal(p.Key)))}).");
            return;
        }

        if (!complete && template[key] is JsonObject inner && IsSourced(inner) && part.GetSection("Value").Exists() && !part.GetSection("Source").Exists())
        {
            problems.Add($"{part.Path}:Source: required when the value is changed: say where the clinic's value comes from.");
        }

        if (Shape(template[key], part, problems, complete) is { } shaped)
        {
            result[key] = shaped;
        }
    }

    /// <summary>A setting with its source: an object of exactly Value and Source.</summary>
    private static bool IsSourced(JsonObject obj) =>
        obj.Count == 2 && obj.ContainsKey("value") && obj.ContainsKey("source");

    private static void Refuse(string section, IReadOnlyList<DataValidationError> errors)
    {
        if (errors.Count == 0)
        {
            return;
        }

        throw Refused(section, errors.Select(e => $"{section}:{e.Field.Replace('.', ':')}{(e.Row is { } row ? ":" + (row - 1).ToString(CultureInfo.InvariantCulture) : "")}: {e.Message}"));
    }

    /// <summary>The start-up error: every refused key of the section, one per line.</summary>
    private static InvalidOperationException Refused(string section, IEnumerable<string> problems) =>
        new($"Clinical settings in '{section}' refused:{Environment.NewLine}  " + string.Join(Environment.NewLine + "  ", problems));

    /// <summary>A JSON path ($.vitals.thresholds[0].value.vital) as a configuration key (Vitals:Thresholds:0:Value:Vital).</summary>
    private static string KeyOf(string? path) =>
        string.Join(':', (path ?? "$").TrimStart('$', '.').Replace("[", ".", StringComparison.Ordinal).Replace("]", "", StringComparison.Ordinal)
            .Split('.', StringSplitOptions.RemoveEmptyEntries).Select(Pascal));

    private static string FirstSentence(string message) => message.Split(". ", 2)[0].TrimEnd('.') + ".";

    private static string Pascal(string camel) => camel.Length == 0 ? camel : char.ToUpperInvariant(camel[0]) + camel[1..];

    private static void LeaveOutSettingsKeptElsewhere(JsonTypeInfo info)
    {
        if (info.Type == typeof(SessionSettings))
        {
            foreach (var property in info.Properties.Where(p => p.Name is "medications" or "plausibility").ToList())
            {
                info.Properties.Remove(property);
            }
        }
    }
}
