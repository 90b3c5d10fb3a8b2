using ILGPU;
using ILGPU.Runtime;
using VaeGpu.Kernels;
using VaeGpu.Runtime.Ilgpu;

namespace VaeGpu.Runtime.Experiments.GradientEstimators;

/// <summary>Each operation as one GradientEstimatorKernels launch (one thread per Philox block; per sample for the measure-valued terms) on the backend's accelerator.</summary>
sealed class IlgpuGradientEstimatorOperations : IGradientEstimatorOperations
{
    readonly IlgpuBackend backend;
    readonly Action<Index1D, GradientEstimatorProblem, float, float, float, float, ulong, ulong, long, int, ArrayView<float>> scoreKernel;
    readonly Action<Index1D, GradientEstimatorProblem, int, float, float, ulong, ulong, long, int, ArrayView<float>> pathwiseKernel;
    readonly Action<Index1D, GradientEstimatorProblem, ulong, ulong, long, int, ArrayView<float>> baselineKernel;
    readonly Action<Index1D, GradientEstimatorProblem, float, float, ulong, ulong, long, int, ArrayView<float>> measureValuedKernel;
    readonly Action<Index1D, GradientEstimator, int, GradientEstimatorProblem, float, float, float, float, ulong, ulong, int, long, long, ArrayView<uint>, ArrayView<float>> sampledKernel;

    public IlgpuGradientEstimatorOperations(IlgpuBackend backend)
    {
        this.backend = backend;
        var accelerator = backend.Accelerator;
        scoreKernel = accelerator.LoadAutoGroupedStreamKernel<Index1D, GradientEstimatorProblem, float, float, float, float, ulong, ulong, long, int, ArrayView<float>>(
            GradientEstimatorKernels.ScoreTerms);
        pathwiseKernel = accelerator.LoadAutoGroupedStreamKernel<Index1D, GradientEstimatorProblem, int, float, float, ulong, ulong, long, int, ArrayView<float>>(
            GradientEstimatorKernels.PathwiseTerms);
        baselineKernel = accelerator.LoadAutoGroupedStreamKernel<Index1D, GradientEstimatorProblem, ulong, ulong, long, int, ArrayView<float>>(
            GradientEstimatorKernels.BaselineTerms);
        measureValuedKernel = accelerator.LoadAutoGroupedStreamKernel<Index1D, GradientEstimatorProblem, float, float, ulong, ulong, long, int, ArrayView<float>>(
            GradientEstimatorKernels.MeasureValuedTerms);
        sampledKernel = accelerator.LoadAutoGroupedStreamKernel<Index1D, GradientEstimator, int, GradientEstimatorProblem, float, float, float, float, ulong, ulong, int, long, long, ArrayView<uint>, ArrayView<float>>(
            GradientEstimatorKernels.SampledTerms);
    }

    public void Terms(GradientEstimator estimator, GradientEstimatorProblem problem, float baselineMu, float baselineSigma,
        float centreMu, float centreSigma, ulong seed, ulong stream, long first, Tensor terms)
    {
        GradientEstimatorOperations.CheckSlice(first, terms);
        int count = terms.Columns;
        switch (estimator)
        {
            case GradientEstimator.Score:
                scoreKernel(RandomKernels.BlockCount(count), problem, 0f, 0f, centreMu, centreSigma, seed, stream, first, count, backend.ViewOf(terms));
                break;
            case GradientEstimator.ScoreBaseline:
                scoreKernel(RandomKernels.BlockCount(count), problem, baselineMu, baselineSigma, centreMu, centreSigma, seed, stream, first, count, backend.ViewOf(terms));
                break;
            case GradientEstimator.Pathwise or GradientEstimator.DeltaPathwise:
                int deltaMethod = estimator == GradientEstimator.DeltaPathwise ? 1 : 0;
                pathwiseKernel(RandomKernels.BlockCount(count), problem, deltaMethod, centreMu, centreSigma, seed, stream, first, count, backend.ViewOf(terms));
                break;
            case GradientEstimator.MeasureValued:
                measureValuedKernel(count, problem, centreMu, centreSigma, seed, stream, first, count, backend.ViewOf(terms));
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(estimator), estimator, "not a GradientEstimator.");
        }
        backend.RecordLaunch();
    }

    public void SampledTerms(GradientEstimator estimator, Sampler sampler, GradientEstimatorProblem problem, float baselineMu, float baselineSigma,
        float centreMu, float centreSigma, ulong seed, ulong stream, int replicate, long pointsPerReplicate, long firstPoint, Tensor terms)
    {
        GradientEstimatorOperations.CheckSampled(estimator, sampler, replicate, pointsPerReplicate, firstPoint, terms);
        if (estimator == GradientEstimator.Score) (baselineMu, baselineSigma) = (0f, 0f);
        sampledKernel(terms.Columns, estimator, (int)sampler, problem, baselineMu, baselineSigma, centreMu, centreSigma, seed, stream, replicate, pointsPerReplicate,
            firstPoint, backend.SobolDirections, backend.ViewOf(terms));
        backend.RecordLaunch();
    }

    public void BaselineTerms(GradientEstimatorProblem problem, ulong seed, ulong stream, long first, Tensor terms)
    {
        GradientEstimatorOperations.CheckSlice(first, terms);
        baselineKernel(RandomKernels.BlockCount(terms.Columns), problem, seed, stream, first, terms.Columns, backend.ViewOf(terms));
        backend.RecordLaunch();
    }
}
