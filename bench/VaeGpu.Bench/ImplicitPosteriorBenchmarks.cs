using BenchmarkDotNet.Attributes;
using VaeGpu.Kernels;
using VaeGpu.Runtime;
using VaeGpu.Runtime.Devices;
using VaeGpu.Runtime.ImplicitPosterior;

namespace VaeGpu.Bench;

/// <summary>
/// The Gamma and Dirichlet encoders' step at the canonical latent shape (128 x 20): forward, then the implicit path-wise
/// backward, beside ReparameterizationBenchmarks' Gaussian step. Each element draws a Gamma and evaluates its implicit
/// gradient, so this is the price of a posterior without a transform z = g(theta, eps).
/// </summary>
public abstract class ImplicitPosteriorBenchmarks
{
    const int Batch = 128, Latent = 20;

    IBackend backend = null!;
    IImplicitPosteriorOperations operations = null!;
    Tensor head = null!, z = null!, kl = null!, logRatio = null!, dz = null!, dHead = null!;

    [Params(Posterior.Gamma, Posterior.Dirichlet)]
    public Posterior Posterior { get; set; }

    protected abstract IBackend CreateBackend();

    [GlobalSetup]
    public void Setup()
    {
        backend = CreateBackend();
        operations = ImplicitPosteriorOperations.For(backend);
        int width = ImplicitPosteriorMath.HeadColumns(Posterior) * Latent;
        var random = new Random(3);
        head = backend.Allocate(Batch, width);
        backend.Upload(Enumerable.Range(0, Batch * width).Select(_ => random.NextSingle() * 3f - 1f).ToArray(), head);
        (z, kl, logRatio, dz, dHead) = (backend.Allocate(Batch, Latent), backend.Allocate(Batch, 1), backend.Allocate(Batch, 1), backend.Allocate(Batch, Latent), backend.Allocate(Batch, width));
        backend.Upload(Enumerable.Range(0, Batch * Latent).Select(_ => random.NextSingle() - 0.5f).ToArray(), dz);
    }

    [GlobalCleanup]
    public void Cleanup() => backend.Dispose();

    [Benchmark]
    public void ForwardAndBackward()
    {
        operations.Forward(Posterior, head, 1, 2, z, kl, logRatio);
        operations.Backward(Posterior, head, 1, 2, z, dz, 1f / Batch, dHead);
        backend.Synchronize();
    }
}

/// <summary>The host path.</summary>
[SteadyJob]
public class HostImplicitPosteriorBenchmarks : ImplicitPosteriorBenchmarks
{
    protected override IBackend CreateBackend() => new VaeGpu.Runtime.HostPath.HostBackend();
}

/// <summary>ILGPU's CPU accelerator (a GPU simulator): the same kernels a GPU runs, for comparison, not speed.</summary>
[SimulatorJob]
public class IlgpuCpuImplicitPosteriorBenchmarks : ImplicitPosteriorBenchmarks
{
    protected override IBackend CreateBackend() => DeviceCatalog.Open(DeviceRequest.Parse("cpu"));
}
