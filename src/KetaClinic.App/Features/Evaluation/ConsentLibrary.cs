using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace KetaClinic.App.Features.Evaluation;

public sealed record ConsentSection(string Heading, IReadOnlyList<string> Paragraphs);

/// <summary>One version of the consent document for one route. <see cref="Text"/> is what the patient signs; its SHA-256 is kept with the signature.</summary>
public sealed record ConsentDocument(string Route, string Version, DateOnly Date, string Title, IReadOnlyList<ConsentSection> Sections, IReadOnlyList<string> Risks, string Source)
{
    public string Text => Render(this);

    public string Hash => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Text)));

    private static string Render(ConsentDocument d)
    {
        var text = new StringBuilder();
        text.Append(d.Title).Append('\n');
        text.Append("Version ").Append(d.Version).Append(", ").Append(d.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)).Append('\n');
        foreach (var section in d.Sections)
        {
            text.Append('\n').Append(section.Heading).Append('\n');
            foreach (var paragraph in section.Paragraphs)
            {
                text.Append(paragraph).Append('\n');
            }
        }
        text.Append("\nRisks\n");
        foreach (var risk in d.Risks)
        {
            text.Append("- ").Append(risk).Append('\n');
        }
        return text.ToString();
    }
}

/// <summary>
/// The consent documents per route: the built-in versions, plus newer versions the clinic drops into
/// <c>&lt;Data:Directory&gt;/consents/*.json</c>. A file with errors stops the start, naming the file and the field.
/// </summary>
public sealed class ConsentLibrary
{
    public const string Iv = "iv";
    public const string Im = "im";
    public const string OralSublingual = "oral-sublingual";
    public const string IntranasalEsketamine = "intranasal-esketamine";

    private const int MaxVersionLength = 40;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { AllowTrailingCommas = true, ReadCommentHandling = JsonCommentHandling.Skip };

    private static readonly Dictionary<string, string> RouteNames = new(StringComparer.Ordinal)
    {
        [Iv] = "intravenous (IV) ketamine",
        [Im] = "intramuscular (IM) ketamine",
        [OralSublingual] = "oral or sublingual ketamine",
        [IntranasalEsketamine] = "intranasal esketamine",
    };

    private ConsentLibrary(IReadOnlyList<ConsentDocument> documents) => Documents = documents;

    public static IReadOnlyList<string> Routes { get; } = [Iv, Im, OralSublingual, IntranasalEsketamine];

    /// <summary>Every version of every route, newest first within a route.</summary>
    public IReadOnlyList<ConsentDocument> Documents { get; }

    public static string RouteName(string route) => RouteNames.GetValueOrDefault(route, route);

    /// <summary>The consent route a treatment route needs (oral and sublingual share one document); null when unknown.</summary>
    public static string? ConsentRouteFor(string? treatmentRoute) => treatmentRoute?.Trim().ToLowerInvariant() switch
    {
        "iv" => Iv,
        "im" => Im,
        "oral" or "sublingual" or OralSublingual => OralSublingual,
        "intranasal-esketamine" or "esketamine" => IntranasalEsketamine,
        _ => null,
    };

    /// <summary>The version to sign now: the newest by date (then by version) for the route.</summary>
    public ConsentDocument Current(string route) =>
        Documents.FirstOrDefault(d => d.Route == route) ?? throw new ArgumentOutOfRangeException(nameof(route), route, "No consent document for this route.");

    public ConsentDocument? FindVersion(string? version) =>
        Documents.FirstOrDefault(d => string.Equals(d.Version, version?.Trim(), StringComparison.OrdinalIgnoreCase));

    public static ConsentLibrary Load(string? clinicDirectory)
    {
        var errors = new List<string>();
        var documents = new List<ConsentDocument>();
        var assembly = typeof(ConsentLibrary).Assembly;
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith("KetaClinic.App.ConsentDocuments.", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var reader = new StreamReader(stream);
            Parse("built-in " + name, reader.ReadToEnd(), documents, errors);
        }
        if (clinicDirectory is not null && Directory.Exists(clinicDirectory))
        {
            foreach (var file in Directory.GetFiles(clinicDirectory, "*.json").Order(StringComparer.Ordinal))
            {
                Parse(Path.GetFileName(file), File.ReadAllText(file), documents, errors);
            }
        }
        foreach (var duplicate in documents.GroupBy(d => d.Version, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1))
        {
            errors.Add($"version '{duplicate.Key}' is used by more than one consent document; give every version its own name.");
        }
        foreach (var route in Routes.Where(r => documents.All(d => d.Route != r)))
        {
            errors.Add($"no consent document for route '{route}'.");
        }
        if (errors.Count > 0)
        {
            throw new InvalidOperationException($"Consent documents have errors:{Environment.NewLine}" + string.Join(Environment.NewLine, errors.Select(e => "  " + e)));
        }
        return new ConsentLibrary(documents
            .OrderBy(d => Routes.ToList().IndexOf(d.Route))
            .ThenByDescending(d => d.Date)
            .ThenByDescending(d => d.Version, StringComparer.Ordinal)
            .ToList());
    }

    private static void Parse(string origin, string json, List<ConsentDocument> documents, List<string> errors)
    {
        ConsentFile? file;
        try
        {
            file = JsonSerializer.Deserialize<ConsentFile>(json, Json);
        }
        catch (JsonException ex)
        {
            errors.Add($"{origin}: not valid JSON ({ex.Message}).");
            return;
        }
        var before = errors.Count;
        void Error(string field, string message) => errors.Add($"{origin}: {field} {message}");
        if (file is null)
        {
            Error("$", "must be a JSON object.");
            return;
        }
        if (file.Route is null || !Routes.Contains(file.Route, StringComparer.Ordinal))
        {
            Error("route", $"must be one of {string.Join(", ", Routes)}.");
        }
        if (string.IsNullOrWhiteSpace(file.Version) || file.Version.Trim().Length > MaxVersionLength)
        {
            Error("version", $"is required (at most {MaxVersionLength} characters).");
        }
        if (!DateOnly.TryParseExact(file.Date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            Error("date", "must be a date written yyyy-MM-dd.");
        }
        if (string.IsNullOrWhiteSpace(file.Title))
        {
            Error("title", "is required.");
        }
        if (string.IsNullOrWhiteSpace(file.Source))
        {
            Error("source", "is required: say who wrote or approved the text.");
        }
        if (file.Sections is not { Count: > 0 } || file.Sections.Any(s => string.IsNullOrWhiteSpace(s.Heading) || s.Paragraphs is not { Count: > 0 } || s.Paragraphs.Any(string.IsNullOrWhiteSpace)))
        {
            Error("sections", "must list at least one section, each with a heading and paragraphs.");
        }
        if (file.Risks is not { Count: > 0 } || file.Risks.Any(string.IsNullOrWhiteSpace))
        {
            Error("risks", "must list the risks the patient is told about.");
        }
        if (errors.Count > before)
        {
            return;
        }
        documents.Add(new ConsentDocument(file.Route!, file.Version!.Trim(), date, file.Title!.Trim(),
            file.Sections!.Select(s => new ConsentSection(s.Heading!.Trim(), s.Paragraphs!.Select(p => p.Trim()).ToList())).ToList(),
            file.Risks!.Select(r => r.Trim()).ToList(), file.Source!.Trim()));
    }

    private sealed record ConsentFile(string? Route, string? Version, string? Date, string? Title, string? Source, List<SectionFile>? Sections, List<string>? Risks);

    private sealed record SectionFile(string? Heading, List<string>? Paragraphs);
}
