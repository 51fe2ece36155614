using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using KetaClinic.Domain.ControlledSubstances;

namespace KetaClinic.Domain.Tests.ControlledSubstances;

public sealed class LedgerProperties
{
    private static readonly JsonSerializerOptions RowJson = new(JsonSerializerDefaults.Web);

    [Property(MaxTest = 150)]
    public Property The_ledger_equation_holds_and_no_container_goes_below_zero_after_every_entry() =>
        Prop.ForAll(RandomLedger.Arbitrary, script =>
        {
            var problems = new List<string>();
            var h = RandomLedger.Run(script, (run, _, decision) =>
            {
                if (!decision.Accepted)
                {
                    return;
                }
                var state = run.State;
                problems.AddRange(LedgerInvariants.Check(state).Select(v => $"{state.LastSequence}: {v.Message}"));
                problems.AddRange(state.Containers.Where(c => c.Balance.Micrograms < 0).Select(c => $"{state.LastSequence}: {c.Id} negative"));
                problems.AddRange(state.Draws.Where(d => d.Remaining.Micrograms < 0).Select(d => $"{state.LastSequence}: draw {d.Sequence} negative"));
                foreach (var product in run.Reference.Products)
                {
                    if (state.StockOnHand(product.Id) != state.OnHandByFlows(product.Id))
                    {
                        problems.Add($"{state.LastSequence}: clinic-wide on hand of {product.Description} differs");
                    }
                }
            });
            problems.AddRange(LedgerInvariants.CheckEveryPrefix(h.Entries).Select(v => $"prefix {v.Sequence}: {v.Message}"));
            return problems.Count == 0;
        });

    [Property(MaxTest = 150)]
    public Property Taking_more_than_a_container_or_draw_holds_is_always_refused_and_leaves_no_trace() =>
        Prop.ForAll(RandomLedger.Arbitrary, script =>
        {
            var h = new LedgerHarness();
            foreach (var step in script)
            {
                if (RandomLedger.Command(h, step) is not { } command)
                {
                    continue;
                }
                MassMcg? available = null;
                MassMcg? requested = null;
                switch (command)
                {
                    case RecordDraw d when h.State.Container(d.ContainerId) is { } c:
                        available = c.Balance;
                        requested = h.Reference.Product(c.ProductId)!.ToMass(d.Amount).Mass;
                        break;
                    case RecordAdministration a when h.State.Draw(a.DrawSequence) is { } draw:
                        available = draw.Remaining;
                        requested = h.Reference.Product(draw.ProductId)!.ToMass(a.Amount).Mass;
                        break;
                    case RecordWaste { DrawSequence: { } seq } w when h.State.Draw(seq) is { } draw:
                        available = draw.Remaining;
                        requested = h.Reference.Product(draw.ProductId)!.ToMass(w.Amount).Mass;
                        break;
                    default:
                        break;
                }
                var before = h.State.LastSequence;
                var decision = h.Try(command);
                if (requested is { } r && available is { } a2 && r > a2 && (decision.Accepted || h.State.LastSequence != before))
                {
                    return false;
                }
            }
            return true;
        });

    [Property(MaxTest = 60)]
    public Property A_correction_undoes_exactly_what_its_original_did() =>
        Prop.ForAll(RandomLedger.Arbitrary, script =>
        {
            var h = RandomLedger.Run(script);
            var vectors = new List<Dictionary<string, long>> { Vector(new LedgerState()) };
            var replay = new LedgerState();
            foreach (var entry in h.Entries)
            {
                replay.Apply(entry);
                vectors.Add(Vector(replay));
            }
            var final = vectors[^1];
            foreach (var entry in h.Entries)
            {
                var copy = LedgerState.Replay(h.Entries);
                var decision = ControlledSubstanceLedger.Decide(copy, h.Correct(entry.Sequence), h.Context);
                var wasStanding = !h.State.IsReversed(entry.Sequence);
                if (entry.Event is Administration && wasStanding && !decision.Accepted)
                {
                    return false; // an administration can always be reversed
                }
                if (!decision.Accepted)
                {
                    continue;
                }
                copy.Apply(decision.Entry!);
                var original = Delta(vectors[(int)entry.Sequence - 1], vectors[(int)entry.Sequence]);
                var undone = Delta(final, Vector(copy));
                if (!SameAsNegated(undone, original) || LedgerInvariants.Check(copy).Count != 0)
                {
                    return false;
                }
            }
            return true;
        });

