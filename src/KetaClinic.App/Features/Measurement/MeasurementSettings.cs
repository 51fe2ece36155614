using KetaClinic.Domain.Instruments;
using KetaClinic.Domain.Outcomes;

namespace KetaClinic.App.Features.Measurement;

/// <summary>Settings of measurement-based care (section "Measurement").</summary>
public sealed class MeasurementSettings
{
    public const string Section = "Measurement";

    /// <summary>How long a patient's questionnaire link stays valid. Clinic policy: long enough to answer before the next visit.</summary>
    public int LinkLifetimeHours { get; set; } = 72;

    /// <summary>Instruments sent at pre-session check-in, for every route unless <see cref="PreSessionInstrumentsByRoute"/> says otherwise.</summary>
    public List<string> PreSessionInstruments { get; set; } = ["phq9", "gad7"];

    /// <summary>Per-route instruments at check-in (route code → instrument ids), e.g. adding cadss6 for esketamine.</summary>
    public Dictionary<string, List<string>> PreSessionInstrumentsByRoute { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The instrument the outcome dashboard classifies on unless the user picks another.</summary>
    public string PrimaryOutcomeInstrument { get; set; } = "phq9";

    /// <summary>Directory of clinic definition files (*.json), relative to the data directory; loaded and validated at start.</summary>
    public string ClinicDefinitionsDirectory { get; set; } = "instruments";

    /// <summary>Per-instrument overrides of the remission and relapse thresholds, each with its source.</summary>
    public List<OutcomeThresholdOverride> OutcomeThresholds { get; set; } = [];

    public IReadOnlyList<string> InstrumentsForRoute(string? route) =>
        route is not null && PreSessionInstrumentsByRoute.TryGetValue(route, out var list) ? list : PreSessionInstruments;

    public OutcomeSettings BuildOutcomeSettings()
    {
        var settings = OutcomeSettings.Default;
        foreach (var o in OutcomeThresholds)
        {
            settings = settings.WithInstrument(new InstrumentOutcomeThresholds(
                o.InstrumentId,
                new ClinicalSetting<int>(o.RemissionAtOrBelow, o.Source),
                new ClinicalSetting<int>(o.RelapseAtOrAbove, o.Source)));
        }
        return settings;
    }
}

public sealed class OutcomeThresholdOverride
{
    public string InstrumentId { get; set; } = string.Empty;
    public int RemissionAtOrBelow { get; set; }
    public int RelapseAtOrAbove { get; set; }
    public string Source { get; set; } = string.Empty;
}

/// <summary>The instruments this clinic can use: the built-in ones plus the clinic's validated definition files.</summary>
public sealed class ClinicInstruments
{
    public ClinicInstruments(InstrumentCatalog catalog, OutcomeSettings outcomes)
    {
        Catalog = catalog;
        Outcomes = outcomes;
    }

    public InstrumentCatalog Catalog { get; }

    public OutcomeSettings Outcomes { get; }

    /// <summary>
    /// Loads the clinic's definition files. A file with errors stops the start with every error listed, so a clinic
    /// never runs with a half-loaded questionnaire it believes is there.
    /// </summary>
    public static ClinicInstruments Load(MeasurementSettings settings, string dataDirectory)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var dir = Path.Combine(dataDirectory, settings.ClinicDefinitionsDirectory);
        var catalog = InstrumentCatalog.BuiltIn;
        if (Directory.Exists(dir))
        {
            var files = Directory.GetFiles(dir, "*.json").Order(StringComparer.Ordinal)
                .Select(f => new DefinitionSource(Path.GetFileName(f), File.ReadAllText(f))).ToList();
            var loaded = catalog.WithClinicDefinitions(files);
            if (loaded.HasErrors)
            {
                throw new InvalidOperationException(
                    $"Instrument definition files in {dir} have errors:{Environment.NewLine}" + string.Join(Environment.NewLine, loaded.Errors.Select(e => "  " + e)));
            }
            catalog = loaded.Catalog;
        }
        return new ClinicInstruments(catalog, settings.BuildOutcomeSettings());
    }
}
