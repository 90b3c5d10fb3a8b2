using VaeGpu.Kernels;
using VaeGpu.Runtime;

namespace VaeGpu.Host.Model;

public enum ObjectiveKind { Elbo, Iwae }

/// <summary>
/// The bound a VAE is trained on: the ELBO (one z per image, the KL in closed form) or the importance-weighted bound
/// L_K = E log (1/K) sum_k p(x, z_k) / q(z_k|x) of Burda, Grosse and Salakhutdinov (2016), K draws per image, which
/// is at least the ELBO and tightens towards log p(x) as K grows. IWAE with K = 1 is the ELBO with a sampled KL.
/// </summary>
public sealed record Objective(ObjectiveKind Kind, int Samples)
{
    public static readonly Objective Elbo = new(ObjectiveKind.Elbo, 1);

    public static Objective Iwae(int samples) => new(ObjectiveKind.Iwae, samples);

    public bool ImportanceWeighted => Kind == ObjectiveKind.Iwae;

    /// <summary>The encoder-gradient estimators this objective supports.</summary>
    public IReadOnlyList<GradientEstimator> Estimators => ImportanceWeighted ? EncoderEstimators.ImportanceWeighted : EncoderEstimators.All;

    /// <summary>"elbo" or "iwae", the option's and the checkpoint's word.</summary>
    public string Name => ModelVocabulary.Objectives.Name(Kind);

    public override string ToString() => ImportanceWeighted ? $"iwae K = {Samples}" : "elbo";

    /// <summary>
    /// The most draws per image: far beyond the K = 5000 of an evaluation, and small enough that a batch's draw rows
    /// times any layer width stays a countable size before the memory check weighs it.
    /// </summary>
    public const int MaxSamples = 1 << 16;

    /// <summary>Refuses K out of range, or K != 1 for the ELBO, naming the settings.</summary>
    public Objective Validated()
    {
        if (Samples < 1 || Samples > MaxSamples)
            throw new InvalidSettingException(nameof(Samples), Samples, $"draws per image must be 1 to {MaxSamples}.");
        if (!ImportanceWeighted && Samples != 1)
            throw new InvalidSettingException([new(nameof(Samples), InvalidSettingException.Text(Samples)), new(nameof(Objective), Name)],
                "the ELBO draws one z per image; use {Objective iwae} for the importance-weighted bound.");
        return this;
    }
}
