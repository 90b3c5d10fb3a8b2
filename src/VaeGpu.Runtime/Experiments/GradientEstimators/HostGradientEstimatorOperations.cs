using System.Numerics.Tensors;
using VaeGpu.Kernels;
using VaeGpu.Runtime.HostPath;

namespace VaeGpu.Runtime.Experiments.GradientEstimators;

/// <summary>
/// The operations on the host path, fused: slices of SliceBlocks Philox blocks go to the cores in parallel, and each
/// slice draws its normals into a stack buffer (SliceNormals.Fill), then forms the terms from them with
/// TensorPrimitives' SIMD code, writing each term once. Nothing but the terms ever reaches memory, which is what lets
/// 10^8 samples a second come from two cores.
/// </summary>
sealed class HostGradientEstimatorOperations(HostBackend backend) : IGradientEstimatorOperations
{
    /// <summary>4096 samples: the normals and two scratch rows (48 KiB) stay in a core's L2 while the terms are formed.</summary>
    const int SliceBlocks = 1024, SliceSamples = 4 * SliceBlocks;

    delegate void SliceTerms(ReadOnlySpan<float> eps, Span<float> scratch, Span<float> mu, Span<float> sigma);

    public void Terms(GradientEstimator estimator, GradientEstimatorProblem problem, float baselineMu, float baselineSigma,
        float centreMu, float centreSigma, ulong seed, ulong stream, long first, Tensor terms)
    {
        GradientEstimatorOperations.CheckSlice(first, terms);
        if (estimator == GradientEstimator.MeasureValued)
        {
            MeasureValuedTerms(problem, centreMu, centreSigma, seed, stream, first, terms);
            return;
        }
        var cost = (GradientEstimatorCost)problem.Cost;
        float k = problem.K, location = problem.Mu, scale = problem.Sigma, inverseSigma = 1f / problem.Sigma;
        if (estimator == GradientEstimator.Score) (baselineMu, baselineSigma) = (0f, 0f);
        SliceTerms fill = estimator switch
        {
            GradientEstimator.Score or GradientEstimator.ScoreBaseline => (eps, scratch, mu, sigma) =>
            {
                // scratch = f(x); mu = (f - b_mu) eps / sigma - c_mu; sigma = (f - b_sigma) (eps^2 - 1) / sigma - c_sigma.
                Affine(eps, scale, location, scratch);
                CostInPlace(cost, k, scratch);
                TensorPrimitives.Subtract(scratch, baselineMu, mu);
                TensorPrimitives.Multiply(mu, eps, mu);
                Affine(mu, inverseSigma, -centreMu, mu);
                TensorPrimitives.Subtract(scratch, baselineSigma, sigma);
                TensorPrimitives.Multiply(eps, eps, scratch);
                TensorPrimitives.Subtract(scratch, 1f, scratch);
                TensorPrimitives.Multiply(sigma, scratch, sigma);
                Affine(sigma, inverseSigma, -centreSigma, sigma);
            },
            GradientEstimator.Pathwise => (eps, scratch, mu, sigma) =>
            {
                // mu = f'(x) - c_mu; sigma = f'(x) eps - c_sigma.
                Affine(eps, scale, location, mu);
                DerivativeInPlace(cost, k, mu, scratch);
                TensorPrimitives.MultiplyAdd(mu, eps, -centreSigma, sigma);
                TensorPrimitives.Subtract(mu, centreMu, mu);
            },
            GradientEstimator.DeltaPathwise => (eps, _, mu, sigma) =>
            {
                // The kernel's own body, a sample at a time (the control variate needs f'(mu) and f''(mu) beside f'(x)).
                for (int i = 0; i < eps.Length; i++)
                {
                    GradientEstimatorMath.DeltaPathwise(problem, eps[i], out float dMu, out float dSigma);
                    mu[i] = dMu - centreMu;
                    sigma[i] = dSigma - centreSigma;
                }
            },
            _ => throw new ArgumentOutOfRangeException(nameof(estimator), estimator, "not a GradientEstimator."),
        };
        Run(terms, seed, stream, first, fill);
    }

    public void BaselineTerms(GradientEstimatorProblem problem, ulong seed, ulong stream, long first, Tensor terms)
    {
        GradientEstimatorOperations.CheckSlice(first, terms);
        var cost = (GradientEstimatorCost)problem.Cost;
        float k = problem.K, location = problem.Mu, scale = problem.Sigma;
        Run(terms, seed, stream, first, (eps, scratch, mu, sigma) =>
        {
            // mu = f eps^2; sigma = f (eps^2 - 1)^2 / 2.
            Affine(eps, scale, location, sigma);
            CostInPlace(cost, k, sigma);
            TensorPrimitives.Multiply(eps, eps, scratch);
            TensorPrimitives.Multiply(sigma, scratch, mu);
            TensorPrimitives.Subtract(scratch, 1f, scratch);
            TensorPrimitives.Multiply(scratch, scratch, scratch);
            TensorPrimitives.Multiply(sigma, scratch, sigma);
            TensorPrimitives.Multiply(sigma, 0.5f, sigma);
        });
    }

