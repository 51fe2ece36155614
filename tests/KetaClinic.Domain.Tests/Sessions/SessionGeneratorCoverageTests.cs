using FsCheck;
using FsCheck.Fluent;
using KetaClinic.Domain.Sessions;

namespace KetaClinic.Domain.Tests.Sessions;

/// <summary>The random sessions the properties run on reach dosing (with and without overrides), discharge and every closed state.</summary>
public sealed class SessionGeneratorCoverageTests
{
    [Fact]
    public void Generated_sessions_reach_dosing_overrides_refusals_and_every_closed_state()
    {
        var scripts = Gen.Sample(RandomSessions.Scripts, 400, new Rnd(20260303UL), 50);
        var finalStates = new HashSet<SessionState>();
        int dosing = 0, dosingWithOverride = 0, refusedDosing = 0, refusedNurseOverride = 0;
        foreach (var script in scripts)
        {
            var session = RandomSessions.Run(script, (step, s) =>
            {
                if (step.Command.Kind == CommandKind.StartDosing && step.StateBefore == SessionState.PreDoseChecksPassed)
                {
                    if (step.Refusal is null)
                    {
                        dosing++;
                        dosingWithOverride += s.ChecklistAtDosing!.Checks.Any(c => c.Status == GateStatus.Overridden) ? 1 : 0;
                    }
                    else
                    {
                        refusedDosing++;
                    }
                }

                refusedNurseOverride += step.Command.Kind == CommandKind.OverrideByNurse && step.Refusal is not null ? 1 : 0;
            });
            finalStates.Add(session.State);
        }

        Assert.True(dosing >= 60, $"dosing reached {dosing} times");
        Assert.True(dosingWithOverride >= 20, $"dosing with an override {dosingWithOverride} times");
        Assert.True(refusedDosing >= 20, $"dosing refused {refusedDosing} times");
        Assert.True(refusedNurseOverride >= 50, $"nurse overrides refused {refusedNurseOverride} times");
        Assert.Superset(
            new HashSet<SessionState> { SessionState.Discharged, SessionState.StoppedEarly, SessionState.Cancelled, SessionState.NoShow, SessionState.Dosing, SessionState.Monitoring },
            finalStates);
    }
}
