using System.Globalization;
using VaeGpu.Runtime;

namespace VaeGpu.Host.Model;

public enum Likelihood { Bernoulli, Gaussian }

/// <summary>
/// The shape of a VAE: inputs -> hidden layers (ReLU) -> [mu | log sigma^2] of q(z|x); z -> the hidden layers in
/// reverse (ReLU) -> logits (Bernoulli) or means (Gaussian with fixed SigmaX) of p(x|z); prior N(0, I).
/// </summary>
public sealed record VaeConfig(int Inputs, int[] Hidden, int Latent, Likelihood Likelihood, float SigmaX)
{
    /// <summary>Refuses impossible shapes with a one-line message naming the option.</summary>
    public VaeConfig Validated()
    {
        if (Inputs <= 0) throw new UserErrorException($"the data has {Inputs} pixels per image; it needs at least one.");
        if (Hidden.Any(width => width <= 0)) throw new UserErrorException($"--hidden {string.Join(',', Hidden)}: every layer width must be at least 1.");
        if (Latent <= 0) throw new UserErrorException($"--latent {Latent}: the latent size must be at least 1.");
        if (!(SigmaX > 0) || float.IsInfinity(SigmaX)) throw new UserErrorException($"--sigma-x {SigmaX}: the decoder's standard deviation must be a positive number.");
        return this;
    }

    public string HiddenText => string.Join(',', Hidden);

    /// <summary>The configuration as safetensors header metadata (string to string).</summary>
    public Dictionary<string, string> ToMetadata() => new()
    {
        ["format"] = "vaegpu-vae-1",
        ["inputs"] = Inputs.ToString(CultureInfo.InvariantCulture),
        ["hidden"] = HiddenText,
        ["latent"] = Latent.ToString(CultureInfo.InvariantCulture),
        ["likelihood"] = Likelihood.ToString().ToLowerInvariant(),
        ["sigma_x"] = SigmaX.ToString("R", CultureInfo.InvariantCulture),
        ["weight_layout"] = "inputs x outputs (y = x W + b)",
    };

    public static VaeConfig FromMetadata(IReadOnlyDictionary<string, string> metadata, string file)
    {
        string Get(string key) => metadata.TryGetValue(key, out var value)
            ? value
            : throw new UserErrorException($"{file}: not a vaegpu model (its metadata lacks '{key}').");
        try
        {
            return new VaeConfig(
                int.Parse(Get("inputs"), CultureInfo.InvariantCulture),
                ParseHidden(Get("hidden")),
                int.Parse(Get("latent"), CultureInfo.InvariantCulture),
                Enum.Parse<Likelihood>(Get("likelihood"), ignoreCase: true),
                float.Parse(Get("sigma_x"), CultureInfo.InvariantCulture)).Validated();
        }
        catch (FormatException)
        {
            throw new UserErrorException($"{file}: the model configuration in its metadata is malformed.");
        }
    }

    /// <summary>"400" or "512,256"; an empty text means no hidden layer.</summary>
    public static int[] ParseHidden(string text) =>
        text.Trim().Length == 0 ? [] : text.Split(',').Select(part => int.Parse(part.Trim(), CultureInfo.InvariantCulture)).ToArray();
}
