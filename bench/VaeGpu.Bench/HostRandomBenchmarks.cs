using BenchmarkDotNet.Attributes;
using VaeGpu.Runtime;
using VaeGpu.Runtime.HostPath;

namespace VaeGpu.Bench;

/// <summary>
/// Philox fills on the host path. 1M is above a VAE step's needs (128 x 20 normals per step) but shows per-call
/// cost; 16M (64 MiB) is past the caches and shows the sustained rate. Target: 100 million normals/s or more.
/// </summary>
[SteadyJob]
[Config(typeof(RandomConfig))]
public class HostRandomBenchmarks
{
    [Params(1 << 20, 1 << 24)]
    public int Length { get; set; }

    IBackend? backend;
    Tensor? destination;
    ulong stream;

    [GlobalSetup]
    public void Setup()
    {
        backend = new HostBackend();
        destination = backend.Allocate(1, Length);
    }

    [GlobalCleanup]
    public void Cleanup() => backend?.Dispose();

    // A new stream per call: each call draws fresh numbers, as training does, at the same cost.
    [Benchmark]
    public void FillNormal() => backend!.FillNormal(destination!, seed: 42, stream: stream++);

    [Benchmark]
    public void FillUniform() => backend!.FillUniform(destination!, seed: 42, stream: stream++);

    /// <summary>Bernoulli draws in place (--binarize dynamic); after the first call the values are 0 and 1, which costs the same.</summary>
    [Benchmark]
    public void Binarize() => backend!.Binarize(destination!, seed: 42, stream: stream++);
}
