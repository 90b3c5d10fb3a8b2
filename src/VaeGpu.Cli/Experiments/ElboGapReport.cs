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

    public static void WriteTable(string path, LinearGaussianModel model, ulong seed, string device, Kernels.Sampler sampler, int? replicates, IReadOnlyList<ElboEstimate> rows,
        IReadOnlyList<BoundSandwich> sandwiches)
    {
        var document = new
        {
            model = new { observed = model.Observed, latent = model.Latent, noise_sigma = model.NoiseSigma },
            seed,
            device,
            sampler = Vocabulary.Samplers.Name(sampler),
            replicates,
            log_marginal = rows[0].LogMarginal,
            k = sandwiches[0].Elbo.K,
            alphas = sandwiches[0].Bounds.Select(b => b.Alpha),
            rows = rows.Zip(sandwiches).Select(pair => (r: pair.First, sandwich: pair.Second)).Select(row => new
            {
                q = row.r.Name,
                samples = row.r.Samples,
                elbo = row.r.Elbo,
                standard_error = row.r.StandardError,
                term_standard_deviation = row.r.TermStandardDeviation,
                kl = row.r.Kl,
                elbo_plus_kl = row.r.ElboPlusKl,
                log_marginal = row.r.LogMarginal,
                gap = row.r.Gap,
                discrepancy = row.r.Discrepancy,
                variance_per_sample = row.r.VariancePerSample,
                variance_reduction = row.r.VarianceReduction,
                bounds = row.sandwich.Bounds.Select(b => new
                {
                    name = b.Name,
                    alpha = b.Alpha,
                    groups = b.Groups,
                    estimate = b.Value,
                    standard_error = b.StandardError,
                    // JSON has no infinity: null where E_q[w^(1 - alpha)] diverges.
                    limit = double.IsFinite(b.Limit) ? b.Limit : (double?)null,
                }),
                sandwich_holds = row.sandwich.Holds,
                sandwich_lower_half_holds = row.sandwich.LowerHalfHolds,
                cubo_margin_in_standard_errors = double.IsFinite(row.sandwich.CuboMarginInStandardErrors) ? row.sandwich.CuboMarginInStandardErrors : (double?)null,
            }),
        };
        byte[] json = JsonSerializer.SerializeToUtf8Bytes(document, new JsonSerializerOptions { WriteIndented = true });
        AtomicFile.Write(path, stream => stream.Write(json));
    }

    /// <summary>
    /// The ELBO of each q with 2-SE bars, log p(x) - KL beside it (equal up to Monte Carlo error), then IWAE_K and
    /// CUBO_2 of the same q, which close in on log p(x) from below and above, and log p(x) across all of them.
    /// </summary>
    public static void WriteChart(string path, IReadOnlyList<ElboEstimate> rows, IReadOnlyList<BoundSandwich> sandwiches) =>
        CategoryChart.WritePng(path, "ELBO(q) = log p(x) - KL(q || p(z|x)) <= IWAE_K <= log p(x) <= CUBO_2", "nats", [.. rows.Select(r => r.Name)],
            [
                ("ELBO (Monte Carlo, +-2 SE)", [.. rows.Select(r => r.Elbo)], [.. rows.Select(r => 2 * r.StandardError)]),
                ("log p(x) - KL (exact)", [.. rows.Select(r => r.LogMarginal - r.Kl)], null),
                ($"{sandwiches[0].Iwae.Name} (+-2 SE)", [.. sandwiches.Select(s => s.Iwae.Value)], [.. sandwiches.Select(s => 2 * s.Iwae.StandardError)]),
                ($"{sandwiches[0].Cubo2.Name}, K = {sandwiches[0].Cubo2.K} (+-2 SE)", [.. sandwiches.Select(s => s.Cubo2.Value)], [.. sandwiches.Select(s => 2 * s.Cubo2.StandardError)]),
            ],
            [("log p(x) (exact)", rows[0].LogMarginal)]);
}
