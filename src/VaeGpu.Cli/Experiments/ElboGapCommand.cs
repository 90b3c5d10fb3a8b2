using VaeGpu.Host.Names;
using VaeGpu.Host.Experiments.ElboGap;
using System.CommandLine;
using System.Globalization;
using VaeGpu.Host.Experiments.MonteCarlo;
using VaeGpu.Kernels;
using VaeGpu.Runtime;
using VaeGpu.Host.Files;

namespace VaeGpu.Cli.Experiments;

/// <summary>
/// `vaegpu elbo-gap`: in a linear-Gaussian model, where log p(x) and p(z|x) are exact, the Monte Carlo ELBO of several
/// Gaussian q against KL(q || p(z|x)): ELBO <= log p(x), ELBO + KL = log p(x), and zero variance at q = p(z|x).
/// </summary>
public static class ElboGapCommand
{
    const int MaxObserved = 64, MaxLatent = 16;
    const long MaxSamples = 1_000_000_000;
    const int MaxReplicates = 1024;

    public static Command Create()
    {
        var observed = new Option<int>("--observed") { Description = $"d, the dimension of x (1 to {MaxObserved})", DefaultValueFactory = _ => 5 };
        var latent = new Option<int>("--latent") { Description = $"k, the dimension of z (1 to {MaxLatent})", DefaultValueFactory = _ => 2 };
        var noise = new Option<float>("--noise") { Description = "sigma of the observation noise, x | z ~ N(W z + b, sigma^2 I) (0.01 to 100)", DefaultValueFactory = _ => 1f };
        var samples = SampleCountOption.Create("--samples", "Monte Carlo samples per q", 1e6);
        var output = new Option<string>("--out") { Description = "folder for elbo-gap.json and elbo-gap.png", DefaultValueFactory = _ => "runs/elbo-gap" };
        var sampler = new Option<string>("--sampler") { Description = "how eps ~ N(0, I_k) is drawn: mc (independent), antithetic (eps, -eps pairs), stratified (a Latin hypercube) or rqmc (a scrambled Sobol set in k dimensions)", DefaultValueFactory = _ => "mc" };
        sampler.AcceptOnlyFromAmong(Vocabulary.Samplers.Names);
        var replicates = new Option<int>("--replicates") { Description = $"antithetic, stratified and rqmc: independent replicates R that --samples is shared among (2 to {MaxReplicates}); their spread is the error bar", DefaultValueFactory = _ => 16 };
        var seed = CommonOptions.Seed();
        var device = CommonOptions.Device();
        var command = new Command("elbo-gap", "ELBO(q) by Monte Carlo against the exact log p(x) and KL(q || p(z|x)) in a linear-Gaussian model.")
        {
            observed, latent, noise, samples, sampler, replicates, output, seed, device,
        };
        command.SetAction(parsed =>
        {
            int d = parsed.GetValue(observed), k = parsed.GetValue(latent);
            float sigma = parsed.GetValue(noise);
            if (d < 1 || d > MaxObserved) throw new UserErrorException($"--observed {d}: use a dimension from 1 to {MaxObserved}.");
            if (k < 1 || k > MaxLatent) throw new UserErrorException($"--latent {k}: use a dimension from 1 to {MaxLatent}.");
            if (!(sigma >= 0.01f && sigma <= 100f)) throw new UserErrorException($"--noise {sigma.ToString(CultureInfo.InvariantCulture)}: use a noise sigma from 0.01 to 100.");
            long n = SampleCountOption.Validate("--samples", parsed.GetValue(samples), 2, MaxSamples);
            var drawn = Vocabulary.Samplers.Parse(parsed.GetValue(sampler)!);
            int r = parsed.GetValue(replicates);
            if (drawn == Sampler.Mc && parsed.GetResult(replicates) is { Implicit: false })
                throw new UserErrorException("--replicates is for --sampler antithetic, stratified or rqmc; mc takes its error bar from its own draws: drop --replicates.");
            if (drawn != Sampler.Mc && (r < 2 || r > MaxReplicates))
                throw new UserErrorException($"--replicates {r}: {parsed.GetValue(sampler)} needs 2 to {MaxReplicates} independent replicates for an error bar.");
            if (drawn != Sampler.Mc && n / r < 2)
                throw new UserErrorException($"--samples {n}: {r} replicates need at least {2 * r} samples (two points each).");
            if (drawn != Sampler.Mc && n / r > int.MaxValue)
                throw new UserErrorException($"--samples {n}: at most {int.MaxValue} points per replicate; use more --replicates.");
            string folder = ResultFolder.Create(parsed.GetValue(output)!, "elbo-gap");
            ulong seedValue = parsed.GetValue(seed);

            var model = LinearGaussianModel.Draw(d, k, sigma, seedValue);
            var x = model.DrawObservation(seedValue);
            var (posteriorMean, posteriorCovariance) = model.Posterior(x);
            using var backend = CommonOptions.OpenDevice(parsed.GetValue(device)!);
            var estimator = new ElboEstimator(backend, model, x, seedValue);
            var candidates = CandidatePosteriors.For(posteriorMean, posteriorCovariance);
            var rows = candidates.Select((c, index) => estimator.Estimate(c.Name, c.Q, index, n, drawn, r)).ToList();

            Print(model, seedValue, drawn, drawn == Sampler.Mc ? null : r, rows);
            ElboGapReport.WriteTable(Path.Combine(folder, ElboGapReport.TableFile), model, seedValue, backend.Name, drawn, drawn == Sampler.Mc ? null : r, rows);
            ElboGapReport.WriteChart(Path.Combine(folder, ElboGapReport.ChartFile), rows);
            Console.Error.WriteLine($"wrote {ElboGapReport.TableFile} and {ElboGapReport.ChartFile} to {folder}");
            return 0;
        });
        return command;
    }

