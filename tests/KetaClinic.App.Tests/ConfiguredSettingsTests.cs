using System.Globalization;
using System.Net.Sockets;
using KetaClinic.App.Features.Sessions;
using KetaClinic.App.Hl7;
using KetaClinic.App.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KetaClinic.App.Tests;

/// <summary>
/// A clinic that maps its monitors' own heart-rate code and alerts on a heart rate above 100 (configuration, not code):
/// a monitor message over real TCP is read and alerted on by those settings.
/// </summary>
public abstract class ConfiguredSettingsTests(ConfiguredAppFixture fixture)
{
    private ClinicAppFactory App => fixture.App;

    [Fact]
    public async Task A_monitor_code_and_an_alert_threshold_set_by_the_clinic_are_used_for_the_values_that_arrive()
    {
        var equipment = "EUI" + Guid.NewGuid().ToString("N")[..12].ToUpperInvariant();
        var sessionId = await MonitoredChairs.AddAsync(App, equipment);
        var t = TimeProvider.System.GetUtcNow().AddSeconds(-20).ToUniversalTime().ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture) + "+0000";
        var message = string.Join('\r',
            $"MSH|^~\\&|BEDSIDE|CLINIC|KETACLINIC|CLINIC|{t}||ORU^R01^ORU_R01|CFG{Guid.NewGuid():N}|P|2.6|||AL|NE",
            "PID|||",
            $"OBR|1|||VITALS|||{t}",
            $"OBX|1|NM|HR-ECG^ECG heart rate^99ACME||108|/min^per minute^UCUM|||||R|||{t}||||{equipment}",
            $"OBX|2|NM|150456^MDC_PULS_OXIM_SAT_O2^MDC||97|262688^MDC_DIM_PERCENT^MDC|||||R|||{t}||||{equipment}",
            $"OBX|3|NM|150021^MDC_PRESS_BLD_NONINV_SYS^MDC||128|266016^MDC_DIM_MMHG^MDC|||||R|||{t}||||{equipment}") + "\r";

        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", await App.Services.GetRequiredService<MllpServer>().BoundPort);
        var ack = await Hl7ListenerTests.SendAsync(client.GetStream(), message);
        Assert.Contains("MSA|AA|", ack, StringComparison.Ordinal);

        await using var db = App.NewDbContext();
        var stored = await db.VitalSigns.AsNoTracking().Where(v => v.SessionId == sessionId).ToListAsync();
        // The clinic's code list replaces the built-in one: its own HR code and SpO2 are vital signs, the cuff's systolic is not.
        Assert.Equal(["heart-rate", "oxygen-saturation"], stored.Select(v => v.Kind).Order().ToArray());
        Assert.Equal(108m, stored.Single(v => v.Kind == "heart-rate").Value);

        // 108 /min is under the reference alert (> 120) but over the clinic's (> 100).
        var loaded = await App.Services.GetRequiredService<SessionLog>().LoadAsync(db, sessionId, CancellationToken.None);
        var alert = Assert.Single(loaded!.Session.Alerts);
        Assert.Equal(KetaClinic.Domain.Monitoring.VitalKind.HeartRate, alert.Vital);
        Assert.Contains("100", alert.Message, StringComparison.Ordinal);
        var chair = App.Services.GetRequiredService<KetaClinic.Domain.Sessions.SessionSettings>();
        Assert.Equal(100m, chair.Vitals.Thresholds.Single().Value.Limit);
        // The medication review at the chair uses the clinic's tables, the ones its evaluations use.
        Assert.Same(App.Services.GetRequiredService<KetaClinic.App.Features.Evaluation.ClinicEvaluationRules>().Rules, chair.Medications);
    }
}

/// <summary>The clinic's settings for <see cref="ConfiguredSettingsTests"/>.</summary>
public abstract class ConfiguredAppFixture(Provider provider) : AppFixture(provider)
{
    private static readonly Dictionary<string, string> Settings = new()
    {
        ["Hl7:Mapping:Codes:0:CodingSystem"] = "99ACME",
        ["Hl7:Mapping:Codes:0:Code"] = "HR-ECG",
        ["Hl7:Mapping:Codes:0:Kind"] = "HeartRate",
        ["Hl7:Mapping:Codes:0:Source"] = "Clinic device list: ACME monitors' ECG heart rate",
        ["Hl7:Mapping:Codes:1:CodingSystem"] = "MDC",
        ["Hl7:Mapping:Codes:1:Code"] = "150456",
        ["Hl7:Mapping:Codes:1:Kind"] = "OxygenSaturation",
        ["Hl7:Mapping:Codes:1:Source"] = "IEEE 11073-10101 (MDC_PULS_OXIM_SAT_O2)",
        ["Sessions:Vitals:Thresholds:0:Value:Vital"] = "HeartRate",
        ["Sessions:Vitals:Thresholds:0:Value:Direction"] = "Above",
        ["Sessions:Vitals:Thresholds:0:Value:Limit"] = "100",
        ["Sessions:Vitals:Thresholds:0:Value:Severity"] = "Alert",
        ["Sessions:Vitals:Thresholds:0:Source"] = "Medical director: tachycardia alert above 100 /min",
    };

    protected override ClinicAppFactory Create(TestDatabase database) => new(database, settings: Settings);
}

public sealed class ConfiguredSqliteApp() : ConfiguredAppFixture(Provider.Sqlite);

public sealed class ConfiguredPostgresApp() : ConfiguredAppFixture(Provider.PostgreSql);

public sealed class ConfiguredSettingsTests_Sqlite(ConfiguredSqliteApp f) : ConfiguredSettingsTests(f), IClassFixture<ConfiguredSqliteApp>;

public sealed class ConfiguredSettingsTests_Postgres(ConfiguredPostgresApp f) : ConfiguredSettingsTests(f), IClassFixture<ConfiguredPostgresApp>;
