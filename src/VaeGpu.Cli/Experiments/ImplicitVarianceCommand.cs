using System.CommandLine;
using VaeGpu.Host.Experiments.ImplicitGradients;
using VaeGpu.Host.Files;
using VaeGpu.Runtime;

namespace VaeGpu.Cli.Experiments;

/// <summary>
/// `vaegpu variance gamma|beta|vonmises`: the implicit reparameterisation gradient (Figurnov, Mohamed and Mnih 2018)
/// of E[f(z)] against the score function with and without its optimal baseline, on draws from the device, each mean
/// and variance against exact quadrature; sharded with --shard and `vaegpu merge` as `variance gaussian` is.
/// </summary>
public static class ImplicitVarianceCommand
{
    public static Command Create(ImplicitDistribution distribution)
    {
        string name = ImplicitVarianceVocabulary.Distributions.Name(distribution);
        bool circular = distribution == ImplicitDistribution.VonMises;
        var costs = ImplicitProblem.CostsOf(distribution);
        var cost = new Option<string>("--cost")
        {
            Description = $"f(z): {string.Join(", ", costs.Select(c => $"{ImplicitVarianceVocabulary.Costs.Name(c)} {ImplicitVarianceVocabulary.Formula(c)}"))}",
            DefaultValueFactory = _ => ImplicitVarianceVocabulary.Costs.Name(circular ? ImplicitCost.Cos : ImplicitCost.Z),
        };
        cost.AcceptOnlyFromAmong(ImplicitVarianceVocabulary.Costs.NamesOf(costs));
        var k = new Option<float>("--cost-parameter") { Description = $"k in the cost's formula (cos, exp), |k| <= {ImplicitVarianceSettings.MaxAbsK}", DefaultValueFactory = _ => 1f };
        var alpha = new Option<float>("--alpha")
        {
            Description = distribution == ImplicitDistribution.Gamma
                ? $"shape, {ImplicitVarianceSettings.MinGammaAlpha:0.#e0} to {ImplicitVarianceSettings.MaxGammaAlpha:0.#e0}"
                : $"first concentration, {ImplicitVarianceSettings.MinConcentration} to {ImplicitVarianceSettings.MaxConcentration}",
            DefaultValueFactory = _ => 2f,
        };
        var beta = new Option<float>("--beta")
        {
            Description = distribution == ImplicitDistribution.Gamma
                ? $"rate (z = G / beta), {ImplicitVarianceSettings.MinRate:0.#e0} to {ImplicitVarianceSettings.MaxRate}"
                : $"second concentration, {ImplicitVarianceSettings.MinConcentration} to {ImplicitVarianceSettings.MaxConcentration}",
            DefaultValueFactory = _ => distribution == ImplicitDistribution.Gamma ? 1f : 3f,
        };
        var kappa = new Option<float>("--kappa") { Description = $"concentration, {ImplicitVarianceSettings.MinKappa:0.#e0} to {ImplicitVarianceSettings.MaxKappa} (location 0)", DefaultValueFactory = _ => 2f };
        var samples = SampleCountOption.Create("--samples", "draws, shared by the estimators", 1e6);
        var json = new Option<bool>("--json") { Description = "print the result as one JSON object" };
        var shard = new Option<string?>("--shard") { Description = "run shard i/n (i from 0; auto: a Slurm array task; auto/N: a Kubernetes Indexed Job of N) of the draws and write its statistics to --out FILE, for `vaegpu merge`" };
        var output = new Option<string?>("--out") { Description = "the shard's JSON file" };
        var seed = CommonOptions.Seed();
        var device = CommonOptions.Device();
        string title = distribution switch
        {
            ImplicitDistribution.Gamma => "z ~ Gamma(alpha, rate beta)",
            ImplicitDistribution.Beta => "z ~ Beta(alpha, beta)",
            _ => "z ~ von Mises(0, kappa)",
        };
        var command = new Command(name, $"Implicit reparameterisation, score-function and baselined score-function gradients of E[f(z)], {title}: means and variances against exact quadrature.");
        foreach (var option in new Option[] { cost, k })
            command.Options.Add(option);
        if (circular) command.Options.Add(kappa);
        else
        {
            command.Options.Add(alpha);
            command.Options.Add(beta);
        }
        foreach (var option in new Option[] { samples, json, shard, output, seed, device })
            command.Options.Add(option);
        command.SetAction(parsed =>
        {
            var settings = new ImplicitVarianceSettings(distribution, ImplicitVarianceVocabulary.Costs.Parse(parsed.GetValue(cost)!), parsed.GetValue(k),
                circular ? 0 : parsed.GetValue(alpha), circular ? 0 : parsed.GetValue(beta), circular ? parsed.GetValue(kappa) : 0,
                SampleCountOption.Validate("--samples", parsed.GetValue(samples), ImplicitVarianceSettings.MinSamples, ImplicitVarianceSettings.MaxSamples),
                parsed.GetValue(seed));
            settings.Validate();
            string? shardText = parsed.GetValue(shard), outputPath = parsed.GetValue(output);
            if (shardText is not null)
            {
                var slice = ShardSlice.FromOption(shardText, Environment.GetEnvironmentVariable);
                if (outputPath is null) throw new UserErrorException("--shard needs --out FILE, the JSON file for the shard's statistics.");
                CheckShardWritable(outputPath);
                using var shardBackend = CommonOptions.OpenDevice(parsed.GetValue(device)!);
                var experiment = new ImplicitGradientExperiment(shardBackend, settings);
                var (estimators, seconds) = experiment.Run(slice);
                new ImplicitVarianceShardFile(settings, slice, experiment.ChunkLength, seconds, estimators).Write(outputPath);
                var (first, count) = slice.Range(settings.Samples, experiment.ChunkLength);
                Console.WriteLine($"shard {slice}: samples {first} .. {first + count - 1} ({count} of {settings.Samples}) written to {outputPath}");
                return 0;
            }
            if (outputPath is not null)
                throw new UserErrorException("--out is for --shard (a file); a single run prints its result (use --json to keep it).");
            var exact = ImplicitExactGradients.Solve(settings.Problem);
            using var backend = CommonOptions.OpenDevice(parsed.GetValue(device)!);
            var (all, elapsed) = new ImplicitGradientExperiment(backend, settings).Run(ShardSlice.Whole);
            var result = new ImplicitVarianceResult(settings, exact, all, elapsed);
            Console.WriteLine(parsed.GetValue(json) ? ImplicitVarianceReport.Json(result) : ImplicitVarianceReport.Table(result));
            return 0;
        });
        return command;
    }

    /// <summary>Fails before any computing when <paramref name="path"/> cannot be a file: its folder must exist.</summary>
    static void CheckShardWritable(string path)
    {
        if (!string.IsNullOrWhiteSpace(path) && Directory.Exists(path))
            throw new UserErrorException($"--out {path}: is a folder; a shard's --out names the JSON file to write.");
        if (!string.IsNullOrWhiteSpace(path) && !Directory.Exists(Path.GetDirectoryName(Path.GetFullPath(path))))
            throw new UserErrorException($"--out {path}: its folder does not exist; create it or choose another path.");
        OutputFile.Check("--out", path, ImplicitVarianceShardFile.Kind);
    }
}