    static void Print(LinearGaussianModel model, ulong seed, Sampler sampler, int? replicates, IReadOnlyList<ElboEstimate> rows)
    {
        string draws = replicates is { } count ? $", {Vocabulary.Samplers.Name(sampler)} draws in {count} replicates (error bar: their spread)" : "";
        Console.WriteLine($"z ~ N(0, I_{model.Latent}), x | z ~ N(W z + b, {model.NoiseSigma.ToString(CultureInfo.InvariantCulture)}^2 I_{model.Observed}), " +
            $"W, b and one x drawn with seed {seed}; {rows[0].Samples.ToString(CultureInfo.InvariantCulture)} samples per q{draws}");
        Console.WriteLine($"log p(x) = {rows[0].LogMarginal:F6} (closed form)");
        Console.WriteLine($"{"q",-12}{"ELBO",12}{"+- SE",10}{"KL",12}{"ELBO + KL",12}{"log p(x)",12}{"gap",11}{"ELBO+KL-log p(x)",18}{"in SE",8}{"term sd",10}" +
            (replicates is null ? "" : $"{"var red.",10}"));
        foreach (var r in rows)
            Console.WriteLine($"{r.Name,-12}{r.Elbo,12:F6}{Scientific(r.StandardError),10}{r.Kl,12:F6}{r.ElboPlusKl,12:F6}{r.LogMarginal,12:F6}{r.Gap,11:F6}" +
                $"{Scientific(r.Discrepancy),18}{(r.EstimateIsExact ? "const" : (r.Discrepancy / r.StandardError).ToString("F2", CultureInfo.InvariantCulture)),8}" +
                $"{Scientific(r.TermStandardDeviation),10}" + (replicates is null ? "" : r.EstimateIsExact ? $"{"exact",10}" : $"{Scientific(r.VarianceReduction),10}"));
        Console.WriteLine("gap = log p(x) - ELBO estimates KL(q || p(z|x)) >= 0. At q = p(z|x) every sample's term equals log p(x): its spread " +
            "(term sd) is float rounding, and so is ELBO + KL - log p(x) (\"const\")." +
            (replicates is null ? "" : " Antithetic pairs make the estimate exact (\"const\") where the term is odd in eps around q's mean. " +
                "var red.: the term's variance over N Var(ELBO), the plain draws one coupled draw is worth."));
    }

    static string Scientific(double value) => value.ToString("0.0e0", CultureInfo.InvariantCulture);
}
