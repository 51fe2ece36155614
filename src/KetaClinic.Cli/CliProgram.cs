using System.Text.Json;
using KetaClinic.App;
using KetaClinic.Cli.Clinical;
using KetaClinic.Cli.Monitors;
using KetaClinic.App.Data;
using KetaClinic.App.Demo;
using KetaClinic.App.Features.ControlledSubstances;
using KetaClinic.App.Features.Users;
using KetaClinic.App.Security;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace KetaClinic.Cli;

/// <summary>
/// Administration, verification and clinical commands. Output is one JSON object on standard output; the exit code
/// is 0 for success, 1 when a check fails (e.g. a broken audit chain) and 2 for usage or input errors. The clinical
/// commands (score, outcome, evaluate) are pure functions of their input and never open the database.
/// </summary>
public static class CliProgram
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public const string Usage = """
        ketaclinic <command> [options]

        Clinical commands (no database; one compact JSON object per line; bad input: {"error": "..."} and exit 2):
          score <instrument> <answer>...             Score answers given in item order, e.g. score phq9 1 2 0 3 1 0 2 1 0.
                                                      Instruments: phq9, gad7, qids-sr16, madrs, cadss6, cssrs-screener
                                                      (C-SSRS: 7 answers for items 1-5, 6, 6-recent; '-' for an item not asked).
                                                      The PHQ-9 function question is not given.
          outcome                                     Classify a course (baseline, change, response, remission, relapse)
                                                      from JSON on standard input.
          evaluate                                    Eligibility decision with reasons, TRD finding, Maudsley score and
                                                      Thase-Rush stage, from JSON on standard input.
          schedule propose [--file PATH]              Propose a whole treatment series on a clinic calendar, or name the
                                                      constraint that rules it out (exit 1), from JSON (stdin or --file).
          schedule replan [--file PATH]               Re-fit the series hit by a chair or nurse becoming unavailable and
                                                      report who moved (exit 1 when some could not be re-fitted).
          (Input formats: README.md, "Command-line tools".)

        Monitor simulator (no database; one JSON summary; exit 1 when a message got no ACK after every resend):
          monitor simulate --host H --port P --monitors N --rate R [--duration S] [--count M]
                           [--device-prefix X] [--first K] [--scenario normal|hypertension|desaturation]
                           [--ack-timeout MS] [--max-attempts A]
                                                      N monitors (equipment X<K>, X<K+1>... in OBX-18; default
                                                      DEMO-MON-1...) send ORU^R01 vitals at R messages/s in all
                                                      (0: as fast as ACKs return), resend on a lost ACK, and
                                                      report AA/AE/AR counts and ACK latency.

        Administration commands:
          admin create --email EMAIL --name "NAME"   Create an administrator; the password is read from standard input.
          audit verify                                Recompute the audit log's hash chain and report the first broken link.
          ledger verify                               Recompute the controlled-substance ledger's hash chain, check its head
                                                      and every invariant after every entry; report the first broken entry.

        Database options (default: the same settings as the app, from appsettings.json and environment variables):
          --provider sqlite|postgresql
          --connection "CONNECTION STRING"
          --data-dir DIR                              SQLite data directory (default ./data)
        """;

    public static Task<int> RunAsync(string[] args, TextReader stdin, TextWriter stdout, TextWriter stderr) =>
        RunAsync(args, stdin, stdout, stderr, TimeProvider.System);

    /// <param name="clock">Gives "today" to <c>evaluate</c> when the input has no evaluatedOn.</param>
    public static Task<int> RunAsync(string[] args, TextReader stdin, TextWriter stdout, TextWriter stderr, TimeProvider clock) =>
        RunAsync(args, stdin, stdout, stderr, clock, CancellationToken.None);

    /// <param name="ct">Stops a long-running command (the monitor simulator) early; it still prints its summary.</param>
    public static async Task<int> RunAsync(string[] args, TextReader stdin, TextWriter stdout, TextWriter stderr, TimeProvider clock, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(stdin);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        ArgumentNullException.ThrowIfNull(clock);

        // Stateless commands first: they must work without a database or its settings.
        if (args.Length > 0 && ClinicalCommands.Handles(args[0]))
        {
            return await ClinicalCommands.RunAsync(args, stdin, stdout, clock);
        }
        if (args.Length > 0 && MonitorCommands.Handles(args[0]))
        {
            return await MonitorCommands.RunAsync(args, stdout, clock, ct);
        }

        var positional = args.TakeWhile(a => !a.StartsWith("--", StringComparison.Ordinal)).ToList();
        var options = ParseOptions(args.Skip(positional.Count).ToList());
        if (options is null || positional.Count != 2)
        {
            await stderr.WriteLineAsync(Usage);
            return 2;
        }
        await using var services = BuildServices(options);
        var command = $"{positional[0]} {positional[1]}";
        try
        {
            return command switch
            {
                "audit verify" => await VerifyAuditAsync(services, stdout),
                "ledger verify" => await VerifyLedgerAsync(services, stdout),
                "admin create" => await CreateAdminAsync(services, options, stdin, stdout),
                _ => await UsageError(stderr),
            };
        }
        catch (Exception ex) when (ex is InvalidOperationException or DbUpdateException or System.Data.Common.DbException)
        {
            await Write(stdout, new { ok = false, error = ex.Message });
            return 2;
        }
    }

    private static async Task<int> UsageError(TextWriter stderr)
    {
        await stderr.WriteLineAsync(Usage);
        return 2;
    }

    private static async Task<int> VerifyAuditAsync(ServiceProvider services, TextWriter stdout)
    {
        var factory = services.GetRequiredService<IDbContextFactory<ClinicDbContext>>();
        await using var db = await factory.CreateDbContextAsync();
        var result = await AuditTrail.VerifyAsync(db, CancellationToken.None);
        await Write(stdout, new { ok = result.Intact, intact = result.Intact, entriesChecked = result.EntriesChecked, firstBrokenSequence = result.FirstBrokenSequence, problem = result.Problem });
        return result.Intact ? 0 : 1;
    }

    private static async Task<int> VerifyLedgerAsync(ServiceProvider services, TextWriter stdout)
    {
        var factory = services.GetRequiredService<IDbContextFactory<ClinicDbContext>>();
        await using var db = await factory.CreateDbContextAsync();
        var result = await LedgerVerifier.VerifyAsync(db, CancellationToken.None);
        await Write(stdout, new
        {
            ok = result.Intact,
            intact = result.Intact,
            entriesChecked = result.EntriesChecked,
            firstBrokenSequence = result.FirstBrokenSequence,
            problem = result.Problem,
            invariantViolations = result.InvariantViolations,
        });
        return result.Intact ? 0 : 1;
    }

    private static async Task<int> CreateAdminAsync(ServiceProvider services, Dictionary<string, string> options, TextReader stdin, TextWriter stdout)
    {
        await services.GetRequiredService<ClinicBootstrap>().RunAsync(CancellationToken.None);
        options.TryGetValue("email", out var email);
        options.TryGetValue("name", out var name);
        var password = await stdin.ReadLineAsync();
        var admin = services.GetRequiredService<UserAdministration>();
        var actor = new Actor("cli", "ketaclinic admin create", [ClinicRoles.Administrator], "local");
        var result = await admin.CreateAsync(new CreateUserRequest(email, name, [ClinicRoles.Administrator], password), actor, CancellationToken.None);
        if (!result.IsOk)
        {
            await Write(stdout, new { ok = false, errors = result.Errors.Select(e => new { field = e.Field, message = e.Message }) });
            return 2;
        }
        await Write(stdout, new { ok = true, user = new { result.Value!.Id, result.Value.Email, result.Value.Roles } });
        return 0;
    }

    private static Dictionary<string, string>? ParseOptions(List<string> rest)
    {
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < rest.Count; i += 2)
        {
            if (!rest[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= rest.Count)
            {
                return null;
            }
            options[rest[i][2..]] = rest[i + 1];
        }
        return options;
    }

    private static ServiceProvider BuildServices(Dictionary<string, string> options)
    {
        var overrides = new Dictionary<string, string?>();
        if (options.TryGetValue("provider", out var provider))
        {
            overrides["Database:Provider"] = provider;
        }
        if (options.TryGetValue("connection", out var connection))
        {
            overrides["ConnectionStrings:Clinic"] = connection;
        }
        if (options.TryGetValue("data-dir", out var dataDir))
        {
            overrides["Data:Directory"] = Path.GetFullPath(dataDir);
        }
        var configuration = new ConfigurationBuilder()
            .SetBasePath(Directory.GetCurrentDirectory())
            .AddJsonFile("appsettings.json", optional: true)
            .AddEnvironmentVariables()
            .AddInMemoryCollection(overrides)
            .Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging(b => b.AddConfiguration(configuration).SetMinimumLevel(LogLevel.Warning));
        services.AddDataProtection();
        services.AddClinicCore(configuration, Directory.GetCurrentDirectory());
        return services.BuildServiceProvider();
    }

    private static Task Write(TextWriter stdout, object value) => stdout.WriteLineAsync(JsonSerializer.Serialize(value, Json));
}
