using VaeGpu.Host.Experiments.KlFit;
using System.CommandLine;
using System.Diagnostics;
using VaeGpu.Runtime;
using VaeGpu.Host.Files;

namespace VaeGpu.Cli.Experiments;

/// <summary>
/// `vaegpu kl-fit`: fits a Gaussian q to a bimodal mixture p by forward KL(p || q), which spreads q over both modes,
/// and by reverse KL(q || p), which settles q on one; then fits a two-component Gaussian mixture q by reverse KL, which
/// can cover both; prints the fits with each one's KL(q || p) and writes fits.png, trajectories.png and kl-fit.json into --out.
/// </summary>
public static class KlFitCommand
{
    public const int MaxIterations = 1_000_000;
    const int DefaultRenyiK = 32;

    public static Command Create()
    {
        var weights = new Option<string>("--weights") { Description = "mixture weights of p, comma-separated (normalised if they do not sum to 1)", DefaultValueFactory = _ => "0.5,0.5" };
        var means = new Option<string>("--means") { Description = "component means of p", DefaultValueFactory = _ => "-2,2" };
        var stds = new Option<string>("--stds") { Description = "component standard deviations of p", DefaultValueFactory = _ => "0.6,0.6" };
        var samples = new Option<long>("--samples") { Description = "samples of p for the closed-form forward fit", DefaultValueFactory = _ => 1L << 20 };
        var iterations = new Option<int>("--iterations") { Description = "SGD iterations of each stochastic fit", DefaultValueFactory = _ => 2000 };
        var batch = new Option<int>("--batch") { Description = "samples per SGD iteration", DefaultValueFactory = _ => 1024 };
        var learningRate = new Option<double>("--lr") { Description = "Adam step size (constant for the first half, then decayed linearly)", DefaultValueFactory = _ => 0.05 };
        var initialMu = new Option<double>("--init-mu") { Description = "mu where every SGD fit starts (the mixture's components start at mu -+ sigma)", DefaultValueFactory = _ => 0.5 };
        var initialSigma = new Option<double>("--init-sigma") { Description = "sigma where every SGD fit starts", DefaultValueFactory = _ => 1.0 };
        var alphas = new Option<string>("--alphas") { Description = $"alphas of the Rényi fits, comma-separated, from {RenyiKlFit.MinAlpha} to {RenyiKlFit.MaxAlpha}: 1 is reverse KL, 0 IWAE, negative alphas cover more mass", DefaultValueFactory = _ => "1,0.5,0,-1,-5" };
        var draws = new Option<int>("--k") { Description = "draws per estimate of the Rényi bound L_alpha,K (at least 2; --batch must be a multiple)", DefaultValueFactory = _ => DefaultRenyiK };
        var output = new Option<string>("--out") { Description = "folder for fits.png, trajectories.png and kl-fit.json", DefaultValueFactory = _ => "runs/kl-fit" };
        var seed = CommonOptions.Seed();
        var device = CommonOptions.Device();
        var command = new Command("kl-fit", "Fit a Gaussian to a bimodal mixture by forward KL (covers both modes) and reverse KL (picks one), by closed form and SGD; and a two-component mixture by reverse KL (covers both).")
        {
            weights, means, stds, samples, iterations, batch, learningRate, initialMu, initialSigma, alphas, draws, output, seed, device,
        };
        command.SetAction(parsed =>
        {
            var target = TargetMixture.Parse(parsed.GetValue(weights)!, parsed.GetValue(means)!, parsed.GetValue(stds)!, out string? note);
            if (note is not null) Console.Error.WriteLine($"note: {note}");
            var settings = new KlFitSettings(target, parsed.GetValue(samples), parsed.GetValue(iterations), parsed.GetValue(batch),
                parsed.GetValue(learningRate), parsed.GetValue(initialMu), parsed.GetValue(initialSigma), parsed.GetValue(seed),
                AlphaList.Parse("--alphas", parsed.GetValue(alphas)!, RenyiKlFit.MinAlpha, RenyiKlFit.MaxAlpha, highestIncluded: true,
                    "1 is reverse KL, the mode-seeking end"), parsed.GetValue(draws));
            Validate(settings);
            string folder = parsed.GetValue(output)!;
            ResultFolder.RequireOwn(folder, "kl-fit"); // before the fits, so that a folder of other results fails at once
            using var backend = CommonOptions.OpenDevice(parsed.GetValue(device)!);
            var clock = Stopwatch.StartNew();
            var results = KlFitExperiment.Run(backend, settings);
            double seconds = clock.Elapsed.TotalSeconds;

            Console.WriteLine($"target p: weights {TargetMixture.Format(target.Weights)}, means {TargetMixture.Format(target.Means)}, stds {TargetMixture.Format(target.StandardDeviations)}: " +
                $"mean {target.Mean:F4}, sigma {Math.Sqrt(target.Variance):F4} (variance {target.Variance:F4})");
            foreach (var fit in results.Gaussians)
                Console.WriteLine($"{fit.Name,-24} {(fit.IsForward ? "KL(p||q)" : "KL(q||p)")}  mu {fit.Mu,8:F4}  sigma {fit.Sigma:F4}  KL(q||p) = {fit.ReverseKl:G4}  ({fit.Method})");
            foreach (var renyi in results.Renyi)
                Console.WriteLine($"{renyi.Fit.Name,-24} D_{AlphaList.Format(renyi.Alpha)}(q||p)  mu {renyi.Fit.Mu,8:F4}  sigma {renyi.Fit.Sigma:F4}  KL(q||p) = {renyi.Fit.ReverseKl:G4}  ({renyi.Fit.Method})");
            var mixture = results.Mixture;
            Console.WriteLine($"{mixture.Name,-24} KL(q||p)  w {mixture.Weight:F4}  mu {mixture.Means[0]:F4}, {mixture.Means[1]:F4}  " +
                $"sigma {mixture.Sigmas[0]:F4}, {mixture.Sigmas[1]:F4}  KL(q||p) = {mixture.ReverseKl:G4}  ({mixture.Method})");
            Console.WriteLine($"KL(q||p) of each fit by {ReverseKlQuadrature.Description}");
            Console.WriteLine($"fitted in {seconds:F2} s on {backend.Name}");

            ResultFolder.Create(folder, "kl-fit");
            KlFitFigures.WriteDensities(Path.Combine(folder, "fits.png"), target, results);
            KlFitFigures.WriteTrajectories(Path.Combine(folder, "trajectories.png"), results);
            KlFitReport.WriteJson(Path.Combine(folder, "kl-fit.json"), settings, results, backend.Name);
            Console.WriteLine($"wrote {Path.Combine(folder, "fits.png")}, trajectories.png, kl-fit.json");
            return 0;
        });
        return command;
    }

