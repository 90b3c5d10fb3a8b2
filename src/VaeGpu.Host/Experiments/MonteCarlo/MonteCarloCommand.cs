using System.CommandLine;
using System.Globalization;
using VaeGpu.Kernels;
using VaeGpu.Runtime;
using VaeGpu.Host.Cli;

namespace VaeGpu.Host.Experiments.MonteCarlo;

/// <summary>
/// `vaegpu mc`: Monte Carlo estimates of E[f(z)], z ~ N(mu, sigma^2), for functions with closed-form expectations,
/// each with its standard error and 95% interval, and a sweep over N = 10^2 .. 10^8 showing the 1/sqrt(N) error.
/// </summary>
public static class MonteCarloCommand
{
    /// <summary>Beyond these, exp(z) overflows float (z reaches mu + 5.8 sigma with Philox's uniforms) or the run takes hours.</summary>
    const float MaxAbsMu = 10, MaxSigma = 5;

    public static Command Create()
    {
        var mu = new Option<float>("--mu") { Description = $"mean of z, |mu| <= {MaxAbsMu}", DefaultValueFactory = _ => 0.5f };
        var sigma = new Option<float>("--sigma") { Description = $"standard deviation of z, in (0, {MaxSigma}]", DefaultValueFactory = _ => 1.5f };
        var samples = SampleCountOption.Create("--samples", "samples of the single estimate of each function", 1e6);
        var maxSamples = SampleCountOption.Create("--max-samples", "largest N of the sweep over N = 10^2, 10^3, ...", 1e8);
        var output = new Option<string>("--out") { Description = "folder for estimates.json, sweep.csv and convergence.png", DefaultValueFactory = _ => "runs/mc" };
        var seed = CommonOptions.Seed();
        var device = CommonOptions.Device();
        var command = new Command("mc", "Monte Carlo estimates of E[f(z)], z ~ N(mu, sigma^2), against their closed forms; error against N.")
        {
            mu, sigma, samples, maxSamples, output, seed, device,
        };
        command.SetAction(parsed =>
        {
            float m = parsed.GetValue(mu), s = parsed.GetValue(sigma);
            if (!float.IsFinite(m) || Math.Abs(m) > MaxAbsMu) throw new UserErrorException($"--mu {Text(m)}: use a mean from -{MaxAbsMu} to {MaxAbsMu}.");
            if (!float.IsFinite(s) || s <= 0 || s > MaxSigma) throw new UserErrorException($"--sigma {Text(s)}: use a standard deviation above 0 and at most {MaxSigma}.");
            long single = SampleCountOption.Validate("--samples", parsed.GetValue(samples), 2, GaussianMonteCarlo.MaxSamples);
            long largest = SampleCountOption.Validate("--max-samples", parsed.GetValue(maxSamples), 100, GaussianMonteCarlo.MaxSamples);
            string folder = ResultFolder.Create(parsed.GetValue(output)!);
            ulong seedValue = parsed.GetValue(seed);
            using var backend = CommonOptions.OpenDevice(parsed.GetValue(device)!);
            var monteCarlo = new GaussianMonteCarlo(backend, m, s, seedValue);
            var integrands = Enum.GetValues<GaussianIntegrand>();

            var estimates = integrands.Select(f => monteCarlo.Estimate(f, single, MonteCarloStreams.SingleEstimate)).ToList();
            PrintEstimates(m, s, single, seedValue, estimates);

            var sweep = new List<MonteCarloEstimate>();
            Console.WriteLine();
            Console.WriteLine("sweep, fresh samples for every N: |error| / standard error (the ratio is about |N(0,1)|, so below 2 about 95% of the time)");
            Console.WriteLine($"{"N",-8}" + string.Concat(integrands.Select(f => $"{GaussianExpectations.Formula(f),22}")) + $"{"seconds",10}");
            foreach (var (n, exponent) in GaussianMonteCarlo.SweepSizes(largest))
            {
                var row = integrands.Select(f => monteCarlo.Estimate(f, n, exponent)).ToList();
                sweep.AddRange(row);
                Console.WriteLine($"{n.ToString("0e0", CultureInfo.InvariantCulture),-8}" +
                    string.Concat(row.Select(e => $"{$"{Scientific(e.AbsoluteError)} / {Scientific(e.StandardError)}",22}")) +
                    $"{row.Sum(e => e.Seconds),10:F2}");
            }

            MonteCarloReport.WriteEstimates(Path.Combine(folder, MonteCarloReport.EstimatesFile), m, s, seedValue, backend.Name, estimates);
            MonteCarloReport.WriteSweep(Path.Combine(folder, MonteCarloReport.SweepFile), sweep);
            MonteCarloReport.WriteChart(Path.Combine(folder, MonteCarloReport.ChartFile), m, s, sweep);
            Console.Error.WriteLine($"wrote {MonteCarloReport.EstimatesFile}, {MonteCarloReport.SweepFile} and {MonteCarloReport.ChartFile} to {folder}");
            return 0;
        });
        return command;
    }

    static void PrintEstimates(float mu, float sigma, long samples, ulong seed, IReadOnlyList<MonteCarloEstimate> estimates)
    {
        Console.WriteLine($"E[f(z)] for z ~ N({Text(mu)}, {Text(sigma)}^2), N = {samples.ToString(CultureInfo.InvariantCulture)} samples each, seed {seed}:");
        Console.WriteLine($"{"f(z)",-8}{"exact",12}{"estimate",12}{"std error",12}   {"95% interval",-26}{"|error|/SE",11}");
        foreach (var e in estimates)
            Console.WriteLine($"{GaussianExpectations.Formula(e.Integrand),-8}{e.Exact,12:F6}{e.Estimate,12:F6}{e.StandardError,12:F6}   " +
                $"{$"[{e.Lower95:F6}, {e.Upper95:F6}]",-26}{e.AbsoluteError / e.StandardError,11:F2}");
    }

    static string Scientific(double value) => value.ToString("0.00e0", CultureInfo.InvariantCulture);
    static string Text(float value) => value.ToString(CultureInfo.InvariantCulture);
}
