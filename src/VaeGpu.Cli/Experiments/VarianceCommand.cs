using VaeGpu.Host.Experiments.GradientEstimators;
using VaeGpu.Host.Experiments.ImplicitGradients;
using System.CommandLine;

namespace VaeGpu.Cli.Experiments;

/// <summary>
/// `vaegpu variance`: the gradient-estimator lab (Mohamed, Rosca, Figurnov &amp; Mnih 2020). Its subcommands are the
/// testbeds; `gaussian`, `gamma`, `beta` and `vonmises` are built in, and other testbeds (a VAE's encoder gradients) are passed in by the caller.
/// </summary>
public static class VarianceCommand
{
    public static Command Create(params Command[] testbeds)
    {
        var command = new Command("variance", "Variance of Monte Carlo gradient estimators (score function, baselines, path-wise) against exact values.");
        command.Subcommands.Add(GaussianVarianceCommand.Create());
        foreach (var distribution in ImplicitVarianceVocabulary.Distributions.Values) command.Subcommands.Add(ImplicitVarianceCommand.Create(distribution));
        foreach (var testbed in testbeds) command.Subcommands.Add(testbed);
        return command;
    }
}
