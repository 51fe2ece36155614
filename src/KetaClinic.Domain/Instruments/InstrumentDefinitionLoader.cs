using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace KetaClinic.Domain.Instruments;

/// <summary>
/// Reads instrument definitions (the built-in ones embedded in this assembly, or JSON a clinic supplies)
/// and validates each one completely, collecting every error with its JSON path rather than stopping at the first.
/// </summary>
public static partial class InstrumentDefinitionLoader
{
    private const string ResourcePrefix = "KetaClinic.Domain.Instruments.Definitions.";

    /// <summary>
    /// Loads every built-in definition. A built-in definition that fails validation is a product defect,
    /// so it throws <see cref="InstrumentDefinitionException"/> instead of returning errors.
    /// </summary>
    public static IReadOnlyList<InstrumentDefinition> LoadBuiltIn()
    {
        var assembly = typeof(InstrumentDefinitionLoader).Assembly;
        var resourceNames = assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal)
                && n.EndsWith(".json", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal);

        var definitions = new List<InstrumentDefinition>();
        foreach (var resourceName in resourceNames)
        {
            using var stream = assembly.GetManifestResourceStream(resourceName)
                ?? throw new InvalidOperationException($"Embedded resource {resourceName} could not be opened.");
            using var reader = new StreamReader(stream);
            var source = "built-in:" + resourceName[ResourcePrefix.Length..];
            var result = Load(reader.ReadToEnd(), source);
            if (!result.IsSuccess)
            {
                throw new InstrumentDefinitionException(result.Errors);
            }

            definitions.Add(result.Definition);
        }

