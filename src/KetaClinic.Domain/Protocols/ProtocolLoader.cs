using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using KetaClinic.Domain.Evaluation;

namespace KetaClinic.Domain.Protocols;

/// <summary>A problem in a protocol file: the file, the JSON path of the field, and what is wrong.</summary>
public sealed record ProtocolDataError(string File, string Path, string Message)
{
    public override string ToString() => $"{File}: {Path}: {Message}";
}

/// <summary>A protocol file as the clinic supplies it.</summary>
public sealed record ProtocolFile(string FileName, string Json);

/// <summary>Either a valid protocol or everything wrong with the file.</summary>
public sealed record ProtocolLoadResult
{
    internal ProtocolLoadResult(TreatmentProtocol? protocol, IReadOnlyList<ProtocolDataError> errors)
    {
        Protocol = protocol;
        Errors = errors;
    }

    public TreatmentProtocol? Protocol { get; }

    public IReadOnlyList<ProtocolDataError> Errors { get; }

    [MemberNotNullWhen(true, nameof(Protocol))]
    public bool IsValid => Protocol is not null;
}

/// <summary>
/// Reads and validates protocol files (the built-in ones under Protocols/Data, or a clinic's edited copies).
/// Collects every problem with the file name and JSON path instead of stopping at the first, and checks the
/// numbers against each other: default within range and under the hard maximum, recovery covering the minimum
/// monitoring, the series fitting its window, device doses in whole devices.
/// </summary>
public static partial class ProtocolLoader
{
    private const string ResourcePrefix = "KetaClinic.Domain.Protocols.Data.";

    // Sanity bounds that catch typing errors (50 for 0.5 mg/kg); the clinical limits are the protocol's own settings.
    private const decimal MaxPlausibleMgPerKg = 5m;
    private const decimal MaxPlausibleMg = 1000m;
    private const decimal SmallestDose = 0.001m;
    private const int MaxSessionMinutes = 720;

