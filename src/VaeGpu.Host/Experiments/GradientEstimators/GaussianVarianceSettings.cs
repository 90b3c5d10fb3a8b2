using VaeGpu.Kernels;
using VaeGpu.Runtime;

namespace VaeGpu.Host.Experiments.GradientEstimators;

/// <summary>
/// Everything that decides the numbers of a `vaegpu variance gaussian` run: the cost with its k, x ~ N(mu, sigma^2),
/// the sample count and the seed. Shards of one run carry equal settings; the merge checks that.
/// </summary>
public sealed record GaussianVarianceSettings(GradientEstimatorCost Cost, float K, float Mu, float Sigma, long Samples, ulong Seed)
{
    /// <summary>Beyond these the float terms overflow for some cost, or the quadrature needs too many panels.</summary>
    public const float MaxAbsMu = 10, MaxSigma = 5, MaxAbsK = 100;

    public const long MinSamples = 2, MaxSamples = 10_000_000_000;

    public GradientEstimatorProblem Problem => new(Cost, K, Mu, Sigma);

    /// <summary>An InvalidSettingException naming the first setting out of range.</summary>
    public void Validate()
    {
        if (!float.IsFinite(Mu) || Math.Abs(Mu) > MaxAbsMu) throw new InvalidSettingException(nameof(Mu), Mu, $"use a mean from -{MaxAbsMu} to {MaxAbsMu}.");
        if (!float.IsFinite(Sigma) || Sigma <= 0 || Sigma > MaxSigma)
            throw new InvalidSettingException(nameof(Sigma), Sigma, $"use a standard deviation above 0 and at most {MaxSigma}.");
        if (!float.IsFinite(K) || Math.Abs(K) > MaxAbsK) throw new InvalidSettingException(nameof(K), K, $"use k from -{MaxAbsK} to {MaxAbsK}.");
        if (Cost == GradientEstimatorCost.Exp && K < 0)
            throw new InvalidSettingException(nameof(K), K, "the exp cost exp(-k x^2) needs k >= 0 (its expectation is infinite otherwise).");
        if (Samples < MinSamples || Samples > MaxSamples)
            throw new InvalidSettingException(nameof(Samples), Samples, $"use a whole number of samples from {MinSamples} to {MaxSamples:0.#e0}.");
    }
}
