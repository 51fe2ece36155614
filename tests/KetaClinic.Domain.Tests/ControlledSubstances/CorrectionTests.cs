using KetaClinic.Domain.ControlledSubstances;

namespace KetaClinic.Domain.Tests.ControlledSubstances;

public sealed class CorrectionTests
{
    private static MassMcg Mg(decimal mg) => MassMcg.FromMilligrams(mg);

    [Fact]
    public void Reversing_the_only_draw_restores_the_balance_and_reseals_the_vial()
    {
        var h = new LedgerHarness();
        var vial = h.ReceiveOne(Clinic.Ketamine50);
        var draw = h.Draw(vial, MeasuredAmount.Millilitres(1.2m));
        var correction = h.Accept(h.Correct(draw, "drawn from the wrong vial"));
        Assert.Equal(Mg(500), h.Container(vial).Balance);
        Assert.Equal(ContainerState.Sealed, h.Container(vial).State);
        Assert.Null(h.State.Draw(draw));
        Assert.Equal(correction.Sequence, h.State.ReversedBy(draw));
        // The original stays in the ledger: nothing is edited.
        Assert.IsType<Draw>(h.State.Entry(draw)!.Event);
        Assert.Equal(3, h.Entries.Count);
    }

    [Fact]
    public void An_entry_is_reversed_only_once()
    {
        var h = new LedgerHarness();
        var vial = h.ReceiveOne(Clinic.Ketamine50);
        var draw = h.Draw(vial, MeasuredAmount.Millilitres(1));
        h.Accept(h.Correct(draw));
        var errors = h.Refuse(h.Correct(draw));
        Assert.Contains("already reversed", LedgerHarness.Single(errors, "originalSequence").Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_correction_is_not_itself_corrected_the_original_is_recorded_again()
    {
        var h = new LedgerHarness();
        var vial = h.ReceiveOne(Clinic.Ketamine50);
        var draw = h.Draw(vial, MeasuredAmount.Millilitres(1));
        var correction = h.Accept(h.Correct(draw));
        var errors = h.Refuse(h.Correct(correction.Sequence));
        Assert.Contains("record the original entry again", LedgerHarness.Single(errors, "originalSequence").Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_correction_needs_a_reason_and_an_existing_entry()
    {
        var h = new LedgerHarness();
        h.ReceiveOne(Clinic.Ketamine50);
        Assert.Equal(["reason"], h.Refuse(h.Correct(1, " ")).Select(e => e.Field));
        LedgerHarness.Single(h.Refuse(h.Correct(99)), "originalSequence");
    }

    [Fact]
    public void A_draw_with_an_administration_is_reversed_only_after_the_administration()
    {
        var h = new LedgerHarness();
        var vial = h.ReceiveOne(Clinic.Ketamine50);
        var draw = h.Draw(vial, MeasuredAmount.Millilitres(1));
        var given = h.Administer(draw, MeasuredAmount.Millilitres(1));
        var errors = h.Refuse(h.Correct(draw));
        Assert.Contains("correct those first", LedgerHarness.Single(errors, "originalSequence").Message, StringComparison.Ordinal);
        h.Accept(h.Correct(given, "given to another patient"));
        Assert.Equal(Mg(50), h.State.Draw(draw)!.Remaining);
        h.Accept(h.Correct(draw));
        Assert.Equal(Mg(500), h.Container(vial).Balance);
        Assert.Equal(Mg(0), Assert.Single(h.State.Flows).Administered);
        Assert.Empty(LedgerInvariants.CheckEveryPrefix(h.Entries));
    }

    [Fact]
    public void A_receipt_is_reversed_only_while_its_containers_are_untouched()
    {
        var h = new LedgerHarness();
        var receipt = h.Accept(h.ReceiptOf(Clinic.Ketamine50, 2));
        var ids = ((Receipt)receipt.Event).Containers.Select(c => c.ContainerId).ToArray();
        var draw = h.Draw(ids[1], MeasuredAmount.Millilitres(0.5m));
        var errors = h.Refuse(h.Correct(receipt.Sequence));
        Assert.Contains("has entries after this receipt", LedgerHarness.Single(errors, "originalSequence").Message, StringComparison.Ordinal);
        h.Accept(h.Correct(draw));
        h.Accept(h.Correct(receipt.Sequence, "delivery belonged to another clinic"));
        Assert.Empty(h.State.Containers);
        Assert.Equal(MassMcg.Zero, h.State.StockOnHand(Clinic.Ketamine50.Id));
        Assert.Equal(MassMcg.Zero, Assert.Single(h.State.Flows).Received);
        Assert.Empty(LedgerInvariants.Check(h.State));
    }

    [Fact]
    public void A_transfer_is_reversed_only_while_nothing_was_taken_at_the_destination()
    {
        var h = new LedgerHarness();
        var vial = h.ReceiveOne(Clinic.Ketamine50);
        var move = h.Accept(new RecordTransfer(vial, Clinic.CabinetA, Clinic.SafeA, "nurse.a", null)).Sequence;
        var draw = h.Draw(vial, MeasuredAmount.Millilitres(1));
        LedgerHarness.Single(h.Refuse(h.Correct(move)), "originalSequence");
        h.Accept(h.Correct(draw));
        h.Accept(h.Correct(move));
        Assert.Equal(Clinic.CabinetA, h.Container(vial).StorageLocationId);
        Assert.All(h.State.Flows, f => Assert.Equal(MassMcg.Zero, f.TransferredIn));
        Assert.Empty(LedgerInvariants.Check(h.State));
    }

    [Fact]
    public void A_draw_is_not_reversed_into_a_container_that_has_moved_since()
    {
        var h = new LedgerHarness();
        var vial = h.ReceiveOne(Clinic.Ketamine50);
        var draw = h.Draw(vial, MeasuredAmount.Millilitres(1));
        h.Accept(new RecordTransfer(vial, Clinic.CabinetA, Clinic.SafeA, "nurse.a", null));
        var errors = h.Refuse(h.Correct(draw));
        Assert.Contains("moved to Safe A", LedgerHarness.Single(errors, "originalSequence").Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Reversing_a_return_or_a_destruction_puts_the_container_back_in_stock()
    {
        var h = new LedgerHarness();
        var ids = h.Receive(Clinic.Ketamine50, 2);
        h.Draw(ids[0], MeasuredAmount.Millilitres(1));
        var ret = h.Accept(new RecordReturnToSupplier([ids[0]], Clinic.Supplier, h.Today, "RA-1", "pharmacist.b", null)).Sequence;
        var des = h.Accept(new RecordDestruction([ids[1]], h.Today, "reverse distributor", "F41-1", "pharmacist.b", [h.Witness("nurse.w"), h.Witness("dr.c")])).Sequence;
        h.Accept(h.Correct(ret));
        h.Accept(h.Correct(des));
        Assert.Equal(ContainerState.Open, h.Container(ids[0]).State);
        Assert.Equal(Mg(450), h.Container(ids[0]).Balance);
        Assert.Equal(ContainerState.Sealed, h.Container(ids[1]).State);
        Assert.Equal(Mg(1000), h.State.OnHandByFlows(Clinic.Ketamine50.Id));
        Assert.Empty(LedgerInvariants.CheckEveryPrefix(h.Entries));
    }

    [Fact]
    public void Reversing_a_loss_restores_whole_and_partial_lines()
    {
        var h = new LedgerHarness();
        var ids = h.Receive(Clinic.Ketamine50, 2);
        var loss = h.Accept(new RecordLossOrTheft(LossKind.SignificantLoss, h.Today, "Vial dropped.",
            [new LossLine(ids[0], null), new LossLine(ids[1], MeasuredAmount.Millilitres(2))], "dr.c")).Sequence;
        h.Accept(h.Correct(loss, "vial found intact in the safe"));
        Assert.All(ids, id => Assert.Equal(ContainerState.Sealed, h.Container(id).State));
        Assert.All(ids, id => Assert.Equal(Mg(500), h.Container(id).Balance));
        Assert.True(Assert.Single(h.State.Losses).Reversed);
    }

    [Fact]
    public void Container_waste_is_reversed_back_into_the_container()
    {
        var h = new LedgerHarness();
        var vial = h.ReceiveOne(Clinic.Ketamine50);
        var waste = h.Accept(h.WasteFromContainer(vial, MeasuredAmount.Millilitres(10))).Sequence;
        Assert.Equal(ContainerState.Empty, h.Container(vial).State);
        h.Accept(h.Correct(waste));
        Assert.Equal(ContainerState.Sealed, h.Container(vial).State);
    }

    [Fact]
    public void A_count_is_not_reversed()
    {
        var h = new LedgerHarness();
        h.ReceiveOne(Clinic.Ketamine50);
        var count = h.Accept(new RecordCount(CountKind.Shift, Clinic.LocationA, Clinic.CabinetA, h.Today, null, [], ["nurse.a"], null)).Sequence;
        var errors = h.Refuse(h.Correct(count));
        Assert.Contains("resolve its discrepancies", LedgerHarness.Single(errors, "originalSequence").Message, StringComparison.Ordinal);
    }
}
