using System.Globalization;
using VaeGpu.Kernels;
using VaeGpu.Runtime;

namespace VaeGpu.Host.Model;

public enum ObjectiveKind { Elbo, Iwae, Miwae, Ciwae, Piwae, Renyi, Rws }

/// <summary>
/// The bound a VAE is trained on, with K = Samples draws per image:
/// Elbo: one z per image, the KL in closed form.
/// Iwae: L_K = E log (1/K) sum_k p(x, z_k) / q(z_k|x) (Burda, Grosse and Salakhutdinov 2016), at least the ELBO,
/// tightening towards log p(x) as K grows; at K = 1 the ELBO with a sampled KL.
/// Miwae: the mean of the IWAE bounds of Groups groups of K / Groups draws; Ciwae: ElboWeight ELBO + (1 - ElboWeight)
/// IWAE; Piwae: the decoder trained on IWAE_K, the encoder on MIWAE (Rainforth et al. 2018, "Tighter variational bounds
/// are not necessarily better"). Renyi: L_alpha = 1/(1 - alpha) log (1/K) sum w_k^(1 - alpha), alpha in [0, 1), from
/// IWAE (alpha 0) towards the ELBO (Li and Turner 2016). Rws: reweighted wake-sleep (Bornschein and Bengio 2015), the
/// decoder on IWAE_K, the encoder fitted to the posterior by the forward KL (GradientEstimator.WakePhi).
/// </summary>
public sealed record Objective(ObjectiveKind Kind, int Samples)
{
    public static readonly Objective Elbo = new(ObjectiveKind.Elbo, 1);

    public static Objective Iwae(int samples) => new(ObjectiveKind.Iwae, samples);

    /// <summary>MIWAE's and PIWAE's groups of draws (1 for the others).</summary>
    public int Groups { get; init; } = 1;

    /// <summary>CIWAE's weight of the ELBO, beta (0 for the others).</summary>
    public float ElboWeight { get; init; }

    /// <summary>The Rényi bound's alpha (0 for the others).</summary>
    public float Alpha { get; init; }

    /// <summary>Every objective but the ELBO draws K z per image and weighs them (the ImportanceWeighted family).</summary>
    public bool ImportanceWeighted => Kind != ObjectiveKind.Elbo;

    /// <summary>The bound the draws are weighted for, whose value training reports: the decoder's, and the encoder's but for PIWAE.</summary>
    public BoundWeighting Weighting => Kind switch
    {
        ObjectiveKind.Miwae => new() { Groups = Groups },
        ObjectiveKind.Ciwae => new() { Groups = 1, ElboWeight = ElboWeight },
        ObjectiveKind.Renyi => new() { Groups = 1, Alpha = Alpha },
        _ => BoundWeighting.Iwae,
    };

    /// <summary>PIWAE's encoder weighting, MIWAE over Groups; null where the encoder takes the decoder's weights.</summary>
    public BoundWeighting? EncoderWeighting => Kind == ObjectiveKind.Piwae ? new BoundWeighting { Groups = Groups } : null;

    /// <summary>The encoder-gradient estimators this objective supports.</summary>
    public IReadOnlyList<GradientEstimator> Estimators => Kind switch
    {
        ObjectiveKind.Elbo => EncoderEstimators.All,
        ObjectiveKind.Iwae => [.. EncoderEstimators.ImportanceWeighted, GradientEstimator.Vimco],
        ObjectiveKind.Rws => [GradientEstimator.WakePhi],
        _ => [GradientEstimator.Pathwise],
    };

    /// <summary>The option's and the checkpoint's word.</summary>
    public string Name => ModelVocabulary.Objectives.Name(Kind);

    public override string ToString() => Kind switch
    {
        ObjectiveKind.Elbo => "elbo",
        ObjectiveKind.Miwae or ObjectiveKind.Piwae => $"{Name} K = {Samples} in {Groups} groups",
        ObjectiveKind.Ciwae => $"ciwae K = {Samples}, ELBO weight {ElboWeight.ToString(CultureInfo.InvariantCulture)}",
        ObjectiveKind.Renyi => $"renyi K = {Samples}, alpha {Alpha.ToString(CultureInfo.InvariantCulture)}",
        _ => $"{Name} K = {Samples}",
    };

    /// <summary>
    /// The most draws per image: far beyond the K = 5000 of an evaluation, and small enough that a batch's draw rows
    /// times any layer width stays a countable size before the memory check weighs it.
    /// </summary>
    public const int MaxSamples = 1 << 16;

    /// <summary>Refuses K, groups, weights or alpha out of range, or set for an objective that has none, naming the settings.</summary>
    public Objective Validated()
    {
        if (Samples < 1 || Samples > MaxSamples)
            throw new InvalidSettingException(nameof(Samples), Samples, $"draws per image must be 1 to {MaxSamples}.");
        var named = new SettingValue(nameof(Objective), Name);
        if (!ImportanceWeighted && Samples != 1)
            throw new InvalidSettingException([new(nameof(Samples), InvalidSettingException.Text(Samples)), named],
                "the ELBO draws one z per image; use {Objective iwae} for the importance-weighted bound.");
        bool grouped = Kind is ObjectiveKind.Miwae or ObjectiveKind.Piwae;
        if (!grouped && Groups != 1)
            throw new InvalidSettingException([new(nameof(Groups), InvalidSettingException.Text(Groups)), named], "groups of draws are MIWAE's and PIWAE's; use {Objective miwae} or {Objective piwae}.");
        if (grouped && (Groups < 1 || Samples % Groups != 0))
            throw new InvalidSettingException([new(nameof(Samples), InvalidSettingException.Text(Samples)), new(nameof(Groups), InvalidSettingException.Text(Groups))],
                "the groups must divide the draws per image (MIWAE(8, 8) is 64 draws in 8 groups).");
        if (Kind != ObjectiveKind.Ciwae && ElboWeight != 0)
            throw new InvalidSettingException([new(nameof(ElboWeight), InvalidSettingException.Text(ElboWeight)), named], "the ELBO weight is CIWAE's; use {Objective ciwae}.");
        if (Kind == ObjectiveKind.Ciwae && !(ElboWeight >= 0 && ElboWeight <= 1))
            throw new InvalidSettingException(nameof(ElboWeight), ElboWeight, "CIWAE's ELBO weight must be 0 to 1 (0: IWAE, 1: the sampled ELBO).");
        if (Kind != ObjectiveKind.Renyi && Alpha != 0)
            throw new InvalidSettingException([new(nameof(Alpha), InvalidSettingException.Text(Alpha)), named], "alpha is the Rényi bound's; use {Objective renyi}.");
        if (Kind == ObjectiveKind.Renyi && !(Alpha >= 0 && Alpha < 1))
            throw new InvalidSettingException(nameof(Alpha), Alpha,
                "train with alpha in [0, 1): 0 is IWAE, towards 1 the ELBO (use {Objective elbo}), and below 0 the bound lies above log p(x), which no decoder should climb.");
        return this;
    }
}
