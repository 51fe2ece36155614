using System.Text.Json;
using KetaClinic.App.Hl7;
using KetaClinic.App.Tests.Infrastructure;
using KetaClinic.Cli;
using KetaClinic.Cli.Monitors;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KetaClinic.App.Tests;

/// <summary><c>ketaclinic monitor simulate</c> against the real app's MLLP listener.</summary>
public abstract class MonitorSimulatorTests(AppFixture fixture)
{
    private ClinicAppFactory App => fixture.App;

    private async Task<(int Exit, JsonElement Summary)> SimulateAsync(params string[] options)
    {
        var port = await App.Services.GetRequiredService<MllpServer>().BoundPort;
        using var stdout = new StringWriter();
        var exit = await CliProgram.RunAsync(["monitor", "simulate", "--host", "127.0.0.1", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), .. options], TextReader.Null, stdout, TextWriter.Null);
        return (exit, JsonDocument.Parse(stdout.ToString()).RootElement.Clone());
    }

    [Fact]
    public async Task Simulated_monitors_send_vitals_that_are_stored_for_the_sessions_at_their_chairs()
    {
        var prefix = "SIM" + Guid.NewGuid().ToString("N")[..6].ToUpperInvariant() + "-";
        var sessions = new List<Guid>();
        for (var i = 1; i <= 3; i++)
        {
            sessions.Add(await MonitoredChairs.AddAsync(App, prefix + i));
        }

        var (exit, summary) = await SimulateAsync("--monitors", "3", "--rate", "0", "--count", "9", "--device-prefix", prefix, "--scenario", "hypertension");

        Assert.Equal(0, exit);
        Assert.Equal(9, summary.GetProperty("sent").GetInt64());
        Assert.Equal(9, summary.GetProperty("aa").GetInt64());
        Assert.Equal(0, summary.GetProperty("failed").GetInt64());
        await using var db = App.NewDbContext();
        foreach (var session in sessions)
        {
            var kinds = await db.VitalSigns.Where(v => v.SessionId == session).Select(v => v.Kind).ToListAsync();
            Assert.Equal(15, kinds.Count);
            Assert.Equal(["diastolic-blood-pressure", "heart-rate", "oxygen-saturation", "respiratory-rate", "systolic-blood-pressure"], kinds.Distinct().Order().ToArray());
        }
        Assert.Equal(9, await db.Hl7InboundMessages.CountAsync(m => m.DeviceKey!.StartsWith("equipment:" + prefix) && m.AckCode == "AA" && m.ObservationsStored == 5 && m.ObservationsRejected == 0));
    }

    [Fact]
    public async Task Monitors_that_are_not_registered_are_counted_as_AE()
    {
        var (exit, summary) = await SimulateAsync("--monitors", "2", "--rate", "0", "--count", "4", "--device-prefix", "UNREGISTERED-" + Guid.NewGuid().ToString("N")[..6] + "-");
        Assert.Equal(0, exit);
        Assert.Equal(4, summary.GetProperty("ae").GetInt64());
        Assert.Equal(0, summary.GetProperty("aa").GetInt64());
    }

    [Fact]
    public async Task Bad_options_are_named_and_exit_2()
    {
        var (exit, summary) = await SimulateAsync("--scenario", "fever");
        Assert.Equal(2, exit);
        Assert.Contains("--scenario", summary.GetProperty("error").GetString(), StringComparison.Ordinal);
    }
}

public sealed class MonitorSimulatorTests_Sqlite(SqliteApp f) : MonitorSimulatorTests(f), IClassFixture<SqliteApp>;

public sealed class MonitorSimulatorTests_Postgres(PostgresApp f) : MonitorSimulatorTests(f), IClassFixture<PostgresApp>;

/// <summary>The simulated vital signs: plausible and drifting the way each scenario says.</summary>
public sealed class SimulatedVitalsTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Normal_readings_stay_within_the_in_treatment_alert_limits(int seed)
    {
        var vitals = new SimulatedVitals(VitalsScenario.Normal, seed);
        // REFERENCE.md §5 alert limits: SBP ≥ 180, DBP ≥ 110, HR > 120 or < 50, SpO2 < 92 %, RR < 10.
        Assert.All(Enumerable.Range(0, 500).Select(_ => vitals.Next()), r =>
        {
            Assert.InRange(r.SystolicMmHg, 95, 179);
            Assert.InRange(r.DiastolicMmHg, 55, 109);
            Assert.True(r.SystolicMmHg > r.DiastolicMmHg);
            Assert.InRange(r.HeartRateBpm, 50, 120);
            Assert.InRange(r.OxygenSaturationPercent, 92, 100);
            Assert.InRange(r.RespiratoryRateBreathsPerMinute, 10, 25);
        });
    }

    [Fact]
    public void Hypertension_drifts_blood_pressure_past_the_alert_limit_without_jumps()
    {
        var vitals = new SimulatedVitals(VitalsScenario.Hypertension, 5);
        var readings = Enumerable.Range(0, 120).Select(_ => vitals.Next()).ToList();
        Assert.True(readings[^1].SystolicMmHg >= 180 || readings[^1].DiastolicMmHg >= 110);
        Assert.All(readings.Zip(readings.Skip(1)), p => Assert.InRange(Math.Abs(p.Second.SystolicMmHg - p.First.SystolicMmHg), 0, 15));
    }

    [Fact]
    public void Desaturation_drifts_oxygen_saturation_below_the_alert_limit()
    {
        var vitals = new SimulatedVitals(VitalsScenario.Desaturation, 5);
        var readings = Enumerable.Range(0, 120).Select(_ => vitals.Next()).ToList();
        var last = readings[^1];
        Assert.True(last.OxygenSaturationPercent < 92);
        Assert.True(last.RespiratoryRateBreathsPerMinute < 10);
    }
}
