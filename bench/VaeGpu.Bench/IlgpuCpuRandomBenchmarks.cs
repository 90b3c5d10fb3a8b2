using BenchmarkDotNet.Attributes;
using VaeGpu.Runtime;
using VaeGpu.Runtime.Devices;

namespace VaeGpu.Bench;

/// <summary>
/// The Philox fill kernels on ILGPU's CPU accelerator (a GPU simulator): a small size and the short job, as a point of
/// comparison with the host path rather than a contender. Timing includes Synchronize.
/// </summary>
[SimulatorJob]
[Config(typeof(RandomConfig))]
public class IlgpuCpuRandomBenchmarks
{
    [Params(1 << 16)]
    public int Length { get; set; }

    IBackend? backend;
    Tensor? destination;
    ulong stream;

    [GlobalSetup]
    public void Setup()
    {
        backend = DeviceCatalog.Open(DeviceRequest.Parse("cpu"));
        destination = backend.Allocate(1, Length);
        backend.Synchronize();
    }

    // Disposing the backend disposes its accelerator and then the ILGPU context.
    [GlobalCleanup]
    public void Cleanup() => backend?.Dispose();

    [Benchmark]
    public void FillNormal()
    {
        backend!.FillNormal(destination!, seed: 42, stream: stream++);
        backend.Synchronize();
    }

    [Benchmark]
    public void FillUniform()
    {
        backend!.FillUniform(destination!, seed: 42, stream: stream++);
        backend.Synchronize();
    }

    [Benchmark]
    public void Binarize()
    {
        backend!.Binarize(destination!, seed: 42, stream: stream++);
        backend.Synchronize();
    }
}
