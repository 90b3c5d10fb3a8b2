using System.Globalization;
using VaeGpu.Kernels;
using VaeGpu.Runtime;

namespace VaeGpu.Host.Model;

public enum Likelihood { Bernoulli, Gaussian }

/// <summary>
/// The shape of a VAE: inputs -> hidden layers (Activation: ReLU unless asked) -> the head of q(z|x) ([mu | log sigma^2]
/// for the Gaussian posterior; [shape | rate] or the concentrations before a softplus for Gamma and Dirichlet:
/// VaeGpu.Kernels.Posterior); z -> the hidden layers in reverse (Activation) -> logits (Bernoulli) or means (Gaussian
/// with fixed SigmaX) of p(x|z); the prior of the posterior's family.
/// </summary>
public sealed record VaeConfig(int Inputs, int[] Hidden, int Latent, Likelihood Likelihood, float SigmaX, Posterior Posterior = Posterior.Gaussian,
    Activation Activation = Activation.Relu)
{
    /// <summary>The encoder head's width: 2 Latent ([mu | log sigma^2], or Gamma's [shape | rate]), Latent for Dirichlet.</summary>
    public int HeadWidth => ImplicitPosteriorMath.HeadColumns(Posterior) * Latent;

    /// <summary>Widths beyond these are no VAE anyone trains here; they bound every product of sizes well inside a long.</summary>
    public const int MaxInputs = 1 << 24, MaxWidth = 1 << 20, MaxLatent = 1 << 16;

    /// <summary>Refuses impossible shapes: the data's with a one-line message, the settings' with an InvalidSettingException naming them.</summary>
    public VaeConfig Validated()
    {
        if (Inputs <= 0) throw new UserErrorException($"the data has {Inputs} pixels per image; it needs at least one.");
        if (Inputs > MaxInputs) throw new UserErrorException($"the data has {Inputs} pixels per image, more than the {MaxInputs} VaeGpu supports.");
        if (Hidden.Any(width => width <= 0 || width > MaxWidth))
            throw new InvalidSettingException(nameof(Hidden), HiddenText, $"every layer width must be 1 to {MaxWidth}.");
        if (Latent <= 0 || Latent > MaxLatent) throw new InvalidSettingException(nameof(Latent), Latent, $"the latent size must be 1 to {MaxLatent}.");
        if (ParameterCount > int.MaxValue)
            throw new InvalidSettingException([new(nameof(Hidden), HiddenText), new(nameof(Latent), InvalidSettingException.Text(Latent))], $"{ParameterCount} parameters, more than the {int.MaxValue} one tensor can hold.");
        if (!(SigmaX > 0) || float.IsInfinity(SigmaX)) throw new InvalidSettingException(nameof(SigmaX), SigmaX, "the decoder's standard deviation must be a positive number.");
        if (Activation is not (Activation.Relu or Activation.Tanh))
            throw new InvalidSettingException(nameof(Activation), Activation.ToString(), $"the hidden layers' activation must be one of {ModelVocabulary.Activations.Choices}.");
        return this;
    }

    public string HiddenText => string.Join(',', Hidden);

    /// <summary>Weights and biases of every layer (as ParameterLayout lays them out), counted without overflow.</summary>
    public long ParameterCount
    {
        get
        {
            long count = 0, width = Inputs;
            foreach (int next in (int[])[.. Hidden, HeadWidth]) { count += (width + 1) * next; width = next; }
            width = Latent;
            foreach (int next in (int[])[.. Hidden.Reverse(), Inputs]) { count += (width + 1) * next; width = next; }
            return count;
        }
    }

    /// <summary>
    /// The configuration as safetensors header metadata (string to string). "posterior" is written only for Gamma and
    /// Dirichlet models, "activation" only for tanh: a Gaussian ReLU model's file is byte for byte what it was before
    /// either had a choice.
    /// </summary>
    public Dictionary<string, string> ToMetadata()
    {
        var metadata = BaseMetadata();
        if (Posterior != Posterior.Gaussian) metadata["posterior"] = ModelVocabulary.Posteriors.Name(Posterior);
        if (Activation != Activation.Relu) metadata["activation"] = ModelVocabulary.Activations.Name(Activation);
        return metadata;
    }

    Dictionary<string, string> BaseMetadata() => new()
    {
        ["format"] = "vaegpu-vae-1",
        ["inputs"] = Inputs.ToString(CultureInfo.InvariantCulture),
        ["hidden"] = HiddenText,
        ["latent"] = Latent.ToString(CultureInfo.InvariantCulture),
        ["likelihood"] = ModelVocabulary.Likelihoods.Name(Likelihood),
        ["sigma_x"] = SigmaX.ToString("R", CultureInfo.InvariantCulture),
        ["weight_layout"] = "inputs x outputs (y = x W + b)",
    };

    /// <summary>The configuration a model file's metadata states; every value is checked, and a bad one is a one-line error naming it.</summary>
    public static VaeConfig FromMetadata(IReadOnlyDictionary<string, string> metadata, string file)
    {
        string Get(string key) => metadata.TryGetValue(key, out var value)
            ? value
            : throw new UserErrorException($"{file}: not a vaegpu model (its metadata lacks '{key}').");
        UserErrorException Bad(string key, string expected) => new($"{file}: metadata '{key}' is '{Get(key)}', expected {expected}.");
        int Count(string key) => TryParseCount(Get(key), out int value) ? value : throw Bad(key, "a whole number from 1 to 2147483647");
        var likelihood = ModelVocabulary.Likelihoods.TryParse(Get("likelihood"), out var named) ? named : throw Bad("likelihood", ModelVocabulary.Likelihoods.Choices);
        int[] hidden = TryParseHidden(Get("hidden"), out var widths) ? widths : throw Bad("hidden", "layer widths such as 400 or 512,256");
        float sigma = float.TryParse(Get("sigma_x"), NumberStyles.Float, CultureInfo.InvariantCulture, out float parsed) && float.IsFinite(parsed)
            ? parsed
            : throw Bad("sigma_x", "a finite number");
        var posterior = !metadata.TryGetValue("posterior", out var posteriorName) ? Posterior.Gaussian
            : ModelVocabulary.Posteriors.TryParse(posteriorName, out var family) ? family : throw Bad("posterior", ModelVocabulary.Posteriors.Choices);
        var activation = !metadata.TryGetValue("activation", out var activationName) ? Activation.Relu
            : ModelVocabulary.Activations.TryParse(activationName, out var nonlinearity) ? nonlinearity : throw Bad("activation", ModelVocabulary.Activations.Choices);
        try
        {
            return new VaeConfig(Count("inputs"), hidden, Count("latent"), likelihood, sigma, posterior, activation).Validated();
        }
        catch (Exception error) when (error is UserErrorException or InvalidSettingException)
        {
            throw new UserErrorException($"{file}: the model's metadata describes an impossible model: {error.Message}");
        }
    }

    /// <summary>A count in plain digits, 1 to int.MaxValue (no sign, no exponent, no hex).</summary>
    static bool TryParseCount(string text, out int value) =>
        int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out value) && value >= 1;

    /// <summary>"400" or "512,256"; an empty text means no hidden layer.</summary>
    public static bool TryParseHidden(string text, out int[] widths)
    {
        widths = [];
        if (text.Trim().Length == 0) return true;
        var parts = text.Split(',');
        var parsed = new int[parts.Length];
        for (int i = 0; i < parts.Length; i++)
            if (!TryParseCount(parts[i], out parsed[i])) return false;
        widths = parsed;
        return true;
    }
}
