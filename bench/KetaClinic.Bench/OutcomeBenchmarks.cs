using System.Data.Common;
using System.Globalization;
using BenchmarkDotNet.Attributes;
using KetaClinic.App;
using KetaClinic.App.Components.Measurement;
using KetaClinic.App.Data;
using KetaClinic.App.Demo;
using KetaClinic.App.Features.Measurement;
using KetaClinic.App.Security;
using KetaClinic.Domain.Outcomes;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace KetaClinic.Bench;

/// <summary>
/// The clinic outcome dashboard over a large clinic (100,000 patients, about 2 million scores) and one patient's
/// chart (handler plus server-side rendering of the SVG charts). PostgreSQL runs when KETACLINIC_BENCH_POSTGRES
/// holds a connection string to an empty database; SQLite always runs.
/// </summary>
[MemoryDiagnoser]
public class OutcomeBenchmarks
{
    private ServiceProvider _services = null!;
    private OutcomeQueries _queries = null!;
    private Guid _chartPatient;
    private string _dir = string.Empty;
    private string? _pgDatabase;
    private string? _pgServer;
    private readonly Actor _actor = new("bench", "physician@demo.clinic", [ClinicRoles.Physician], "127.0.0.1");

    [Params("sqlite", "postgresql")]
    public string Provider { get; set; } = "sqlite";

    [Params(100_000)]
    public int Patients { get; set; }

    public int Scores { get; private set; }

