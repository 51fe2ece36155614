using KetaClinic.Domain.ControlledSubstances;

namespace KetaClinic.Domain.Tests.ControlledSubstances;

/// <summary>
/// Entries written past the decision (a bug, or a hand-made row with a recomputed hash) are caught by the
/// invariants at the entry where they first break a rule.
/// </summary>
public sealed class LedgerInvariantTests
{
    private static MassMcg Mg(decimal mg) => MassMcg.FromMilligrams(mg);

    private static List<LedgerEntry> Forge(LedgerHarness h, LedgerEvent forged)
    {
        var entries = h.Entries.ToList();
        entries.Add(LedgerChain.Seal(h.State.LastSequence, h.State.LastHash, h.Now, "intruder", forged));
        Assert.True(LedgerChain.Verify(entries).Intact); // the chain alone cannot tell
        return entries;
    }

    [Fact]
    public void An_administration_beyond_its_draw_breaks_the_draw_rule_at_that_entry()
    {
        var h = new LedgerHarness();
        var vial = h.ReceiveOne(Clinic.Ketamine50);
        var draw = h.Draw(vial, MeasuredAmount.Millilitres(1));
        var entries = Forge(h, new Administration(draw, LedgerHarness.Session, Guid.NewGuid(), LedgerHarness.Patient, MeasuredAmount.Milligrams(60), Mg(60), "dr.c", h.Now));
        var v = Assert.Single(LedgerInvariants.CheckEveryPrefix(entries));
        Assert.Equal(3, v.Sequence);
        Assert.Equal(LedgerInvariants.DrawWithinDrawn, v.Rule);
    }

    [Fact]
    public void A_draw_beyond_the_container_breaks_the_no_negative_rule()
    {
        var h = new LedgerHarness();
        var vial = h.ReceiveOne(Clinic.Ketamine50);
        var entries = Forge(h, new Draw(vial, MeasuredAmount.Millilitres(11), Mg(550), LedgerHarness.Session, "nurse.a", h.Now));
        var v = Assert.Single(LedgerInvariants.CheckEveryPrefix(entries));
        Assert.Equal((2L, LedgerInvariants.ContainerNotNegative), (v.Sequence!.Value, v.Rule));
        Assert.Contains("-50 mg", v.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_return_of_less_than_the_balance_leaves_drug_in_a_gone_container()
    {
        var h = new LedgerHarness();
        var vial = h.ReceiveOne(Clinic.Ketamine50);
        var entries = Forge(h, new ReturnToSupplier(Clinic.Supplier, h.Today, "RA", [new ContainerAmount(vial, Mg(400))], "pharmacist.b", null));
        Assert.Equal(LedgerInvariants.GoneContainerIsEmpty, Assert.Single(LedgerInvariants.CheckEveryPrefix(entries)).Rule);
    }

    [Fact]
    public void A_transfer_that_moves_a_different_amount_than_the_container_holds_breaks_the_equation()
    {
        var h = new LedgerHarness();
        var vial = h.ReceiveOne(Clinic.Ketamine50);
        var entries = Forge(h, new Transfer(vial, Clinic.CabinetA, Clinic.SafeA, Mg(100), "nurse.a", null));
        var violations = LedgerInvariants.CheckEveryPrefix(entries);
        Assert.All(violations, v => Assert.Equal((2L, LedgerInvariants.OnHandEquation), (v.Sequence!.Value, v.Rule)));
        Assert.Equal(2, violations.Count); // both storage places are off
        var state = LedgerState.Replay(entries);
        Assert.Equal(2, LedgerInvariants.Check(state).Count);
    }

    [Fact]
    public void An_entry_about_a_container_that_was_never_received_cannot_be_applied()
    {
        var h = new LedgerHarness();
        h.ReceiveOne(Clinic.Ketamine50);
        var entries = Forge(h, new Draw(Guid.NewGuid(), MeasuredAmount.Millilitres(1), Mg(50), LedgerHarness.Session, "nurse.a", h.Now));
        Assert.Equal(LedgerInvariants.Applicable, Assert.Single(LedgerInvariants.CheckEveryPrefix(entries)).Rule);
    }

    [Fact]
    public void A_valid_ledger_has_no_violations()
    {
        var h = LedgerChainTests.EveryKind();
        Assert.Empty(LedgerInvariants.Check(h.State));
        Assert.Empty(LedgerInvariants.CheckEveryPrefix(h.Entries));
    }
}