        return definitions;
    }

    /// <summary>Parses and validates one definition file.</summary>
    /// <param name="json">The file's text.</param>
    /// <param name="sourceName">The file name (or other origin) quoted in every error.</param>
    public static DefinitionLoadResult Load(string json, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentException.ThrowIfNullOrWhiteSpace(sourceName);

        DefinitionDocument? document;
        try
        {
            document = JsonSerializer.Deserialize(json, DefinitionJsonContext.Default.DefinitionDocument);
        }
        catch (JsonException ex)
        {
            var where = ex.LineNumber is { } line
                ? string.Create(CultureInfo.InvariantCulture, $" (line {line + 1})")
                : string.Empty;
            return DefinitionLoadResult.Failure(
                [new DefinitionError(sourceName, ex.Path ?? "$", DefinitionRules.JsonSyntax, $"Not a valid definition{where}: {ex.Message}")]);
        }

        if (document is null)
        {
            return DefinitionLoadResult.Failure(
                [new DefinitionError(sourceName, "$", DefinitionRules.RequiredField, "The file holds no definition object.")]);
        }

        var builder = new DefinitionBuilder(sourceName);
        var definition = builder.Build(document);
        return builder.Errors.Count == 0 && definition is not null
            ? DefinitionLoadResult.Success(definition)
            : DefinitionLoadResult.Failure(builder.Errors.AsReadOnly());
    }

    // Ids, codes and flag names: lower case words joined by hyphens ("qids-sr16", "moderately-severe").
    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*$", RegexOptions.CultureInvariant)]
    internal static partial Regex CodePattern();

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]*$", RegexOptions.CultureInvariant)]
    internal static partial Regex LinkIdPattern();

    [GeneratedRegex(@"^\d+\.\d+\.\d+$", RegexOptions.CultureInvariant)]
    internal static partial Regex VersionPattern();

    [GeneratedRegex(@"^\d{1,7}-\d$", RegexOptions.CultureInvariant)]
    private static partial Regex LoincPattern();

    /// <summary>
    /// LOINC codes end in a mod-10 check digit (LOINC Users' Guide, "Calculating the Mod 10 check digit"):
    /// counting from the right, odd-position digits are doubled (digits of the product summed), even ones added.
    /// </summary>
    internal static bool IsValidLoinc(string code)
    {
        if (!LoincPattern().IsMatch(code))
        {
            return false;
        }

        var body = code[..code.IndexOf('-', StringComparison.Ordinal)];
        var sum = 0;
        for (var i = 0; i < body.Length; i++)
        {
            var digit = body[body.Length - 1 - i] - '0';
            if (i % 2 == 0)
            {
                var doubled = digit * 2;
                sum += (doubled / 10) + (doubled % 10);
            }
            else
            {
                sum += digit;
            }
        }

        var check = (10 - (sum % 10)) % 10;
        return code[^1] - '0' == check;
    }

    private sealed class DefinitionBuilder(string source)
    {
        private readonly Dictionary<string, (IReadOnlyList<AnswerOptionDocument?> Options, string Path)> _answerSets =
            new(StringComparer.Ordinal);

        // Every link id the file declares, valid or not: a reference to an item that exists but failed its own
        // checks is not reported again, so one mistake gives one error.
        private readonly HashSet<string> _declaredItemIds = new(StringComparer.Ordinal);

        public List<DefinitionError> Errors { get; } = [];

        public InstrumentDefinition? Build(DefinitionDocument doc)
        {
            var id = RequireCode(doc.Id, "$.id");
            var version = RequireText(doc.Version, "$.version");
            if (version is not null && !VersionPattern().IsMatch(version))
            {
                Error("$.version", DefinitionRules.InvalidFormat, $"Version '{version}' must look like 1.0.0 (major.minor.patch).");
            }

            var title = RequireText(doc.Title, "$.title");
            var rater = ParseRater(doc.Rater);
            if (doc.RecallWindowDays is <= 0)
            {
                Error("$.recallWindowDays", DefinitionRules.InvalidValue, $"Recall window must be a positive number of days, not {doc.RecallWindowDays}.");
            }

            var loinc = new LoincCodes(
                OptionalLoinc(doc.Loinc?.Panel, "$.loinc.panel"),
                OptionalLoinc(doc.Loinc?.Total, "$.loinc.total"));
            var licence = BuildLicence(doc.Licence);
            if (doc.Instructions is not null && licence is { WordingIncluded: false })
            {
                Error("$.instructions", DefinitionRules.LicenceWording,
                    "Instructions carry wording, but licence.wordingIncluded is false: licensed wording must not ship in this definition.");
            }

            ReadAnswerSets(doc.AnswerSets);
            var itemScoreRange = ReadRange(doc.Scoring?.ItemScoreRange, "$.scoring.itemScoreRange");
            var items = BuildItems(doc.Item, licence, itemScoreRange);
            var itemsById = items.ToDictionary(i => i.Id, StringComparer.Ordinal);

            var scoring = BuildScoring(doc.Scoring, items, itemsById);
            var bands = BuildBands(doc.SeverityBands, scoring);
            var flags = BuildFlags(doc.Flags, itemsById);
            var triage = BuildTriage(doc.Triage, itemsById);

            if (Errors.Count > 0 || id is null || version is null || title is null || rater is null
                || licence is null || scoring is null)
            {
                return null;
            }

            return new InstrumentDefinition(
                id,
                version,
                title,
                doc.Description,
                rater.Value,
                doc.RecallWindowDays,
                doc.Instructions,
                loinc,
                licence,
                items,
                scoring,
                bands,
                flags,
                triage,
                source);
        }

        private void Error(string path, string rule, string message) =>
            Errors.Add(new DefinitionError(source, path, rule, message));

        private string? RequireText(string? value, string path)
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                Error(path, DefinitionRules.RequiredField, "Required field is missing or empty.");
                return null;
            }

            return value;
        }

        private string? RequireCode(string? value, string path)
        {
            var text = RequireText(value, path);
            if (text is not null && !CodePattern().IsMatch(text))
            {
                Error(path, DefinitionRules.InvalidFormat, $"'{text}' must be lower case letters and digits joined by hyphens, e.g. 'qids-sr16'.");
                return null;
            }

            return text;
        }

        private T? Require<T>(T? value, string path)
            where T : struct
        {
            if (value is null)
            {
                Error(path, DefinitionRules.RequiredField, "Required field is missing.");
            }

            return value;
        }

        private string? OptionalLoinc(string? code, string path)
        {
            if (code is null)
            {
                return null;
            }

            if (!IsValidLoinc(code))
            {
                Error(path, DefinitionRules.InvalidLoinc, $"'{code}' is not a LOINC code (digits, hyphen, check digit; the check digit must match).");
            }

            return code;
        }

        private Rater? ParseRater(string? value)
        {
            switch (value)
            {
                case "patient":
                    return Rater.Patient;
                case "clinician":
                    return Rater.Clinician;
                case null:
                    Error("$.rater", DefinitionRules.RequiredField, "Required field is missing: 'patient' or 'clinician'.");
                    return null;
                default:
                    Error("$.rater", DefinitionRules.InvalidValue, $"Rater '{value}' is not 'patient' or 'clinician'.");
                    return null;
            }
        }

        private LicenceNote? BuildLicence(LicenceDocument? doc)
        {
            if (doc is null)
            {
                Error("$.licence", DefinitionRules.RequiredField, "Every definition must state its licence (wordingIncluded and note).");
                return null;
            }

            var wording = Require(doc.WordingIncluded, "$.licence.wordingIncluded");
            var note = RequireText(doc.Note, "$.licence.note");
            return wording is null || note is null ? null : new LicenceNote(wording.Value, note);
        }

        private ScoreRange? ReadRange(ScoreRangeDocument? doc, string path)
        {
            if (doc is null)
            {
                return null;
            }

            var min = Require(doc.Min, path + ".min");
            var max = Require(doc.Max, path + ".max");
            if (min is null || max is null)
            {
                return null;
            }

            if (min > max)
            {
                Error(path, DefinitionRules.InvalidValue, $"Range minimum {min} is above its maximum {max}.");
                return null;
            }

            return new ScoreRange(min.Value, max.Value);
        }

        private void ReadAnswerSets(IReadOnlyList<AnswerSetDocument?>? sets)
        {
            if (sets is null)
            {
                return;
            }

            for (var i = 0; i < sets.Count; i++)
            {
                var path = $"$.answerSets[{i}]";
                var set = sets[i];
                if (set is null)
                {
                    Error(path, DefinitionRules.RequiredField, "Answer set is null.");
                    continue;
                }

                var id = RequireCode(set.Id, path + ".id");
                if (id is null)
                {
                    continue;
                }

                if (set.AnswerOption is null)
                {
                    Error(path + ".answerOption", DefinitionRules.RequiredField, $"Answer set '{id}' has no answerOption list.");
                    continue;
                }

                if (!_answerSets.TryAdd(id, (set.AnswerOption, path + ".answerOption")))
                {
                    Error(path + ".id", DefinitionRules.DuplicateId, $"Answer set id '{id}' is used twice.");
                }
            }
        }

        private List<InstrumentItem> BuildItems(
            IReadOnlyList<ItemDocument?>? docs, LicenceNote? licence, ScoreRange? itemScoreRange)
        {
            var items = new List<InstrumentItem>();
            if (docs is null || docs.Count == 0)
            {
                Error("$.item", DefinitionRules.RequiredField, "A definition needs at least one item.");
                return items;
            }

            // Items seen so far: skip logic may only point backwards, which also rules out cycles.
            var earlier = new Dictionary<string, InstrumentItem>(StringComparer.Ordinal);
            var seenIds = new HashSet<string>(StringComparer.Ordinal);
            _declaredItemIds.UnionWith(docs.Select(d => d?.LinkId).OfType<string>());
            for (var i = 0; i < docs.Count; i++)
            {
                var path = $"$.item[{i}]";
                var doc = docs[i];
                if (doc is null)
                {
                    Error(path, DefinitionRules.RequiredField, "Item is null.");
                    continue;
                }

                var item = BuildItem(doc, path, licence, itemScoreRange, earlier, seenIds);
                if (item is not null)
                {
                    items.Add(item);
                    earlier[item.Id] = item;
                }
            }

            return items;
        }

        private InstrumentItem? BuildItem(
            ItemDocument doc,
            string path,
            LicenceNote? licence,
            ScoreRange? itemScoreRange,
            Dictionary<string, InstrumentItem> earlier,
            HashSet<string> seenIds)
        {
            var id = RequireText(doc.LinkId, path + ".linkId");
            if (id is not null && !LinkIdPattern().IsMatch(id))
            {
                Error(path + ".linkId", DefinitionRules.InvalidFormat, $"Link id '{id}' may hold only letters, digits, '.', '_' and '-'.");
                id = null;
            }

            if (id is not null && !seenIds.Add(id))
            {
                Error(path + ".linkId", DefinitionRules.DuplicateId, $"Item id '{id}' is used by more than one item.");
                id = null;
            }

            var label = id is null ? path : $"Item '{id}'";
            var shortTitle = RequireText(doc.ShortTitle, path + ".shortTitle");
            if (doc.Text is not null && licence is { WordingIncluded: false })
            {
                Error(path + ".text", DefinitionRules.LicenceWording,
                    $"{label} carries wording, but licence.wordingIncluded is false: licensed wording must not ship in this definition.");
            }

            var scored = Require(doc.Scored, path + ".scored");
            var required = Require(doc.Required, path + ".required");
            var loinc = OptionalLoinc(doc.Loinc, path + ".loinc");
            var range = ReadRange(doc.ScoreRange, path + ".scoreRange") ?? itemScoreRange;
            if (scored == true && required == false)
            {
                Error(path + ".required", DefinitionRules.ScoredItemOptional,
                    $"{label} is scored but not required: a missing answer would silently count as zero.");
            }

            var options = BuildOptions(doc, path, label, scored, range);
            var (conditions, behaviour) = BuildEnableWhen(doc, path, label, id, earlier, seenIds);
            if (scored == true && conditions.Count > 0)
            {
                Error(path + ".enableWhen", DefinitionRules.SkipLogic,
                    $"{label} is scored and has skip logic; a skipped scored item would change the total range, which is not supported.");
            }

            if (id is null || shortTitle is null || scored is null || required is null || options is null)
            {
                return null;
            }

            return new InstrumentItem(id, shortTitle, doc.Text, scored.Value, required.Value, loinc, options, conditions, behaviour);
        }

        private List<AnswerOption>? BuildOptions(ItemDocument doc, string path, string label, bool? scored, ScoreRange? range)
        {
            IReadOnlyList<AnswerOptionDocument?> optionDocs;
            string optionsPath;
            if (doc.AnswerSet is not null && doc.AnswerOption is not null)
            {
                Error(path, DefinitionRules.AnswerOptions, $"{label} has both answerSet and answerOption; use one.");
                return null;
            }

            if (doc.AnswerSet is not null)
            {
                if (!_answerSets.TryGetValue(doc.AnswerSet, out var set))
                {
                    Error(path + ".answerSet", DefinitionRules.UnknownReference, $"{label} names answer set '{doc.AnswerSet}', which is not defined in answerSets.");
                    return null;
                }

                (optionDocs, optionsPath) = set;
            }
            else if (doc.AnswerOption is not null)
            {
                (optionDocs, optionsPath) = (doc.AnswerOption, path + ".answerOption");
            }
            else
            {
                Error(path, DefinitionRules.AnswerOptions, $"{label} needs answerOption or answerSet.");
                return null;
            }

            if (optionDocs.Count < 2)
            {
                Error(optionsPath, DefinitionRules.AnswerOptions, $"{label} needs at least two answer options.");
                return null;
            }

            if (scored == true && range is null)
            {
                Error(path, DefinitionRules.RequiredField,
                    $"{label} is scored but no score range is declared (scoring.itemScoreRange or the item's scoreRange).");
            }

            var options = new List<AnswerOption>();
            var values = new HashSet<int>();
            var ok = true;
            for (var j = 0; j < optionDocs.Count; j++)
            {
                var optionPath = $"{optionsPath}[{j}]";
                var option = optionDocs[j];
                if (option is null)
                {
                    Error(optionPath, DefinitionRules.RequiredField, "Answer option is null.");
                    ok = false;
                    continue;
                }

                var value = Require(option.Value, optionPath + ".value");
                var display = RequireText(option.Display, optionPath + ".display");
                if (value is not null && !values.Add(value.Value))
                {
                    Error(optionPath + ".value", DefinitionRules.DuplicateId, $"{label}: answer value {value} appears twice.");
                    ok = false;
                }

                if (scored == true && option.Score is null)
                {
                    Error(optionPath + ".score", DefinitionRules.MissingScore, $"{label} is scored, so every answer option needs a score.");
                    ok = false;
                }
                else if (scored == false && option.Score is not null)
                {
                    Error(optionPath + ".score", DefinitionRules.UnexpectedScore, $"{label} is not scored, so its answer options must not carry scores.");
                    ok = false;
                }
                else if (scored == true && range is not null && !range.Contains(option.Score!.Value))
                {
                    Error(optionPath + ".score", DefinitionRules.ScoreOutOfRange,
                        $"{label}: answer value {option.Value} scores {option.Score}, outside the declared item score range {range}.");
                    ok = false;
                }

                if (value is null || display is null)
                {
                    ok = false;
                    continue;
                }

                options.Add(new AnswerOption(value.Value, option.Score, display));
            }

            return ok ? options : null;
        }

        private (IReadOnlyList<AnswerCondition> Conditions, EnableBehavior Behaviour) BuildEnableWhen(
            ItemDocument doc,
            string path,
            string label,
            string? ownId,
            Dictionary<string, InstrumentItem> earlier,
            HashSet<string> seenIds)
        {
            var conditions = new List<AnswerCondition>();
            var docs = doc.EnableWhen ?? [];
            for (var j = 0; j < docs.Count; j++)
            {
                var conditionPath = $"{path}.enableWhen[{j}]";
                var condition = docs[j];
                if (condition is null)
                {
                    Error(conditionPath, DefinitionRules.RequiredField, "Condition is null.");
                    continue;
                }

                var question = RequireText(condition.Question, conditionPath + ".question");
                if (question is not null && !earlier.ContainsKey(question))
                {
                    // An earlier item that failed its own checks has been reported already.
                    if (question == ownId || !seenIds.Contains(question))
                    {
                        Error(conditionPath + ".question", DefinitionRules.SkipLogic,
                            $"{label} depends on '{question}', which is not an item before it (skip logic may only refer to earlier items).");
                    }

                    question = null;
                }

                var built = BuildCondition(question, condition.Operator, condition.Answer, conditionPath, "answer", earlier);
                if (built is not null)
                {
                    conditions.Add(built);
                }
            }

            var behaviour = EnableBehavior.All;
            switch (doc.EnableBehavior)
            {
                case null when docs.Count > 1:
                    // FHIR requires enableBehavior when there is more than one enableWhen.
                    Error(path + ".enableBehavior", DefinitionRules.RequiredField, $"{label} has several enableWhen conditions; say 'all' or 'any'.");
                    break;
                case null or "all":
                    break;
                case "any":
                    behaviour = EnableBehavior.Any;
                    break;
                default:
                    Error(path + ".enableBehavior", DefinitionRules.InvalidValue, $"enableBehavior '{doc.EnableBehavior}' is not 'all' or 'any'.");
                    break;
            }

            return (conditions, behaviour);
        }

        private AnswerCondition? BuildCondition(
            string? itemId,
            string? operatorSymbol,
            int? value,
            string path,
            string valueField,
            Dictionary<string, InstrumentItem> items)
        {
            ComparisonOperator? op = null;
            if (operatorSymbol is null)
            {
                Error(path + ".operator", DefinitionRules.RequiredField, "Required field is missing.");
            }
            else
            {
                op = OperatorSymbols.Parse(operatorSymbol);
                if (op is null)
                {
                    Error(path + ".operator", DefinitionRules.InvalidValue, $"Operator '{operatorSymbol}' is not one of = != > >= < <=.");
                }
            }

            var checkedValue = Require(value, $"{path}.{valueField}");
            if (itemId is null || op is null || checkedValue is null)
            {
                return null;
            }

            // An equality test against a value the item cannot take is always false (or always true): a typo.
            if (op is ComparisonOperator.Equal or ComparisonOperator.NotEqual
                && items.TryGetValue(itemId, out var item)
                && item.FindOption(checkedValue.Value) is null)
            {
                Error($"{path}.{valueField}", DefinitionRules.ConditionValue,
                    $"Item '{itemId}' has no answer value {checkedValue}; allowed values are {string.Join(", ", item.AnswerOptions.Select(o => o.Value))}.");
                return null;
            }

            return new AnswerCondition(itemId, op.Value, checkedValue.Value);
        }

        private ScoringRule? BuildScoring(
            ScoringDocument? doc, List<InstrumentItem> items, Dictionary<string, InstrumentItem> itemsById)
        {
            if (doc is null)
            {
                Error("$.scoring", DefinitionRules.RequiredField, "A definition needs a scoring section (method 'sum' or 'none').");
                return null;
            }

            ScoringMethod method;
            switch (doc.Method)
            {
                case "sum":
                    method = ScoringMethod.Sum;
                    break;
                case "none":
                    method = ScoringMethod.None;
                    break;
                case null:
                    Error("$.scoring.method", DefinitionRules.RequiredField, "Required field is missing: 'sum' or 'none'.");
                    return null;
                default:
                    Error("$.scoring.method", DefinitionRules.InvalidValue, $"Scoring method '{doc.Method}' is not 'sum' or 'none'.");
                    return null;
            }

            var groups = BuildGroups(doc.Groups, itemsById);
            var declaredTotal = ReadRange(doc.TotalRange, "$.scoring.totalRange");
            var scoredItems = items.Where(i => i.IsScored).ToList();

            if (method == ScoringMethod.None)
            {
                if (scoredItems.Count > 0)
                {
                    Error("$.scoring.method", DefinitionRules.ScoringNone,
                        $"Method 'none' has no total, but items {string.Join(", ", scoredItems.Select(i => $"'{i.Id}'"))} are marked scored.");
                }

                if (doc.TotalRange is not null || groups.Count > 0)
                {
                    Error("$.scoring", DefinitionRules.ScoringNone, "Method 'none' takes no totalRange and no groups.");
                }

                return new ScoringRule(method, null, []);
            }

            if (scoredItems.Count == 0)
            {
                Error("$.scoring.method", DefinitionRules.TotalRange, "Method 'sum' needs at least one scored item.");
                return null;
            }

            if (doc.TotalRange is null)
            {
                Error("$.scoring.totalRange", DefinitionRules.RequiredField, "Method 'sum' needs the declared totalRange (min and max).");
                return null;
            }

            if (declaredTotal is null)
            {
                return null;
            }

            // The declared range is a cross-check: it must be exactly what the items and groups can produce.
            // It runs only on an otherwise clean file, where the implied range means something.
            var implied = Errors.Count == 0 ? ImpliedTotalRange(scoredItems, groups) : null;
            if (implied is not null && implied != declaredTotal)
            {
                Error("$.scoring.totalRange", DefinitionRules.TotalRange,
                    $"Declared total range {declaredTotal} does not match the range {implied} that the scored items and groups produce.");
                return null;
            }

            return new ScoringRule(method, declaredTotal, groups);
        }

        private static ScoreRange? ImpliedTotalRange(List<InstrumentItem> scoredItems, IReadOnlyList<ScoringGroup> groups)
        {
            if (scoredItems.Any(i => i.AnswerOptions.Any(o => o.Score is null)))
            {
                return null;
            }

            var grouped = groups.SelectMany(g => g.ItemIds).ToHashSet(StringComparer.Ordinal);
            var min = 0;
            var max = 0;
            foreach (var item in scoredItems.Where(i => !grouped.Contains(i.Id)))
            {
                min += item.AnswerOptions.Min(o => o.Score!.Value);
                max += item.AnswerOptions.Max(o => o.Score!.Value);
            }

            var byId = scoredItems.ToDictionary(i => i.Id, StringComparer.Ordinal);
            foreach (var group in groups)
            {
                var members = group.ItemIds.Where(byId.ContainsKey).Select(id => byId[id]).ToList();
                if (members.Count == 0)
                {
                    continue;
                }

                // Every member is answered, so the group's floor is the highest of the members' lowest scores.
                min += members.Max(m => m.AnswerOptions.Min(o => o.Score!.Value));
                max += members.Max(m => m.AnswerOptions.Max(o => o.Score!.Value));
            }

            return new ScoreRange(min, max);
        }

        private List<ScoringGroup> BuildGroups(IReadOnlyList<ScoringGroupDocument?>? docs, Dictionary<string, InstrumentItem> itemsById)
        {
            var groups = new List<ScoringGroup>();
            if (docs is null)
            {
                return groups;
            }

            var groupIds = new HashSet<string>(StringComparer.Ordinal);
            var itemOwner = new Dictionary<string, string>(StringComparer.Ordinal);
            for (var i = 0; i < docs.Count; i++)
            {
                var path = $"$.scoring.groups[{i}]";
                var doc = docs[i];
                if (doc is null)
                {
                    Error(path, DefinitionRules.RequiredField, "Scoring group is null.");
                    continue;
                }

                var id = RequireCode(doc.Id, path + ".id");
                if (id is not null && !groupIds.Add(id))
                {
                    Error(path + ".id", DefinitionRules.DuplicateId, $"Scoring group id '{id}' is used twice.");
                }

                var title = RequireText(doc.Title, path + ".title");
                if (doc.Combine is null)
                {
                    Error(path + ".combine", DefinitionRules.RequiredField, "Required field is missing: 'max'.");
                }
                else if (doc.Combine != "max")
                {
                    Error(path + ".combine", DefinitionRules.InvalidValue, $"Group combination '{doc.Combine}' is not supported; only 'max' is.");
                }

                var members = doc.Items ?? [];
                if (members.Count < 2)
                {
                    Error(path + ".items", DefinitionRules.ScoringGroup, "A scoring group needs at least two items.");
                }

                var memberIds = new List<string>();
                for (var j = 0; j < members.Count; j++)
                {
                    var memberPath = $"{path}.items[{j}]";
                    var member = members[j];
                    if (member is null || !itemsById.TryGetValue(member, out var item))
                    {
                        if (member is null || !_declaredItemIds.Contains(member))
                        {
                            Error(memberPath, DefinitionRules.UnknownReference, $"Scoring group '{id}' names item '{member}', which does not exist.");
                        }

                        continue;
                    }

                    if (!item.IsScored)
                    {
                        Error(memberPath, DefinitionRules.ScoringGroup, $"Scoring group '{id}' names item '{member}', which is not scored.");
                        continue;
                    }

                    if (!itemOwner.TryAdd(member, id ?? path))
                    {
                        Error(memberPath, DefinitionRules.ScoringGroup,
                            $"Item '{member}' is in scoring groups '{itemOwner[member]}' and '{id}'; an item may count in one group only.");
                        continue;
                    }

                    memberIds.Add(member);
                }

                if (id is not null && title is not null)
                {
                    groups.Add(new ScoringGroup(id, title, memberIds.AsReadOnly()));
                }
            }

            return groups;
        }

        private List<SeverityBand> BuildBands(IReadOnlyList<SeverityBandDocument?>? docs, ScoringRule? scoring)
        {
            var bands = new List<SeverityBand>();
            if (docs is null || docs.Count == 0)
            {
                return bands;
            }

            if (scoring?.Method == ScoringMethod.None)
            {
                Error("$.severityBands", DefinitionRules.ScoringNone, "Severity bands need a total, but scoring method is 'none'.");
                return bands;
            }

            var codes = new HashSet<string>(StringComparer.Ordinal);
            var indexOf = new Dictionary<SeverityBand, int>();
            for (var i = 0; i < docs.Count; i++)
            {
                var path = $"$.severityBands[{i}]";
                var doc = docs[i];
                if (doc is null)
                {
                    Error(path, DefinitionRules.RequiredField, "Severity band is null.");
                    continue;
                }

                var code = RequireCode(doc.Code, path + ".code");
                if (code is not null && !codes.Add(code))
                {
                    Error(path + ".code", DefinitionRules.DuplicateId, $"Severity band code '{code}' is used twice.");
                }

                var display = RequireText(doc.Display, path + ".display");
                var min = Require(doc.Min, path + ".min");
                var max = Require(doc.Max, path + ".max");
                if (code is null || display is null || min is null || max is null)
                {
                    continue;
                }

                if (min > max)
                {
                    Error(path, DefinitionRules.BandInvalid, $"Band '{code}' runs from {min} down to {max}; min must not exceed max.");
                    continue;
                }

                var band = new SeverityBand(code, display, min.Value, max.Value);
                indexOf[band] = i;
                bands.Add(band);
            }

            var total = scoring?.TotalRange;
            if (total is null || bands.Count != docs.Count)
            {
                return bands;
            }

            // Bands must tile the total range: no value in two bands, no value in none.
            bands.Sort((a, b) => a.Min != b.Min ? a.Min.CompareTo(b.Min) : a.Max.CompareTo(b.Max));
            var expectedNext = total.Min;
            SeverityBand? previous = null;
            foreach (var band in bands)
            {
                var path = $"$.severityBands[{indexOf[band]}]";
                if (band.Min < total.Min || band.Max > total.Max)
                {
                    Error(path, DefinitionRules.BandInvalid,
                        $"Band '{band.Code}' ({band.Min}–{band.Max}) reaches outside the total range {total}.");
                }

                if (band.Min > expectedNext)
                {
                    var gap = new ScoreRange(expectedNext, band.Min - 1);
                    var after = previous is null ? "the start of the total range" : $"band '{previous.Code}'";
                    Error(path + ".min", DefinitionRules.BandGap,
                        $"Totals {gap} fall in no band (between {after} and band '{band.Code}').");
                }
                else if (band.Min < expectedNext && previous is not null)
                {
                    Error(path + ".min", DefinitionRules.BandOverlap,
                        $"Band '{band.Code}' ({band.Min}–{band.Max}) overlaps band '{previous.Code}' ({previous.Min}–{previous.Max}).");
                }

                expectedNext = Math.Max(expectedNext, band.Max + 1);
                previous = band;
            }

            if (previous is not null && expectedNext <= total.Max)
            {
                Error("$.severityBands", DefinitionRules.BandGap,
                    $"Totals {new ScoreRange(expectedNext, total.Max)} fall in no band (after band '{previous.Code}').");
            }

            return bands;
        }

        private List<FlagRule> BuildFlags(IReadOnlyList<FlagRuleDocument?>? docs, Dictionary<string, InstrumentItem> itemsById)
        {
            var flags = new List<FlagRule>();
            for (var i = 0; i < (docs?.Count ?? 0); i++)
            {
                var path = $"$.flags[{i}]";
                var doc = docs![i];
                if (doc is null)
                {
                    Error(path, DefinitionRules.RequiredField, "Flag rule is null.");
                    continue;
                }

                var code = RequireCode(doc.Code, path + ".code");
                var itemId = RequireKnownItem(doc.Item, path + ".item", itemsById);
                var condition = BuildCondition(itemId, doc.Operator, doc.Value, path, "value", itemsById);
                if (code is not null && condition is not null)
                {
                    flags.Add(new FlagRule(code, condition, doc.Note));
                }
            }

            return flags;
        }

        private TriageRule? BuildTriage(TriageDocument? doc, Dictionary<string, InstrumentItem> itemsById)
        {
            if (doc is null)
            {
                return null;
            }

            var defaultLevel = RequireCode(doc.Default, "$.triage.default");
            var levels = new List<TriageLevel>();
            var codes = new HashSet<string>(StringComparer.Ordinal);
            if (defaultLevel is not null)
            {
                codes.Add(defaultLevel);
            }

            var levelDocs = doc.Levels ?? [];
            if (levelDocs.Count == 0)
            {
                Error("$.triage.levels", DefinitionRules.RequiredField, "Triage needs at least one level.");
            }

            for (var i = 0; i < levelDocs.Count; i++)
            {
                var path = $"$.triage.levels[{i}]";
                var level = levelDocs[i];
                if (level is null)
                {
                    Error(path, DefinitionRules.RequiredField, "Triage level is null.");
                    continue;
                }

                var code = RequireCode(level.Code, path + ".code");
                if (code is not null && !codes.Add(code))
                {
                    Error(path + ".code", DefinitionRules.DuplicateId, $"Triage level '{code}' is used twice (or repeats the default level).");
                }

                string? flag = null;
                if (level.Flag is not null)
                {
                    flag = RequireCode(level.Flag, path + ".flag");
                }

                var conditionDocs = level.AnyOf ?? [];
                if (conditionDocs.Count == 0)
                {
                    Error(path + ".anyOf", DefinitionRules.Triage, $"Triage level '{code}' needs at least one condition.");
                }

                var conditions = new List<AnswerCondition>();
                for (var j = 0; j < conditionDocs.Count; j++)
                {
                    var conditionPath = $"{path}.anyOf[{j}]";
                    var conditionDoc = conditionDocs[j];
                    if (conditionDoc is null)
                    {
                        Error(conditionPath, DefinitionRules.RequiredField, "Condition is null.");
                        continue;
                    }

                    var itemId = RequireKnownItem(conditionDoc.Item, conditionPath + ".item", itemsById);
                    var condition = BuildCondition(itemId, conditionDoc.Operator, conditionDoc.Value, conditionPath, "value", itemsById);
                    if (condition is not null)
                    {
                        conditions.Add(condition);
                    }
                }

                if (code is not null)
                {
                    levels.Add(new TriageLevel(code, flag, conditions.AsReadOnly()));
                }
            }

            return defaultLevel is null ? null : new TriageRule(defaultLevel, levels.AsReadOnly());
        }

        private string? RequireKnownItem(string? itemId, string path, Dictionary<string, InstrumentItem> itemsById)
        {
            var id = RequireText(itemId, path);
            if (id is not null && !itemsById.ContainsKey(id))
            {
                if (!_declaredItemIds.Contains(id))
                {
                    Error(path, DefinitionRules.UnknownReference, $"Item '{id}' does not exist in this definition.");
                }

                return null;
            }

            return id;
        }
    }
}