    private static readonly JsonDocumentOptions DocumentOptions = new()
    {
        CommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    private static readonly string[] RootFields =
    [
        "id", "version", "name", "drug", "route", "doseBasis", "dose", "devices", "rems", "timing", "fasting",
        "requiredEquipment", "nonResponseReviewAfterSessions", "phases",
    ];

    private static readonly string[] DoseFields = ["default", "minimum", "maximum", "hardMaximum", "titrationStep", "absoluteMaximumMg"];
    private static readonly string[] DeviceFields = ["mgPerDevice", "allowedDosesMg", "firstSessionDoseMg", "minutesBetweenDevices"];
    private static readonly string[] TimingFields =
        ["administrationMinutes", "chairMinutes", "recoveryMinutes", "minimumMonitoringMinutes", "vitalsIntervalMinutes"];

    private static readonly string[] FastingFields = ["noFoodMinutes", "noDrinkMinutes"];
    private static readonly string[] SeriesFields =
        ["id", "name", "kind", "sessions", "spacingMinDays", "spacingMaxDays", "maxSessionsPer7Days", "windowDays"];

    private static readonly string[] MaintenanceFields = ["id", "name", "kind", "intervalsDays"];
    private static readonly string[] PhaseKindFields = ["id", "name", "kind", "sessions", "spacingMinDays", "spacingMaxDays", "maxSessionsPer7Days", "windowDays", "intervalsDays"];

    /// <summary>The embedded protocol files, in file-name order.</summary>
    public static IReadOnlyList<ProtocolFile> BuiltInFiles()
    {
        var assembly = typeof(ProtocolLoader).Assembly;
        return [.. assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal) && n.EndsWith(".json", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(name =>
            {
                using var stream = assembly.GetManifestResourceStream(name)
                    ?? throw new InvalidOperationException($"Embedded resource {name} could not be opened.");
                using var reader = new StreamReader(stream);
                return new ProtocolFile(name[ResourcePrefix.Length..], reader.ReadToEnd());
            })];
    }

    /// <summary>Parses and validates one protocol file.</summary>
    /// <param name="json">The file's text.</param>
    /// <param name="fileName">The file name quoted in every error.</param>
    public static ProtocolLoadResult Load(string json, string fileName)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentException.ThrowIfNullOrWhiteSpace(fileName);
        var errors = new List<ProtocolDataError>();
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, DocumentOptions);
        }
        catch (JsonException ex)
        {
            var line = ex.LineNumber is { } n ? string.Create(CultureInfo.InvariantCulture, $" at line {n + 1}") : string.Empty;
            return new ProtocolLoadResult(null, [new ProtocolDataError(fileName, "$", $"is not valid JSON{line}: {ex.Message}")]);
        }

        using (document)
        {
            var root = ProtocolJsonReader.Open(document.RootElement, fileName, "$", errors, RootFields);
            var protocol = root is null ? null : Build(root, fileName);
            return errors.Count == 0 && protocol is not null
                ? new ProtocolLoadResult(protocol, [])
                : new ProtocolLoadResult(null, errors);
        }
    }

    // Ids, phase ids and equipment codes: lower case words joined by hyphens.
    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*$", RegexOptions.CultureInvariant)]
    internal static partial Regex CodePattern();

    [GeneratedRegex(@"^\d+\.\d+\.\d+$", RegexOptions.CultureInvariant)]
    private static partial Regex VersionPattern();

    private static TreatmentProtocol? Build(ProtocolJsonReader root, string fileName)
    {
        var id = Code(root, "id");
        var version = root.Text("version");
        if (version is not null && !VersionPattern().IsMatch(version))
        {
            root.Error("version", $"'{version}' must look like 1.0.0 (major.minor.patch).");
        }

        var name = root.Text("name");
        var drug = root.Text("drug");
        var route = Choice(root, "route", new Dictionary<string, AdministrationRoute>(StringComparer.Ordinal)
        {
            ["intravenous"] = AdministrationRoute.Intravenous,
            ["intramuscular"] = AdministrationRoute.Intramuscular,
            ["oral"] = AdministrationRoute.Oral,
            ["sublingual"] = AdministrationRoute.Sublingual,
            ["intranasal"] = AdministrationRoute.Intranasal,
        });
        var basis = Choice(root, "doseBasis", new Dictionary<string, DoseBasis>(StringComparer.Ordinal)
        {
            ["mg-per-kg"] = DoseBasis.MgPerKg,
            ["fixed-mg"] = DoseBasis.FixedMg,
            ["devices"] = DoseBasis.Devices,
        });

        var dose = basis is null ? null : BuildDose(root, basis.Value);
        DeviceRules? devices = null;
        if (basis == DoseBasis.Devices)
        {
            devices = BuildDevices(root, dose);
        }
        else if (root.Has("devices"))
        {
            root.Error("devices", "is only allowed when doseBasis is 'devices'.");
        }

        var rems = root.BoolSetting("rems");
        var timing = BuildTiming(root);
        var fasting = BuildFasting(root);
        var equipment = root.CodeListSetting("requiredEquipment");
        var review = root.IntSetting("nonResponseReviewAfterSessions", 1, 100, "sessions");
        var (series, maintenance) = BuildPhases(root);

        if (id is null || version is null || name is null || drug is null || route is null || dose is null
            || (basis == DoseBasis.Devices && devices is null) || rems is null || timing is null || fasting is null
            || equipment is null || review is null || series is null || maintenance is null)
        {
            return null;
        }

        return new TreatmentProtocol(
            id, version, name, drug, route.Value, dose, devices, rems, timing, fasting, equipment, review, series, maintenance,
            "file:" + fileName);
    }

    private static string? Code(ProtocolJsonReader reader, string field)
    {
        var text = reader.Text(field);
        if (text is not null && !CodePattern().IsMatch(text))
        {
            reader.Error(field, $"'{text}' must be lower case letters and digits joined by hyphens, e.g. 'iv-racemic-ketamine'.");
            return null;
        }

        return text;
    }

    private static T? Choice<T>(ProtocolJsonReader reader, string field, Dictionary<string, T> choices)
        where T : struct
    {
        var text = reader.Text(field);
        if (text is null)
        {
            return null;
        }

        if (!choices.TryGetValue(text, out var value))
        {
            reader.Error(field, $"'{text}' is not one of: {string.Join(", ", choices.Keys)}.");
            return null;
        }

        return value;
    }

    private static ProtocolDose? BuildDose(ProtocolJsonReader root, DoseBasis basis)
    {
        var dose = root.Object("dose", DoseFields);
        if (dose is null)
        {
            return null;
        }

        var (max, unit) = basis == DoseBasis.MgPerKg ? (MaxPlausibleMgPerKg, "mg/kg") : (MaxPlausibleMg, "mg");
        SourcedSetting<DoseAmount>? Amount(string field) =>
            dose.DecimalSetting(field, SmallestDose, max, unit) is { } s ? new(new DoseAmount(basis, s.Value), s.Source) : null;

        var @default = Amount("default");
        var minimum = Amount("minimum");
        var maximum = Amount("maximum");
        var hardMaximum = Amount("hardMaximum");
        var step = Amount("titrationStep");
        var absolute = dose.DecimalSetting("absoluteMaximumMg", SmallestDose, MaxPlausibleMg, "mg") is { } a
            ? new SourcedSetting<DoseMg>(new DoseMg(a.Value), a.Source)
            : null;
        if (@default is null || minimum is null || maximum is null || hardMaximum is null || step is null || absolute is null)
        {
            return null;
        }

        var ok = true;
        void Check(bool condition, string field, string message)
        {
            if (!condition)
            {
                dose.Error(field, message);
                ok = false;
            }
        }

        Check(minimum.Value <= maximum.Value, "minimum.value", $"the minimum {minimum.Value} is above the maximum {maximum.Value}.");
        Check(@default.Value >= minimum.Value && @default.Value <= maximum.Value, "default.value",
            $"the default {@default.Value} is outside the range {minimum.Value}–{maximum.Value}.");
        Check(@default.Value <= hardMaximum.Value, "default.value",
            $"the default {@default.Value} is above the hard maximum {hardMaximum.Value}.");
        Check(minimum.Value <= hardMaximum.Value, "hardMaximum.value",
            $"the hard maximum {hardMaximum.Value} is below the minimum {minimum.Value}: no dose could be given.");
        if (basis != DoseBasis.MgPerKg)
        {
            Check(@default.Value.Value <= absolute.Value.Value, "absoluteMaximumMg.value",
                $"the absolute maximum {absolute.Value} is below the default {@default.Value}.");
        }

        return ok ? new ProtocolDose(@default, minimum, maximum, hardMaximum, step, absolute) : null;
    }

    private static DeviceRules? BuildDevices(ProtocolJsonReader root, ProtocolDose? dose)
    {
        var devices = root.Object("devices", DeviceFields);
        if (devices is null)
        {
            return null;
        }

        var perDevice = devices.DecimalSetting("mgPerDevice", SmallestDose, MaxPlausibleMg, "mg");
        var allowed = devices.DecimalListSetting("allowedDosesMg", SmallestDose, MaxPlausibleMg, "mg");
        var first = devices.DecimalSetting("firstSessionDoseMg", SmallestDose, MaxPlausibleMg, "mg");
        var between = devices.IntSetting("minutesBetweenDevices", 0, 60, "minutes");
        if (perDevice is null || allowed is null || first is null || between is null)
        {
            return null;
        }

        var ok = true;
        void Check(bool condition, string field, string message)
        {
            if (!condition)
            {
                devices.Error(field, message);
                ok = false;
            }
        }

        var doses = allowed.Value;
        Check(doses.Count > 0, "allowedDosesMg.value", "must list at least one dose.");
        for (var i = 0; i < doses.Count; i++)
        {
            Check(doses[i] % perDevice.Value == 0m, string.Create(CultureInfo.InvariantCulture, $"allowedDosesMg.value[{i}]"),
                $"{DoseText.Number(doses[i])} mg is not a whole number of {DoseText.Number(perDevice.Value)} mg devices.");
            Check(i == 0 || doses[i] > doses[i - 1], string.Create(CultureInfo.InvariantCulture, $"allowedDosesMg.value[{i}]"),
                "the allowed doses must be listed in increasing order without repeats.");
        }

        Check(doses.Contains(first.Value), "firstSessionDoseMg.value",
            $"{DoseText.Number(first.Value)} mg is not one of the allowed doses ({string.Join(", ", doses.Select(DoseText.Number))} mg).");
        if (dose is not null)
        {
            Check(doses.Contains(dose.Default.Value.Value), "allowedDosesMg.value",
                $"does not contain the default dose {dose.Default.Value}.");
            Check(dose.TitrationStep.Value.Value % perDevice.Value == 0m, "mgPerDevice.value",
                $"the titration step {dose.TitrationStep.Value} is not a whole number of {DoseText.Number(perDevice.Value)} mg devices.");
        }

        return ok
            ? new DeviceRules(
                new(new DoseMg(perDevice.Value), perDevice.Source),
                new([.. doses.Select(d => new DoseMg(d))], allowed.Source),
                new(new DoseMg(first.Value), first.Source),
                between)
            : null;
    }

    private static ProtocolTiming? BuildTiming(ProtocolJsonReader root)
    {
        var timing = root.Object("timing", TimingFields);
        if (timing is null)
        {
            return null;
        }

        var administration = timing.IntSetting("administrationMinutes", 1, MaxSessionMinutes, "minutes");
        var chair = timing.IntSetting("chairMinutes", 1, MaxSessionMinutes, "minutes");
        var recovery = timing.IntSetting("recoveryMinutes", 0, MaxSessionMinutes, "minutes");
        var monitoring = timing.IntSetting("minimumMonitoringMinutes", 0, MaxSessionMinutes, "minutes");
        var vitals = timing.IntSetting("vitalsIntervalMinutes", 1, 240, "minutes");
        if (administration is null || chair is null || recovery is null || monitoring is null || vitals is null)
        {
            return null;
        }

        var ok = true;
        void Check(bool condition, string field, string message)
        {
            if (!condition)
            {
                timing.Error(field, message);
                ok = false;
            }
        }

        Check(chair.Value >= administration.Value, "chairMinutes.value", string.Create(CultureInfo.InvariantCulture,
            $"chair time {chair.Value} min is shorter than the administration time {administration.Value} min it must hold."));
        Check(recovery.Value >= monitoring.Value, "recoveryMinutes.value", string.Create(CultureInfo.InvariantCulture,
            $"recovery {recovery.Value} min is shorter than the minimum monitoring after the dose, {monitoring.Value} min."));
        Check(chair.Value + recovery.Value <= MaxSessionMinutes, "recoveryMinutes.value", string.Create(CultureInfo.InvariantCulture,
            $"chair time plus recovery ({chair.Value + recovery.Value} min) must fit in {MaxSessionMinutes} minutes."));
        return ok ? new ProtocolTiming(administration, chair, recovery, monitoring, vitals) : null;
    }

    private static FastingRules? BuildFasting(ProtocolJsonReader root)
    {
        var fasting = root.Object("fasting", FastingFields);
        if (fasting is null)
        {
            return null;
        }

        var food = fasting.IntSetting("noFoodMinutes", 0, 1440, "minutes");
        var drink = fasting.IntSetting("noDrinkMinutes", 0, 1440, "minutes");
        return food is null || drink is null ? null : new FastingRules(food, drink);
    }

    private static (IReadOnlyList<SeriesPhase>? Series, MaintenancePhase? Maintenance) BuildPhases(ProtocolJsonReader root)
    {
        var items = root.Array("phases");
        if (items is null)
        {
            return (null, null);
        }

        var series = new List<SeriesPhase>();
        MaintenancePhase? maintenance = null;
        var ids = new HashSet<string>(StringComparer.Ordinal);
        var ok = true;
        for (var i = 0; i < items.Count; i++)
        {
            var path = string.Create(CultureInfo.InvariantCulture, $"{root.At("phases")}[{i}]");
            var kind = items[i].ValueKind == JsonValueKind.Object && items[i].TryGetProperty("kind", out var k)
                && k.ValueKind == JsonValueKind.String ? k.GetString() : null;
            var phase = ProtocolJsonReader.Open(
                items[i], root.File, path, root.Errors, kind == "maintenance" ? MaintenanceFields : kind == "series" ? SeriesFields : PhaseKindFields);
            if (phase is null)
            {
                ok = false;
                continue;
            }

            var id = Code(phase, "id");
            var name = phase.Text("name");
            if (id is not null && !ids.Add(id))
            {
                phase.Error("id", $"phase id '{id}' is used twice.");
                ok = false;
            }

            if (kind == "series")
            {
                if (maintenance is not null)
                {
                    phase.Error("kind", "a series phase cannot follow maintenance: maintenance is the last phase.");
                    ok = false;
                }

                var built = BuildSeries(phase, id, name);
                ok &= built is not null;
                if (built is not null)
                {
                    series.Add(built);
                }
            }
            else if (kind == "maintenance")
            {
                if (maintenance is not null)
                {
                    phase.Error("kind", "only one maintenance phase is allowed.");
                    ok = false;
                }

                var intervals = phase.IntListSetting("intervalsDays", 1, 365, "days");
                if (intervals is not null)
                {
                    if (intervals.Value.Count == 0)
                    {
                        phase.Error("intervalsDays.value", "must list at least one interval.");
                        intervals = null;
                    }
                    else if (intervals.Value.Zip(intervals.Value.Skip(1)).Any(p => p.Second <= p.First))
                    {
                        phase.Error("intervalsDays.value", "must list the intervals from shortest to longest without repeats.");
                        intervals = null;
                    }
                }

                if (id is not null && name is not null && intervals is not null)
                {
                    maintenance = new MaintenancePhase(id, name, intervals);
                }
                else
                {
                    ok = false;
                }
            }
            else
            {
                phase.Error("kind", kind is null ? "is required and must be 'series' or 'maintenance'." : $"'{kind}' is not 'series' or 'maintenance'.");
                ok = false;
            }
        }

        if (series.Count == 0 && ok)
        {
            root.Error("phases", "needs at least one series phase (the induction).");
            ok = false;
        }

        if (maintenance is null && ok)
        {
            root.Error("phases", "needs a maintenance phase as the last phase.");
            ok = false;
        }

        return ok ? (series, maintenance) : (null, null);
    }

    private static SeriesPhase? BuildSeries(ProtocolJsonReader phase, string? id, string? name)
    {
        var sessions = phase.IntSetting("sessions", 1, SeriesRules.MaxSessions, "sessions");
        var spacingMin = phase.IntSetting("spacingMinDays", 1, 90, "days");
        var spacingMax = phase.IntSetting("spacingMaxDays", 1, 90, "days");
        var perWeek = phase.IntSetting("maxSessionsPer7Days", 1, 7, "sessions");
        var window = phase.IntSetting("windowDays", 1, 366, "days");
        if (id is null || name is null || sessions is null || spacingMin is null || spacingMax is null || perWeek is null || window is null)
        {
            return null;
        }

        var built = new SeriesPhase(id, name, sessions, spacingMin, spacingMax, perWeek, window);
        var problems = built.Rules.Problems();
        foreach (var problem in problems)
        {
            phase.Error(string.Empty, "the series cannot be booked: " + problem);
        }

        return problems.Count == 0 ? built : null;
    }
}
