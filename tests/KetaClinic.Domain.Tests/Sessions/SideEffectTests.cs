using KetaClinic.Domain.Common;
using KetaClinic.Domain.Sessions;
using static KetaClinic.Domain.Tests.Sessions.SessionFixtures;

namespace KetaClinic.Domain.Tests.Sessions;

public class SideEffectTests
{
    private static readonly DateTimeOffset At = T0.AddMinutes(30);

    private static SideEffectEntry Entry(SideEffectKind kind = SideEffectKind.Nausea, SideEffectSeverity severity = SideEffectSeverity.Mild) =>
        new(kind, severity, At, null, null, null, null, false);

    private static IReadOnlyList<string> Fields(SideEffectEntry entry) =>
        [.. Assert.Throws<DomainValidationException>(() => DosingSession().RecordSideEffect(entry, Settings, Nurse, At)).Errors.Select(e => e.Field)];

    [Fact]
    public void A_side_effect_is_recorded_with_who_and_when()
    {
        var session = DosingSession();
        var entry = Entry(SideEffectKind.Vomiting, SideEffectSeverity.Moderate) with { ActionTaken = "Infusion paused", MedicationGiven = "ondansetron 4 mg IV" };

        var recorded = session.RecordSideEffect(entry, Settings, Nurse, At.AddMinutes(1));

        Assert.Equal(new SideEffect(1, entry, Nurse, At.AddMinutes(1)), recorded);
        Assert.Equal([recorded], session.SideEffects);
    }

    [Fact]
    public void Dissociation_may_carry_a_cadss6_score_within_its_range()
    {
        var session = DosingSession();

        session.RecordSideEffect(Entry(SideEffectKind.Dissociation) with { Cadss6Score = 24 }, Settings, Nurse, At);

        Assert.Equal(["cadss6Score"], Fields(Entry(SideEffectKind.Dissociation) with { Cadss6Score = 25 }));
        Assert.Equal(["cadss6Score"], Fields(Entry(SideEffectKind.Dissociation) with { Cadss6Score = -1 }));
        Assert.Equal(["cadss6Score"], Fields(Entry(SideEffectKind.Headache) with { Cadss6Score = 3 }));
    }

    [Fact]
    public void A_moderate_or_severe_effect_needs_the_action_taken()
    {
        Assert.Equal(["actionTaken"], Fields(Entry(SideEffectKind.AnxietyOrAgitation, SideEffectSeverity.Moderate)));
        Assert.Equal(["actionTaken"], Fields(Entry(SideEffectKind.Sedation, SideEffectSeverity.Severe)));
    }

    [Fact]
    public void Other_needs_a_description()
    {
        Assert.Equal(["description"], Fields(Entry(SideEffectKind.Other)));
    }

    [Fact]
    public void An_effect_cannot_be_observed_before_check_in_or_after_it_is_recorded()
    {
        Assert.Equal(["observedAt"], Fields(Entry() with { ObservedAt = T0.AddMinutes(-5) }));
        Assert.Equal(["observedAt"], Fields(Entry() with { ObservedAt = At.AddMinutes(1) }));
    }

    [Fact]
    public void Side_effect_codes_are_stable()
    {
        Assert.Equal(
            ["nausea", "vomiting", "dissociation", "dizziness", "headache", "anxiety-agitation", "blood-pressure-elevation", "sedation", "allergic-reaction", "other"],
            Enum.GetValues<SideEffectKind>().Select(SideEffect.Code));
    }
}
