using VaeGpu.Host.Names;
using VaeGpu.Host.Experiments.GradientEstimators;
using System.CommandLine;
using System.Globalization;
using VaeGpu.Host.Experiments.MonteCarlo;
using VaeGpu.Kernels;
using VaeGpu.Runtime;
using VaeGpu.Host.Files;

namespace VaeGpu.Cli.Experiments;

/// <summary>
/// `vaegpu variance gaussian`: the Gaussian testbed of Mohamed et al. (2020). The gradient of E[f(x)], x ~ N(mu, sigma^2),
/// with respect to mu and sigma by the score-function estimator, the score function with the optimal constant baseline,
/// and the path-wise estimator: each one's sampled mean and variance beside the quadrature's exact gradient and exact
/// variance. --sweep draws variance against k for every cost; --shard runs one slice of the samples for `vaegpu merge`.
/// </summary>
public static class GaussianVarianceCommand
{
    public const string DefaultSweepFolder = "runs/variance-gaussian";

    public static Command Create()
    {
        var cost = new Option<string>("--cost") { Description = "f(x): quadratic (x - k)^2, exp exp(-k x^2) or cos cos(k x)", DefaultValueFactory = _ => "quadratic" };
        cost.AcceptOnlyFromAmong(Vocabulary.Costs.Names);
        var k = new Option<float>("--cost-parameter") { Description = $"k in the cost's formula, |k| <= {GaussianVarianceSettings.MaxAbsK} (k >= 0 for exp)", DefaultValueFactory = _ => 1f };
        // --k is draws per image everywhere else.
        var formerK = new DeprecatedSpelling<float>(k, "--k", "variance gaussian");
        var mu = new Option<float>("--mu") { Description = $"mean of x, |mu| <= {GaussianVarianceSettings.MaxAbsMu}", DefaultValueFactory = _ => 1f };
        var sigma = new Option<float>("--sigma") { Description = $"standard deviation of x, in (0, {GaussianVarianceSettings.MaxSigma}]", DefaultValueFactory = _ => 1f };
        var samples = SampleCountOption.Create("--samples", "samples per estimator (per k in a sweep)", 1e6);
        var json = new Option<bool>("--json") { Description = "print the result as one JSON object" };
        var sweep = new Option<bool>("--sweep") { Description = $"variance against k for every cost and estimator; PNGs and sweep.csv into --out (default {DefaultSweepFolder})" };
        var shard = new Option<string?>("--shard") { Description = "run shard i of n (i/n, i from 0; auto: a Slurm array task; auto/N: a Kubernetes Indexed Job of N) of the samples and write its statistics to --out FILE, for `vaegpu merge`" };
        var output = new Option<string?>("--out") { Description = "the sweep's folder, or the shard's JSON file" };
        var sampler = new Option<string>("--sampler") { Description = "how the normals are drawn: mc (independent), antithetic (eps, -eps pairs), stratified or rqmc, each over --replicates", DefaultValueFactory = _ => "mc" };
        sampler.AcceptOnlyFromAmong(Vocabulary.Samplers.Names);
        var replicates = new Option<int>("--replicates") { Description = $"antithetic, stratified and rqmc: independent replicates R that --samples is shared among (2 to {MaxReplicates}); their spread is the error bar", DefaultValueFactory = _ => 16 };
        var seed = CommonOptions.Seed();
        var device = CommonOptions.Device();
        var command = new Command("gaussian", "Score-function, baselined score-function and path-wise gradients of E[f(x)], x ~ N(mu, sigma^2): means and variances against exact quadrature.")
        {
            cost, k, formerK.Option, mu, sigma, samples, json, sweep, shard, output, sampler, replicates, seed, device,
        };
        command.SetAction(parsed =>
        {
            var settings = new GaussianVarianceSettings(Vocabulary.Costs.Parse(parsed.GetValue(cost)!), formerK.Value(parsed), parsed.GetValue(mu),
                parsed.GetValue(sigma), SampleCountOption.Validate("--samples", parsed.GetValue(samples), GaussianVarianceSettings.MinSamples, GaussianVarianceSettings.MaxSamples),
                parsed.GetValue(seed));
            settings.Validate();
            string? shardText = parsed.GetValue(shard), outputPath = parsed.GetValue(output);
            var kind = Vocabulary.Samplers.Parse(parsed.GetValue(sampler)!);
            if (kind != Sampler.Mc)
                return Sampled(settings, kind, parsed.GetValue(replicates), parsed.GetValue(sweep), shardText, outputPath, parsed.GetValue(json), parsed.GetValue(device)!);
            if (parsed.GetResult(replicates) is { Implicit: false })
                throw new UserErrorException("--replicates is for --sampler antithetic, stratified or rqmc; plain Monte Carlo draws independent samples.");
            if (parsed.GetValue(sweep))
            {
                if (shardText is not null) throw new UserErrorException("--sweep and --shard: a sweep runs whole; drop one of them.");
                return Sweep(settings, ResultFolder.Create(outputPath ?? DefaultSweepFolder, "variance gaussian --sweep"), parsed.GetValue(device)!);
            }
            if (shardText is not null)
            {
                var slice = ShardSlice.FromOption(shardText, Environment.GetEnvironmentVariable);
                if (outputPath is null) throw new UserErrorException("--shard needs --out FILE, the JSON file for the shard's statistics.");
                CheckShardWritable(outputPath);
                return Shard(settings, slice, outputPath, parsed.GetValue(device)!);
            }
            if (outputPath is not null)
                throw new UserErrorException("--out is for --sweep (a folder) or --shard (a file); a single run prints its result (use --json to keep it).");
            var exact = GradientQuadrature.Solve(settings.Cost, settings.K, settings.Mu, settings.Sigma);
            using var backend = CommonOptions.OpenDevice(parsed.GetValue(device)!);
            var result = new GaussianVarianceResult(settings, exact, new GaussianGradientExperiment(backend, settings).Run(ShardSlice.Whole));
            Console.WriteLine(parsed.GetValue(json) ? GaussianVarianceReport.Json(result) : GaussianVarianceReport.Table(result));
            return 0;
        });
        return command;
    }

