using VaeGpu.Runtime;
using VaeGpu.Runtime.ImplicitDraws;

namespace VaeGpu.Tests.Implicit;

/// <summary>Runs an implicit-draw operation on a named backend and downloads draws and derivatives.</summary>
static class ImplicitDrawRuns
{
    public static IImplicitDrawOperations Operations(string backend) => Backends.ImplicitDraws(backend);

    public static (float[] Draws, float[] Derivatives) Gamma(string name, float[] alpha, ulong seed, ulong stream, long first = 0) =>
        Run(name, alpha, 1, (operations, parameters, draws, derivatives) => operations.Gamma(parameters, seed, stream, first, draws, derivatives));

    public static (float[] LogZ, float[] LogGammaDerivatives) Dirichlet(string name, float[] alpha, int coordinates, ulong seed, ulong stream) =>
        Run(name, alpha, coordinates, (operations, parameters, draws, derivatives) => operations.Dirichlet(parameters, seed, stream, 0, draws, derivatives));

    public static (float[] Theta, float[] Derivatives) VonMises(string name, float[] kappa, ulong seed, ulong stream) =>
        Run(name, kappa, 1, (operations, parameters, draws, derivatives) => operations.VonMises(parameters, seed, stream, 0, draws, derivatives));

    /// <summary>Constant parameters: <paramref name="count"/> copies of <paramref name="value"/>.</summary>
    public static float[] Repeat(float value, int count) => Enumerable.Repeat(value, count).ToArray();

    static (float[], float[]) Run(string name, float[] parameters, int columns, Action<IImplicitDrawOperations, Tensor, Tensor, Tensor> run)
    {
        var backend = Backends.Get(name);
        int rows = parameters.Length / columns;
        var (input, draws, derivatives) = (backend.Upload(parameters, rows, columns), backend.Allocate(rows, columns), backend.Allocate(rows, columns));
        run(Operations(name), input, draws, derivatives);
        return (backend.Download(draws), backend.Download(derivatives));
    }
}

/// <summary>Mean and standard error of a Monte Carlo estimate.</summary>
readonly record struct Estimate(double Mean, double StandardError)
{
    public static Estimate Of(IReadOnlyList<double> values)
    {
        double mean = values.Average();
        double variance = values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1);
        return new(mean, Math.Sqrt(variance / values.Count));
    }

    /// <summary>|mean - exact| in standard errors.</summary>
    public double ZScore(double exact) => Math.Abs(Mean - exact) / StandardError;
}

/// <summary>The one-sample Kolmogorov-Smirnov statistic of draws against a CDF.</summary>
static class KolmogorovSmirnov
{
    public static double Statistic(IEnumerable<double> cdfAtDraws)
    {
        double[] sorted = cdfAtDraws.OrderBy(u => u).ToArray();
        double worst = 0;
        for (int i = 0; i < sorted.Length; i++)
            worst = Math.Max(worst, Math.Max((i + 1.0) / sorted.Length - sorted[i], sorted[i] - (double)i / sorted.Length));
        return worst;
    }

    /// <summary>The 0.1% critical value for n draws (asymptotic: 1.95 / sqrt(n)).</summary>
    public static double Critical(int n) => 1.95 / Math.Sqrt(n);
}
