using KetaClinic.Domain.ControlledSubstances;

namespace KetaClinic.Domain.Tests.ControlledSubstances;

public sealed class LedgerChainTests
{
    /// <summary>A ledger with at least one entry of every kind.</summary>
    internal static LedgerHarness EveryKind()
    {
        var h = new LedgerHarness();
        var vials = h.Receive(Clinic.Ketamine50, 3);
        var kit = h.ReceiveOne(Clinic.Esketamine56, Clinic.SafeA);
        h.Accept(new RecordTransfer(vials[2], Clinic.CabinetA, Clinic.SafeA, "nurse.a", "overnight"));
        var draw = h.Draw(vials[0], MeasuredAmount.Millilitres(1.2m));
        h.Administer(draw, MeasuredAmount.Millilitres(1.1m));
        h.Accept(h.WasteFromDraw(draw, MeasuredAmount.Millilitres(0.1m)));
        var kitDraw = h.Draw(kit, MeasuredAmount.Devices(2), session: new Guid("5e550000-0000-0000-0000-000000000002"));
        h.Administer(kitDraw, MeasuredAmount.Devices(2), patient: new Guid("9a000000-0000-0000-0000-000000000002"), session: new Guid("5e550000-0000-0000-0000-000000000002"));
        h.Accept(h.WasteFromContainer(vials[0], MeasuredAmount.Millilitres(0.3m)));
        h.Accept(new RecordReturnToSupplier([vials[1]], Clinic.Supplier, h.Today, "RA-77", "pharmacist.b", "short-dated"));
        var extra = h.Receive(Clinic.Ketamine10, 2);
        h.Accept(new RecordDestruction([extra[0]], h.Today, "reverse distributor", "F41-2026-01", "pharmacist.b", [h.Witness("nurse.w"), h.Witness("dr.c")]));
        var loss = h.Accept(new RecordLossOrTheft(LossKind.Theft, h.Today, "Vial missing at close.", [new LossLine(extra[1], null)], "dr.c")).Sequence;
        h.Accept(new RecordLossReportFiled(loss, LossReportKind.WrittenNotice, h.Today, "letter", "dr.c"));
        var count = h.Accept(new RecordCount(CountKind.Daily, Clinic.LocationA, Clinic.CabinetA, h.Today, InventoryTiming.CloseOfBusiness,
            [new CountEntry(vials[0], MeasuredAmount.Millilitres(8.4m), false)], ["nurse.a", "nurse.b"], null)).Sequence;
        h.Accept(new RecordDiscrepancyResolution(new DiscrepancyRef(count, 0), "counted as estimate", "dr.c"));
        var late = h.Draw(vials[2], MeasuredAmount.Millilitres(0.5m));
        h.Accept(h.Correct(late, "drawn for the wrong session"));
        h.Accept(new RecordCount(CountKind.Initial, Clinic.LocationA, null, h.Today, InventoryTiming.CloseOfBusiness,
            [new CountEntry(vials[0], MeasuredAmount.Millilitres(8.5m), true), new CountEntry(vials[2], MeasuredAmount.Millilitres(10), false)], ["pharmacist.b"], "B. Pharmacist"));
        return h;
    }

    [Fact]
    public void The_scenario_has_every_kind_of_entry_and_keeps_every_rule()
    {
        var h = EveryKind();
        Assert.Equal(12, h.Entries.Select(e => e.Kind).Distinct().Count());
        Assert.Empty(LedgerInvariants.CheckEveryPrefix(h.Entries));
        Assert.True(LedgerChain.Verify(h.Entries).Intact);
    }

    [Fact]
    public void Every_stored_field_of_every_kind_of_entry_is_covered_by_the_hash()
    {
        var entries = EveryKind().Entries;
        var random = new Random(20260302);
        var paths = new HashSet<string>();
        for (var round = 0; round < 400; round++)
        {
            for (var i = 0; i < entries.Count; i++)
            {
                var tampered = entries.ToList();
                var (changed, path) = Tamper.OneField(entries[i], random);
                tampered[i] = changed;
                var result = LedgerChain.Verify(tampered);
                Assert.False(result.Intact, $"changing {path} of entry {i + 1} went unnoticed");
                Assert.Equal(i + 1, result.FirstBrokenSequence);
                paths.Add(path);
            }
        }
        // The random walk reached the nested fields, not only the top-level ones.
        Assert.Contains("receipt.Supplier.DeaNumber", paths);
        Assert.Contains("destruction.Witnesses[1].AuthenticatedAt", paths);
        Assert.Contains("stock-count.Discrepancies[0].Expected", paths);
    }

    [Fact]
    public void A_removed_or_reordered_entry_is_found()
    {
        var entries = EveryKind().Entries;
        var removed = entries.Where(e => e.Sequence != 7).ToList();
        var result = LedgerChain.Verify(removed);
        Assert.Equal(7, result.FirstBrokenSequence);
        Assert.Contains("missing", result.Problem, StringComparison.Ordinal);

        var swapped = entries.ToList();
        (swapped[3], swapped[4]) = (swapped[4] with { Sequence = 4 }, swapped[3] with { Sequence = 5 });
        Assert.Equal(4, LedgerChain.Verify(swapped).FirstBrokenSequence);
    }

