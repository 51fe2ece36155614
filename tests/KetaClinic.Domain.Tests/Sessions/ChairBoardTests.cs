using KetaClinic.Domain.Monitoring;
using KetaClinic.Domain.Sessions;
using static KetaClinic.Domain.Tests.Sessions.SessionFixtures;

namespace KetaClinic.Domain.Tests.Sessions;

public class ChairBoardTests
{
    [Fact]
    public void The_board_shows_each_chair_with_a_patient_in_it_in_chair_order()
    {
        var dosing = DosingSession();
        var other = TreatmentSession.Schedule(Guid.NewGuid(), Guid.NewGuid(), Esketamine, "chair-1", T0, FrontDesk, T0.AddDays(-1));
        other.CheckIn(FrontDesk, T0.AddMinutes(2));
        var gone = SessionStatesHelper.In(SessionState.Discharged);
        var waiting = Scheduled();

        var board = ChairBoard.Project(
            [new("Doe, Jane", dosing), new("Roe, Rick", other), new("Gone, Gail", gone), new("Late, Liam", waiting)],
            T0.AddMinutes(20),
            Settings);

        Assert.Equal(["chair-1", "chair-3"], board.Select(r => r.ChairId));
        var row = board[1];
        Assert.Equal("Doe, Jane", row.PatientDisplay);
        Assert.Equal("IV racemic ketamine infusion", row.ProtocolName);
        Assert.Equal("dosing", row.PhaseCode);
        Assert.Equal(TimeSpan.FromMinutes(5), row.InPhase);
        Assert.Equal(TimeSpan.FromMinutes(20), row.SinceCheckIn);
        Assert.Equal(TimeSpan.FromMinutes(5), row.SinceDoseStart);
        Assert.Equal("spo2-continuous", row.NextDueCheck!.Code);
        Assert.Null(row.Discharge);
        Assert.Equal("checked-in", board[0].PhaseCode);
        Assert.Null(board[0].SinceDoseStart);
    }

    [Fact]
    public void Latest_vitals_carry_their_trend_against_the_previous_value()
    {
        var session = DosingSession();
        session.RecordVitals(Vitals(T0.AddMinutes(25), systolic: 134m, diastolic: 80m, heartRate: 70m), Settings);

        var row = Assert.Single(ChairBoard.Project([new("Doe, Jane", session)], T0.AddMinutes(26), Settings));

        var tiles = row.LatestVitals.ToDictionary(t => t.Kind);
        Assert.Equal(VitalTrend.Up, tiles[VitalKind.SystolicBloodPressure].Trend);
        Assert.Equal(new VitalValue(120m, VitalUnit.MillimetresOfMercury), tiles[VitalKind.SystolicBloodPressure].Previous);
        Assert.Equal(VitalTrend.Flat, tiles[VitalKind.DiastolicBloodPressure].Trend);
        Assert.Equal(VitalTrend.Down, tiles[VitalKind.HeartRate].Trend);
        Assert.Equal(new VitalValue(70m, VitalUnit.BeatsPerMinute), tiles[VitalKind.HeartRate].Value);
    }

    [FsCheck.Xunit.Property(MaxTest = 300)]
    public FsCheck.Property Reading_a_time_ordered_history_from_the_end_gives_the_same_tiles_as_grouping_all_of_it() =>
        FsCheck.Fluent.Prop.ForAll(
            FsCheck.Fluent.ArbMap.Default.ArbFor<(byte Kind, byte Minute, byte Value)[]>(),
            FsCheck.Fluent.ArbMap.Default.ArbFor<byte>(),
            (raw, cutoff) =>
            {
                var kinds = Enum.GetValues<VitalKind>();
                // Time order as a session keeps it; equal times keep their arrival order.
                var history = raw.Select(r => Monitor(kinds[r.Kind % kinds.Length], 60m + (r.Value % 50), T0.AddMinutes(r.Minute % 120)))
                    .OrderBy(v => v.ObservedAt).ToList();
                var upTo = T0.AddMinutes(cutoff % 130);
                Assert.Equal(ChairBoard.LatestWithTrend(history.Where(v => v.ObservedAt <= upTo)), ChairBoard.LatestWithTrend(history, upTo));
                return true;
            });

    [Fact]
    public void A_first_value_has_no_trend()
    {
        var tile = Assert.Single(ChairBoard.LatestWithTrend([Monitor(VitalKind.RespiratoryRate, 14m, T0)]));

        Assert.Equal(VitalTrend.NoPrevious, tile.Trend);
        Assert.Null(tile.Previous);
    }

    [Fact]
    public void Open_alerts_and_overdue_checks_show_on_the_chair()
    {
        var session = DosingSession();
        session.RecordVital(Monitor(VitalKind.OxygenSaturation, 89m, T0.AddMinutes(20)), Settings);

        var row = Assert.Single(ChairBoard.Project([new("Doe, Jane", session)], T0.AddMinutes(27), Settings));

        Assert.Equal(VitalKind.OxygenSaturation, Assert.Single(row.OpenAlerts).Vital);
        Assert.Contains(row.OverdueChecks, c => c.Code == "bp-during-dosing");
    }

    [Fact]
    public void Discharge_readiness_shows_from_monitoring_on()
    {
        var session = MonitoringSession();
        session.RecordVitals(Vitals(T0.AddMinutes(88)), Settings);
        session.RecordDischargeAssessment(GoodAssessment(T0.AddMinutes(89)));

        var row = Assert.Single(ChairBoard.Project([new("Doe, Jane", session)], T0.AddMinutes(90), Settings));

        Assert.True(row.Discharge!.CanDischarge);
        Assert.Equal(T0.AddMinutes(85), row.Discharge.EarliestAt);
    }

    [Fact]
    public void Vitals_dated_after_now_are_not_shown_yet()
    {
        var session = DosingSession();
        session.RecordVital(Monitor(VitalKind.HeartRate, 99m, T0.AddMinutes(30)), Settings);

        var row = Assert.Single(ChairBoard.Project([new("Doe, Jane", session)], T0.AddMinutes(20), Settings));

        Assert.Equal(72m, row.LatestVitals.Single(t => t.Kind == VitalKind.HeartRate).Value.Amount);
    }
}
