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
    readonly Action<Index1D, int, int, UnivariateMixture, ulong, ulong, long, ArrayView<float>, float, int, ArrayView<float>> terms;
    readonly Action<Index1D, UnivariateMixture, ulong, ulong, long, int, float, ArrayView<float>, float, int, ArrayView<float>> renyiTerms;
    readonly Action<Index1D, ulong, ulong, long, ArrayView<float>, ArrayView<float>> mixtureQDraws;
    readonly Action<Index1D, UnivariateMixture, ulong, ulong, long, ArrayView<float>, float, ArrayView<float>> mixtureQTerms;

    public IlgpuKlFitOperations(IlgpuBackend backend)
    {
        this.backend = backend;
        sampleMixture = backend.Accelerator.LoadAutoGroupedStreamKernel<Index1D, UnivariateMixture, ulong, ulong, long, ArrayView<float>>(KlFitKernels.SampleMixture);
        terms = backend.Accelerator.LoadAutoGroupedStreamKernel<Index1D, int, int, UnivariateMixture, ulong, ulong, long, ArrayView<float>, float, int, ArrayView<float>>(KlFitKernels.Terms);
        renyiTerms = backend.Accelerator.LoadAutoGroupedStreamKernel<Index1D, UnivariateMixture, ulong, ulong, long, int, float, ArrayView<float>, float, int, ArrayView<float>>(
            KlFitKernels.RenyiTerms);
        mixtureQDraws = backend.Accelerator.LoadAutoGroupedStreamKernel<Index1D, ulong, ulong, long, ArrayView<float>, ArrayView<float>>(KlFitKernels.MixtureQDraws);
        mixtureQTerms = backend.Accelerator.LoadAutoGroupedStreamKernel<Index1D, UnivariateMixture, ulong, ulong, long, ArrayView<float>, float, ArrayView<float>>(
            KlFitKernels.ReverseKlMixtureQTerms);
    }

    public void SampleMixture(UnivariateMixture mixture, ulong seed, ulong stream, long first, Tensor samples)
    {
        sampleMixture(samples.Length, mixture, seed, stream, first, backend.ViewOf(samples));
        backend.RecordLaunch();
    }

    public void Terms(KlGradient gradient, UnivariateMixture mixture, ulong seed, ulong stream, long first, Tensor parameters, float scale, Tensor terms)
    {
        int count = KlFitOperations.CheckShapes(parameters, terms);
        this.terms(count, (int)gradient.Direction, (int)gradient.Estimator, mixture, seed, stream, first, backend.ViewOf(parameters), scale, count, backend.ViewOf(terms));
        backend.RecordLaunch();
    }

    public void RenyiTerms(UnivariateMixture mixture, int k, float alpha, ulong seed, ulong stream, long firstGroup, Tensor parameters, float scale, Tensor terms)
    {
        int count = KlFitOperations.CheckShapes(parameters, terms);
        KlFitOperations.CheckGroupSize(k);
        renyiTerms(count, mixture, seed, stream, firstGroup, k, alpha, backend.ViewOf(parameters), scale, count, backend.ViewOf(terms));
        backend.RecordLaunch();
    }

    public void MixtureQDraws(ulong seed, ulong stream, long first, Tensor parameters, Tensor draws)
    {
        int count = KlFitOperations.CheckMixtureQShapes(parameters, draws, MixtureQParameters.Count + 1, nameof(draws));
        mixtureQDraws(count, seed, stream, first, backend.ViewOf(parameters), backend.ViewOf(draws));
        backend.RecordLaunch();
    }

    public void ReverseKlMixtureQTerms(UnivariateMixture target, ulong seed, ulong stream, long first, Tensor parameters, float scale, Tensor terms)
    {
        int count = KlFitOperations.CheckMixtureQShapes(parameters, terms, MixtureQParameters.Count, nameof(terms));
        mixtureQTerms(count, target, seed, stream, first, backend.ViewOf(parameters), scale, backend.ViewOf(terms));
        backend.RecordLaunch();
    }
}
