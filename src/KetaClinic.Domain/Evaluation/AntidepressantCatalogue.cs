namespace KetaClinic.Domain.Evaluation;

/// <summary>One row of the antidepressant catalogue.</summary>
/// <param name="Name">Generic name, as shown to clinicians.</param>
/// <param name="Aliases">Brand names and other spellings that mean the same drug.</param>
/// <param name="Class">Pharmacological class.</param>
/// <param name="MinimumAdequateDailyDoseMg">Lowest daily dose at which a trial counts as adequately dosed.</param>
/// <param name="Source">Where the minimum dose comes from ("clinic to confirm" when unverified).</param>
public sealed record Antidepressant(
    string Name,
    IReadOnlyList<string> Aliases,
    AntidepressantClass Class,
    decimal MinimumAdequateDailyDoseMg,
    string Source);

/// <summary>The clinic's curated table of antidepressants with their minimum adequate daily doses
/// (REFERENCE.md §3). Ships as embedded JSON; a clinic may load its own edited copy.</summary>
public sealed class AntidepressantCatalogue
{
    public const string EmbeddedFileName = "antidepressants.json";

    // No antidepressant has a minimum adequate daily dose anywhere near 1 g; larger values are typing errors.
    private const decimal MaximumPlausibleMinimumDoseMg = 1000m;

    private static readonly string[] KnownFields = ["name", "aliases", "class", "minimumAdequateDailyDoseMg", "source"];
    private static readonly Lazy<AntidepressantCatalogue> BuiltIn =
        new(() => ReferenceDataJson.LoadEmbedded(EmbeddedFileName, FromJson));

    private readonly Dictionary<string, Antidepressant> _byKey;

    private AntidepressantCatalogue(IReadOnlyList<Antidepressant> drugs, Dictionary<string, Antidepressant> byKey)
    {
        Drugs = drugs;
        _byKey = byKey;
    }

    /// <summary>The catalogue shipped with KetaClinic.</summary>
    public static AntidepressantCatalogue Default => BuiltIn.Value;

    public IReadOnlyList<Antidepressant> Drugs { get; }

    /// <summary>Finds a drug by generic name or alias, ignoring case, spacing, salt and release form.</summary>
    public Antidepressant? Find(string? name) => _byKey.GetValueOrDefault(DrugNames.Key(name));

    /// <summary>Reads a catalogue from JSON: <c>{ "drugs": [ { "name", "aliases", "class",
    /// "minimumAdequateDailyDoseMg", "source" } ] }</c>. Errors name the row and the field.</summary>
    public static DataLoadResult<AntidepressantCatalogue> FromJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        var errors = new List<DataValidationError>();
        using var document = ReferenceDataJson.Parse(json, "drugs", errors);
        if (document is null)
        {
            return new(errors);
        }

        var drugs = new List<(Antidepressant Drug, int Row)>();
        var rowNumber = 0;
        foreach (var element in document.RootElement.GetProperty("drugs").EnumerateArray())
        {
            rowNumber++;
            var row = new JsonRow(element, rowNumber, KnownFields, errors);
            var name = row.RequiredString("name");
            var aliases = row.OptionalStringList("aliases");
            var classCode = row.RequiredString("class");
            var dose = row.PositiveDecimal("minimumAdequateDailyDoseMg", MaximumPlausibleMinimumDoseMg, required: true);
            var source = row.RequiredString("source");
            var drugClass = AntidepressantClass.Other;
            if (classCode is not null && !AntidepressantClasses.TryParse(classCode, out drugClass))
            {
                row.Error("class", $"'{classCode}' is not a known class; use one of: {string.Join(", ", AntidepressantClasses.Codes)}.");
                classCode = null;
            }

            if (name is not null && classCode is not null && dose is not null && source is not null)
            {
                drugs.Add((new Antidepressant(name, aliases, drugClass, dose.Value, source), rowNumber));
            }
        }

        return Build(drugs, errors);
    }

    /// <summary>Builds a catalogue from rows already in memory (for example edited in the app).</summary>
    public static DataLoadResult<AntidepressantCatalogue> FromRows(IEnumerable<Antidepressant> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var errors = new List<DataValidationError>();
        var drugs = new List<(Antidepressant Drug, int Row)>();
        var rowNumber = 0;
        foreach (var drug in rows)
        {
            rowNumber++;
            var before = errors.Count;
            if (string.IsNullOrWhiteSpace(drug.Name))
            {
                errors.Add(new(rowNumber, null, "name", "is required."));
            }

            if (drug.MinimumAdequateDailyDoseMg is <= 0m or > MaximumPlausibleMinimumDoseMg)
            {
                errors.Add(new(rowNumber, drug.Name, "minimumAdequateDailyDoseMg", "must be greater than 0 and at most 1000."));
            }

            if (string.IsNullOrWhiteSpace(drug.Source))
            {
                errors.Add(new(rowNumber, drug.Name, "source", "is required."));
            }

            if (!Enum.IsDefined(drug.Class))
            {
                errors.Add(new(rowNumber, drug.Name, "class", "is not a known class."));
            }

            if (errors.Count == before)
            {
                drugs.Add((drug with { Aliases = drug.Aliases ?? [] }, rowNumber));
            }
        }

        return Build(drugs, errors);
    }

    private static DataLoadResult<AntidepressantCatalogue> Build(
        List<(Antidepressant Drug, int Row)> rows, List<DataValidationError> errors)
    {
        var byKey = new Dictionary<string, Antidepressant>(StringComparer.Ordinal);
        foreach (var (drug, row) in rows)
        {
            foreach (var spelling in drug.Aliases.Prepend(drug.Name))
            {
                var key = DrugNames.Key(spelling);
                if (!byKey.TryAdd(key, drug) && !ReferenceEquals(byKey[key], drug))
                {
                    errors.Add(new(row, drug.Name, spelling == drug.Name ? "name" : "aliases",
                        $"'{spelling}' is already used by '{byKey[key].Name}'."));
                }
            }
        }

        if (errors.Count == 0 && rows.Count == 0)
        {
            errors.Add(new(null, null, "drugs", "the catalogue has no drugs."));
        }

        return errors.Count > 0
            ? new(errors)
            : new(new AntidepressantCatalogue(rows.Select(r => r.Drug).ToArray(), byKey));
    }
}
