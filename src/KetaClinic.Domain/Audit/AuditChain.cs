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
    private string _expectedPrevious = AuditChain.GenesisHash;
    private long _expectedSequence = 1;
    private long _checked;
    private ChainVerification? _failure;

    public ChainVerification Result => _failure ?? new ChainVerification(true, _checked, null, null);

    /// <summary>Returns false once a link is broken; later entries are not looked at.</summary>
    public bool Accept(ChainedAuditEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (_failure is not null)
        {
            return false;
        }
        var seq = entry.Facts.Sequence;
        if (seq != _expectedSequence)
        {
            return Fail(_expectedSequence, $"entry {_expectedSequence} is missing (found {seq} next)");
        }
        if (!string.Equals(entry.PreviousHash, _expectedPrevious, StringComparison.Ordinal))
        {
            return Fail(seq, "its previous-hash does not match the hash of the entry before it");
        }
        if (!string.Equals(AuditChain.ComputeHash(entry.PreviousHash, entry.Facts), entry.Hash, StringComparison.Ordinal))
        {
            return Fail(seq, "its content does not match its stored hash");
        }
        _expectedPrevious = entry.Hash;
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
