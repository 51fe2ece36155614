using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using KetaClinic.Domain.Audit;

namespace KetaClinic.Domain.ControlledSubstances;

/// <summary>
/// SHA-256 hash chain over the ledger, as for the audit log: each entry's hash covers a canonical text of its
/// header and every field of its event, plus the previous entry's hash, so changing, removing or reordering a
/// stored entry breaks the chain at that entry.
/// </summary>
public static class LedgerChain
{
    public const string GenesisHash = AuditChain.GenesisHash;

    private const string Version = "ketaclinic-ledger-v1";

    public static string ComputeHash(string previousHash, long sequence, DateTimeOffset recordedAt, string recordedBy, LedgerEvent ledgerEvent)
    {
        ArgumentNullException.ThrowIfNull(ledgerEvent);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Canonical(previousHash, sequence, recordedAt, recordedBy, ledgerEvent))));
    }

    /// <summary>The text the hash is computed over; stable across runtimes, cultures and time-zone offsets.</summary>
    public static string Canonical(string previousHash, long sequence, DateTimeOffset recordedAt, string recordedBy, LedgerEvent ledgerEvent)
    {
        ArgumentNullException.ThrowIfNull(ledgerEvent);
        var w = new CanonicalWriter();
        w.Text("version", Version);
        w.Text("previousHash", previousHash);
        w.Number("sequence", sequence);
        w.Instant("recordedAt", recordedAt);
        w.Text("recordedBy", recordedBy);
        w.Text("kind", ledgerEvent.Kind);
        ledgerEvent.WriteCanonical(w);
        return w.ToString();
    }

    /// <summary>Makes the next entry of a chain whose last entry has <paramref name="previousSequence"/> and <paramref name="previousHash"/>.</summary>
    public static LedgerEntry Seal(long previousSequence, string previousHash, DateTimeOffset recordedAt, string recordedBy, LedgerEvent ledgerEvent)
    {
        var sequence = previousSequence + 1;
        var at = NormalizeInstant(recordedAt);
        return new LedgerEntry(sequence, at, recordedBy, ledgerEvent, previousHash, ComputeHash(previousHash, sequence, at, recordedBy, ledgerEvent));
    }

    /// <summary>Walks entries in sequence order and reports the first entry whose link or content does not hold.</summary>
    public static ChainVerification Verify(IEnumerable<LedgerEntry> entriesInOrder)
    {
        ArgumentNullException.ThrowIfNull(entriesInOrder);
        var verifier = new LedgerChainVerifier();
        foreach (var entry in entriesInOrder)
        {
            if (!verifier.Accept(entry))
            {
                break;
            }
        }
        return verifier.Result;
    }

    /// <summary>
    /// UTC, whole microseconds: what PostgreSQL keeps, so an instant hashes the same before and after a round trip.
    /// </summary>
    public static DateTimeOffset NormalizeInstant(DateTimeOffset instant) => new(instant.UtcTicks - (instant.UtcTicks % 10), TimeSpan.Zero);
}

/// <summary>Checks a ledger chain one entry at a time, so a long ledger can be read in pages.</summary>
public sealed class LedgerChainVerifier
{
    private readonly HashChainVerifier _chain = new(LedgerChain.GenesisHash);

    public ChainVerification Result => _chain.Result;

    /// <summary>Returns false once a link is broken; later entries are not looked at.</summary>
    public bool Accept(LedgerEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return _chain.Accept(entry.Sequence, entry.PreviousHash, entry.Hash,
            () => entry.Event is null ? null : LedgerChain.ComputeHash(entry.PreviousHash, entry.Sequence, entry.RecordedAt, entry.RecordedBy, entry.Event));
    }
}

/// <summary>
/// Writes fields as name=length:value separated by U+001F, so no value can be made to look like two fields;
/// null is written as "~". Numbers and dates use the invariant culture, instants UTC ticks.
/// </summary>
internal sealed class CanonicalWriter
{
    private readonly StringBuilder _text = new();

    public void Text(string name, string? value)
    {
        _text.Append(name).Append('=');
        if (value is null)
        {
            _text.Append('~');
        }
        else
        {
            _text.Append(value.Length.ToString(CultureInfo.InvariantCulture)).Append(':').Append(value);
        }
        _text.Append('\u001f');
    }

    public void Number(string name, long? value) => Text(name, value?.ToString(CultureInfo.InvariantCulture));

    public void Count(string name, int count) => Number(name + ".count", count);

    public void Flag(string name, bool value) => Text(name, value ? "true" : "false");

    public void Guid(string name, Guid? value) => Text(name, value?.ToString("D"));

    public void Date(string name, DateOnly value) => Text(name, value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));

    public void Instant(string name, DateTimeOffset value) => Number(name, value.UtcTicks);

    public void Mass(string name, MassMcg value) => Number(name + ".mcg", value.Micrograms);

    public void Measured(string name, MeasuredAmount value)
    {
        Number(name + ".value", value.Value);
        Text(name + ".unit", value.Unit.ToString());
    }

    public void Supplier(string name, Supplier? value)
    {
        Text(name + ".name", value?.Name);
        Text(name + ".address", value?.Address);
        Text(name + ".deaNumber", value?.DeaNumber);
    }

    public void Witness(string name, WitnessAttestation? value)
    {
        Text(name + ".userId", value?.UserId);
        Number(name + ".authenticatedAt", value?.AuthenticatedAt.UtcTicks);
    }

    public void ContainerAmounts(string name, IReadOnlyList<ContainerAmount> items)
    {
        Count(name, items.Count);
        foreach (var item in items)
        {
            Guid(name + ".containerId", item.ContainerId);
            Mass(name + ".mass", item.Mass);
        }
    }

    public override string ToString() => _text.ToString();
}
