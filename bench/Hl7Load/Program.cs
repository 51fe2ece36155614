using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using KetaClinic.App.Data;
using KetaClinic.Cli.Monitors;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace KetaClinic.Bench.Hl7Load;

/// <summary>
/// HL7 ingest benchmark: starts the built app (a separate process) on SQLite and on PostgreSQL, registers monitors
/// on chairs with a session in progress at each, and drives it with the monitor simulator: maximum throughput with
/// every monitor sending as fast as its ACKs return, then ACK latency at a steady rate. The same load against
/// an ACK-only MLLP server (@medplum/hl7, bench/hl7-ackonly) gives the ceiling to compare with.
/// </summary>
internal static class Program
{
    private const string PostgresVariable = "KETACLINIC_BENCH_POSTGRES";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static async Task<int> Main(string[] args)
    {
        var options = BenchOptions.Parse(args);
        var root = RepoRoot();
        var results = new List<BenchResult>();
        foreach (var target in options.Targets)
        {
            var result = target switch
            {
                "sqlite" => await RunAppAsync(root, options, "sqlite", null),
                "postgresql" => Environment.GetEnvironmentVariable(PostgresVariable) is { Length: > 0 } server
                    ? await RunAppAsync(root, options, "postgresql", server)
                    : Skipped("postgresql", $"{PostgresVariable} is not set"),
                "medplum" => await RunAckOnlyAsync(root, options),
                _ => Skipped(target, "unknown target (sqlite, postgresql, medplum)"),
            };
            results.Add(result);
            Console.WriteLine(JsonSerializer.Serialize(result, Json));
        }
        PrintTable(results);
        return 0;
    }

    private static BenchResult Skipped(string target, string why) => new(target, null, null, null, why);

