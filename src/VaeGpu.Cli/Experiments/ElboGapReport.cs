using VaeGpu.Host.Names;
using VaeGpu.Host.Experiments.ElboGap;
using System.Text.Json;
using VaeGpu.Host.SafeTensors;
using VaeGpu.Cli.Plots;
using VaeGpu.Host.Files;

namespace VaeGpu.Cli.Experiments;

/// <summary>The files `vaegpu elbo-gap` writes: elbo-gap.json (the table) and elbo-gap.png, each atomically.</summary>
public static class ElboGapReport
{
    public const string TableFile = "elbo-gap.json", ChartFile = "elbo-gap.png";

    public static void WriteTable(string path, LinearGaussianModel model, ulong seed, string device, Kernels.Sampler sampler, int? replicates, IReadOnlyList<ElboEstimate> rows)
    {
        var document = new
        {
            model = new { observed = model.Observed, latent = model.Latent, noise_sigma = model.NoiseSigma },
            seed,
            device,
            sampler = Vocabulary.Samplers.Name(sampler),
            replicates,
            log_marginal = rows[0].LogMarginal,
            rows = rows.Select(r => new
            {
                q = r.Name,
                samples = r.Samples,
                elbo = r.Elbo,
                standard_error = r.StandardError,
                term_standard_deviation = r.TermStandardDeviation,
                kl = r.Kl,
                elbo_plus_kl = r.ElboPlusKl,
                log_marginal = r.LogMarginal,
                gap = r.Gap,
                discrepancy = r.Discrepancy,
                variance_per_sample = r.VariancePerSample,
                variance_reduction = r.VarianceReduction,
            }),
        };
        byte[] json = JsonSerializer.SerializeToUtf8Bytes(document, new JsonSerializerOptions { WriteIndented = true });
        AtomicFile.Write(path, stream => stream.Write(json));
    }

    /// <summary>The ELBO of each q with 2-SE bars, log p(x) - KL beside it (equal up to Monte Carlo error), and log p(x) above both.</summary>
    public static void WriteChart(string path, IReadOnlyList<ElboEstimate> rows) =>
        CategoryChart.WritePng(path, "ELBO(q) = log p(x) - KL(q || p(z|x))", "nats", [.. rows.Select(r => r.Name)],
            [
                ("ELBO (Monte Carlo, +-2 SE)", [.. rows.Select(r => r.Elbo)], [.. rows.Select(r => 2 * r.StandardError)]),
                ("log p(x) - KL (exact)", [.. rows.Select(r => r.LogMarginal - r.Kl)], null),
            ],
            [("log p(x) (exact)", rows[0].LogMarginal)]);
}