    [Fact]
    public void A_rehashed_edit_still_breaks_the_link_of_the_next_entry()
    {
        var entries = EveryKind().Entries;
        var edited = entries.ToList();
        var target = edited[4];
        var forged = target with { Event = ((Administration)target.Event) with { Mass = MassMcg.FromMilligrams(1) } };
        forged = forged with { Hash = LedgerChain.ComputeHash(forged.PreviousHash, forged.Sequence, forged.RecordedAt, forged.RecordedBy, forged.Event) };
        edited[4] = forged;
        var result = LedgerChain.Verify(edited);
        Assert.Equal(6, result.FirstBrokenSequence);
        Assert.Contains("previous-hash", result.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void The_hash_does_not_depend_on_the_offset_an_instant_is_written_in()
    {
        var draw = new Draw(Clinic.Id(1), MeasuredAmount.Millilitres(1), MassMcg.FromMilligrams(50), Clinic.Id(9), "nurse.a", Clinic.Start);
        var shifted = draw with { DrawnAt = Clinic.Start.ToOffset(TimeSpan.FromHours(-6)) };
        Assert.Equal(
            LedgerChain.ComputeHash(LedgerChain.GenesisHash, 1, Clinic.Start, "nurse.a", draw),
            LedgerChain.ComputeHash(LedgerChain.GenesisHash, 1, Clinic.Start.ToOffset(TimeSpan.FromHours(2)), "nurse.a", shifted));
    }

    [Fact]
    public void Entries_are_stamped_in_UTC_at_whole_microseconds_so_a_database_round_trip_keeps_the_hash()
    {
        var h = new LedgerHarness { Now = new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.FromHours(-6)).AddTicks(1234567) };
        var entry = h.Accept(h.ReceiptOf(Clinic.Ketamine50));
        Assert.Equal(TimeSpan.Zero, entry.RecordedAt.Offset);
        Assert.Equal(0, entry.RecordedAt.UtcTicks % 10);
    }

    [Fact]
    public void A_separator_inside_a_text_cannot_make_two_different_entries_hash_alike()
    {
        var a = new Correction(1, "reason\u001fcorrectedBy=3:bob", "ann");
        var b = new Correction(1, "reason", "bob\u001fann");
        Assert.NotEqual(
            LedgerChain.ComputeHash(LedgerChain.GenesisHash, 1, Clinic.Start, "x", a),
            LedgerChain.ComputeHash(LedgerChain.GenesisHash, 1, Clinic.Start, "x", b));
        Assert.NotEqual(
            LedgerChain.ComputeHash(LedgerChain.GenesisHash, 1, Clinic.Start, "x", new Transfer(Clinic.Id(1), Clinic.CabinetA, Clinic.SafeA, default, "a", null)),
            LedgerChain.ComputeHash(LedgerChain.GenesisHash, 1, Clinic.Start, "x", new Transfer(Clinic.Id(1), Clinic.CabinetA, Clinic.SafeA, default, "a", "")));
    }

    [Fact]
    public void The_canonical_text_is_fixed_so_stored_ledgers_keep_verifying()
    {
        var draw = new Draw(Clinic.Id(1), MeasuredAmount.Millilitres(1.2m), MassMcg.FromMilligrams(60), Clinic.Id(9), "nurse.a", Clinic.Start);
        var text = LedgerChain.Canonical(LedgerChain.GenesisHash, 1, Clinic.Start, "nurse.a", draw);
        Assert.Equal(
            "version=20:ketaclinic-ledger-v1\u001fpreviousHash=64:" + LedgerChain.GenesisHash + "\u001fsequence=1:1\u001frecordedAt=18:639080604000000000\u001f"
            + "recordedBy=7:nurse.a\u001fkind=4:draw\u001fcontainerId=36:c0000000-0000-0000-0000-000000000001\u001fmeasured.value=4:1200\u001f"
            + "measured.unit=10:Microlitre\u001fmass.mcg=5:60000\u001fsessionId=36:c0000000-0000-0000-0000-000000000009\u001fdrawnBy=7:nurse.a\u001f"
            + "drawnAt=18:639080604000000000\u001f",
            text);
    }

    [Fact]
    public void The_JSON_payload_names_its_kind_and_reads_back_to_the_same_hash()
    {
        foreach (var entry in EveryKind().Entries)
        {
            var json = LedgerJson.Serialize(entry.Event);
            Assert.StartsWith($"{{\"kind\":\"{entry.Kind}\"", json, StringComparison.Ordinal);
            var back = LedgerJson.Deserialize(json);
            Assert.Equal(entry.Hash, LedgerChain.ComputeHash(entry.PreviousHash, entry.Sequence, entry.RecordedAt, entry.RecordedBy, back));
        }
    }

    [Fact]
    public void The_state_refuses_an_entry_that_does_not_follow_the_last_one()
    {
        var entries = EveryKind().Entries;
        var state = new LedgerState();
        state.Apply(entries[0]);
        Assert.Throws<InvalidOperationException>(() => state.Apply(entries[2]));
        Assert.Throws<InvalidOperationException>(() => state.Apply(entries[1] with { PreviousHash = LedgerChain.GenesisHash }));
        state.Apply(entries[1]);
        Assert.Equal(2, state.LastSequence);
    }
}