    private static async Task<BenchResult> RunAppAsync(string root, BenchOptions options, string provider, string? server)
    {
        var dataDir = Path.Combine(Path.GetTempPath(), "ketaclinic-bench", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dataDir);
        string connection;
        string? pgDatabase = null;
        if (provider == "postgresql")
        {
            pgDatabase = "kc_bench_" + Guid.NewGuid().ToString("N")[..12];
            await using var admin = new NpgsqlConnection(server);
            await admin.OpenAsync();
            await using var create = admin.CreateCommand();
            create.CommandText = $"CREATE DATABASE {pgDatabase}";
            await create.ExecuteNonQueryAsync();
            connection = new NpgsqlConnectionStringBuilder(server) { Database = pgDatabase }.ConnectionString;
        }
        else
        {
            connection = $"Data Source={Path.Combine(dataDir, "clinic.db")}";
        }
        try
        {
            var hl7Port = FreePort();
            var httpUrl = $"http://127.0.0.1:{FreePort()}";
            var dll = Path.Combine(root, "src", "KetaClinic.App", "bin", "Release", "net10.0", "KetaClinic.App.dll");
            if (!File.Exists(dll))
            {
                return Skipped(provider, $"{dll} not found: run dotnet build KetaClinic.slnx -c Release first");
            }
            var start = new ProcessStartInfo("dotnet", [dll, "--urls", httpUrl])
            {
                WorkingDirectory = Path.Combine(root, "src", "KetaClinic.App"),
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
            start.Environment["Database__Provider"] = provider;
            start.Environment["ConnectionStrings__Clinic"] = connection;
            start.Environment["Data__Directory"] = dataDir;
            start.Environment["Demo__Enabled"] = "true";
            start.Environment["Demo__Password"] = "Bench-Password-2026";
            start.Environment["Demo__PatientCount"] = options.Monitors.ToString(CultureInfo.InvariantCulture);
            start.Environment["Hl7__Port"] = hl7Port.ToString(CultureInfo.InvariantCulture);
            start.Environment["Hl7__BindAddress"] = "127.0.0.1";
            start.Environment["Hl7__MaxConnections"] = Math.Max(64, options.Monitors + 8).ToString(CultureInfo.InvariantCulture);
            start.Environment["Logging__LogLevel__Default"] = "Warning";
            using var app = new ChildProcess(start);
            await app.WaitHttpAsync(httpUrl + "/healthz", TimeSpan.FromMinutes(3));
            await SeedMonitoredChairsAsync(provider, connection, options.Monitors, "BENCH-MON-");
            var alertChairs = await SeedMonitoredChairsAsync(provider, connection, options.AlertProbes, "BENCH-ALERT-");
            var runs = await DriveAsync(hl7Port, options);
            var board = await BoardLatency.MeasureAsync(httpUrl, hl7Port, alertChairs, () => DriveSteadyAsync(hl7Port, options), options.AlertProbes);
            var stored = await CountStoredAsync(provider, connection);
            return new BenchResult(provider, runs.Max, runs.Steady, board, $"{stored.Messages} messages answered AA in the log, {stored.Vitals} vital signs stored"
                + (provider == "postgresql" ? $"; server fsync={await ServerSettingAsync(connection, "fsync")}, synchronous_commit={await ServerSettingAsync(connection, "synchronous_commit")}; the intake commits without waiting and ACKs after a log flush" : "; SQLite WAL; the intake commits with synchronous=NORMAL and ACKs after a sync of the log (fdatasync on Linux)"));
        }
        finally
        {
            // KETACLINIC_BENCH_KEEP=1 leaves the PostgreSQL database (named here) to look at its plans afterwards.
            var keep = Environment.GetEnvironmentVariable("KETACLINIC_BENCH_KEEP") == "1";
            if (pgDatabase is not null && keep)
            {
                Console.Error.WriteLine($"PostgreSQL bench database kept: {pgDatabase}");
            }
            else if (pgDatabase is not null)
            {
                await using var admin = new NpgsqlConnection(server);
                await admin.OpenAsync();
                await using var drop = admin.CreateCommand();
                drop.CommandText = $"DROP DATABASE IF EXISTS {pgDatabase} WITH (FORCE)";
                await drop.ExecuteNonQueryAsync();
            }
            try
            {
                Directory.Delete(dataDir, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private static async Task<BenchResult> RunAckOnlyAsync(string root, BenchOptions options)
    {
        var dir = Path.Combine(root, "bench", "hl7-ackonly");
        if (!Directory.Exists(Path.Combine(dir, "node_modules", "@medplum", "hl7")))
        {
            return Skipped("medplum", "run npm ci in bench/hl7-ackonly first");
        }
        var port = FreePort();
        var start = new ProcessStartInfo("node", ["server.js", port.ToString(CultureInfo.InvariantCulture)])
        {
            WorkingDirectory = dir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var server = new ChildProcess(start);
        await server.WaitTcpAsync(port, TimeSpan.FromSeconds(30));
        var runs = await DriveAsync(port, options);
        return new BenchResult("medplum", runs.Max, runs.Steady, null, "@medplum/hl7 Hl7Server answering AA to every message, storing nothing");
    }

    private static async Task<(SimulationSummary Max, SimulationSummary Steady)> DriveAsync(int port, BenchOptions options)
    {
        SimulationOptions Load(double rate, double seconds) => new("127.0.0.1", port, options.Monitors, rate, TimeSpan.FromSeconds(seconds), null,
            "BENCH-MON-", VitalsScenario.Normal, TimeSpan.FromSeconds(30), 10);
        await new MonitorSimulator(Load(0, options.WarmupSeconds), TimeProvider.System).RunAsync(CancellationToken.None);
        var max = await new MonitorSimulator(Load(0, options.MaxSeconds), TimeProvider.System).RunAsync(CancellationToken.None);
        var steady = await new MonitorSimulator(Load(options.SteadyRate, options.SteadySeconds), TimeProvider.System).RunAsync(CancellationToken.None);
        return (max, steady);
    }

    /// <summary>The steady load alone, run beside the chair-board probes.</summary>
    private static Task<SimulationSummary> DriveSteadyAsync(int port, BenchOptions options) =>
        new MonitorSimulator(new SimulationOptions("127.0.0.1", port, options.Monitors, options.SteadyRate, TimeSpan.FromSeconds(options.AlertProbes + 10), null,
            "BENCH-MON-", VitalsScenario.Normal, TimeSpan.FromSeconds(30), 10), TimeProvider.System).RunAsync(CancellationToken.None);

    private static ClinicDbContext Open(string provider, string connection)
    {
        var builder = new DbContextOptionsBuilder<ClinicDbContext>();
        new DatabaseSettings(provider == "postgresql" ? DatabaseProvider.PostgreSql : DatabaseProvider.Sqlite, connection).Configure(builder);
        return new ClinicDbContext(builder.Options);
    }

    /// <summary>
    /// Chairs 1..n, each with monitor equipment:{prefix}i and a different demo patient checked in (a check-in event, as
    /// the chair workflow stores it). Returns the sessions with their monitors' equipment ids.
    /// </summary>
    private static async Task<List<(Guid SessionId, string Equipment)>> SeedMonitoredChairsAsync(string provider, string connection, int monitors, string prefix)
    {
        var now = TimeProvider.System.GetUtcNow();
        await using var db = Open(provider, connection);
        var location = await db.Locations.FirstAsync();
        var patients = await db.Patients.OrderBy(p => p.Mrn).ToListAsync();
        var seeded = new List<(Guid, string)>();
        for (var i = 0; i < monitors; i++)
        {
            var chair = new Chair { Id = Guid.NewGuid(), LocationId = location.Id, Name = $"{prefix}chair {i + 1}", HasMonitor = true };
            db.Chairs.Add(chair);
            db.MonitorDevices.Add(new MonitorDevice { Id = Guid.NewGuid(), DeviceKey = $"equipment:{prefix}{i + 1}", ChairId = chair.Id, Description = $"Bench monitor {prefix}{i + 1}", CreatedAt = now });
            var patient = patients[i % patients.Count];
            var course = new TreatmentCourse { Id = Guid.NewGuid(), PatientId = patient.Id, LocationId = location.Id, Route = "iv", ProtocolCode = "iv-racemic-ketamine", Status = "active", CreatedAt = now };
            db.TreatmentCourses.Add(course);
            var session = new TreatmentSession { Id = Guid.NewGuid(), CourseId = course.Id, PatientId = patient.Id, LocationId = location.Id, ChairId = chair.Id, SequenceNumber = 1, ScheduledStart = now.AddMinutes(-10), Status = "checked-in", CheckedInAt = now.AddMinutes(-15) };
            db.TreatmentSessions.Add(session);
            db.SessionEvents.Add(new SessionEventRow { SessionId = session.Id, Sequence = 1, Kind = "check-in", Payload = "{}", ActorId = "bench", ActorName = "Bench nurse", ActorRole = "nurse", At = now.AddMinutes(-15) });
            seeded.Add((session.Id, prefix + (i + 1).ToString(CultureInfo.InvariantCulture)));
        }
        await db.SaveChangesAsync();
        return seeded;
    }

    private static async Task<(int Messages, int Vitals)> CountStoredAsync(string provider, string connection)
    {
        await using var db = Open(provider, connection);
        return (await db.Hl7InboundMessages.CountAsync(m => m.AckCode == "AA"), await db.VitalSigns.CountAsync());
    }

    private static async Task<string> ServerSettingAsync(string connection, string name)
    {
        await using var c = new NpgsqlConnection(connection);
        await c.OpenAsync();
        await using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT current_setting(@name)";
        cmd.Parameters.AddWithValue("name", name);
        return (string)(await cmd.ExecuteScalarAsync())!;
    }

    private static void PrintTable(List<BenchResult> results)
    {
        var ceiling = results.Find(r => r.Target == "medplum")?.Max?.MessagesPerSecond;
        Console.WriteLine();
        Console.WriteLine("| target | max msg/s | p50 / p99 ms at max | steady msg/s | p50 / p99 / max ms at steady | vs ACK-only | alert on chair board, quiet: p50 / p95 / max ms | alert on chair board, beside the steady load | note |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|---|");
        foreach (var r in results)
        {
            if (r.Max is null || r.Steady is null)
            {
                Console.WriteLine($"| {r.Target} | - | - | - | - | - | - | - | {r.Note} |");
                continue;
            }
            var ratio = ceiling is > 0 ? (r.Max.MessagesPerSecond / ceiling.Value).ToString("0.00", CultureInfo.InvariantCulture) : "-";
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {r.Target} | {r.Max.MessagesPerSecond:0} | {r.Max.AckLatencyP50Ms:0.00} / {r.Max.AckLatencyP99Ms:0.00} | {r.Steady.MessagesPerSecond:0} | {r.Steady.AckLatencyP50Ms:0.00} / {r.Steady.AckLatencyP99Ms:0.00} / {r.Steady.AckLatencyMaxMs:0.0} | {ratio} | {Board(r.Board?.Quiet)} | {Board(r.Board?.Loaded)} | {r.Note} |"));
        }
    }

    private static string Board(BoardLatencySummary? b) => b switch
    {
        null => "-",
        { Skipped: { } why } => "not measured: " + why,
        _ => string.Create(CultureInfo.InvariantCulture, $"{b.P50Ms:0} / {b.P95Ms:0} / {b.MaxMs:0} ({b.Samples} alerts{(b.Missed > 0 ? $", {b.Missed} not shown within 30 s" : "")}{(b.SteadyMessagesPerSecond > 0 ? $", {b.SteadyMessagesPerSecond:0} msg/s beside" : "")})"),
    };

    private static int FreePort()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }

    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "KetaClinic.slnx")))
        {
            dir = dir.Parent;
        }
        return dir?.FullName ?? throw new InvalidOperationException("Run the benchmark from inside the repository.");
    }
}

internal sealed record BenchResult(string Target, SimulationSummary? Max, SimulationSummary? Steady, BoardLatencies? Board, string Note);

internal sealed record BenchOptions(IReadOnlyList<string> Targets, int Monitors, double WarmupSeconds, double MaxSeconds, double SteadyRate, double SteadySeconds, int AlertProbes)
{
    public static BenchOptions Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            values[args[i].TrimStart('-')] = args[i + 1];
        }
        double Number(string name, double fallback) => values.TryGetValue(name, out var t) ? double.Parse(t, CultureInfo.InvariantCulture) : fallback;
        return new BenchOptions(
            values.GetValueOrDefault("targets", "sqlite,postgresql,medplum").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
            (int)Number("monitors", 50),
            Number("warmup", 30), // past tiered JIT: at 5 s the hot path still ran quick-jitted code and the JIT took a quarter of the CPU
            Number("max-seconds", 20),
            Number("steady-rate", 500),
            Number("steady-seconds", 30),
            (int)Number("alert-probes", 20));
    }
}

