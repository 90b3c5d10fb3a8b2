using VaeGpu.Kernels;
using VaeGpu.Runtime.HostPath;

namespace VaeGpu.Runtime.Experiments.KlFit;

/// <summary>The KL-fit operations on the host path: KlFitMath's per-sample bodies, the kernels' own, in plain loops.</summary>
sealed class HostKlFitOperations(HostBackend backend) : IKlFitOperations
{
    public void SampleMixture(UnivariateMixture mixture, ulong seed, ulong stream, long first, Tensor samples)
    {
        var output = backend.Span(samples);
        for (int i = 0; i < output.Length; i++) output[i] = KlFitMath.SampleMixture(mixture, seed, stream, first + i);
    }

    public void Terms(KlGradient gradient, UnivariateMixture mixture, ulong seed, ulong stream, long first, Tensor parameters, float scale, Tensor terms)
    {
        int count = KlFitOperations.CheckShapes(parameters, terms);
        var (mu, logVariance) = Read(parameters);
        var output = backend.Span(terms);
        for (int i = 0; i < count; i++)
        {
            KlFitMath.Terms((int)gradient.Direction, (int)gradient.Estimator, mixture, seed, stream, first + i, mu, logVariance, out float dMu, out float dLogVariance);
            output[i] = scale * dMu;
            output[count + i] = scale * dLogVariance;
        }
    }

    public void RenyiTerms(UnivariateMixture mixture, int k, float alpha, ulong seed, ulong stream, long firstGroup, Tensor parameters, float scale, Tensor terms)
    {
        int count = KlFitOperations.CheckShapes(parameters, terms);
        KlFitOperations.CheckGroupSize(k);
        var (mu, logVariance) = Read(parameters);
        var output = backend.Span(terms);
        for (int i = 0; i < count; i++)
        {
            KlFitMath.RenyiTerms(mixture, seed, stream, firstGroup + i, k, alpha, mu, logVariance, out float dMu, out float dLogVariance);
            output[i] = scale * dMu;
            output[count + i] = scale * dLogVariance;
        }
    }

    public void MixtureQDraws(ulong seed, ulong stream, long first, Tensor parameters, Tensor draws)
    {
        const int width = MixtureQParameters.Count + 1;
        int count = KlFitOperations.CheckMixtureQShapes(parameters, draws, width, nameof(draws));
        var q = ReadMixtureQ(parameters);
        var output = backend.Span(draws);
        for (int i = 0; i < count; i++)
        {
            output[width * i] = KlFitMath.MixtureQDraw(q, seed, stream, first + i, out var transport);
            for (int column = 0; column < MixtureQParameters.Count; column++) output[width * i + 1 + column] = transport[column];
        }
    }

    public void ReverseKlMixtureQTerms(UnivariateMixture target, ulong seed, ulong stream, long first, Tensor parameters, float scale, Tensor terms)
    {
        int count = KlFitOperations.CheckMixtureQShapes(parameters, terms, MixtureQParameters.Count, nameof(terms));
        var q = ReadMixtureQ(parameters);
        var output = backend.Span(terms);
        for (int i = 0; i < count; i++)
        {
            var gradient = KlFitMath.ReverseKlMixtureQTerms(target, q, seed, stream, first + i);
            for (int column = 0; column < MixtureQParameters.Count; column++) output[MixtureQParameters.Count * i + column] = scale * gradient[column];
        }
    }

    MixtureQParameters ReadMixtureQ(Tensor parameters)
    {
        var values = backend.Span(parameters);
        return new MixtureQParameters(values[0], values[1], values[2], values[3], values[4]);
    }

    (float Mu, float LogVariance) Read(Tensor parameters)
    {
        var values = backend.Span(parameters);
        return (values[0], values[1]);
    }
}
