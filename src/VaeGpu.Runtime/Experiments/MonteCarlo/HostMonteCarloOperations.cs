using System.Numerics;
using System.Numerics.Tensors;
using VaeGpu.Kernels;
using VaeGpu.Runtime.HostPath;

namespace VaeGpu.Runtime.Experiments.MonteCarlo;

/// <summary>
/// The integrand on the host path: the backend's SIMD normal fill (across its team), then z = mu + sigma eps and f over the
/// whole span with TensorPrimitives, so 10^8 samples take seconds rather than the minutes of a scalar loop.
/// </summary>
sealed class HostMonteCarloOperations(HostBackend backend) : IMonteCarloOperations
{
    public void Integrand(GaussianIntegrand integrand, float mu, float sigma, ulong seed, ulong stream, Tensor values)
    {
        backend.FillNormal(values, seed, stream);
        var data = backend.Span(values);
        Apply(integrand, mu, sigma, data);
    }

    /// <summary>data = f(mu + sigma data), a vector at a time.</summary>
    static void Apply(GaussianIntegrand integrand, float mu, float sigma, Span<float> data)
    {
        TensorPrimitives.Multiply(data, sigma, data);
        TensorPrimitives.Add(data, mu, data);
        switch (integrand)
        {
            case GaussianIntegrand.Identity:
                break;
            case GaussianIntegrand.Square:
                TensorPrimitives.Multiply(data, data, data);
                break;
            case GaussianIntegrand.Exp:
                TensorPrimitives.Exp(data, data);
                break;
            case GaussianIntegrand.Cos:
                TensorPrimitives.Cos(data, data);
                break;
            case GaussianIntegrand.Positive:
                Indicator(data, 0f);
                break;
            case GaussianIntegrand.Above4:
                Indicator(data, 4f);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(integrand), integrand, "not a GaussianIntegrand.");
        }
    }

    /// <summary>
    /// MonteCarloKernels.SampledValue, the kernel's own body, over blocks of elements across the backend's team; RQMC
    /// draws its normals vectorised (RqmcNormals), the same points up to the last bits of log.
    /// </summary>
    public void SampledIntegrand(GaussianIntegrand integrand, Sampler sampler, float mu, float sigma, ulong seed, ulong stream,
        int replicate, long pointsPerReplicate, long firstPoint, float shift, Tensor values)
    {
        const int ElementsPerBlock = 1 << 14;
        int length = values.Length;
        uint scramble = SamplingMath.ReplicateSeed(seed, stream, replicate);
        backend.Team.For((length + ElementsPerBlock - 1) / ElementsPerBlock, block =>
        {
            var data = backend.Span(values);
            if (sampler == Sampler.Rqmc)
            {
                // The vectorised normals (RqmcNormals), then f a vector at a time, as Integrand does for Philox normals.
                var part = data.Slice(block * ElementsPerBlock, Math.Min(ElementsPerBlock, length - block * ElementsPerBlock));
                RqmcNormals.Fill(part, scramble, firstPoint + block * ElementsPerBlock);
                Apply(integrand, mu, sigma, part);
                TensorPrimitives.Subtract(part, shift, part);
                return;
            }
            for (int e = block * ElementsPerBlock; e < Math.Min(length, (block + 1) * ElementsPerBlock); e++)
                data[e] = MonteCarloKernels.SampledValue((int)integrand, sampler, mu, sigma, seed, stream, replicate, scramble, pointsPerReplicate, firstPoint + e, shift);
        });
    }

    /// <summary>MonteCarloKernels.ImportanceTerm, the kernel's own body, over blocks of draws across the backend's team.</summary>
    public void ImportanceTerms(GaussianIntegrand integrand, float mu, float sigma, float proposalMu, float proposalSigma, ulong seed, ulong stream,
        long firstPoint, Tensor terms)
    {
        MonteCarloShapes.ImportanceTerms(terms);
        const int ElementsPerBlock = 1 << 14;
        int count = terms.Columns;
        backend.Team.For((count + ElementsPerBlock - 1) / ElementsPerBlock, block =>
        {
            var data = backend.Span(terms);
            for (int e = block * ElementsPerBlock; e < Math.Min(count, (block + 1) * ElementsPerBlock); e++)
            {
                float weighted = MonteCarloKernels.ImportanceTerm((int)integrand, mu, sigma, proposalMu, proposalSigma, seed, stream, firstPoint + e, out float weight);
                data[e] = weighted;
                data[count + e] = weight;
                data[2 * count + e] = weight * weighted;
            }
        });
    }

    /// <summary>1 where the value is above the threshold, else 0, a vector at a time (TensorPrimitives has no step function).</summary>
    static void Indicator(Span<float> data, float threshold)
    {
        int width = Vector<float>.Count, e = 0;
        var limit = new Vector<float>(threshold);
        for (; e <= data.Length - width; e += width)
        {
            var above = Vector.GreaterThan(new Vector<float>(data[e..]), limit);
            Vector.ConditionalSelect(above, Vector<float>.One, Vector<float>.Zero).CopyTo(data[e..]);
        }
        for (; e < data.Length; e++) data[e] = data[e] > threshold ? 1f : 0f;
    }
}