/// <summary>A child process whose output is kept for error messages; killed (with its children) on dispose.</summary>
internal sealed class ChildProcess : IDisposable
{
    private readonly Process _process;
    private readonly System.Text.StringBuilder _log = new();

    public ChildProcess(ProcessStartInfo start)
    {
        _process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {start.FileName}");
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    private void Append(string? line)
    {
        lock (_log)
        {
            // KETACLINIC_BENCH_APP_LOG=<file> keeps the app's console output, to see what it logged under load.
            if (Environment.GetEnvironmentVariable("KETACLINIC_BENCH_APP_LOG") is { Length: > 0 } file)
            {
                File.AppendAllText(file, line + "\n");
            }

            _log.AppendLine(line);
        }
    }

    private string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    public async Task WaitHttpAsync(string url, TimeSpan limit)
    {
        using var http = new HttpClient();
        var started = TimeProvider.System.GetTimestamp();
        while (TimeProvider.System.GetElapsedTime(started) < limit)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException("The app exited during start:\n" + Log);
            }
            try
            {
                if ((await http.GetAsync(new Uri(url))).StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            await Task.Delay(250);
        }
        throw new TimeoutException($"{url} did not answer:\n{Log}");
    }

    public async Task WaitTcpAsync(int port, TimeSpan limit)
    {
        var started = TimeProvider.System.GetTimestamp();
        while (TimeProvider.System.GetElapsedTime(started) < limit)
        {
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(100);
            }
        }
        throw new TimeoutException($"nothing listens on {port}:\n{Log}");
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }
        _process.Dispose();
    }
}
