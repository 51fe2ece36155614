using KetaClinic.Domain.ControlledSubstances;

namespace KetaClinic.Domain.Tests.ControlledSubstances;

public sealed class StockMovementTests
{
    private static MassMcg Mg(decimal mg) => MassMcg.FromMilligrams(mg);

    [Fact]
    public void A_receipt_brings_sealed_full_containers_into_the_storage_place()
    {
        var h = new LedgerHarness();
        var ids = h.Receive(Clinic.Ketamine50, 3);
        Assert.All(ids, id =>
        {
            var c = h.Container(id);
            Assert.Equal(ContainerState.Sealed, c.State);
            Assert.Equal(Mg(500), c.Balance);
            Assert.Equal(Clinic.CabinetA, c.StorageLocationId);
        });
        Assert.Equal(Mg(1500), h.State.StockOnHand(Clinic.Ketamine50.Id));
        Assert.Equal(Mg(1500), Assert.Single(h.State.Flows).Received);
        Assert.Equal(1, h.Entries[0].Sequence);
        Assert.Equal("pharmacist.b", ((Receipt)h.Entries[0].Event).VerifiedBy);
    }

    [Fact]
    public void A_receipt_is_received_and_verified_by_two_different_people()
    {
        var h = new LedgerHarness();
        var errors = h.Refuse(h.ReceiptOf(Clinic.Ketamine50) with { VerifiedBy = "nurse.a" });
        Assert.Contains("someone other", LedgerHarness.Single(errors, "verifiedBy").Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_supplier_DEA_number_with_a_wrong_check_digit_is_refused_at_receipt()
    {
        var h = new LedgerHarness();
        var errors = h.Refuse(h.ReceiptOf(Clinic.Ketamine50) with { Supplier = Clinic.Supplier with { DeaNumber = "PM3141595" } });
        LedgerHarness.Single(errors, "supplier.deaNumber");
    }

    [Fact]
    public void A_receipt_needs_supplier_name_address_and_invoice()
    {
        var h = new LedgerHarness();
        var errors = h.Refuse(h.ReceiptOf(Clinic.Ketamine50) with { Supplier = new Supplier(" ", "", "PM3141594"), InvoiceNumber = "" });
        Assert.Equal(["supplier.name", "supplier.address", "invoiceNumber"], errors.Select(e => e.Field));
    }

    [Fact]
    public void A_container_id_is_never_used_twice_even_after_its_receipt_is_reversed()
    {
        var h = new LedgerHarness();
        var receipt = h.Accept(h.ReceiptOf(Clinic.Ketamine50));
        var id = ((Receipt)receipt.Event).Containers[0].ContainerId;
        h.Accept(h.Correct(receipt.Sequence, "wrong delivery"));
        Assert.Null(h.State.Container(id));
        var again = h.ReceiptOf(Clinic.Ketamine50);
        var errors = h.Refuse(again with { Containers = [again.Containers[0] with { ContainerId = id }] });
        Assert.Contains("already on the ledger", LedgerHarness.Single(errors, "containers[0].containerId").Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_expired_container_is_not_received()
    {
        var h = new LedgerHarness();
        var errors = h.Refuse(h.ReceiptOf(Clinic.Ketamine50, expires: h.Today));
        LedgerHarness.Single(errors, "containers[0].expiresOn");
    }

    [Fact]
    public void No_stock_is_received_where_the_DEA_registration_has_lapsed()
    {
        var h = new LedgerHarness();
        var errors = h.Refuse(h.ReceiptOf(Clinic.Ketamine50, 2, Clinic.CabinetB));
        Assert.Contains("no DEA registration for Schedule III", LedgerHarness.Single(errors, "storageLocationId").Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_receipt_dated_after_today_or_for_an_unknown_product_is_refused()
    {
        var h = new LedgerHarness();
        var receipt = h.ReceiptOf(Clinic.Ketamine50);
        var errors = h.Refuse(receipt with
        {
            ReceivedOn = h.Today.AddDays(1),
            Containers = [receipt.Containers[0] with { ProductId = Guid.NewGuid() }],
        });
        Assert.Equal(["receivedOn", "containers[0].productId"], errors.Select(e => e.Field));
    }

    [Fact]
    public void A_transfer_moves_the_whole_container_and_shows_in_the_flows_of_both_places()
    {
        var h = new LedgerHarness();
        var id = h.ReceiveOne(Clinic.Ketamine50);
        h.Draw(id, MeasuredAmount.Millilitres(1));
        h.Accept(new RecordTransfer(id, Clinic.CabinetA, Clinic.SafeA, "nurse.a", "night storage"));
        Assert.Equal(Clinic.SafeA, h.Container(id).StorageLocationId);
        Assert.Equal(Mg(450), h.State.StockOnHand(Clinic.Ketamine50.Id, Clinic.SafeA));
        Assert.Equal(Mg(50), h.State.StockOnHand(Clinic.Ketamine50.Id, Clinic.CabinetA)); // the open draw stays where it was drawn
        var safe = h.State.Flows.Single(f => f.StorageLocationId == Clinic.SafeA);
        Assert.Equal(Mg(450), safe.TransferredIn);
        Assert.Equal(Mg(450), safe.OnHand);
        Assert.Equal(Mg(500), h.State.OnHandByFlows(Clinic.Ketamine50.Id));
        Assert.Empty(LedgerInvariants.Check(h.State));
    }

    [Fact]
    public void A_transfer_to_another_registered_location_is_a_distribution_and_refused()
    {
        var h = new LedgerHarness();
        var id = h.ReceiveOne(Clinic.Ketamine50);
        var errors = h.Refuse(new RecordTransfer(id, Clinic.CabinetA, Clinic.CabinetB, "nurse.a", null));
        Assert.Contains("distribution", LedgerHarness.Single(errors, "toStorageLocationId").Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_transfer_must_start_where_the_container_is()
    {
        var h = new LedgerHarness();
        var id = h.ReceiveOne(Clinic.Ketamine50);
        var errors = h.Refuse(new RecordTransfer(id, Clinic.SafeA, Clinic.CabinetA, "nurse.a", null));
        Assert.Contains("is in Cabinet A", LedgerHarness.Single(errors, "fromStorageLocationId").Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_draw_takes_an_exact_volume_and_opens_the_vial()
    {
        var h = new LedgerHarness();
        var id = h.ReceiveOne(Clinic.Ketamine50);
        var seq = h.Draw(id, MeasuredAmount.Millilitres(1.2m));
        var c = h.Container(id);
        Assert.Equal(Mg(440), c.Balance);
        Assert.Equal(ContainerState.Open, c.State);
        var draw = h.State.Draw(seq)!;
        Assert.Equal(Mg(60), draw.Drawn);
        Assert.Equal(Mg(60), draw.Remaining);
        Assert.Equal(Mg(500), h.State.StockOnHand(Clinic.Ketamine50.Id));
    }

    [Fact]
    public void A_draw_that_would_take_a_container_below_zero_is_refused_naming_the_container_and_amounts()
    {
        var h = new LedgerHarness();
        var id = h.ReceiveOne(Clinic.Ketamine50);
        h.Draw(id, MeasuredAmount.Millilitres(9.95m));
        var errors = h.Refuse(new RecordDraw(id, MeasuredAmount.Millilitres(0.5m), LedgerHarness.Session, "nurse.a", h.Now));
        var message = LedgerHarness.Single(errors, "amount").Message;
        Assert.Contains($"container {id:N}"[..18], message, StringComparison.Ordinal);
        Assert.Contains("lot LOT", message, StringComparison.Ordinal);
        Assert.Contains("holds 0.05 mL (2.5 mg)", message, StringComparison.Ordinal);
        Assert.Contains("drawing 0.5 mL (25 mg)", message, StringComparison.Ordinal);
        Assert.Contains("0.45 mL (22.5 mg) below zero", message, StringComparison.Ordinal);
        Assert.Equal(Mg(2.5m), h.Container(id).Balance);
    }

    [Fact]
    public void One_microlitre_more_than_the_vial_holds_is_refused()
    {
        var h = new LedgerHarness();
        var id = h.ReceiveOne(Clinic.Ketamine10);
        var errors = h.Refuse(new RecordDraw(id, MeasuredAmount.Of(new VolumeUl(20_001)), LedgerHarness.Session, "nurse.a", h.Now));
        Assert.Contains("0.001 mL (0.01 mg) below zero", LedgerHarness.Single(errors, "amount").Message, StringComparison.Ordinal);
        var draw = h.Draw(id, MeasuredAmount.Of(new VolumeUl(20_000)));
        LedgerHarness.Single(h.Refuse(new RecordAdministration(draw, LedgerHarness.Session, Guid.NewGuid(), LedgerHarness.Patient, MeasuredAmount.Of(new VolumeUl(20_001)), "dr.c", h.Now)), "amount");
    }

    [Fact]
    public void The_last_drop_can_be_drawn_and_leaves_the_vial_empty()
    {
        var h = new LedgerHarness();
        var id = h.ReceiveOne(Clinic.Ketamine50);
        h.Draw(id, MeasuredAmount.Millilitres(10));
        Assert.Equal(ContainerState.Empty, h.Container(id).State);
        Assert.Equal(MassMcg.Zero, h.Container(id).Balance);
    }

    [Fact]
    public void Expired_stock_is_not_drawn()
    {
        var h = new LedgerHarness();
        var id = ((Receipt)h.Accept(h.ReceiptOf(Clinic.Ketamine50, expires: new DateOnly(2026, 3, 31))).Event).Containers[0].ContainerId;
        h.Now = new DateTimeOffset(2026, 4, 1, 9, 0, 0, TimeSpan.Zero);
        var errors = h.Refuse(new RecordDraw(id, MeasuredAmount.Millilitres(1), LedgerHarness.Session, "nurse.a", h.Now));
        Assert.Contains("expired on 2026-03-31", LedgerHarness.Single(errors, "containerId").Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_draw_needs_a_session_and_cannot_be_dated_after_the_moment_of_recording()
    {
        var h = new LedgerHarness();
        var id = h.ReceiveOne(Clinic.Ketamine50);
        var errors = h.Refuse(new RecordDraw(id, MeasuredAmount.Millilitres(1), Guid.Empty, "nurse.a", h.Now.AddMinutes(5)));
        Assert.Equal(["drawnAt", "sessionId"], errors.Select(e => e.Field));
    }

    [Fact]
    public void An_amount_that_is_not_a_whole_microlitre_is_refused_rather_than_rounded()
    {
        var h = new LedgerHarness();
        var id = h.ReceiveOne(Clinic.Ketamine50);
        var errors = h.Refuse(new RecordDraw(id, MeasuredAmount.Milligrams(25.001m), LedgerHarness.Session, "nurse.a", h.Now));
        Assert.Contains("not a whole number of microlitres", LedgerHarness.Single(errors, "amount").Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Nasal_devices_leave_the_kit_whole()
    {
        var h = new LedgerHarness();
        var kit = h.ReceiveOne(Clinic.Esketamine56);
        var errors = h.Refuse(new RecordDraw(kit, MeasuredAmount.Milligrams(14), LedgerHarness.Session, "nurse.a", h.Now));
        Assert.Contains("whole number of devices", LedgerHarness.Single(errors, "amount").Message, StringComparison.Ordinal);
        h.Refuse(new RecordDraw(kit, MeasuredAmount.Millilitres(0.2m), LedgerHarness.Session, "nurse.a", h.Now));
        var draw = h.Draw(kit, MeasuredAmount.Devices(2));
        Assert.Equal(Mg(56), h.State.Draw(draw)!.Drawn);
        Assert.Equal(ContainerState.Empty, h.Container(kit).State);
        // A patient who uses one spray of the last device: 14 mg given, 14 mg wasted.
        h.Administer(draw, MeasuredAmount.Milligrams(42));
        h.Accept(h.WasteFromDraw(draw, MeasuredAmount.Milligrams(14)));
        Assert.Empty(LedgerInvariants.UnbalancedDraws(h.State, LedgerHarness.Session));
    }

    [Fact]
    public void An_administration_is_limited_to_what_is_left_in_its_draw()
    {
        var h = new LedgerHarness();
        var id = h.ReceiveOne(Clinic.Ketamine50);
        var draw = h.Draw(id, MeasuredAmount.Millilitres(1.5m));
        h.Administer(draw, MeasuredAmount.Milligrams(50));
        var errors = h.Refuse(new RecordAdministration(draw, LedgerHarness.Session, Guid.NewGuid(), LedgerHarness.Patient, MeasuredAmount.Milligrams(30), "dr.c", h.Now));
        Assert.Contains("has 0.5 mL (25 mg) left", LedgerHarness.Single(errors, "amount").Message, StringComparison.Ordinal);
        Assert.Equal(Mg(25), h.State.Draw(draw)!.Remaining);
    }

    [Fact]
    public void An_administration_belongs_to_the_session_of_its_draw_and_follows_it_in_time()
    {
        var h = new LedgerHarness();
        var id = h.ReceiveOne(Clinic.Ketamine50);
        var draw = h.Draw(id, MeasuredAmount.Millilitres(1));
        var drawnAt = h.State.Draw(draw)!.DrawnAt;
        var errors = h.Refuse(new RecordAdministration(draw, Guid.NewGuid(), Guid.Empty, Guid.Empty, MeasuredAmount.Milligrams(10), "dr.c", drawnAt.AddMinutes(-1)));
        Assert.Equal(["patientId", "dosingRecordId", "sessionId", "administeredAt"], errors.Select(e => e.Field));
    }

    [Fact]
    public void Drawn_equals_administered_plus_wasted_closes_the_draw()
    {
        var h = new LedgerHarness();
        var id = h.ReceiveOne(Clinic.Ketamine50);
        var draw = h.Draw(id, MeasuredAmount.Millilitres(1.2m));
        h.Administer(draw, MeasuredAmount.Millilitres(1.1m));
        var open = Assert.Single(LedgerInvariants.UnbalancedDraws(h.State, LedgerHarness.Session));
        Assert.Equal(Mg(5), open.Remaining);
        Assert.Empty(LedgerInvariants.UnbalancedDraws(h.State, Guid.NewGuid()));
        h.Accept(h.WasteFromDraw(draw, MeasuredAmount.Millilitres(0.1m)));
        Assert.Empty(LedgerInvariants.UnbalancedDraws(h.State, LedgerHarness.Session));
        var flows = Assert.Single(h.State.Flows);
        Assert.Equal(Mg(55), flows.Administered);
        Assert.Equal(Mg(5), flows.Wasted);
        Assert.Equal(Mg(440), flows.OnHand);
        Assert.Empty(LedgerInvariants.Check(h.State));
    }

    [Fact]
    public void A_commands_time_cannot_run_behind_the_last_entry()
    {
        var h = new LedgerHarness();
        h.ReceiveOne(Clinic.Ketamine50);
        h.Now = h.Now.AddHours(-1);
        var errors = h.Refuse(h.ReceiptOf(Clinic.Ketamine50));
        LedgerHarness.Single(errors, "recordedAt");
    }
}