    /// <summary>
    /// The kernel's own body a sample at a time, sample i from the words of Philox block first + i, slices of samples
    /// across the team: four words per sample do not fit the fused normals of the other estimators.
    /// </summary>
    void MeasureValuedTerms(GradientEstimatorProblem problem, float centreMu, float centreSigma, ulong seed, ulong stream, long first, Tensor terms) =>
        EachSample(terms, centreMu, centreSigma, (int i, out float mu, out float sigma) =>
        {
            var bits = Philox4x32.ForBlock(seed, stream, first + i);
            GradientEstimatorMath.MeasureValued(problem, bits.X0, bits.X1, bits.X2, bits.X3, out mu, out sigma);
        });

    /// <summary>The kernel's own body a point at a time, slices of points across the team.</summary>
    public void SampledTerms(GradientEstimator estimator, Sampler sampler, GradientEstimatorProblem problem, float baselineMu, float baselineSigma,
        float centreMu, float centreSigma, ulong seed, ulong stream, int replicate, long pointsPerReplicate, long firstPoint, Tensor terms)
    {
        GradientEstimatorOperations.CheckSampled(estimator, sampler, replicate, pointsPerReplicate, firstPoint, terms);
        if (estimator == GradientEstimator.Score) (baselineMu, baselineSigma) = (0f, 0f);
        uint scramble = SamplingMath.ReplicateSeed(seed, stream, replicate);
        var directions = new ArrayDirections(SobolDirections.Table);
        EachSample(terms, centreMu, centreSigma, (int i, out float mu, out float sigma) =>
            GradientEstimatorMath.AtPoint(estimator, sampler, problem, baselineMu, baselineSigma, seed, stream, replicate, scramble, pointsPerReplicate,
                firstPoint + i, directions, out mu, out sigma));
    }

    delegate void SampleTerms(int sample, out float mu, out float sigma);

    /// <summary>Writes sample i's two terms minus the centres for every sample, slices of samples across the team.</summary>
    void EachSample(Tensor terms, float centreMu, float centreSigma, SampleTerms body)
    {
        int count = terms.Columns;
        backend.Team.For((count + SliceSamples - 1) / SliceSamples, slice =>
        {
            var all = backend.Span(terms);
            for (int i = slice * SliceSamples; i < Math.Min(count, (slice + 1) * SliceSamples); i++)
            {
                body(i, out float mu, out float sigma);
                all[i] = mu - centreMu;
                all[count + i] = sigma - centreSigma;
            }
        });
    }

    /// <summary>destination = a x + b (TensorPrimitives' MultiplyAdd takes at most one scalar).</summary>
    static void Affine(ReadOnlySpan<float> x, float a, float b, Span<float> destination)
    {
        TensorPrimitives.Multiply(x, a, destination);
        TensorPrimitives.Add(destination, b, destination);
    }

    /// <summary>f(x) over the span, x replaced by f(x).</summary>
    static void CostInPlace(GradientEstimatorCost cost, float k, Span<float> x)
    {
        switch (cost)
        {
            case GradientEstimatorCost.Quadratic:
                TensorPrimitives.Subtract(x, k, x);
                TensorPrimitives.Multiply(x, x, x);
                break;
            case GradientEstimatorCost.Exp:
                TensorPrimitives.Multiply(x, x, x);
                TensorPrimitives.Multiply(x, -k, x);
                TensorPrimitives.Exp(x, x);
                break;
            case GradientEstimatorCost.Cos:
                TensorPrimitives.Multiply(x, k, x);
                TensorPrimitives.Cos(x, x);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(cost), cost, "not a GradientEstimatorCost.");
        }
    }

    /// <summary>f'(x) over the span, x replaced by f'(x); scratch is overwritten.</summary>
    static void DerivativeInPlace(GradientEstimatorCost cost, float k, Span<float> x, Span<float> scratch)
    {
        switch (cost)
        {
            case GradientEstimatorCost.Quadratic:
                TensorPrimitives.Subtract(x, k, x);
                TensorPrimitives.Multiply(x, 2f, x);
                break;
            case GradientEstimatorCost.Exp:
                TensorPrimitives.Multiply(x, x, scratch);
                TensorPrimitives.Multiply(scratch, -k, scratch);
                TensorPrimitives.Exp(scratch, scratch);
                TensorPrimitives.Multiply(x, scratch, x);
                TensorPrimitives.Multiply(x, -2f * k, x);
                break;
            case GradientEstimatorCost.Cos:
                TensorPrimitives.Multiply(x, k, x);
                TensorPrimitives.Sin(x, x);
                TensorPrimitives.Multiply(x, -k, x);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(cost), cost, "not a GradientEstimatorCost.");
        }
    }

    /// <summary>Calls fill on consecutive slices of the terms' two rows with their normals, across the backend's team.</summary>
    unsafe void Run(Tensor terms, ulong seed, ulong stream, long first, SliceTerms fill)
    {
        int count = terms.Columns;
        int slices = (count + SliceSamples - 1) / SliceSamples;
        fixed (float* start = backend.Span(terms))
        {
            var address = (IntPtr)start;
            void Slice(int slice)
            {
                int offset = slice * SliceSamples, length = Math.Min(SliceSamples, count - offset);
                Span<float> eps = stackalloc float[SliceSamples], scratch = stackalloc float[SliceSamples];
                eps = eps[..length];
                SliceNormals.Fill(eps, seed, stream, (first + offset) / 4);
                var mu = new Span<float>((float*)address + offset, length);
                var sigma = new Span<float>((float*)address + count + offset, length);
                fill(eps, scratch[..length], mu, sigma);
            }
            backend.Team.For(slices, Slice);
        }
    }
}
