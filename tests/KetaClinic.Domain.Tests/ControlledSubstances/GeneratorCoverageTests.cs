using FsCheck;
using FsCheck.Fluent;
using KetaClinic.Domain.ControlledSubstances;

namespace KetaClinic.Domain.Tests.ControlledSubstances;

/// <summary>The generated ledgers the properties run on reach every kind of entry, corrections of each, and refusals.</summary>
public sealed class GeneratorCoverageTests
{
    [Fact]
    public void Generated_ledgers_reach_every_kind_of_entry_corrections_and_refusals()
    {
        var scripts = Gen.Sample(RandomLedger.Scripts, 200, new Rnd(20260302UL), 50);
        Assert.Equal(200, scripts.Length);
        var accepted = new Dictionary<string, int>();
        var corrected = new Dictionary<string, int>();
        var refused = new Dictionary<string, int>();
        foreach (var script in scripts)
        {
            RandomLedger.Run(script, (h, command, decision) =>
            {
                if (decision.Entry is { } entry)
                {
                    accepted[entry.Kind] = accepted.GetValueOrDefault(entry.Kind) + 1;
                    if (entry.Event is Correction c)
                    {
                        var kind = h.State.Entry(c.OriginalSequence)!.Kind;
                        corrected[kind] = corrected.GetValueOrDefault(kind) + 1;
                    }
                }
                else
                {
                    var key = command.GetType().Name + ":" + decision.Errors[0].Field;
                    refused[key] = refused.GetValueOrDefault(key) + 1;
                }
            });
        }
        Assert.Equal(12, accepted.Count);
        Assert.True(corrected.Count >= 9, string.Join(", ", corrected.Keys));
        Assert.Contains("RecordDraw:amount", refused.Keys);
        Assert.Contains("RecordAdministration:amount", refused.Keys);
        Assert.Contains("RecordCorrection:originalSequence", refused.Keys);
    }
}