    [Property(MaxTest = 100)]
    public Property An_untouched_ledger_verifies_and_changing_any_stored_field_breaks_it_at_that_entry() =>
        Prop.ForAll(RandomLedger.Arbitrary, Gen.Choose(0, int.MaxValue).ToArbitrary(), (script, seed) =>
        {
            var entries = RandomLedger.Run(script).Entries;
            if (entries.Count == 0)
            {
                return true;
            }
            var intact = LedgerChain.Verify(entries);
            var random = new Random(seed);
            var index = random.Next(entries.Count);
            var tampered = entries.ToList();
            var (changed, _) = Tamper.OneField(entries[index], random);
            tampered[index] = changed;
            var broken = LedgerChain.Verify(tampered);
            return intact.Intact && intact.EntriesChecked == entries.Count
                && !broken.Intact && broken.FirstBrokenSequence == index + 1
                && broken.Problem!.Contains("content", StringComparison.Ordinal);
        });

    [Property(MaxTest = 60)]
    public Property Stored_as_JSON_and_read_back_every_entry_still_verifies() =>
        Prop.ForAll(RandomLedger.Arbitrary, script =>
        {
            var entries = RandomLedger.Run(script).Entries;
            var reread = entries.Select(e => e with { Event = LedgerJson.Deserialize(LedgerJson.Serialize(e.Event)) }).ToList();
            return LedgerChain.Verify(reread).Intact
                && LedgerInvariants.CheckEveryPrefix(reread).Count == 0;
        });

