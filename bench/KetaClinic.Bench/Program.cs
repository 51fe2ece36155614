using BenchmarkDotNet.Running;

if (args is ["scheduling-figures"])
{
    KetaClinic.Bench.SchedulingScenarios.PrintFigures();
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(KetaClinic.Bench.AuditChainBenchmarks).Assembly).Run(args);
