using VaeGpu.Kernels;
using VaeGpu.Runtime;
using VaeGpu.Runtime.Experiments.KlFit;

namespace VaeGpu.Host.Experiments.KlFit;

/// <summary>
/// The minimiser of forward KL(p || q) over Gaussians q given N samples of p: the maximum-likelihood fit, i.e. the
/// sample mean and the 1/N sample variance. Samples are drawn on the kernels in chunks and summed with IBackend.Sum;
/// chunk totals add up in double on the host.
/// </summary>
public static class ClosedFormForwardFit
{
    /// <summary>Samples per launch: 8 MiB per row of the chunk tensor, and few read-backs.</summary>
    public const int ChunkSize = 1 << 20;

    public static FittedGaussian Fit(IBackend backend, IKlFitOperations operations, TargetMixture target, long sampleCount, ulong seed)
    {
        int chunkLength = (int)Math.Min(ChunkSize, sampleCount);
        var chunk = backend.Allocate(2, chunkLength);
        var parameters = backend.Allocate(1, 2);
        var total = backend.Allocate(1, 1);
        ulong stream = KlFitRandomStreams.ClosedFormSamples;

        double sum = 0;
        for (long first = 0; first < sampleCount; first += chunkLength)
        {
            int length = (int)Math.Min(chunkLength, sampleCount - first);
            var samples = backend.View(chunk, 0, 1, length);
            operations.SampleMixture(target.Kernel, seed, stream, first, samples);
            backend.Sum(samples, total);
            sum += backend.Download(total)[0];
        }
        double mean = sum / sampleCount;

        // A second pass over the same samples (Philox regenerates them) sums squares about the mean rather than
        // subtracting mean^2 from the mean square, which would cancel badly when |mean| is large against the spread.
        // At q = N(mean, 1) the forward terms' mu-row is -(x - mean), so its sum of squares is exactly that.
        backend.Upload([(float)mean, 0f], parameters);
        double squares = 0;
        for (long first = 0; first < sampleCount; first += chunkLength)
        {
            int length = (int)Math.Min(chunkLength, sampleCount - first);
            var terms = backend.View(chunk, 0, 2, length);
            operations.Terms(KlGradient.Forward, target.Kernel, seed, stream, first, parameters, 1f, terms);
            backend.SumOfSquares(backend.View(terms, 0, 1, length), total);
            squares += backend.Download(total)[0];
        }
        double sigma = Math.Sqrt(squares / sampleCount);
        return new FittedGaussian("forward-closed-form", $"maximum likelihood from {sampleCount} samples of p", mean, sigma, ReverseKlQuadrature.Gaussian(target, mean, sigma));
    }
}
