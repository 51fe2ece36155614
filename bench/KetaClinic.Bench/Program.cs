using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(KetaClinic.Bench.AuditChainBenchmarks).Assembly).Run(args);
