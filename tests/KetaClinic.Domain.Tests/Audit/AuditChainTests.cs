using FsCheck.Xunit;
using KetaClinic.Domain.Audit;

namespace KetaClinic.Domain.Tests.Audit;

public sealed class AuditChainTests
{
    private static List<ChainedAuditEntry> Chain(int length)
    {
        var list = new List<ChainedAuditEntry>();
        var previous = AuditChain.GenesisHash;
        for (var i = 1; i <= length; i++)
        {
            var facts = new AuditFacts(i, new DateTimeOffset(2026, 11, 23, 10, 0, i % 60, TimeSpan.Zero), "u" + i, "user", "Nurse", "read", "patient", "r" + i, Guid.Empty, "127.0.0.1", "{}");
            var hash = AuditChain.ComputeHash(previous, facts);
            list.Add(new ChainedAuditEntry(facts, previous, hash));
            previous = hash;
        }
        return list;
    }

    [Fact]
    public void An_untouched_chain_verifies()
    {
        var result = AuditChain.Verify(Chain(50));
        Assert.True(result.Intact);
        Assert.Equal(50, result.EntriesChecked);
    }

    [Property(MaxTest = 50)]
    public bool Changing_any_entry_breaks_the_chain_at_that_entry(byte which)
    {
        var chain = Chain(20);
        var index = which % chain.Count;
        chain[index] = chain[index] with { Facts = chain[index].Facts with { UserName = "someone-else" } };
        var result = AuditChain.Verify(chain);
        return !result.Intact && result.FirstBrokenSequence == index + 1;
    }

    [Fact]
    public void A_removed_entry_is_reported_as_missing()
    {
        var chain = Chain(10);
        chain.RemoveAt(4);
        var result = AuditChain.Verify(chain);
        Assert.False(result.Intact);
        Assert.Equal(5, result.FirstBrokenSequence);
    }

    [Fact]
    public void The_hash_does_not_depend_on_the_offset_used_to_write_the_time()
    {
        var utc = new AuditFacts(1, new DateTimeOffset(2026, 11, 23, 10, 0, 0, TimeSpan.Zero), "u", "n", "r", "a", "t", null, null, null, null);
        var local = utc with { OccurredAt = utc.OccurredAt.ToOffset(TimeSpan.FromHours(-6)) };
        Assert.Equal(AuditChain.ComputeHash(AuditChain.GenesisHash, utc), AuditChain.ComputeHash(AuditChain.GenesisHash, local));
    }
}
