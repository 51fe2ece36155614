using System.Text.Json;
using KetaClinic.App.Data;
using KetaClinic.Domain.ControlledSubstances;
using Microsoft.EntityFrameworkCore;

namespace KetaClinic.App.Features.ControlledSubstances;

/// <summary>
/// Checks the stored ledger from its first entry: the hash chain (content, links, no gaps), that the chain head
/// points at the last entry, and that every invariant held after every entry. Reads the table itself, never the
/// in-memory copy, so it sees what is really stored.
/// </summary>
public static class LedgerVerifier
{
    private const int Page = 5000;

    public static async Task<LedgerVerification> VerifyAsync(ClinicDbContext db, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        var head = await db.LedgerChainHeads.AsNoTracking().SingleAsync(h => h.Id == 1, ct);
        var verifier = new LedgerChainVerifier();
        var entries = new List<LedgerEntry>();
        long after = 0;
        long? unreadable = null;
        while (unreadable is null)
        {
            var rows = await db.LedgerEntries.AsNoTracking().Where(e => e.Sequence > after).OrderBy(e => e.Sequence).Take(Page).ToListAsync(ct);
            var broken = false;
            foreach (var row in rows)
            {
                LedgerEntry entry;
                try
                {
                    entry = LedgerRows.ToEntry(row);
                }
                catch (Exception ex) when (ex is JsonException or NotSupportedException or ArgumentException or InvalidOperationException)
                {
                    unreadable = row.Sequence;
                    break;
                }
                if (!string.Equals(entry.Kind, row.Kind, StringComparison.Ordinal))
                {
                    unreadable = row.Sequence;
                    break;
                }
                if (!verifier.Accept(entry))
                {
                    broken = true;
                    break;
                }
                entries.Add(entry);
            }
            if (broken || rows.Count < Page)
            {
                break;
            }
            after = rows[^1].Sequence;
        }
        var chain = verifier.Result;
        if (unreadable is { } bad && chain.Intact)
        {
            return new LedgerVerification(false, chain.EntriesChecked, bad, "its stored payload cannot be read as a ledger event of its kind", []);
        }
        if (!chain.Intact)
        {
            return new LedgerVerification(false, chain.EntriesChecked, chain.FirstBrokenSequence, chain.Problem, []);
        }
        if (chain.EntriesChecked != head.LastSequence)
        {
            return new LedgerVerification(false, chain.EntriesChecked, chain.EntriesChecked + 1,
                $"the chain head says {head.LastSequence} entries but {chain.EntriesChecked} are stored (entries removed from the end)", []);
        }
        var lastHash = entries.Count == 0 ? LedgerChain.GenesisHash : entries[^1].Hash;
        if (!string.Equals(lastHash, head.LastHash, StringComparison.Ordinal))
        {
            return new LedgerVerification(false, chain.EntriesChecked, head.LastSequence, "the chain head's hash does not match the last entry", []);
        }
        var violations = LedgerInvariants.CheckEveryPrefix(entries);
        if (violations.Count > 0)
        {
            return new LedgerVerification(false, chain.EntriesChecked, violations[0].Sequence, "an invariant does not hold",
                [.. violations.Select(v => $"{(v.Sequence is { } s ? $"entry {s}: " : string.Empty)}{v.Rule}: {v.Message}")]);
        }
        return new LedgerVerification(true, chain.EntriesChecked, null, null, []);
    }
}
