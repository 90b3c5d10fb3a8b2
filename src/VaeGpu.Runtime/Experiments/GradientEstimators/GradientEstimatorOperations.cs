using VaeGpu.Kernels;
using VaeGpu.Runtime.Devices;
namespace VaeGpu.Runtime.Experiments.GradientEstimators;

public static class GradientEstimatorOperations
{
    /// <summary>The implementation for the backend's kind; the ILGPU one compiles its kernels now, once.</summary>
    public static IGradientEstimatorOperations For(IBackend backend) =>
        FamilyImplementation.For<IGradientEstimatorOperations>(backend, host => new HostGradientEstimatorOperations(host), ilgpu => new IlgpuGradientEstimatorOperations(ilgpu), "gradient-estimator");

    /// <summary>The checks both implementations make before writing: a 2-row terms tensor and a slice on a Philox block.</summary>
    internal static void CheckSlice(long first, Tensor terms)
    {
        if (terms.Rows != 2) throw new ArgumentException($"terms must have 2 rows (d/dmu, d/dsigma), not {terms.Rows}.", nameof(terms));
        if (first < 0 || first % 4 != 0) throw new ArgumentOutOfRangeException(nameof(first), first, "the first sample must be a non-negative multiple of 4.");
    }

    /// <summary>The checks of SampledTerms: an estimator, a sampler with points, and a slice inside the replicate (of at most int.MaxValue points for the four-dimensional measure-valued points).</summary>
    internal static void CheckSampled(GradientEstimator estimator, Sampler sampler, int replicate, long pointsPerReplicate, long firstPoint, Tensor terms)
    {
        if (terms.Rows != 2) throw new ArgumentException($"terms must have 2 rows (d/dmu, d/dsigma), not {terms.Rows}.", nameof(terms));
        if (estimator is not (GradientEstimator.Score or GradientEstimator.ScoreBaseline or GradientEstimator.Pathwise or GradientEstimator.DeltaPathwise or GradientEstimator.MeasureValued))
            throw new ArgumentOutOfRangeException(nameof(estimator), estimator, "the samplers feed the Gaussian testbed's estimators.");
        if (estimator == GradientEstimator.MeasureValued && pointsPerReplicate > int.MaxValue)
            throw new ArgumentOutOfRangeException(nameof(pointsPerReplicate), pointsPerReplicate, "the measure-valued points come at most int.MaxValue to a replicate.");
        if (sampler is not (Sampler.Antithetic or Sampler.Stratified or Sampler.Rqmc))
            throw new ArgumentOutOfRangeException(nameof(sampler), sampler, "Terms draws plain Monte Carlo.");
        if (replicate < 0 || firstPoint < 0 || firstPoint + terms.Columns > pointsPerReplicate)
            throw new ArgumentOutOfRangeException(nameof(firstPoint), firstPoint, $"points {firstPoint} .. {firstPoint + terms.Columns - 1} lie outside a replicate of {pointsPerReplicate}.");
    }
}
