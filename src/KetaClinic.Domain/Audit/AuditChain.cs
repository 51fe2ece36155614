using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace KetaClinic.Domain.Audit;

/// <summary>The fields of one audit entry that its hash covers.</summary>
public sealed record AuditFacts(
    long Sequence,
    DateTimeOffset OccurredAt,
    string UserId,
    string UserName,
    string Roles,
    string Action,
    string RecordType,
    string? RecordId,
    Guid? PatientId,
    string? RemoteAddress,
    string? Details);

public sealed record ChainedAuditEntry(AuditFacts Facts, string PreviousHash, string Hash);

public sealed record ChainVerification(bool Intact, long EntriesChecked, long? FirstBrokenSequence, string? Problem);

/// <summary>
/// SHA-256 hash chain over the audit log: each entry's hash covers its own facts and the previous entry's hash,
/// so changing, removing or reordering any stored entry breaks every link after it.
/// </summary>
public static class AuditChain
{
    public const string GenesisHash = "0000000000000000000000000000000000000000000000000000000000000000";

    public static string ComputeHash(string previousHash, AuditFacts facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        var canonical = string.Join('\u001f',
            previousHash,
            facts.Sequence.ToString(CultureInfo.InvariantCulture),
            facts.OccurredAt.ToUniversalTime().UtcTicks.ToString(CultureInfo.InvariantCulture),
            facts.UserId,
            facts.UserName,
            facts.Roles,
            facts.Action,
            facts.RecordType,
            facts.RecordId ?? string.Empty,
            facts.PatientId?.ToString("D") ?? string.Empty,
            facts.RemoteAddress ?? string.Empty,
            facts.Details ?? string.Empty);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
    }

    /// <summary>Walks entries in sequence order and reports the first link that does not hold.</summary>
    public static ChainVerification Verify(IEnumerable<ChainedAuditEntry> entriesInOrder)
    {
        ArgumentNullException.ThrowIfNull(entriesInOrder);
        var verifier = new AuditChainVerifier();
        foreach (var entry in entriesInOrder)
        {
            if (!verifier.Accept(entry))
            {
                break;
            }
        }
        return verifier.Result;
    }
}

/// <summary>Checks a chain one entry at a time, so a long log can be read in pages.</summary>
public sealed class AuditChainVerifier
{
    private readonly HashChainVerifier _chain = new(AuditChain.GenesisHash);

    public ChainVerification Result => _chain.Result;

    /// <summary>Returns false once a link is broken; later entries are not looked at.</summary>
    public bool Accept(ChainedAuditEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return _chain.Accept(entry.Facts.Sequence, entry.PreviousHash, entry.Hash, () => AuditChain.ComputeHash(entry.PreviousHash, entry.Facts));
    }
}

/// <summary>
/// The rules every hash chain here follows (audit log, controlled-substance ledger): sequences without gaps from 1,
/// each entry naming the hash of the one before, and its content hashing to its stored hash.
/// </summary>
public sealed class HashChainVerifier(string genesisHash)
{
    private string _expectedPrevious = genesisHash;
    private long _expectedSequence = 1;
    private long _checked;
    private ChainVerification? _failure;

    public ChainVerification Result => _failure ?? new ChainVerification(true, _checked, null, null);

    /// <summary>Returns false once a link is broken. <paramref name="computeHash"/> returns null when the content cannot be read.</summary>
    public bool Accept(long sequence, string previousHash, string storedHash, Func<string?> computeHash)
    {
        ArgumentNullException.ThrowIfNull(computeHash);
        if (_failure is not null)
        {
            return false;
        }
        if (sequence != _expectedSequence)
        {
            return Fail(_expectedSequence, $"entry {_expectedSequence} is missing (found {sequence} next)");
        }
        if (!string.Equals(previousHash, _expectedPrevious, StringComparison.Ordinal))
        {
            return Fail(sequence, "its previous-hash does not match the hash of the entry before it");
        }
        if (!string.Equals(computeHash(), storedHash, StringComparison.Ordinal))
        {
            return Fail(sequence, "its content does not match its stored hash");
        }
        _expectedPrevious = storedHash;
        _expectedSequence++;
        _checked++;
        return true;
    }

    private bool Fail(long sequence, string problem)
    {
        _failure = new ChainVerification(false, _checked, sequence, problem);
        return false;
    }
}
