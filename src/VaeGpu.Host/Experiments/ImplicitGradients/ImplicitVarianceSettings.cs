using VaeGpu.Runtime;

namespace VaeGpu.Host.Experiments.ImplicitGradients;

/// <summary>
/// Everything that decides the numbers of a `vaegpu variance gamma|beta|vonmises` run: the distribution and its
/// parameters (Alpha and Beta for Gamma and Beta, Kappa for von Mises; the others 0), the cost with its k, the sample
/// count and the seed. Shards of one run carry equal settings; the merge checks that.
/// </summary>
public sealed record ImplicitVarianceSettings(ImplicitDistribution Distribution, ImplicitCost Cost, float K, float Alpha, float Beta, float Kappa, long Samples, ulong Seed)
{
    /// <summary>
    /// The draws' tested ranges (issue 21: Gamma's shape 1e-3 to 1e4, Beta's concentrations 1e-2 to 1e3, kappa 1e-3
    /// to 1e3); Gamma's rate only scales z, kept to where z stays in float's range.
    /// </summary>
    public const float MinGammaAlpha = 1e-3f, MaxGammaAlpha = 1e4f, MinRate = 1e-3f, MaxRate = 1e3f,
        MinConcentration = 1e-2f, MaxConcentration = 1e3f, MinKappa = 1e-3f, MaxKappa = 1e3f;

    /// <summary>exp(-k z) on Beta's [0, 1] grows to e^|k|: beyond 20 its square outgrows the quadrature's tail cut by far.</summary>
    public const float MaxAbsK = 20;

    public const long MinSamples = 2, MaxSamples = 10_000_000_000;

    public ImplicitProblem Problem => new(Distribution, Cost, K, Alpha, Beta, Kappa);

    /// <summary>An InvalidSettingException naming the first setting out of range, or a cost the distribution does not take.</summary>
    public void Validate()
    {
        switch (Distribution)
        {
            case ImplicitDistribution.Gamma:
                Require(nameof(Alpha), Alpha, MinGammaAlpha, MaxGammaAlpha, "shape");
                Require(nameof(Beta), Beta, MinRate, MaxRate, "rate");
                break;
            case ImplicitDistribution.Beta:
                Require(nameof(Alpha), Alpha, MinConcentration, MaxConcentration, "concentration");
                Require(nameof(Beta), Beta, MinConcentration, MaxConcentration, "concentration");
                break;
            default:
                Require(nameof(Kappa), Kappa, MinKappa, MaxKappa, "concentration kappa");
                break;
        }
        if (!ImplicitProblem.CostsOf(Distribution).Contains(Cost))
            throw new InvalidSettingException(nameof(Cost), ImplicitVarianceVocabulary.Costs.Name(Cost),
                $"{ImplicitVarianceVocabulary.Distributions.Name(Distribution)} takes the costs {string.Join(", ", ImplicitVarianceVocabulary.Costs.NamesOf(ImplicitProblem.CostsOf(Distribution)))}.");
        if (!float.IsFinite(K) || Math.Abs(K) > MaxAbsK) throw new InvalidSettingException(nameof(K), K, $"use k from -{MaxAbsK} to {MaxAbsK}.");
        if (Distribution == ImplicitDistribution.Gamma && Cost == ImplicitCost.Exp && K < 0)
            throw new InvalidSettingException(nameof(K), K, "the exp cost exp(-k z) on Gamma needs k >= 0 (its expectation is infinite otherwise).");
        if (Samples < MinSamples || Samples > MaxSamples)
            throw new InvalidSettingException(nameof(Samples), Samples, $"use a whole number of samples from {MinSamples} to {MaxSamples:0.#e0}.");
    }

    static void Require(string setting, float value, float min, float max, string what)
    {
        if (!float.IsFinite(value) || value < min || value > max)
            throw new InvalidSettingException(setting, value, $"use a {what} from {min:0.#e0} to {max:0.#e0}.");
    }
}