    static void Validate(KlFitSettings settings)
    {
        if (settings.Samples < 2) throw new UserErrorException($"--samples {settings.Samples}: the closed-form fit needs at least 2 samples.");
        if (settings.Iterations < 1 || settings.Iterations > MaxIterations)
            throw new UserErrorException($"--iterations {settings.Iterations}: use 1 to {MaxIterations}.");
        if (settings.Batch < 1 || settings.Batch > StochasticKlFit.MaxBatch)
            throw new UserErrorException($"--batch {settings.Batch}: use 1 to {StochasticKlFit.MaxBatch} samples per iteration.");
        if (!double.IsFinite(settings.LearningRate) || settings.LearningRate <= 0)
            throw new UserErrorException($"--lr {settings.LearningRate}: the step size must be a positive number.");
        if (!double.IsFinite(settings.InitialMu)) throw new UserErrorException($"--init-mu {settings.InitialMu}: give a finite number.");
        if (!double.IsFinite(settings.InitialSigma) || settings.InitialSigma <= 0)
            throw new UserErrorException($"--init-sigma {settings.InitialSigma}: the starting standard deviation must be a positive number.");
        if (settings.RenyiK < 2) throw new UserErrorException($"--k {settings.RenyiK}: the Rényi bound needs at least 2 draws per estimate (with 1 every alpha is reverse KL).");
        if (settings.Batch % settings.RenyiK != 0)
            throw new UserErrorException($"--batch {settings.Batch}: the Rényi fits draw whole groups of --k {settings.RenyiK}; use a multiple of it.");
    }
}
