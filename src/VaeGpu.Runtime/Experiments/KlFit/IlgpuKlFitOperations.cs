using ILGPU;
using ILGPU.Runtime;
using VaeGpu.Kernels;
using VaeGpu.Runtime.Ilgpu;

namespace VaeGpu.Runtime.Experiments.KlFit;

/// <summary>The KL-fit operations as KlFitKernels on an ILGPU accelerator: loaded once, one launch per call.</summary>
sealed class IlgpuKlFitOperations : IKlFitOperations
{
    readonly IlgpuBackend backend;
    readonly Action<Index1D, UnivariateMixture, ulong, ulong, long, ArrayView<float>> sampleMixture;
    readonly Action<Index1D, UnivariateMixture, ulong, ulong, long, ArrayView<float>, float, int, ArrayView<float>> forwardKl, reverseKlScore, reverseKlPathwise;

    public IlgpuKlFitOperations(IlgpuBackend backend)
    {
        this.backend = backend;
        var accelerator = backend.Accelerator;
        sampleMixture = accelerator.LoadAutoGroupedStreamKernel<Index1D, UnivariateMixture, ulong, ulong, long, ArrayView<float>>(KlFitKernels.SampleMixture);
        forwardKl = LoadTerms(accelerator, KlFitKernels.ForwardKlTerms);
        reverseKlScore = LoadTerms(accelerator, KlFitKernels.ReverseKlScoreTerms);
        reverseKlPathwise = LoadTerms(accelerator, KlFitKernels.ReverseKlPathwiseTerms);
    }

    static Action<Index1D, UnivariateMixture, ulong, ulong, long, ArrayView<float>, float, int, ArrayView<float>> LoadTerms(
        Accelerator accelerator, Action<Index1D, UnivariateMixture, ulong, ulong, long, ArrayView<float>, float, int, ArrayView<float>> kernel) =>
        accelerator.LoadAutoGroupedStreamKernel(kernel);

    public void SampleMixture(UnivariateMixture mixture, ulong seed, ulong stream, long first, Tensor samples)
    {
        sampleMixture(samples.Length, mixture, seed, stream, first, backend.ViewOf(samples));
        backend.RecordLaunch();
    }

    public void ForwardKlTerms(UnivariateMixture mixture, ulong seed, ulong stream, long first, Tensor parameters, float scale, Tensor terms) =>
        LaunchTerms(forwardKl, mixture, seed, stream, first, parameters, scale, terms);

    public void ReverseKlScoreTerms(UnivariateMixture mixture, ulong seed, ulong stream, long first, Tensor parameters, float scale, Tensor terms) =>
        LaunchTerms(reverseKlScore, mixture, seed, stream, first, parameters, scale, terms);

    public void ReverseKlPathwiseTerms(UnivariateMixture mixture, ulong seed, ulong stream, long first, Tensor parameters, float scale, Tensor terms) =>
        LaunchTerms(reverseKlPathwise, mixture, seed, stream, first, parameters, scale, terms);

    void LaunchTerms(Action<Index1D, UnivariateMixture, ulong, ulong, long, ArrayView<float>, float, int, ArrayView<float>> kernel,
        UnivariateMixture mixture, ulong seed, ulong stream, long first, Tensor parameters, float scale, Tensor terms)
    {
        int count = KlFitOperations.CheckShapes(parameters, terms);
        kernel(count, mixture, seed, stream, first, backend.ViewOf(parameters), scale, count, backend.ViewOf(terms));
        backend.RecordLaunch();
    }
}