    /// <summary>At most this many replicates: each is one pass of reductions.</summary>
    const int MaxReplicates = 4096;

    static int Sampled(GaussianVarianceSettings settings, Sampler sampler, int replicates, bool sweep, string? shard, string? output, bool json, string device)
    {
        string name = Vocabulary.Samplers.Name(sampler);
        if (sweep || shard is not null || output is not null)
            throw new UserErrorException($"--sampler {name} runs one setting whole and prints it: drop {(sweep ? "--sweep" : shard is not null ? "--shard" : "--out")}.");
        if (replicates < 2 || replicates > MaxReplicates)
            throw new UserErrorException($"--replicates {replicates}: use 2 to {MaxReplicates} (an error bar needs at least two independent replicates).");
        long normalsPerPoint = sampler == Sampler.Antithetic ? 2 : 1;
        if (settings.Samples / replicates / normalsPerPoint < 1)
            throw new UserErrorException($"--samples {settings.Samples}: too few for {replicates} replicates of {(sampler == Sampler.Antithetic ? "a pair" : "a point")} each; use more samples or fewer --replicates.");
        var exact = GradientQuadrature.Solve(settings.Cost, settings.K, settings.Mu, settings.Sigma);
        using var backend = CommonOptions.OpenDevice(device);
        var experiment = new SampledGradientExperiment(backend, settings, sampler, replicates);
        var rows = experiment.Run();
        Console.WriteLine(json ? SampledGradientReport.Json(settings, exact, experiment, rows) : SampledGradientReport.Table(settings, exact, experiment, rows));
        return 0;
    }

    static int Shard(GaussianVarianceSettings settings, ShardSlice slice, string path, string device)
    {
        using var backend = CommonOptions.OpenDevice(device);
        var experiment = new GaussianGradientExperiment(backend, settings);
        var estimators = experiment.Run(slice);
        new VarianceShardFile(settings, slice, experiment.ChunkLength, estimators).Write(path);
        var (first, count) = slice.Range(settings.Samples, experiment.ChunkLength);
        Console.WriteLine($"shard {slice}: samples {first} .. {first + count - 1} ({count} of {settings.Samples}) written to {path}");
        return 0;
    }

    static int Sweep(GaussianVarianceSettings settings, string folder, string device)
    {
        using var backend = CommonOptions.OpenDevice(device);
        var points = VarianceSweep.Run(backend, settings.Mu, settings.Sigma, settings.Samples, settings.Seed);
        var estimators = GaussianGradientExperiment.Estimators;
        Console.WriteLine(FormattableString.Invariant($"variance of each single-sample estimator (sampled / exact), x ~ N({settings.Mu}, {settings.Sigma}^2), N = {settings.Samples} per point"));
        foreach (var parameter in Enum.GetValues<GradientParameter>())
        {
            Console.WriteLine($"{"cost",-10}{"k",8}" + string.Concat(estimators.Select(e => $"{$"{Vocabulary.Estimators.Name(e)} d/d{VarianceVocabulary.Parameters.Name(parameter)}",30}")));
            foreach (var row in points.Where(p => p.Parameter == parameter).GroupBy(p => (p.Cost, p.K)))
                Console.WriteLine($"{Vocabulary.Costs.Name(row.Key.Cost),-10}{row.Key.K.ToString("G3", CultureInfo.InvariantCulture),8}" +
                    string.Concat(row.Select(p => $"{$"{Short(p.Variance)} / {Short(p.ExactVariance)}",30}")));
        }
        VarianceSweepReport.WriteCsv(Path.Combine(folder, VarianceSweepReport.CsvFile), points);
        VarianceSweepReport.WriteCharts(folder, settings.Mu, settings.Sigma, settings.Samples, points);
        Console.Error.WriteLine($"wrote {VarianceSweepReport.CsvFile} and {2 * Enum.GetValues<GradientEstimatorCost>().Length} PNGs (variance-COST-PARAMETER.png) to {folder}");
        return 0;
    }

    static string Short(double value) => value.ToString("0.000e0", CultureInfo.InvariantCulture);

    /// <summary>Fails before any computing when <paramref name="path"/> cannot be a file: its folder must exist.</summary>
    static void CheckShardWritable(string path)
    {
        if (!string.IsNullOrWhiteSpace(path) && Directory.Exists(path))
            throw new UserErrorException($"--out {path}: is a folder; a shard's --out names the JSON file to write.");
        if (!string.IsNullOrWhiteSpace(path) && !Directory.Exists(Path.GetDirectoryName(Path.GetFullPath(path))))
            throw new UserErrorException($"--out {path}: its folder does not exist; create it or choose another path.");
        OutputFile.Check("--out", path, VarianceShardFile.Kind);
    }
}
