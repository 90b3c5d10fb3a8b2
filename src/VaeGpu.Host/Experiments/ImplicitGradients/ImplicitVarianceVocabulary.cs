using VaeGpu.Host.Names;

namespace VaeGpu.Host.Experiments.ImplicitGradients;

/// <summary>How the implicit testbeds' distributions, costs and parameters are spelt: subcommands, --cost, JSON keys and tables.</summary>
public static class ImplicitVarianceVocabulary
{
    /// <summary>The subcommands of `vaegpu variance` and the "distribution" of the JSON and shard files.</summary>
    public static readonly NameTable<ImplicitDistribution> Distributions = new("distribution",
        (ImplicitDistribution.Gamma, "gamma"),
        (ImplicitDistribution.Beta, "beta"),
        (ImplicitDistribution.VonMises, "vonmises"));

    /// <summary>`--cost` of the implicit testbeds; which distribution takes which is ImplicitProblem.CostsOf.</summary>
    public static readonly NameTable<ImplicitCost> Costs = new("cost",
        (ImplicitCost.Z, "z"),
        (ImplicitCost.Square, "square"),
        (ImplicitCost.Log, "log"),
        (ImplicitCost.Cos, "cos"),
        (ImplicitCost.Exp, "exp"));

    /// <summary>The parameters in JSON keys and table rows.</summary>
    public static readonly NameTable<ImplicitParameter> Parameters = new("parameter",
        (ImplicitParameter.Alpha, "alpha"),
        (ImplicitParameter.Beta, "beta"),
        (ImplicitParameter.Kappa, "kappa"));

    /// <summary>The formula of the cost, for titles and tables.</summary>
    public static string Formula(ImplicitCost cost) => cost switch
    {
        ImplicitCost.Z => "z",
        ImplicitCost.Square => "z^2",
        ImplicitCost.Log => "log z",
        ImplicitCost.Cos => "cos(k z)",
        ImplicitCost.Exp => "exp(-k z)",
        _ => throw new ArgumentOutOfRangeException(nameof(cost), cost, "not an ImplicitCost."),
    };
}
