namespace KetaClinic.Domain.Evaluation;

/// <summary>Why a concomitant medication matters before ketamine (REFERENCE.md §4).</summary>
public enum ConcomitantCategory
{
    /// <summary>Adds sedation; above the diazepam-equivalent threshold linked to weaker response.</summary>
    Benzodiazepine,

    /// <summary>Non-benzodiazepine sedative or hypnotic: adds sedation.</summary>
    SedativeHypnotic,

    /// <summary>Adds sedation and respiratory depression.</summary>
    Opioid,

    /// <summary>Raises blood pressure.</summary>
    Psychostimulant,

    /// <summary>Monoamine oxidase inhibitor outside the antidepressant catalogue: raises blood pressure.</summary>
    Maoi,

    /// <summary>Blunts ketamine's acute effects (lamotrigine).</summary>
    BluntsKetamineEffect,
}

/// <summary>One row of the concomitant medication table.</summary>
/// <param name="DoseEquivalentToDiazepam10Mg">For benzodiazepines: the daily mg of this drug taken as
/// equivalent to 10 mg diazepam; null for other categories.</param>
public sealed record ConcomitantMedication(
    string Name,
    IReadOnlyList<string> Aliases,
    ConcomitantCategory Category,
    decimal? DoseEquivalentToDiazepam10Mg,
    string Source);

/// <summary>Medications that raise a flag before ketamine, with the benzodiazepine conversion table.
/// Ships as embedded JSON; a clinic may load its own edited copy.</summary>
public sealed class ConcomitantMedicationTable
{
    public const string EmbeddedFileName = "concomitant-medications.json";

    private const decimal MaximumPlausibleEquivalentDoseMg = 500m;

    private static readonly string[] KnownFields = ["name", "aliases", "category", "doseEquivalentToDiazepam10Mg", "source"];
    private static readonly (ConcomitantCategory Category, string Code)[] CategoryCodes =
    [
        (ConcomitantCategory.Benzodiazepine, "benzodiazepine"),
        (ConcomitantCategory.SedativeHypnotic, "sedative-hypnotic"),
        (ConcomitantCategory.Opioid, "opioid"),
        (ConcomitantCategory.Psychostimulant, "psychostimulant"),
        (ConcomitantCategory.Maoi, "maoi"),
        (ConcomitantCategory.BluntsKetamineEffect, "blunts-ketamine-effect"),
    ];

    private static readonly Lazy<ConcomitantMedicationTable> BuiltIn =
        new(() => ReferenceDataJson.LoadEmbedded(EmbeddedFileName, FromJson));

    private readonly Dictionary<string, ConcomitantMedication> _byKey;

    private ConcomitantMedicationTable(IReadOnlyList<ConcomitantMedication> medications, Dictionary<string, ConcomitantMedication> byKey)
    {
        Medications = medications;
        _byKey = byKey;
    }

    /// <summary>The table shipped with KetaClinic.</summary>
    public static ConcomitantMedicationTable Default => BuiltIn.Value;

    public IReadOnlyList<ConcomitantMedication> Medications { get; }

    public ConcomitantMedication? Find(string? name) => _byKey.GetValueOrDefault(DrugNames.Key(name));

    public static string CategoryCode(ConcomitantCategory category) =>
        CategoryCodes.Single(c => c.Category == category).Code;

    /// <summary>Reads a table from JSON: <c>{ "medications": [ { "name", "aliases", "category",
    /// "doseEquivalentToDiazepam10Mg", "source" } ] }</c>. Errors name the row and the field.</summary>
    public static DataLoadResult<ConcomitantMedicationTable> FromJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        var errors = new List<DataValidationError>();
        using var document = ReferenceDataJson.Parse(json, "medications", errors);
        if (document is null)
        {
            return new(errors);
        }

        var rows = new List<(ConcomitantMedication Medication, int Row)>();
        var rowNumber = 0;
        foreach (var element in document.RootElement.GetProperty("medications").EnumerateArray())
        {
            rowNumber++;
            var row = new JsonRow(element, rowNumber, KnownFields, errors);
            var before = errors.Count;
            var name = row.RequiredString("name");
            var aliases = row.OptionalStringList("aliases");
            var categoryCode = row.RequiredString("category");
            var equivalent = row.PositiveDecimal("doseEquivalentToDiazepam10Mg", MaximumPlausibleEquivalentDoseMg, required: false);
            var source = row.RequiredString("source");
            ConcomitantCategory? category = null;
            if (categoryCode is not null)
            {
                category = CategoryCodes
                    .Where(c => string.Equals(c.Code, categoryCode, StringComparison.OrdinalIgnoreCase))
                    .Select(c => (ConcomitantCategory?)c.Category)
                    .FirstOrDefault();
                if (category is null)
                {
                    row.Error("category", $"'{categoryCode}' is not a known category; use one of: {string.Join(", ", CategoryCodes.Select(c => c.Code))}.");
                }
            }

            if (category == ConcomitantCategory.Benzodiazepine && equivalent is null && errors.Count == before)
            {
                row.Error("doseEquivalentToDiazepam10Mg", "is required for a benzodiazepine (the daily mg equivalent to 10 mg diazepam).");
            }
            else if (category is not null && category != ConcomitantCategory.Benzodiazepine && equivalent is not null)
            {
                row.Error("doseEquivalentToDiazepam10Mg", "applies only to benzodiazepines.");
            }

            if (errors.Count == before && name is not null && category is not null && source is not null)
            {
                rows.Add((new ConcomitantMedication(name, aliases, category.Value, equivalent, source), rowNumber));
            }
        }

        var byKey = new Dictionary<string, ConcomitantMedication>(StringComparer.Ordinal);
        foreach (var (medication, row) in rows)
        {
            foreach (var spelling in medication.Aliases.Prepend(medication.Name))
            {
                var key = DrugNames.Key(spelling);
                if (!byKey.TryAdd(key, medication) && !ReferenceEquals(byKey[key], medication))
                {
                    errors.Add(new(row, medication.Name, spelling == medication.Name ? "name" : "aliases",
                        $"'{spelling}' is already used by '{byKey[key].Name}'."));
                }
            }
        }

        return errors.Count > 0
            ? new(errors)
            : new(new ConcomitantMedicationTable(rows.Select(r => r.Medication).ToArray(), byKey));
    }
}
