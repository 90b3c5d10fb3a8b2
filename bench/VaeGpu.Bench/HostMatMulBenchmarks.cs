using BenchmarkDotNet.Attributes;
using VaeGpu.Runtime;
using VaeGpu.Runtime.HostPath;

namespace VaeGpu.Bench;

/// <summary>
/// The host path's matrix products against raw OpenBLAS on its own threads (the baseline, in a process of its own, where
/// no HostBackend has told OpenBLAS to use one thread): HostOpenBlas is the host team's product, one single-threaded
/// sgemm per block of rows (HostBackend), and should be within a few percent of the baseline; HostManaged is what users
/// without OpenBLAS get. RawOpenBlas1Thread is one core's share, the speed each block runs at.
/// </summary>
[SteadyJob]
[Config(typeof(MatMulConfig))]
public class HostMatMulBenchmarks : MatMulBenchmarkBase
{
    Operands? operands;

    [GlobalSetup(Target = nameof(HostOpenBlas))]
    public void SetupHostOpenBlas()
    {
        var backend = new HostBackend();
        // Without OpenBLAS HostBackend silently uses the managed product; this row would then measure the wrong thing.
        if (!backend.UsesOpenBlas) throw new InvalidOperationException("OpenBLAS not found: install libopenblas0-pthread.");
        operands = Upload(backend);
        CheckAgainstOpenBlas(operands);
    }

    [GlobalSetup(Target = nameof(HostManaged))]
    public void SetupHostManaged()
    {
        operands = Upload(new HostBackend(useOpenBlas: false));
        CheckAgainstOpenBlas(operands);
    }

    [GlobalSetup(Target = nameof(RawOpenBlas1Thread))]
    public void SetupRawOpenBlas1Thread()
    {
        RawSgemm.Threads = 1;
        Raw = NewRawSgemm();
    }

    [GlobalCleanup(Targets = [nameof(HostOpenBlas), nameof(HostManaged)])]
    public void Cleanup() => operands?.Backend.Dispose();

    [Benchmark]
    public void RawOpenBlas1Thread() => Raw!.Run();

    [Benchmark]
    public void HostOpenBlas() => operands!.Run(Shape);

    [Benchmark]
    public void HostManaged() => operands!.Run(Shape);
}
