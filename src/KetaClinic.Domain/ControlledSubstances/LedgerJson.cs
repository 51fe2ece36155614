using System.Text.Json;
using System.Text.Json.Serialization;

namespace KetaClinic.Domain.ControlledSubstances;

/// <summary>
/// The JSON form of a ledger event, for the payload column of the ledger table. The hash never depends on it:
/// it is computed over the canonical text (<see cref="LedgerChain.Canonical"/>), so a stored payload can be
/// re-read and verified.
/// </summary>
public static class LedgerJson
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    public static string Serialize(LedgerEvent ledgerEvent)
    {
        ArgumentNullException.ThrowIfNull(ledgerEvent);
        return JsonSerializer.Serialize(ledgerEvent, Options);
    }

    public static LedgerEvent Deserialize(string json)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(json);
        return JsonSerializer.Deserialize<LedgerEvent>(json, Options)
            ?? throw new JsonException("A ledger event payload is empty.");
    }
}
