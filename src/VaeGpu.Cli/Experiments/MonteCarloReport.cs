using VaeGpu.Host.Names;
using VaeGpu.Host.Experiments.MonteCarlo;
using System.Globalization;
using System.Text;
using System.Text.Json;
using VaeGpu.Host.SafeTensors;
using VaeGpu.Cli.Plots;
using VaeGpu.Host.Files;
using VaeGpu.Kernels;

namespace VaeGpu.Cli.Experiments;

/// <summary>The files `vaegpu mc` writes: estimates.json, sweep.csv and convergence.png, each atomically.</summary>
public static class MonteCarloReport
{
    public const string EstimatesFile = "estimates.json", SweepFile = "sweep.csv", ChartFile = "convergence.png";

    public static void WriteEstimates(string path, float mu, float sigma, ulong seed, string device, Sampler sampler, int? replicates, IReadOnlyList<MonteCarloEstimate> estimates,
        (float Mu, float Sigma)? proposal, IReadOnlyList<ImportanceEstimate>? importance)
    {
        var document = new
        {
            distribution = new { mu, sigma },
            seed,
            device,
            sampler = Vocabulary.Samplers.Name(sampler),
            replicates,
            estimates = estimates.Select(e => new
            {
                function = GaussianExpectations.Formula(e.Integrand),
                samples = e.Samples,
                estimate = e.Estimate,
                standard_error = e.StandardError,
                ci95_low = e.Lower95,
                ci95_high = e.Upper95,
                exact = e.Exact,
                abs_error = e.AbsoluteError,
                exact_within_ci95 = e.ExactWithin95,
                seconds = e.Seconds,
            }),
            importance_sampling = proposal is { } q && importance is not null
                ? new
                {
                    proposal = new { mu = q.Mu, sigma = q.Sigma },
                    estimates = importance.Select(e => new
                    {
                        function = GaussianExpectations.Formula(e.Integrand),
                        samples = e.Samples,
                        plain = e.Plain,
                        plain_standard_error = e.PlainStandardError,
                        self_normalised = e.SelfNormalised,
                        self_normalised_standard_error = e.SelfNormalisedStandardError,
                        effective_sample_size = e.EffectiveSampleSize,
                        exact = e.Exact,
                        seconds = e.Seconds,
                    }),
                }
                : null,
        };
        byte[] json = JsonSerializer.SerializeToUtf8Bytes(document, new JsonSerializerOptions { WriteIndented = true });
        AtomicFile.Write(path, stream => stream.Write(json));
    }

    public static void WriteSweep(string path, IReadOnlyList<MonteCarloEstimate> sweep)
    {
        var csv = new StringBuilder("function,sampler,samples,estimate,standard_error,ci95_low,ci95_high,exact,abs_error,seconds\n");
        foreach (var e in sweep)
            csv.AppendLine(string.Join(',', GaussianExpectations.Formula(e.Integrand), Vocabulary.Samplers.Name(e.Sampler), Text(e.Samples), Text(e.Estimate), Text(e.StandardError),
                Text(e.Lower95), Text(e.Upper95), Text(e.Exact), Text(e.AbsoluteError), Text(e.Seconds)));
        byte[] bytes = Encoding.UTF8.GetBytes(csv.ToString());
        AtomicFile.Write(path, stream => stream.Write(bytes));
    }

    /// <summary>
    /// |error| (points that scatter) and the standard error (a straight line of slope -1/2) of every function against N,
    /// log-log, with 1/sqrt(N) for the slope: each standard-error line is it scaled by that function's standard deviation.
    /// </summary>
    public static void WriteChart(string path, float mu, float sigma, IReadOnlyList<MonteCarloEstimate> sweep)
    {
        var series = new List<(string, double[], double[])>();
        bool severalSamplers = sweep.Select(e => e.Sampler).Distinct().Count() > 1;
        foreach (var group in sweep.GroupBy(e => (e.Integrand, e.Sampler)))
        {
            double[] samples = [.. group.Select(e => (double)e.Samples)];
            string name = GaussianExpectations.Formula(group.Key.Integrand) + (severalSamplers ? $" {Vocabulary.Samplers.Name(group.Key.Sampler)}" : "");
            series.Add(($"|error| {name}", samples, [.. group.Select(e => e.AbsoluteError)]));
            series.Add(($"SE {name} (slope {GaussianMonteCarlo.StandardErrorSlope([.. group]).ToString("F2", CultureInfo.InvariantCulture)})", samples,
                [.. group.Select(e => e.StandardError)]));
        }
        double[] all = [.. sweep.Select(e => (double)e.Samples).Distinct().Order()];
        series.Add(("1/sqrt(N)", all, [.. all.Select(n => 1 / Math.Sqrt(n))]));
        LineChart.WritePng(path, $"Monte Carlo error, z ~ N({Text(mu)}, {Text(sigma)}^2)", "samples N", "|estimate - exact|, standard error",
            series, logX: true, logY: true);
    }

    static string Text(double value) => value.ToString("R", CultureInfo.InvariantCulture);
    static string Text(float value) => value.ToString(CultureInfo.InvariantCulture);
    static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);
}
