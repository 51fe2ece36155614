using KetaClinic.Domain.Protocols;

namespace KetaClinic.App.Features.Plans;

/// <summary>
/// The clinic's protocol library: <c>&lt;Data:Directory&gt;/protocols/*.json</c> when the folder holds files, else the
/// built-in protocols (REFERENCE.md §5). A file with errors stops the start, naming the file, the JSON path and the rule.
/// </summary>
public static class ClinicProtocols
{
    public const string Directory = "protocols";

    public static ProtocolLibrary Load(string dataDirectory)
    {
        var dir = Path.Combine(dataDirectory, Directory);
        if (!System.IO.Directory.Exists(dir))
        {
            return ProtocolLibrary.Default;
        }

        var files = System.IO.Directory.GetFiles(dir, "*.json").Order(StringComparer.Ordinal)
            .Select(f => new ProtocolFile(Path.GetFileName(f), File.ReadAllText(f))).ToList();
        if (files.Count == 0)
        {
            return ProtocolLibrary.Default;
        }

        var (library, errors) = ProtocolLibrary.Load(files);
        return library ?? throw new InvalidOperationException(
            $"Protocol files in {dir} have errors:{Environment.NewLine}" + string.Join(Environment.NewLine, errors.Select(e => "  " + e)));
    }

    /// <summary>The measurement module's route code of a protocol's route.</summary>
    public static string RouteCode(TreatmentProtocol protocol)
    {
        ArgumentNullException.ThrowIfNull(protocol);
        return protocol.Route switch
        {
            AdministrationRoute.Intravenous => "iv",
            AdministrationRoute.Intramuscular => "im",
            AdministrationRoute.Oral => "oral",
            AdministrationRoute.Sublingual => "sublingual",
            _ => "intranasal-esketamine",
        };
    }
}