    [GlobalSetup]
    public void Setup()
    {
        _dir = Path.Combine(Path.GetTempPath(), "ketaclinic-bench", Guid.NewGuid().ToString("N"));
        var settings = new Dictionary<string, string?> { ["Data:Directory"] = _dir, ["Demo:Enabled"] = "false" };
        if (Provider == "postgresql")
        {
            // A fresh database per run (each benchmark case runs in its own process), dropped at clean-up.
            var server = new NpgsqlConnectionStringBuilder(Environment.GetEnvironmentVariable("KETACLINIC_BENCH_POSTGRES")
                ?? throw new InvalidOperationException("Set KETACLINIC_BENCH_POSTGRES to a PostgreSQL connection string (a user that may create databases)."));
            _pgDatabase = "ketaclinic_bench_" + Guid.NewGuid().ToString("N")[..12];
            using (var admin = new NpgsqlConnection(server.ConnectionString))
            {
                admin.Open();
                using var create = admin.CreateCommand();
                create.CommandText = $"CREATE DATABASE {_pgDatabase}";
                create.ExecuteNonQuery();
            }
            _pgServer = server.ConnectionString;
            settings["Database:Provider"] = "postgresql";
            settings["ConnectionStrings:Clinic"] = new NpgsqlConnectionStringBuilder(server.ConnectionString) { Database = _pgDatabase, CommandTimeout = 900 }.ConnectionString;
        }
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Warning));
        services.AddDataProtection();
        services.AddClinicCore(configuration, _dir);
        _services = services.BuildServiceProvider();
        _services.GetRequiredService<DatabaseMigrator>().Migrate();
        Load();
        _queries = _services.GetRequiredService<OutcomeQueries>();
        Console.WriteLine($"// Loaded {Patients} patients and {Scores} scores into {Provider}.");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _services.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
        if (_pgDatabase is not null)
        {
            NpgsqlConnection.ClearAllPools();
            using var admin = new NpgsqlConnection(_pgServer);
            admin.Open();
            using var drop = admin.CreateCommand();
            drop.CommandText = $"DROP DATABASE IF EXISTS {_pgDatabase} WITH (FORCE)";
            drop.ExecuteNonQuery();
        }
    }

    [Benchmark]
    public async Task<int> DashboardAllCourses() =>
        (await _queries.DashboardAsync(new OutcomeDashboardQuery("phq9", null, null, null), _actor, CancellationToken.None)).Value!.Overall.Courses;

    [Benchmark]
    public async Task<int> DashboardOneYear() =>
        (await _queries.DashboardAsync(new OutcomeDashboardQuery("phq9", new DateOnly(2026, 1, 1), new DateOnly(2026, 12, 31), null), _actor, CancellationToken.None)).Value!.Overall.Courses;

    [Benchmark]
    public async Task<int> PatientChartPage()
    {
        var outcomes = (await _queries.PatientAsync(_chartPatient, null, _actor, CancellationToken.None)).Value!;
        await using var renderer = new HtmlRenderer(_services, _services.GetRequiredService<ILoggerFactory>());
        var length = 0;
        foreach (var instrument in outcomes.Instruments)
        {
            var html = await renderer.Dispatcher.InvokeAsync(async () =>
            {
                var output = await renderer.RenderComponentAsync<ScoreChart>(ParameterView.FromDictionary(new Dictionary<string, object?>
                {
                    [nameof(ScoreChart.Outcome)] = instrument,
                    [nameof(ScoreChart.Sessions)] = outcomes.Course?.Sessions ?? [],
                }));
                return output.ToHtmlString();
            });
            length += html.Length;
        }
        return length;
    }

    /// <summary>Synthetic treatment histories (the demo generator), bulk-loaded without the app's per-row path.</summary>
    private void Load()
    {
        var instruments = _services.GetRequiredService<ClinicInstruments>();
        var projector = _services.GetRequiredService<OutcomeProjector>();
        var zone = TimeZoneInfo.FindSystemTimeZoneById("America/Chicago");
        var now = new DateTimeOffset(2026, 11, 23, 18, 0, 0, TimeSpan.Zero);
        var histories = new DemoTreatmentHistory(instruments.Catalog, new Random(7));
        var random = new Random(11);
        var location = Guid.NewGuid();
        string[] diagnoses = ["F33.2", "F33.1", "F32.2", "F32.1", "F31.81"];

        var patients = new List<object?[]>(Patients);
        var courses = new List<object?[]>(Patients);
        var responses = new List<object?[]>(2_100_000);
        var outcomes = new List<object?[]>(Patients);
        for (var i = 0; i < Patients; i++)
        {
            var id = Guid.NewGuid();
            var family = "Bench" + i.ToString(CultureInfo.InvariantCulture);
            patients.Add([id, "KC" + i.ToString("D8", CultureInfo.InvariantCulture), "Pat", family, new DateOnly(1960 + (i % 40), 1 + (i % 12), 1 + (i % 28)), "female",
                $"PAT {family.ToUpperInvariant()}", 1, now, now]);
            var h = histories.Build(id, location, _ => Guid.NewGuid(), random.Next(30, 420), now, zone);
            courses.Add([h.Course.Id, id, location, h.Course.Route, h.Course.ProtocolCode, h.Course.Status, h.Course.CreatedAt]);
            foreach (var r in h.Responses)
            {
                responses.Add([r.Id, id, r.InstrumentId, r.InstrumentVersion, r.Answers, r.Total, r.SeverityCode, r.Flags, r.TakenAt, r.RecordedAt, r.RecordedBy, r.RecordedByName, r.Source]);
            }
            var rows = projector.Project(id, [h.Course], h.Sessions.Where(s => s.Status == "completed").Select(s => (s.CourseId, s.ScheduledStart)).ToList(),
                h.Responses.Where(r => r.Total is not null).Select(r => new AssessmentScore(r.InstrumentId, r.Total!.Value, r.TakenAt)).ToList(), diagnoses[i % diagnoses.Length], now);
            foreach (var o in rows)
            {
                outcomes.Add([o.CourseId, o.InstrumentId, id, location, o.Route, o.ProtocolCode, o.DiagnosisCode, o.CourseStartedAt, o.Status, o.BaselineTotal, o.LatestTotal,
                    o.ChangePercent, o.FirstResponseAt, o.FirstRemissionAt, o.RelapseAt, o.SessionsToResponse, o.DaysToRelapse, o.Assessments, now]);
            }
            if (i == Patients / 2)
            {
                _chartPatient = id;
            }
        }
        Scores = responses.Count;

        using var connection = _services.GetRequiredService<DatabaseMigrator>().OpenConnection();
        Insert(connection, "locations", ["id", "name", "time_zone"], [[location, "Bench clinic", "America/Chicago"]]);
        Insert(connection, "patients", ["id", "mrn", "legal_given_name", "legal_family_name", "date_of_birth", "sex", "search_name", "version", "created_at", "updated_at"], patients);
        Insert(connection, "treatment_courses", ["id", "patient_id", "location_id", "route", "protocol_code", "status", "created_at"], courses);
        Insert(connection, "instrument_responses", ["id", "patient_id", "instrument_id", "instrument_version", "answers", "total", "severity_code", "flags", "taken_at", "recorded_at", "recorded_by", "recorded_by_name", "source"], responses);
        Insert(connection, "course_outcomes", ["course_id", "instrument_id", "patient_id", "location_id", "route", "protocol_code", "diagnosis_code", "course_started_at", "status", "baseline_total", "latest_total",
            "change_percent", "first_response_at", "first_remission_at", "relapse_at", "sessions_to_response", "days_to_relapse", "assessments", "updated_at"], outcomes);
        using var analyze = connection.CreateCommand();
        analyze.CommandText = "ANALYZE";
        analyze.ExecuteNonQuery();
    }

    private static void Insert(DbConnection connection, string table, string[] columns, List<object?[]> rows)
    {
        if (connection is NpgsqlConnection pg)
        {
            using var writer = pg.BeginBinaryImport($"COPY {table} ({string.Join(", ", columns)}) FROM STDIN (FORMAT BINARY)");
            foreach (var row in rows)
            {
                writer.StartRow();
                foreach (var value in row)
                {
                    switch (value)
                    {
                        case null: writer.WriteNull(); break;
                        case string s: writer.Write(s, NpgsqlTypes.NpgsqlDbType.Text); break;
                        case DateTimeOffset t: writer.Write(t.ToUniversalTime(), NpgsqlTypes.NpgsqlDbType.TimestampTz); break;
                        case DateOnly d: writer.Write(d, NpgsqlTypes.NpgsqlDbType.Date); break;
                        case decimal m: writer.Write(m, NpgsqlTypes.NpgsqlDbType.Numeric); break;
                        case Guid g: writer.Write(g, NpgsqlTypes.NpgsqlDbType.Uuid); break;
                        case int n: writer.Write(n, NpgsqlTypes.NpgsqlDbType.Integer); break;
                        default: throw new InvalidOperationException($"No COPY mapping for {value.GetType()}.");
                    }
                }
            }
            writer.Complete();
            return;
        }
        // SQLite: one prepared statement in one transaction, values in the app's storage formats.
        using var tx = connection.BeginTransaction();
        using var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = $"INSERT INTO {table} ({string.Join(", ", columns)}) VALUES ({string.Join(", ", columns.Select((_, i) => "$p" + i.ToString(CultureInfo.InvariantCulture)))})";
        var parameters = columns.Select((_, i) =>
        {
            var p = command.CreateParameter();
            p.ParameterName = "$p" + i.ToString(CultureInfo.InvariantCulture);
            command.Parameters.Add(p);
            return p;
        }).ToArray();
        command.Prepare();
        foreach (var row in rows)
        {
            for (var i = 0; i < row.Length; i++)
            {
                parameters[i].Value = row[i] switch
                {
                    null => DBNull.Value,
                    Guid g => g.ToString().ToUpperInvariant(),
                    DateTimeOffset t => t.UtcTicks,
                    DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                    decimal m => m.ToString(CultureInfo.InvariantCulture),
                    var v => v,
                };
            }
            command.ExecuteNonQuery();
        }
        tx.Commit();
    }
}
