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
/// Gaussian q against KL(q || p(z|x)): ELBO <= log p(x), ELBO + KL = log p(x), and zero variance at q = p(z|x); then, for
/// the same q and groups of --k draws, the Rényi bounds from the ELBO through IWAE_K to CUBO_2 around log p(x).
/// </summary>
public static class ElboGapCommand
{
    const int MaxObserved = 64, MaxLatent = 16;
    const long MaxSamples = 1_000_000_000;
    const int MaxReplicates = 1024;
    const int MaxGroupDraws = 1 << 20;

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
        var draws = new Option<int>("--k") { Description = $"draws per group for IWAE_K, L_alpha and CUBO_2 (2 to {MaxGroupDraws}; the plain Monte Carlo draws, whatever --sampler)", DefaultValueFactory = _ => 5 };
        var alphas = new Option<string>("--alphas") { Description = $"Rényi alphas printed between the ELBO (alpha 1), IWAE_K (0) and CUBO_2 (-1), which are always printed; from {RenyiBound.MinAlpha} to below 1", DefaultValueFactory = _ => "0.5,-0.5" };
        var seed = CommonOptions.Seed();
        var device = CommonOptions.Device();
        var command = new Command("elbo-gap", "ELBO(q) by Monte Carlo against the exact log p(x) and KL(q || p(z|x)) in a linear-Gaussian model, and the Rényi bounds (IWAE_K, L_alpha, CUBO_2) around log p(x).")
        {
            observed, latent, noise, samples, sampler, replicates, draws, alphas, output, seed, device,
        };
        command.SetAction(parsed =>
        {
            int d = parsed.GetValue(observed), latentDimension = parsed.GetValue(latent);
            float sigma = parsed.GetValue(noise);
            if (d < 1 || d > MaxObserved) throw new UserErrorException($"--observed {d}: use a dimension from 1 to {MaxObserved}.");
            if (latentDimension < 1 || latentDimension > MaxLatent) throw new UserErrorException($"--latent {latentDimension}: use a dimension from 1 to {MaxLatent}.");
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
            int k = parsed.GetValue(draws);
            if (k < 2 || k > MaxGroupDraws) throw new UserErrorException($"--k {k}: IWAE_K and CUBO_2 need 2 to {MaxGroupDraws} draws per group (with 1 every bound is the ELBO).");
            if (n / k < 2) throw new UserErrorException($"--samples {n}: --k {k} needs at least {2 * k} samples (2 groups, for a standard error).");
            var renyiAlphas = AlphaList.Parse("--alphas", parsed.GetValue(alphas)!, RenyiBound.MinAlpha, RenyiBound.Elbo, highestIncluded: false, "alpha 1 is the ELBO, printed anyway")
                .Concat([RenyiBound.Elbo, RenyiBound.Iwae, RenyiBound.Cubo2]).Distinct().OrderDescending().ToList();
            string folder = ResultFolder.Create(parsed.GetValue(output)!, "elbo-gap");
            ulong seedValue = parsed.GetValue(seed);

            var model = LinearGaussianModel.Draw(d, latentDimension, sigma, seedValue);
            var x = model.DrawObservation(seedValue);
            var (posteriorMean, posteriorCovariance) = model.Posterior(x);
            using var backend = CommonOptions.OpenDevice(parsed.GetValue(device)!);
            var estimator = new ElboEstimator(backend, model, x, seedValue);
            var candidates = CandidatePosteriors.For(posteriorMean, posteriorCovariance);
            var rows = candidates.Select((c, index) => estimator.Estimate(c.Name, c.Q, index, n, drawn, r)).ToList();
            var sandwiches = candidates.Select((c, index) => estimator.Bounds(c.Name, c.Q, index, n, k, renyiAlphas)).ToList();

            Print(model, seedValue, drawn, drawn == Sampler.Mc ? null : r, rows);
            PrintBounds(sandwiches);
            ElboGapReport.WriteTable(Path.Combine(folder, ElboGapReport.TableFile), model, seedValue, backend.Name, drawn, drawn == Sampler.Mc ? null : r, rows, sandwiches);
            ElboGapReport.WriteChart(Path.Combine(folder, ElboGapReport.ChartFile), rows, sandwiches);
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

    /// <summary>
    /// Each q's bounds with their standard errors, then their limits as K grows (closed form), then whether the
    /// sandwich ELBO &lt;= IWAE_K &lt;= log p(x) &lt;= CUBO_2 holds within BoundSandwich.Tolerance standard errors, and
    /// why not where it does not.
    /// </summary>
    static void PrintBounds(IReadOnlyList<BoundSandwich> sandwiches)
    {
        var first = sandwiches[0];
        int k = first.Elbo.K;
        Console.WriteLine();
        Console.WriteLine($"Rényi bounds L_alpha,K = 1/(1 - alpha) log mean_k w_k^(1 - alpha), w = p(x, z) / q(z), from {first.Elbo.Groups.ToString(CultureInfo.InvariantCulture)} groups of K = {k} " +
            $"plain Monte Carlo draws per q; alpha {string.Join(", ", first.Bounds.Select(b => AlphaList.Format(b.Alpha)))}; log p(x) = {first.LogMarginal:F6}");
        Console.WriteLine($"{"q",-12}" + string.Concat(first.Bounds.Select(b => $"{b.Name,12}{"+- SE",9}")) + "  sandwich");
        foreach (var sandwich in sandwiches)
            Console.WriteLine($"{sandwich.Name,-12}" + string.Concat(sandwich.Bounds.Select(b => $"{b.Value,12:F5}{Scientific(b.StandardError),9}")) +
                $"  {(sandwich.Holds ? "holds" : "FAILS")}");
        Console.WriteLine($"limit as K grows: log p(x) - D_alpha(q || p(z|x)), closed form (inf: E_q[w^(1 - alpha)] diverges)");
        foreach (var sandwich in sandwiches)
            Console.WriteLine($"{sandwich.Name,-12}" + string.Concat(sandwich.Bounds.Select(b => $"{Limit(b.Limit),12}{"",9}")));
        foreach (var sandwich in sandwiches.Where(s => !s.Holds))
            Console.WriteLine($"{sandwich.Name}: " + (!sandwich.LowerHalfHolds
                ? $"ELBO <= {sandwich.Iwae.Name} <= log p(x) is violated by more than {BoundSandwich.Tolerance} SE."
                : $"{sandwich.Cubo2.Name},{k} is {-sandwich.CuboMarginInStandardErrors:F1} SE below log p(x): with K = {k} its estimate is biased low " +
                  $"(log of a mean of w^2 underestimates log E[w^2]); its limit as K grows is {Limit(sandwich.Cubo2.Limit)}."));
        Console.WriteLine($"sandwich: ELBO <= IWAE_{k} <= log p(x) <= CUBO_2 within {BoundSandwich.Tolerance} SE; holds for {sandwiches.Count(s => s.Holds)} of {sandwiches.Count} q. " +
            $"Each group's bounds fall as alpha rises (power means), so every row is ordered: {(sandwiches.All(s => s.MonotoneInAlpha) ? "yes" : "NO")}. " +
            "IWAE_K and the ELBO bound log p(x) from below for every K; CUBO_2 bounds it from above only in the limit.");
    }

    static string Limit(double value) => double.IsPositiveInfinity(value) ? "inf" : value.ToString("F5", CultureInfo.InvariantCulture);

    static string Scientific(double value) => value.ToString("0.0e0", CultureInfo.InvariantCulture);
}
