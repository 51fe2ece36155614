using System.Globalization;
using System.Text.Json;
using KetaClinic.Cli.Clinical;

namespace KetaClinic.Cli.Monitors;

/// <summary><c>monitor simulate</c>: simulated bedside monitors sending ORU^R01 over MLLP; prints one JSON summary.</summary>
internal static class MonitorCommands
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static bool Handles(string command) => command == "monitor";

    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter stdout, TimeProvider clock, CancellationToken ct)
    {
        try
        {
            if (args.Count < 2 || args[1] != "simulate")
            {
                throw new CliInputException("Use: monitor simulate --host H --port P --monitors N --rate R [--duration S] [--count M] [--device-prefix X] [--first N] [--scenario normal|hypertension|desaturation] [--ack-timeout MS] [--max-attempts A]");
            }
            var options = Parse(args.Skip(2).ToList());
            var summary = await new MonitorSimulator(options, clock).RunAsync(ct);
            await stdout.WriteLineAsync(JsonSerializer.Serialize(summary, Json));
            return summary.Failed == 0 ? ClinicalCommands.Success : 1;
        }
        catch (CliInputException ex)
        {
            await stdout.WriteLineAsync(JsonSerializer.Serialize(new { error = ex.Message }, Json));
            return ClinicalCommands.BadInput;
        }
    }

    public static SimulationOptions Parse(IReadOnlyList<string> rest)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < rest.Count; i += 2)
        {
            if (!rest[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= rest.Count)
            {
                throw new CliInputException($"'{rest[i]}': options are --name value pairs.");
            }
            values[rest[i][2..]] = rest[i + 1];
        }
        var known = new[] { "host", "port", "monitors", "rate", "duration", "count", "device-prefix", "first", "scenario", "ack-timeout", "max-attempts", "seed" };
        if (values.Keys.FirstOrDefault(k => !known.Contains(k)) is { } unknown)
        {
            throw new CliInputException($"--{unknown} is not an option of monitor simulate.");
        }
        double Number(string name, double fallback, double min, double max)
        {
            if (!values.TryGetValue(name, out var text))
            {
                return fallback;
            }
            if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
            {
                throw new CliInputException(string.Create(CultureInfo.InvariantCulture, $"--{name} must be a number from {min} to {max}."));
            }
            return value;
        }
        var scenarioText = values.GetValueOrDefault("scenario", "normal");
        var scenario = scenarioText switch
        {
            "normal" => VitalsScenario.Normal,
            "hypertension" => VitalsScenario.Hypertension,
            "desaturation" => VitalsScenario.Desaturation,
            _ => throw new CliInputException($"--scenario '{scenarioText}' is not one of normal, hypertension, desaturation."),
        };
        var prefix = values.GetValueOrDefault("device-prefix", "DEMO-MON-");
        if (prefix.IndexOfAny(['|', '^', '~', '\\', '&', '\r', '\n']) >= 0)
        {
            throw new CliInputException("--device-prefix cannot hold HL7 delimiters (| ^ ~ \\ &).");
        }
        return new SimulationOptions(
            Host: values.GetValueOrDefault("host", "127.0.0.1"),
            Port: (int)Number("port", 2575, 1, 65535),
            Monitors: (int)Number("monitors", 1, 1, 1000),
            RatePerSecond: Number("rate", 1, 0, 1_000_000),
            Duration: values.ContainsKey("duration") ? TimeSpan.FromSeconds(Number("duration", 0, 0.1, 86_400)) : null,
            MaxMessages: values.ContainsKey("count") ? (int)Number("count", 0, 1, int.MaxValue) : null,
            DevicePrefix: prefix,
            Scenario: scenario,
            AckTimeout: TimeSpan.FromMilliseconds(Number("ack-timeout", 10_000, 10, 600_000)),
            MaxAttempts: (int)Number("max-attempts", 10, 1, 10_000),
            FirstMonitorNumber: (int)Number("first", 1, 0, 1_000_000),
            Seed: (int)Number("seed", 1, 0, int.MaxValue));
    }
}
