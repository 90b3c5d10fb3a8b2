using ILGPU;

namespace VaeGpu.Kernels;

/// <summary>
/// Per-sample terms of the gradient estimators, for IBackend.Sum and SumOfSquares to reduce. Thread b takes Philox
/// block first / 4 + b of (seed, stream) and writes samples first + 4b .. first + 4b + 3 (first is a multiple of 4), so
/// the counter is the sample index and any slice of a run draws the same numbers as the whole run. terms is 2 x count:
/// the d/dmu term of sample i in element i, the d/dsigma term in element count + i, each minus its centre (a pilot
/// estimate of its mean, so that float sums of many terms cancel less). Formulas: GradientEstimatorMath.
/// Reference: GradientEstimatorReference.
/// </summary>
public static class GradientEstimatorKernels
{
    [Kernel]
    public static void ScoreTerms(Index1D block, GradientEstimatorProblem problem, float baselineMu, float baselineSigma,
        float centreMu, float centreSigma, ulong seed, ulong stream, long first, int count, ArrayView<float> terms)
    {
        var normals = NormalBlock.At(seed, stream, first / 4 + block);
        int sample = 4 * block;
        for (int lane = 0; lane < 4 && sample + lane < count; lane++)
        {
            float eps = normals[lane];
            GradientEstimatorMath.Score(problem, eps, baselineMu, baselineSigma, out float mu, out float sigma);
            terms[sample + lane] = mu - centreMu;
            terms[count + sample + lane] = sigma - centreSigma;
        }
    }

    /// <summary>The path-wise terms; with deltaMethod 1, minus Miller et al.'s control variate (GradientEstimatorMath.DeltaPathwise).</summary>
    [Kernel]
    public static void PathwiseTerms(Index1D block, GradientEstimatorProblem problem, int deltaMethod, float centreMu, float centreSigma,
        ulong seed, ulong stream, long first, int count, ArrayView<float> terms)
    {
        var normals = NormalBlock.At(seed, stream, first / 4 + block);
        int sample = 4 * block;
        for (int lane = 0; lane < 4 && sample + lane < count; lane++)
        {
            float eps = normals[lane];
            float mu, sigma;
            if (deltaMethod != 0) GradientEstimatorMath.DeltaPathwise(problem, eps, out mu, out sigma);
            else GradientEstimatorMath.Pathwise(problem, eps, out mu, out sigma);
            terms[sample + lane] = mu - centreMu;
            terms[count + sample + lane] = sigma - centreSigma;
        }
    }

    /// <summary>
    /// The measure-valued terms (GradientEstimatorMath.MeasureValued): a thread per sample, sample i drawing the four
    /// words of Philox block first + i, so here too the counter is the sample index.
    /// </summary>
    [Kernel]
    public static void MeasureValuedTerms(Index1D sample, GradientEstimatorProblem problem, float centreMu, float centreSigma,
        ulong seed, ulong stream, long first, int count, ArrayView<float> terms)
    {
        var bits = Philox4x32.ForBlock(seed, stream, first + sample);
        GradientEstimatorMath.MeasureValued(problem, bits.X0, bits.X1, bits.X2, bits.X3, out float mu, out float sigma);
        terms[sample] = mu - centreMu;
        terms[count + sample] = sigma - centreSigma;
    }

    /// <summary>
    /// The terms of points firstPoint .. firstPoint + count - 1 of one replicate under a sampler (GradientEstimatorMath.AtPoint),
    /// for the one-normal estimators, a thread per point.
    /// </summary>
    [Kernel]
    public static void SampledTerms(Index1D element, GradientEstimator estimator, int sampler, GradientEstimatorProblem problem, float baselineMu, float baselineSigma,
        float centreMu, float centreSigma, ulong seed, ulong stream, int replicate, long pointsPerReplicate, long firstPoint,
        ArrayView<uint> sobolDirections, ArrayView<float> terms)
    {
        int count = (int)(terms.Length / 2); // d/dmu terms, then d/dsigma terms
        uint scramble = SamplingMath.ReplicateSeed(seed, stream, replicate);
        GradientEstimatorMath.AtPoint(estimator, (Sampler)sampler, problem, baselineMu, baselineSigma, seed, stream, replicate, scramble, pointsPerReplicate,
            firstPoint + element, new ViewDirections(sobolDirections), out float mu, out float sigma);
        terms[element] = mu - centreMu;
        terms[count + element] = sigma - centreSigma;
    }

    /// <summary>The optimal-baseline numerators (GradientEstimatorMath.Baseline), uncentred: they are only averaged once.</summary>
    [Kernel]
    public static void BaselineTerms(Index1D block, GradientEstimatorProblem problem, ulong seed, ulong stream, long first, int count, ArrayView<float> terms)
    {
        var normals = NormalBlock.At(seed, stream, first / 4 + block);
        int sample = 4 * block;
        for (int lane = 0; lane < 4 && sample + lane < count; lane++)
        {
            float eps = normals[lane];
            GradientEstimatorMath.Baseline(problem, eps, out float mu, out float sigma);
            terms[sample + lane] = mu;
            terms[count + sample + lane] = sigma;
        }
    }
}
