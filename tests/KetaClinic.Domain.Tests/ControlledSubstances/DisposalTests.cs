using KetaClinic.Domain.ControlledSubstances;

namespace KetaClinic.Domain.Tests.ControlledSubstances;

public sealed class DisposalTests
{
    private static MassMcg Mg(decimal mg) => MassMcg.FromMilligrams(mg);

    private static (LedgerHarness H, Guid Vial, long Draw) Drawn(decimal ml = 1.2m)
    {
        var h = new LedgerHarness();
        var vial = h.ReceiveOne(Clinic.Ketamine50);
        var draw = h.Draw(vial, MeasuredAmount.Millilitres(ml));
        return (h, vial, draw);
    }

    [Fact]
    public void Waste_without_a_witness_is_refused_while_the_witness_rule_is_on()
    {
        var (h, _, draw) = Drawn();
        var errors = h.Refuse(h.WasteFromDraw(draw, MeasuredAmount.Millilitres(0.2m)) with { Witness = null });
        Assert.Contains("REFERENCE.md §8", LedgerHarness.Single(errors, "witness").Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Waste_without_a_witness_is_accepted_when_the_clinic_turns_the_rule_off()
    {
        var (h, _, draw) = Drawn();
        h.Settings = LedgerSettings.Default with { WasteWitnessRequired = new(false, "state rule: no witness for routine waste") };
        var entry = h.Accept(h.WasteFromDraw(draw, MeasuredAmount.Millilitres(0.2m)) with { Witness = null });
        Assert.Null(((Waste)entry.Event).Witness);
    }

    [Theory]
    [InlineData("nurse.a")] // the person wasting
    [InlineData("nurse.rec")] // the person recording
    public void The_witness_is_someone_other_than_who_wastes_or_records(string witness)
    {
        var (h, _, draw) = Drawn();
        h.User = "nurse.rec";
        var errors = h.Refuse(h.WasteFromDraw(draw, MeasuredAmount.Millilitres(0.2m)) with { Witness = h.Witness(witness) });
        LedgerHarness.Single(errors, "witness.userId");
    }

    [Theory]
    [InlineData(300, true)]
    [InlineData(301, false)]
    [InlineData(0, true)]
    [InlineData(-1, false)]
    public void The_witness_signs_in_within_the_window_before_the_entry(int secondsBefore, bool accepted)
    {
        var (h, _, draw) = Drawn();
        var command = h.WasteFromDraw(draw, MeasuredAmount.Millilitres(0.2m)) with { Witness = new WitnessAttestation("nurse.w", h.Now.AddSeconds(-secondsBefore)) };
        if (accepted)
        {
            h.Accept(command);
        }
        else
        {
            LedgerHarness.Single(h.Refuse(command), "witness.authenticatedAt");
        }
    }

    [Fact]
    public void The_witness_window_is_a_setting()
    {
        var (h, _, draw) = Drawn();
        h.Settings = LedgerSettings.Default with { WitnessAuthenticationMaxAgeSeconds = new(60, "clinic policy: one minute") };
        var errors = h.Refuse(h.WasteFromDraw(draw, MeasuredAmount.Millilitres(0.2m)) with { Witness = new WitnessAttestation("nurse.w", h.Now.AddSeconds(-90)) });
        Assert.Contains("within 60 seconds", LedgerHarness.Single(errors, "witness.authenticatedAt").Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Waste_needs_one_source_a_manner_and_fits_its_draw()
    {
        var (h, vial, draw) = Drawn();
        var both = h.WasteFromDraw(draw, MeasuredAmount.Millilitres(0.2m)) with { ContainerId = vial };
        LedgerHarness.Single(h.Refuse(both), "drawSequence");
        var tooMuch = h.WasteFromDraw(draw, MeasuredAmount.Millilitres(1.3m)) with { Manner = "" };
        var errors = h.Refuse(tooMuch);
        Assert.Equal(["manner", "amount"], errors.Select(e => e.Field));
    }

    [Fact]
    public void Residue_wasted_from_a_vial_empties_it()
    {
        var (h, vial, _) = Drawn(9.8m);
        h.Accept(h.WasteFromContainer(vial, MeasuredAmount.Millilitres(0.2m)));
        Assert.Equal(ContainerState.Empty, h.Container(vial).State);
        Assert.Equal(Mg(10), Assert.Single(h.State.Flows).Wasted);
        Assert.Empty(LedgerInvariants.Check(h.State));
    }

    [Fact]
    public void A_return_takes_the_whole_balance_and_ends_the_containers_use()
    {
        var h = new LedgerHarness();
        var ids = h.Receive(Clinic.Ketamine50, 2);
        h.Draw(ids[1], MeasuredAmount.Millilitres(2));
        var entry = h.Accept(new RecordReturnToSupplier(ids, Clinic.Supplier, h.Today, "RA-991", "pharmacist.b", "recall"));
        var ret = (ReturnToSupplier)entry.Event;
        Assert.Equal([Mg(500), Mg(400)], ret.Containers.Select(c => c.Mass));
        Assert.All(ids, id => Assert.Equal(ContainerState.Returned, h.Container(id).State));
        Assert.Equal(Mg(900), Assert.Single(h.State.Flows).Returned);
        var errors = h.Refuse(new RecordDraw(ids[0], MeasuredAmount.Millilitres(1), LedgerHarness.Session, "nurse.a", h.Now));
        Assert.Contains("was returned", LedgerHarness.Single(errors, "containerId").Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_empty_container_is_not_returned_and_a_container_is_listed_once()
    {
        var h = new LedgerHarness();
        var id = h.ReceiveOne(Clinic.Ketamine50);
        h.Draw(id, MeasuredAmount.Millilitres(10));
        var errors = h.Refuse(new RecordReturnToSupplier([id, id], Clinic.Supplier, h.Today, "RA-1", "pharmacist.b", null));
        Assert.Equal(["containerIds[0]", "containerIds[1]"], errors.Select(e => e.Field));
    }

    [Fact]
    public void Destruction_needs_two_different_witnesses_besides_the_person_destroying_and_a_Form_41_reference()
    {
        var h = new LedgerHarness();
        var id = h.ReceiveOne(Clinic.Ketamine50);
        var oneWitness = new RecordDestruction([id], h.Today, "incineration by reverse distributor", "", "pharmacist.b", [h.Witness("nurse.w")]);
        var errors = h.Refuse(oneWitness);
        Assert.Equal(["form41Reference", "witnesses"], errors.Select(e => e.Field));
        var sameTwice = oneWitness with { Form41Reference = "F41-2026-003", Witnesses = [h.Witness("nurse.w"), h.Witness("nurse.w")] };
        LedgerHarness.Single(h.Refuse(sameTwice), "witnesses[1].userId");
        var destroyerWitnesses = sameTwice with { Witnesses = [h.Witness("pharmacist.b"), h.Witness("nurse.w")] };
        LedgerHarness.Single(h.Refuse(destroyerWitnesses), "witnesses[0].userId");
        h.Accept(sameTwice with { Witnesses = [h.Witness("nurse.w"), h.Witness("dr.c")] });
        Assert.Equal(ContainerState.Destroyed, h.Container(id).State);
        Assert.Equal(Mg(500), Assert.Single(h.State.Flows).Destroyed);
    }

    [Fact]
    public void A_whole_container_loss_marks_it_lost_and_a_partial_loss_reduces_its_balance()
    {
        var h = new LedgerHarness();
        var ids = h.Receive(Clinic.Ketamine50, 2);
        h.Accept(new RecordLossOrTheft(LossKind.Theft, h.Today, "Cabinet found forced open at opening of business.",
            [new LossLine(ids[0], null), new LossLine(ids[1], MeasuredAmount.Millilitres(3))], "dr.c"));
        Assert.Equal(ContainerState.Lost, h.Container(ids[0]).State);
        Assert.Equal(Mg(350), h.Container(ids[1]).Balance);
        Assert.Equal(ContainerState.Open, h.Container(ids[1]).State);
        Assert.Equal(Mg(650), Assert.Single(h.State.Flows).Lost);
        Assert.Empty(LedgerInvariants.Check(h.State));
    }

    [Fact]
    public void A_loss_cannot_exceed_the_container_nor_be_discovered_in_the_future()
    {
        var h = new LedgerHarness();
        var id = h.ReceiveOne(Clinic.Ketamine50);
        var errors = h.Refuse(new RecordLossOrTheft(LossKind.SignificantLoss, h.Today.AddDays(1), "", [new LossLine(id, MeasuredAmount.Millilitres(11))], "dr.c"));
        Assert.Equal(["discoveredOn", "circumstances", "lines[0].amount"], errors.Select(e => e.Field));
    }

    [Fact]
    public void Each_report_about_a_loss_is_filed_once_and_not_before_the_discovery()
    {
        var h = new LedgerHarness();
        var id = h.ReceiveOne(Clinic.Ketamine50);
        var loss = h.Accept(new RecordLossOrTheft(LossKind.Theft, h.Today, "Vial missing at count.", [new LossLine(id, null)], "dr.c")).Sequence;
        LedgerHarness.Single(h.Refuse(new RecordLossReportFiled(loss, LossReportKind.WrittenNotice, h.Today.AddDays(-1), "email to field office", "dr.c")), "filedOn");
        h.Accept(new RecordLossReportFiled(loss, LossReportKind.WrittenNotice, h.Today, "email to field office", "dr.c"));
        LedgerHarness.Single(h.Refuse(new RecordLossReportFiled(loss, LossReportKind.WrittenNotice, h.Today, "again", "dr.c")), "report");
        LedgerHarness.Single(h.Refuse(new RecordLossReportFiled(1, LossReportKind.Form106, h.Today, "x", "dr.c")), "lossSequence");
        Assert.Equal(h.Today, Assert.Single(h.State.Losses).WrittenNoticeFiledOn);
    }
}
