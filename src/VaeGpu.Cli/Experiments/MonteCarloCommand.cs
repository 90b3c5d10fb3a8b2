using VaeGpu.Host.Names;
using VaeGpu.Host.Experiments.MonteCarlo;
using System.CommandLine;
using System.Globalization;
using VaeGpu.Kernels;
using VaeGpu.Runtime;
using VaeGpu.Host.Files;

namespace VaeGpu.Cli.Experiments;

/// <summary>
/// `vaegpu mc`: Monte Carlo estimates of E[f(z)], z ~ N(mu, sigma^2), for functions with closed-form expectations,
/// each with its standard error and 95% interval, and a sweep over N = 10^2 .. 10^8 showing the 1/sqrt(N) error.
/// </summary>
public static class MonteCarloCommand
{
    /// <summary>Beyond these, exp(z) overflows float (z reaches mu + 5.8 sigma with Philox's uniforms) or the run takes hours.</summary>
    const float MaxAbsMu = 10, MaxSigma = 5;

    /// <summary>At most this many replicates, so the sweep's smallest N (100) still gives each at least two points.</summary>
    const int MaxReplicates = 50;

    public static Command Create()
    {
        var mu = new Option<float>("--mu") { Description = $"mean of z, |mu| <= {MaxAbsMu}", DefaultValueFactory = _ => 0.5f };
        var sigma = new Option<float>("--sigma") { Description = $"standard deviation of z, in (0, {MaxSigma}]", DefaultValueFactory = _ => 1.5f };
        var samples = SampleCountOption.Create("--samples", "samples of the single estimate of each function", 1e6);
        var maxSamples = SampleCountOption.Create("--max-samples", "largest N of the sweep over N = 10^2, 10^3, ...", 1e8);
        var output = new Option<string>("--out") { Description = "folder for estimates.json, sweep.csv and convergence.png", DefaultValueFactory = _ => "runs/mc" };
        var sampler = new Option<string>("--sampler") { Description = "how the normals are drawn: mc (independent), antithetic (eps, -eps pairs), stratified (one per stratum) or rqmc (scrambled van der Corput)", DefaultValueFactory = _ => "mc" };
        sampler.AcceptOnlyFromAmong(Vocabulary.Samplers.Names);
        var replicates = new Option<int>("--replicates") { Description = $"stratified and rqmc: independent replicates R that --samples is shared among (2 to {MaxReplicates}); their spread is the error bar", DefaultValueFactory = _ => 16 };
        var proposal = new Option<string?>("--proposal") { Description = "MU,SIGMA: also estimate by importance sampling from q = N(MU, SIGMA^2), plain and self-normalised, with the effective sample size" };
        var seed = CommonOptions.Seed();
        var device = CommonOptions.Device();
        var command = new Command("mc", "Monte Carlo estimates of E[f(z)], z ~ N(mu, sigma^2), against their closed forms; error against N.")
        {
            mu, sigma, samples, maxSamples, sampler, replicates, proposal, output, seed, device,
        };
        command.SetAction(parsed =>
        {
            float m = parsed.GetValue(mu), s = parsed.GetValue(sigma);
            if (!float.IsFinite(m) || Math.Abs(m) > MaxAbsMu) throw new UserErrorException($"--mu {Text(m)}: use a mean from -{MaxAbsMu} to {MaxAbsMu}.");
            if (!float.IsFinite(s) || s <= 0 || s > MaxSigma) throw new UserErrorException($"--sigma {Text(s)}: use a standard deviation above 0 and at most {MaxSigma}.");
            long single = SampleCountOption.Validate("--samples", parsed.GetValue(samples), 2, GaussianMonteCarlo.MaxSamples);
            long largest = SampleCountOption.Validate("--max-samples", parsed.GetValue(maxSamples), 100, GaussianMonteCarlo.MaxSamples);
            var kind = Vocabulary.Samplers.Parse(parsed.GetValue(sampler)!);
            int r = parsed.GetValue(replicates);
            bool replicated = kind is Sampler.Stratified or Sampler.Rqmc;
            if (!replicated && parsed.GetResult(replicates) is { Implicit: false })
                throw new UserErrorException($"--replicates is for --sampler stratified or rqmc; {parsed.GetValue(sampler)} takes its error bar from its own draws: drop --replicates.");
            if (replicated && (r < 2 || r > MaxReplicates))
                throw new UserErrorException($"--replicates {r}: {parsed.GetValue(sampler)} needs 2 to {MaxReplicates} independent replicates for an error bar.");
            if (replicated && single < 2L * r)
                throw new UserErrorException($"--samples {single}: {r} replicates need at least {2 * r} samples (two points each).");
            var q = parsed.GetValue(proposal) is { } proposalText ? ParseProposal(proposalText) : ((float Mu, float Sigma)?)null;
            if (q is not null && kind != Sampler.Mc)
                throw new UserErrorException($"--proposal with --sampler {parsed.GetValue(sampler)}: importance sampling draws the proposal independently; drop one of them.");
            string folder = ResultFolder.Create(parsed.GetValue(output)!, "mc");
            ulong seedValue = parsed.GetValue(seed);
            using var backend = CommonOptions.OpenDevice(parsed.GetValue(device)!);
            var monteCarlo = new GaussianMonteCarlo(backend, m, s, seedValue);
            var integrands = Enum.GetValues<GaussianIntegrand>();

            var estimates = integrands.Select(f => monteCarlo.Estimate(f, single, MonteCarloStreams.SingleEstimate, kind, r)).ToList();
            PrintEstimates(m, s, estimates[0].Samples, seedValue, kind, r, estimates);

            var importance = q is { } proposed
                ? integrands.Select(f => monteCarlo.ImportanceEstimate(f, single, MonteCarloStreams.SingleEstimate, proposed.Mu, proposed.Sigma)).ToList()
                : null;
            if (importance is not null) PrintImportance(q!.Value, estimates, importance);

            var sweep = new List<MonteCarloEstimate>();
            Sampler[] samplers = kind == Sampler.Mc ? [Sampler.Mc] : [Sampler.Mc, kind];
            Console.WriteLine();
            Console.WriteLine("sweep, fresh samples for every N: |error| / standard error (the ratio is about |N(0,1)|, so below 2 about 95% of the time)");
            Console.WriteLine($"{"N",-8}{"sampler",-12}" + string.Concat(integrands.Select(f => $"{GaussianExpectations.Formula(f),22}")) + $"{"seconds",10}");
            foreach (var (n, exponent) in GaussianMonteCarlo.SweepSizes(largest))
                foreach (var drawn in samplers)
                {
                    var row = integrands.Select(f => monteCarlo.Estimate(f, n, exponent, drawn, r)).ToList();
                    sweep.AddRange(row);
                    Console.WriteLine($"{n.ToString("0e0", CultureInfo.InvariantCulture),-8}{Vocabulary.Samplers.Name(drawn),-12}" +
                        string.Concat(row.Select(e => $"{$"{Scientific(e.AbsoluteError)} / {Scientific(e.StandardError)}",22}")) +
                        $"{row.Sum(e => e.Seconds),10:F2}");
                }
            Console.WriteLine($"{"slope of log SE against log N",-20}" + string.Concat(samplers.Select(drawn => $"  {Vocabulary.Samplers.Name(drawn)}: " +
                string.Join(", ", integrands.Select(f => $"{GaussianExpectations.Formula(f)} {GaussianMonteCarlo.StandardErrorSlope([.. sweep.Where(e => e.Integrand == f && e.Sampler == drawn)]):F2}")))));

            MonteCarloReport.WriteEstimates(Path.Combine(folder, MonteCarloReport.EstimatesFile), m, s, seedValue, backend.Name, kind, replicated ? r : null, estimates,
                q, importance);
            MonteCarloReport.WriteSweep(Path.Combine(folder, MonteCarloReport.SweepFile), sweep);
            MonteCarloReport.WriteChart(Path.Combine(folder, MonteCarloReport.ChartFile), m, s, sweep);
            Console.Error.WriteLine($"wrote {MonteCarloReport.EstimatesFile}, {MonteCarloReport.SweepFile} and {MonteCarloReport.ChartFile} to {folder}");
            return 0;
        });
        return command;
    }

