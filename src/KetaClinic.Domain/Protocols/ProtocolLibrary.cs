namespace KetaClinic.Domain.Protocols;

/// <summary>
/// The clinic's protocols. <see cref="Default"/> holds the built-in files (Protocols/Data); a clinic edits copies of
/// them and loads its own set with <see cref="Load"/>, which reports every problem in every file.
/// </summary>
public sealed class ProtocolLibrary
{
    private static readonly Lazy<ProtocolLibrary> BuiltIn = new(() =>
    {
        var result = Load(ProtocolLoader.BuiltInFiles());
        return result.Library ?? throw new InvalidOperationException(
            "A built-in protocol file is invalid:" + Environment.NewLine + string.Join(Environment.NewLine, result.Errors));
    });

    private readonly Dictionary<string, TreatmentProtocol> _byId;

    private ProtocolLibrary(IReadOnlyList<TreatmentProtocol> protocols)
    {
        Protocols = protocols;
        _byId = protocols.ToDictionary(p => p.Id, StringComparer.Ordinal);
    }

    /// <summary>The protocols shipped with KetaClinic.</summary>
    public static ProtocolLibrary Default => BuiltIn.Value;

    public IReadOnlyList<TreatmentProtocol> Protocols { get; }

    public TreatmentProtocol? Find(string id) => _byId.GetValueOrDefault(id);

    /// <summary>The protocol with this id; throws naming the known ids otherwise.</summary>
    public TreatmentProtocol Get(string id) =>
        Find(id) ?? throw new KeyNotFoundException($"No protocol '{id}' (known: {string.Join(", ", _byId.Keys.Order(StringComparer.Ordinal))}).");

    /// <summary>Loads a set of protocol files; a library results only when every file is valid and ids are unique.</summary>
    public static (ProtocolLibrary? Library, IReadOnlyList<ProtocolDataError> Errors) Load(IEnumerable<ProtocolFile> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        var errors = new List<ProtocolDataError>();
        var protocols = new List<TreatmentProtocol>();
        var fileById = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            var result = ProtocolLoader.Load(file.Json, file.FileName);
            errors.AddRange(result.Errors);
            if (!result.IsValid)
            {
                continue;
            }

            if (!fileById.TryAdd(result.Protocol.Id, file.FileName))
            {
                errors.Add(new ProtocolDataError(file.FileName, "$.id",
                    $"protocol id '{result.Protocol.Id}' is already used by {fileById[result.Protocol.Id]}."));
                continue;
            }

            protocols.Add(result.Protocol);
        }

        if (errors.Count == 0 && protocols.Count == 0)
        {
            errors.Add(new ProtocolDataError("(library)", "$", "holds no protocol files."));
        }

        return errors.Count == 0 ? (new ProtocolLibrary(protocols), []) : (null, errors);
    }
}
