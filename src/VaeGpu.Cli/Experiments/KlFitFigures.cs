using VaeGpu.Host.Experiments.KlFit;
using VaeGpu.Cli.Plots;

namespace VaeGpu.Cli.Experiments;

/// <summary>The PNGs of `vaegpu kl-fit`: p with the fits, and the SGD fits' parameter trajectories.</summary>
public static class KlFitFigures
{
    const int DensityPoints = 400;

    /// <summary>
    /// Left: p with the forward-KL fits, which spread over every mode; middle: p with the reverse-KL fits, where a
    /// Gaussian settles on one mode and the mixture q covers both; right: p with the Rényi fits from alpha = 1 (reverse
    /// KL) down to negative alpha, which widen towards the forward fit, drawn beside both. The panels share the x range,
    /// so the differences read at a glance.
    /// </summary>
    public static void WriteDensities(string path, TargetMixture target, KlFitResults results)
    {
        var (fits, mixture) = (results.Gaussians, results.Mixture);
        double low = Enumerable.Range(0, target.Means.Length).Min(k => target.Means[k] - 4 * target.StandardDeviations[k]);
        double high = Enumerable.Range(0, target.Means.Length).Max(k => target.Means[k] + 4 * target.StandardDeviations[k]);
        low = Math.Min(low, fits.Min(f => f.Mu - 4 * f.Sigma));
        high = Math.Max(high, fits.Max(f => f.Mu + 4 * f.Sigma));
        low = Math.Min(low, Enumerable.Range(0, 2).Min(k => mixture.Means[k] - 4 * mixture.Sigmas[k]));
        if (results.Renyi.Count > 0)
        {
            low = Math.Min(low, results.Renyi.Min(r => r.Fit.Mu - 4 * r.Fit.Sigma));
            high = Math.Max(high, results.Renyi.Max(r => r.Fit.Mu + 4 * r.Fit.Sigma));
        }
        high = Math.Max(high, Enumerable.Range(0, 2).Max(k => mixture.Means[k] + 4 * mixture.Sigmas[k]));
        double[] x = [.. Enumerable.Range(0, DensityPoints).Select(i => low + (high - low) * i / (DensityPoints - 1))];
        (string, double[], double[]) Target() => ("p (target mixture)", x, [.. x.Select(target.Density)]);
        (string, double[], double[]) Fit(FittedGaussian fit) =>
            ($"q: {fit.Name} (mu {fit.Mu:F2}, sigma {fit.Sigma:F2}, KL(q||p) {fit.ReverseKl:G3})", x, [.. x.Select(v => Density(fit, v))]);
        (string, double[], double[]) Brief(FittedGaussian fit) => ($"{fit.Name} (sigma {fit.Sigma:F2})", x, [.. x.Select(v => Density(fit, v))]);
        PanelChart.WritePng(path,
        [
            new ChartPanel("forward KL(p || q): q covers every mode", "x", "density", [Target(), .. fits.Where(f => f.IsForward).Select(Fit)]),
            new ChartPanel("reverse KL(q || p): a Gaussian q settles on one mode, a mixture q covers both", "x", "density",
            [
                // The mixture second, dashed, so that p shows through where the two coincide.
                Target(),
                ($"q: {mixture.Name} (w {mixture.Weight:F2}, mu {mixture.Means[0]:F2}, {mixture.Means[1]:F2}, KL(q||p) {mixture.ReverseKl:G3})", x, [.. x.Select(mixture.Density)]),
                .. fits.Where(f => !f.IsForward).Select(Fit),
            ]),
            .. results.Renyi.Count == 0 ? Array.Empty<ChartPanel>() :
            [
                new ChartPanel($"Rényi D_alpha(q || p), K = {results.Renyi[0].K}: alpha from 1 (reverse KL) down covers more mass", "x", "density",
                [
                    Target(),
                    .. fits.Where(f => f.IsForward).Take(1).Select(Brief),
                    .. results.Renyi.Select(r => Brief(r.Fit)),
                ]),
            ],
        ]);
    }

    static double Density(FittedGaussian fit, double v) => Math.Exp(-0.5 * Math.Pow((v - fit.Mu) / fit.Sigma, 2)) / (fit.Sigma * Math.Sqrt(2 * Math.PI));

    /// <summary>
    /// mu (left) and sigma (right) after every iteration of each SGD fit, the mixture q's two components included, with
    /// the closed-form fit as a flat line.
    /// </summary>
    public static void WriteTrajectories(string path, KlFitResults results)
    {
        var (fits, mixture) = (results.Gaussians, results.Mixture);
        var stochastic = fits.Where(f => f.MuTrajectory is not null).ToArray();
        int iterations = stochastic.Max(f => f.MuTrajectory!.Length) - 1;
        double[] steps = [.. Enumerable.Range(0, iterations + 1).Select(i => (double)i)];
        var closedForm = fits.Where(f => f.MuTrajectory is null).ToArray();
        (string, double[], double[]) Flat(FittedGaussian fit, double value) => (fit.Name, [0, iterations], [value, value]);
        PanelChart.WritePng(path,
        [
            new ChartPanel("mu", "iteration", "mu",
            [
                .. stochastic.Select(f => (f.Name, steps, f.MuTrajectory!)), .. closedForm.Select(f => Flat(f, f.Mu)),
                .. Enumerable.Range(0, 2).Select(k => ($"{mixture.Name} m{k + 1}", MixtureSteps(mixture), mixture.MeanTrajectories[k])),
            ]),
            new ChartPanel("sigma", "iteration", "sigma",
            [
                .. stochastic.Select(f => (f.Name, steps, f.SigmaTrajectory!)), .. closedForm.Select(f => Flat(f, f.Sigma)),
                .. Enumerable.Range(0, 2).Select(k => ($"{mixture.Name} s{k + 1}", MixtureSteps(mixture), mixture.SigmaTrajectories[k])),
            ]),
        ]);
    }

    static double[] MixtureSteps(FittedMixture mixture) => [.. Enumerable.Range(0, mixture.WeightTrajectory.Length).Select(i => (double)i)];
}
