namespace KetaClinic.Cli;

internal static class EntryPoint
{
    public static Task<int> Main(string[] args) => CliProgram.RunAsync(args, Console.In, Console.Out, Console.Error);
}
