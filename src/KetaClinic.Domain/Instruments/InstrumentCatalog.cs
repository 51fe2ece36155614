namespace KetaClinic.Domain.Instruments;

/// <summary>A clinic-supplied definition file: its name (quoted in errors) and its JSON text.</summary>
public sealed record DefinitionSource(string Name, string Json);

/// <summary>The catalog after adding clinic files, and the errors of the files that were rejected.</summary>
public sealed record CatalogLoadResult(InstrumentCatalog Catalog, IReadOnlyList<DefinitionError> Errors)
{
    public bool HasErrors => Errors.Count > 0;
}

/// <summary>
/// The instruments a clinic can use: the built-in definitions plus any the clinic loads (for example a licensed
/// MADRS with its wording). Definitions are versioned; an id without a version resolves to its highest version,
/// while stored responses keep resolving to the version they were scored with. Immutable.
/// </summary>
public sealed class InstrumentCatalog
{
    private static readonly Lazy<InstrumentCatalog> BuiltInCatalog =
        new(() => new InstrumentCatalog(InstrumentDefinitionLoader.LoadBuiltIn()));

    private readonly Dictionary<string, List<InstrumentDefinition>> _byId;

    private InstrumentCatalog(IEnumerable<InstrumentDefinition> definitions)
    {
        _byId = definitions
            .GroupBy(d => d.Id, StringComparer.Ordinal)
            .ToDictionary(
                g => g.Key,
                g => g.OrderBy(d => System.Version.Parse(d.Version)).ToList(),
                StringComparer.Ordinal);
        Definitions = _byId.Values.SelectMany(v => v).OrderBy(d => d.Id, StringComparer.Ordinal).ToList().AsReadOnly();
    }

    /// <summary>The definitions shipped with the product (PHQ-9, GAD-7, QIDS-SR16, MADRS, C-SSRS screener, CADSS-6).</summary>
    public static InstrumentCatalog BuiltIn => BuiltInCatalog.Value;

    /// <summary>Every version of every instrument, by id then version.</summary>
    public IReadOnlyList<InstrumentDefinition> Definitions { get; }

    public IEnumerable<string> InstrumentIds => _byId.Keys.Order(StringComparer.Ordinal);

    /// <summary>The named version, or the highest version when <paramref name="version"/> is null; null when absent.</summary>
    public InstrumentDefinition? Find(string id, string? version = null)
    {
        ArgumentNullException.ThrowIfNull(id);
        if (!_byId.TryGetValue(id, out var versions))
        {
            return null;
        }

        return version is null ? versions[^1] : versions.Find(d => d.Version == version);
    }

    /// <summary>As <see cref="Find"/>, but an unknown id or version is an error naming what is available.</summary>
    public InstrumentDefinition Get(string id, string? version = null)
    {
        var definition = Find(id, version);
        if (definition is not null)
        {
            return definition;
        }

        if (!_byId.TryGetValue(id, out var versions))
        {
            throw new KeyNotFoundException(
                $"No instrument '{id}'. Known instruments: {string.Join(", ", InstrumentIds)}.");
        }

        throw new KeyNotFoundException(
            $"Instrument '{id}' has no version '{version}'. Known versions: {string.Join(", ", versions.Select(v => v.Version))}.");
    }

    /// <summary>
    /// Validates clinic definition files and returns a catalog with the valid ones added. A file with any error is
    /// left out whole, and so is a file whose id and version are already in the catalog (a changed definition needs
    /// a new version so that stored scores keep meaning what they meant).
    /// </summary>
    public CatalogLoadResult WithClinicDefinitions(IEnumerable<DefinitionSource> files)
    {
        ArgumentNullException.ThrowIfNull(files);

        var errors = new List<DefinitionError>();
        var all = Definitions.ToList();
        foreach (var file in files)
        {
            var result = InstrumentDefinitionLoader.Load(file.Json, file.Name);
            if (!result.IsSuccess)
            {
                errors.AddRange(result.Errors);
                continue;
            }

            var definition = result.Definition;
            var clash = all.Find(d => d.Id == definition.Id && d.Version == definition.Version);
            if (clash is not null)
            {
                errors.Add(new DefinitionError(file.Name, "$.version", DefinitionRules.DuplicateVersion,
                    $"Instrument '{definition.Id}' version {definition.Version} is already loaded from {clash.Source}; give the changed definition a new version."));
                continue;
            }

            all.Add(definition);
        }

        return new CatalogLoadResult(new InstrumentCatalog(all), errors.AsReadOnly());
    }
}