    /// <summary>"MU,SIGMA" with a finite mean and a standard deviation above 0 (and at most MaxSigma times 4).</summary>
    static (float Mu, float Sigma) ParseProposal(string text)
    {
        var parts = text.Split(',');
        if (parts.Length == 2 && float.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out float mean) && float.IsFinite(mean)
            && Math.Abs(mean) <= 4 * MaxAbsMu && float.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out float deviation))
        {
            if (!(deviation > 0) || !float.IsFinite(deviation) || deviation > 4 * MaxSigma)
                throw new UserErrorException($"--proposal {text}: the proposal's standard deviation must be above 0 and at most {4 * MaxSigma}.");
            return (mean, deviation);
        }
        throw new UserErrorException($"--proposal {text}: write MU,SIGMA, the proposal's mean (|MU| <= {4 * MaxAbsMu}) and standard deviation, e.g. 4.5,1.");
    }

    static void PrintImportance((float Mu, float Sigma) q, IReadOnlyList<MonteCarloEstimate> plain, IReadOnlyList<ImportanceEstimate> importance)
    {
        Console.WriteLine();
        Console.WriteLine($"importance sampling from q = N({Text(q.Mu)}, {Text(q.Sigma)}^2), the same N; variance ratio = (MC's SE / IS's SE)^2:");
        Console.WriteLine($"{"f(z)",-8}{"exact",13}{"IS",13}{"std error",12}{"self-norm.",13}{"std error",12}{"ESS",11}{"variance ratio",16}");
        for (int i = 0; i < importance.Count; i++)
        {
            var e = importance[i];
            double ratio = plain[i].StandardError * plain[i].StandardError / (e.PlainStandardError * e.PlainStandardError);
            Console.WriteLine($"{GaussianExpectations.Formula(e.Integrand),-8}{e.Exact,13:G6}{e.Plain,13:G6}{e.PlainStandardError,12:G3}{e.SelfNormalised,13:G6}" +
                $"{e.SelfNormalisedStandardError,12:G3}{e.EffectiveSampleSize,11:G3}{ratio,16:G3}");
        }
    }

    static void PrintEstimates(float mu, float sigma, long samples, ulong seed, Sampler sampler, int replicates, IReadOnlyList<MonteCarloEstimate> estimates)
    {
        string how = sampler switch
        {
            Sampler.Mc => "independent draws",
            Sampler.Antithetic => "antithetic pairs",
            _ => $"{Vocabulary.Samplers.Name(sampler)}, {replicates} replicates",
        };
        Console.WriteLine($"E[f(z)] for z ~ N({Text(mu)}, {Text(sigma)}^2), N = {samples.ToString(CultureInfo.InvariantCulture)} samples each ({how}), seed {seed}:");
        Console.WriteLine($"{"f(z)",-8}{"exact",12}{"estimate",12}{"std error",12}   {"95% interval",-26}{"|error|/SE",11}");
        foreach (var e in estimates)
            Console.WriteLine($"{GaussianExpectations.Formula(e.Integrand),-8}{e.Exact,12:F6}{e.Estimate,12:F6}{e.StandardError,12:F6}   " +
                $"{$"[{e.Lower95:F6}, {e.Upper95:F6}]",-26}{e.AbsoluteError / e.StandardError,11:F2}");
    }

    static string Scientific(double value) => value.ToString("0.00e0", CultureInfo.InvariantCulture);
    static string Text(float value) => value.ToString(CultureInfo.InvariantCulture);
}