    [Property(MaxTest = 60)]
    public Property Reports_do_not_depend_on_the_order_the_entries_are_read_in() =>
        Prop.ForAll(RandomLedger.Arbitrary, Gen.Choose(0, int.MaxValue).ToArbitrary(), (script, seed) =>
        {
            var h = RandomLedger.Run(script);
            var shuffled = h.Entries.ToList();
            new Random(seed).Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(shuffled));
            var all = new AdministrationLogFilter(DateTimeOffset.MinValue, DateTimeOffset.MaxValue, IncludeReversed: true);
            string Reports(IReadOnlyList<LedgerEntry> entries) => JsonSerializer.Serialize(new object[]
            {
                LedgerReports.AdministrationLog(entries, all),
                LedgerReports.PatientHistory(entries, Clinic.Id(2_000_000)),
                LedgerReports.ProductRunningBalance(entries, Clinic.Ketamine50.Id),
                LedgerReports.ProductRunningBalance(entries, Clinic.Esketamine56.Id, Clinic.SafeA),
                LedgerReports.ContainerRunningBalance(entries),
                LedgerReports.WasteAndDestructionLog(entries, DateTimeOffset.MinValue, DateTimeOffset.MaxValue, includeReversed: true),
                LedgerReports.LossRecords(entries, h.Today, new HashSet<DateOnly>(), h.Settings),
                LedgerInvariants.OpenDrawsAt(entries, h.Now),
            }, RowJson);
            return Reports(h.Entries) == Reports(shuffled);
        });

    [Property(MaxTest = 200)]
    public Property Any_number_of_draws_of_any_size_add_up_to_exactly_what_left_the_vial() =>
        Prop.ForAll(Gen.Choose(1, 3000).ArrayOf().ToArbitrary(), Gen.Elements(Clinic.Ketamine50, Clinic.Ketamine10).ToArbitrary(), (microlitres, product) =>
        {
            var h = new LedgerHarness();
            var vial = h.ReceiveOne(product);
            var drawn = MassMcg.Zero;
            var drawnMl = 0m;
            foreach (var ul in microlitres)
            {
                var decision = h.Try(new RecordDraw(vial, MeasuredAmount.Of(new VolumeUl(ul)), LedgerHarness.Session, "nurse.a", h.Now));
                if (decision.Accepted)
                {
                    var draw = (Draw)decision.Entry!.Event;
                    drawn += draw.Mass;
                    drawnMl += ul / 1000m;
                    // Each draw is exactly volume × concentration, cross-checked in decimal arithmetic.
                    if (draw.Mass.Milligrams != ul / 1000m * product.Concentration!.Value.MilligramsPerMillilitre)
                    {
                        return false;
                    }
                }
            }
            var balance = h.Container(vial).Balance;
            var balanceMl = product.Concentration!.Value.VolumeOf(balance);
            return drawn + balance == product.MassPerContainer
                && balanceMl is { } v && v.Millilitres + drawnMl == product.VolumePerContainer!.Value.Millilitres
                && LedgerInvariants.Check(h.State).Count == 0;
        });

    [Fact]
    public void A_hundred_draws_of_a_tenth_of_a_millilitre_empty_a_ten_millilitre_vial_exactly()
    {
        var h = new LedgerHarness();
        var vial = h.ReceiveOne(Clinic.Ketamine50);
        for (var i = 0; i < 100; i++)
        {
            h.Draw(vial, MeasuredAmount.Millilitres(0.1m));
        }
        Assert.Equal(MassMcg.Zero, h.Container(vial).Balance);
        Assert.Equal(ContainerState.Empty, h.Container(vial).State);
        h.Refuse(new RecordDraw(vial, MeasuredAmount.Millilitres(0.001m), LedgerHarness.Session, "nurse.a", h.Now));
    }

    /// <summary>Every additive quantity of the state, keyed so that a move shows as a change of key.</summary>
    private static Dictionary<string, long> Vector(LedgerState s)
    {
        var v = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var c in s.Containers)
        {
            v[$"c:{c.Id}:{c.StorageLocationId}"] = c.Balance.Micrograms;
        }
        foreach (var f in s.Flows)
        {
            var k = $"f:{f.ProductId}:{f.StorageLocationId}:";
            v[k + "in"] = f.Received.Micrograms;
            v[k + "adm"] = f.Administered.Micrograms;
            v[k + "waste"] = f.Wasted.Micrograms;
            v[k + "ret"] = f.Returned.Micrograms;
            v[k + "des"] = f.Destroyed.Micrograms;
            v[k + "lost"] = f.Lost.Micrograms;
            v[k + "tin"] = f.TransferredIn.Micrograms;
            v[k + "tout"] = f.TransferredOut.Micrograms;
        }
        foreach (var d in s.Draws)
        {
            v[$"d:{d.Sequence}"] = d.Remaining.Micrograms;
        }
        foreach (var d in s.Discrepancies.Where(d => !d.IsOpen))
        {
            v[$"r:{d.Ref}"] = 1;
        }
        foreach (var l in s.Losses)
        {
            v[$"n:{l.Sequence}"] = l.WrittenNoticeFiledOn is null ? 0 : 1;
            v[$"106:{l.Sequence}"] = l.Form106FiledOn is null ? 0 : 1;
        }
        return v;
    }

    private static Dictionary<string, long> Delta(Dictionary<string, long> from, Dictionary<string, long> to) =>
        from.Keys.Union(to.Keys)
            .Select(k => (k, d: to.GetValueOrDefault(k) - from.GetValueOrDefault(k)))
            .Where(x => x.d != 0)
            .ToDictionary(x => x.k, x => x.d, StringComparer.Ordinal);

    private static bool SameAsNegated(Dictionary<string, long> a, Dictionary<string, long> b) =>
        a.Count == b.Count && a.All(x => b.TryGetValue(x.Key, out var y) && y == -x.Value);
}
