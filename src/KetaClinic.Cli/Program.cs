namespace KetaClinic.Cli;

internal static class EntryPoint
{
    public static async Task<int> Main(string[] args)
    {
        using var cancel = new CancellationTokenSource();
        // Ctrl+C ends a running simulation with its summary instead of killing the process.
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };
        return await CliProgram.RunAsync(args, Console.In, Console.Out, Console.Error, TimeProvider.System, cancel.Token);
    }
}
