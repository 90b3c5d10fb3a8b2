using System.Numerics;
using System.Numerics.Tensors;
using VaeGpu.Kernels;
using VaeGpu.Runtime.Cpu;

namespace VaeGpu.Runtime.Experiments.MonteCarlo;

/// <summary>
/// The integrand on the host path: the backend's SIMD normal fill (across its team), then z = mu + sigma eps and f over the
/// whole span with TensorPrimitives, so 10^8 samples take seconds rather than the minutes of a scalar loop.
/// </summary>
sealed class CpuMonteCarloOperations(CpuBackend backend) : IMonteCarloOperations
{
    public void Integrand(GaussianIntegrand integrand, float mu, float sigma, ulong seed, ulong stream, Tensor values)
    {
        backend.FillNormal(values, seed, stream);
        var data = backend.Span(values);
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
                Indicator(data);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(integrand), integrand, "not a GaussianIntegrand.");
        }
    }

    /// <summary>MonteCarloKernels.SampledValue, the kernel's own body, over blocks of elements across the backend's team.</summary>
    public void SampledIntegrand(GaussianIntegrand integrand, Sampler sampler, float mu, float sigma, ulong seed, ulong stream,
        int replicate, long pointsPerReplicate, long firstPoint, float shift, Tensor values)
    {
        const int ElementsPerBlock = 1 << 14;
        int length = values.Length;
        backend.Team.For((length + ElementsPerBlock - 1) / ElementsPerBlock, block =>
        {
            var data = backend.Span(values);
            for (int e = block * ElementsPerBlock; e < Math.Min(length, (block + 1) * ElementsPerBlock); e++)
                data[e] = MonteCarloKernels.SampledValue((int)integrand, sampler, mu, sigma, seed, stream, replicate, pointsPerReplicate, firstPoint + e, shift);
        });
    }

    /// <summary>1 where the value is positive, else 0, a vector at a time (TensorPrimitives has no step function).</summary>
    static void Indicator(Span<float> data)
    {
        int width = Vector<float>.Count, e = 0;
        for (; e <= data.Length - width; e += width)
        {
            var positive = Vector.GreaterThan(new Vector<float>(data[e..]), Vector<float>.Zero);
            Vector.ConditionalSelect(positive, Vector<float>.One, Vector<float>.Zero).CopyTo(data[e..]);
        }
        for (; e < data.Length; e++) data[e] = data[e] > 0f ? 1f : 0f;
    }
}
