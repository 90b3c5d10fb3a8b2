using VaeGpu.Runtime;

namespace VaeGpu.Cli;

/// <summary>
/// The one table from the library's setting names (InvalidSettingException) to the flags that set them, so that a
/// refused setting reads as the command line the user typed. A command that spells a setting its own way overrides it.
/// </summary>
public static class SettingFlags
{
    static readonly Dictionary<string, string> Flags = new(StringComparer.Ordinal)
    {
        ["Hidden"] = "--hidden",
        ["Latent"] = "--latent",
        ["SigmaX"] = "--sigma-x",
        ["Epochs"] = "--epochs",
        ["BatchSize"] = "--batch",
        ["LearningRate"] = "--lr",
        ["Beta"] = "--beta",
        ["KlWarmupEpochs"] = "--kl-warmup",
        ["TrackVarianceEvery"] = "--track-variance",
        ["Objective"] = "--objective",
        ["Samples"] = "--k",
        ["Groups"] = "--groups",
        ["ElboWeight"] = "--elbo-weight",
        ["Alpha"] = "--alpha",
        ["Sampler"] = "--sampler",
        ["Estimator"] = "--estimator",
        ["Gemm"] = "--gemm",
        ["Device"] = "--device",
        ["Shard"] = "--shard",
        ["data"] = "--data",
        ["testFraction"] = "--test-fraction",
        ["Likelihood"] = "--likelihood",
        ["Posterior"] = "--posterior",
        ["Activation"] = "--activation",
        ["gradientSamples"] = "--samples",
        ["Components"] = "--components",
        ["Weights"] = "--weights",
        ["Means"] = "--means",
        ["StandardDeviations"] = "--stds",
    };

    /// <summary>Per command path ("variance gaussian"): its own spellings of settings the table spells otherwise.</summary>
    static readonly Dictionary<string, Dictionary<string, string>> CommandFlags = new(StringComparer.Ordinal)
    {
        ["variance gaussian"] = new(StringComparer.Ordinal) { ["Mu"] = "--mu", ["Sigma"] = "--sigma", ["K"] = "--cost-parameter", ["Samples"] = "--samples" },
        ["variance gamma"] = ImplicitTestbed(),
        ["variance beta"] = ImplicitTestbed(),
        ["variance vonmises"] = ImplicitTestbed(),
    };

    /// <summary>The implicit testbeds' spellings (`variance gamma|beta|vonmises`).</summary>
    static Dictionary<string, string> ImplicitTestbed() => new(StringComparer.Ordinal)
    {
        ["Alpha"] = "--alpha", ["Beta"] = "--beta", ["Kappa"] = "--kappa", ["Cost"] = "--cost", ["K"] = "--cost-parameter", ["Samples"] = "--samples",
    };

    /// <summary>The flag that sets <paramref name="setting"/> in <paramref name="command"/>; the setting's own name where no flag sets it.</summary>
    public static string Flag(string command, string setting) =>
        CommandFlags.TryGetValue(command, out var own) && own.TryGetValue(setting, out var flag) ? flag : Flags.GetValueOrDefault(setting, setting);

    /// <summary>The error as the command line's one line: "--latent 0: the latent size must be 1 to 65536."</summary>
    public static string Describe(InvalidSettingException error, string command) => error.Render(setting => Flag(command, setting), " ");
}
