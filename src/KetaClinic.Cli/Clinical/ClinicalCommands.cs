using System.Text.Encodings.Web;
using System.Text.Json;
using KetaClinic.Domain.Evaluation;
using KetaClinic.Domain.Instruments;
using KetaClinic.Domain.Outcomes;
using KetaClinic.Domain.Protocols;

namespace KetaClinic.Cli.Clinical;

/// <summary>
/// The stateless clinical commands (score, outcome, evaluate): pure domain functions, no database. Each prints one
/// compact JSON object on one line; bad input prints <c>{"error": "..."}</c> naming the item or JSON path and the rule,
/// and exits 2.
/// </summary>
internal static class ClinicalCommands
{
    public const int Success = 0;
    public const int BadInput = 2;

    // Relaxed escaping keeps "–", "≥" and "<" readable on a terminal; the output is never embedded in HTML.
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = false,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static bool Handles(string command) => command is "score" or "outcome" or "evaluate" or "schedule";

    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextReader stdin, TextWriter stdout, TimeProvider clock)
    {
        try
        {
            if (args[0] == "schedule")
            {
                return await ScheduleAsync(args, stdin, stdout);
            }

            var result = args[0] switch
            {
                "score" => ScoreCommand.Run(args.Skip(1).ToList(), InstrumentCatalog.BuiltIn),
                "outcome" => OutcomeCommand.Run(await ReadObjectAsync(args, stdin, "outcome"), InstrumentCatalog.BuiltIn, OutcomeSettings.Default),
                "evaluate" => EvaluateCommand.Run(
                    await ReadObjectAsync(args, stdin, "evaluate"),
                    DateOnly.FromDateTime(clock.GetLocalNow().DateTime),
                    EligibilityRuleSet.Default),
                _ => throw new CliInputException($"Unknown command '{args[0]}'."),
            };
            await stdout.WriteLineAsync(JsonSerializer.Serialize(result, Json));
            return Success;
        }
        catch (CliInputException ex)
        {
            await stdout.WriteLineAsync(JsonSerializer.Serialize(new { error = ex.Message }, Json));
            return BadInput;
        }
    }

    private static async Task<int> ScheduleAsync(IReadOnlyList<string> args, TextReader stdin, TextWriter stdout)
    {
        var sub = args.Count > 1 ? args[1] : null;
        if (sub is not ("propose" or "replan"))
        {
            throw new CliInputException("Use 'schedule propose' or 'schedule replan', reading one JSON object on standard input or from --file PATH.");
        }

        string text;
        if (args.Count == 4 && args[2] == "--file")
        {
            text = File.Exists(args[3])
                ? await File.ReadAllTextAsync(args[3])
                : throw new CliInputException($"--file: '{args[3]}' does not exist.");
        }
        else if (args.Count == 2)
        {
            text = await stdin.ReadToEndAsync();
        }
        else
        {
            throw new CliInputException($"schedule {sub} takes only --file PATH; without it, it reads one JSON object on standard input.");
        }

        using var document = JsonInput.Parse(text);
        var (output, exit) = sub == "propose"
            ? ScheduleCommand.Propose(document.RootElement, ProtocolLibrary.Default)
            : ScheduleCommand.Replan(document.RootElement, ProtocolLibrary.Default);
        await stdout.WriteLineAsync(JsonSerializer.Serialize(output, Json));
        return exit;
    }

    private static async Task<JsonElement> ReadObjectAsync(IReadOnlyList<string> args, TextReader stdin, string command)
    {
        if (args.Count > 1)
        {
            throw new CliInputException($"{command} takes no arguments; it reads one JSON object on standard input.");
        }

        var text = await stdin.ReadToEndAsync();
        using var document = JsonInput.Parse(text);
        return document.RootElement.Clone();
    }
}
