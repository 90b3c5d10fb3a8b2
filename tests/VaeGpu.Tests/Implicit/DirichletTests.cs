using MathNet.Numerics;
using VaeGpu.Kernels;
using VaeGpu.References;

namespace VaeGpu.Tests.Implicit;

/// <summary>Dirichlet and Beta (two coordinates) draws through Gammas, and their implicit gradients, on every backend.</summary>
public class DirichletTests
{
    /// <summary>Concentrations 10^(-2 + 5 i / 15), i = 0..15: 1e-2 to 1e3.</summary>
    static readonly float[] Concentrations = Enumerable.Range(0, 16).Select(i => (float)Math.Pow(10, -2 + 5.0 * i / 15)).ToArray();

    /// <summary>Entries below this are under float's normal range (1.2e-38) times any gradient a concentration of 1e-2 can have.</summary>
    const double TinyEntry = 1e-30;

    /// <summary>
    /// Each entry of the Jacobian dz_i/dalpha_j = z_j L_j (delta_ij - z_i), from the kernel's log z and L, against
    /// DirichletReference's in double from the same Gammas; relative to the largest entry of the row's column j, so
    /// that an entry that vanishes (z_i near 0 or 1) is judged on the scale of the others; a column whose every entry
    /// is below 1e-30 (z_j below float's range, as concentrations of 1e-2 often give) must be below it in float too. Rows mix every pair of
    /// concentrations in [1e-2, 1e3].
    /// </summary>
    [TestCaseSource(nameof(BackendsAndCoordinates))]
    public void JacobiansMatchTheReferenceOverConcentrationsFromOneHundredthToAThousand(string backend, int coordinates)
    {
        int rows = Concentrations.Length * Concentrations.Length;
        float[] alpha = new float[rows * coordinates];
        for (int row = 0; row < rows; row++)
            for (int j = 0; j < coordinates; j++)
                alpha[row * coordinates + j] = Concentrations[(row / (j == 0 ? 1 : j * Concentrations.Length) + j * 5) % Concentrations.Length];
        var (logZ, logGammaDerivative) = ImplicitDrawRuns.Dirichlet(backend, alpha, coordinates, 41, 42);
        double worst = 0;
        for (int row = 0; row < rows; row++)
        {
            double[] rowAlpha = alpha.Skip(row * coordinates).Take(coordinates).Select(a => (double)a).ToArray();
            double[] logGammas = Enumerable.Range(0, coordinates)
                .Select(j => (double)GammaMath.SampleLog(alpha[row * coordinates + j], 41, 42, DirichletMath.GammaElement(row, coordinates, j))).ToArray();
            for (int j = 0; j < coordinates; j++)
            {
                Assert.That(float.IsFinite(logZ[row * coordinates + j]) && float.IsFinite(logGammaDerivative[row * coordinates + j]), $"row {row} coordinate {j}");
                double[] unit = new double[coordinates];
                double[] expected = new double[coordinates], actual = new double[coordinates];
                for (int i = 0; i < coordinates; i++)
                {
                    Array.Clear(unit);
                    unit[i] = 1;
                    expected[i] = DirichletReference.ConcentrationGradient(rowAlpha, logGammas, unit)[j];
                    float spread = 0f;
                    for (int m = 0; m < coordinates; m++)
                        if (m != j) spread += DirichletMath.SpreadTerm(i == j ? 1f : 0f, i == m ? 1f : 0f, MathF.Exp(logZ[row * coordinates + m]));
                    actual[i] = DirichletMath.ConcentrationGradient(MathF.Exp(logZ[row * coordinates + j]), logGammaDerivative[row * coordinates + j], spread);
                }
                double scale = expected.Max(Math.Abs);
                if (scale < TinyEntry)
                {
                    // z_j (a factor of every entry) lies below float's range: the float entries must be as negligible.
                    Assert.That(actual.Max(Math.Abs), Is.LessThan(TinyEntry), $"row {row} coordinate {j}");
                    continue;
                }
                for (int i = 0; i < coordinates; i++) worst = Math.Max(worst, Math.Abs(actual[i] - expected[i]) / scale);
            }
        }
        TestContext.Out.WriteLine($"worst relative error {worst:E2}");
        Assert.That(worst, Is.LessThanOrEqualTo(5e-4));
    }

    static IEnumerable<TestCaseData> BackendsAndCoordinates() =>
        from backend in Backends.All
        from coordinates in new[] { 2, 3 }
        select new TestCaseData(backend, coordinates);

    /// <summary>
    /// Beta(a, b) = the first coordinate of Dirichlet(a, b): d/da E[f(x)] by the implicit estimator, within 4 standard
    /// errors of central differences of the closed forms E[x] = a / (a + b), E[x^2] = a (a + 1) / ((a + b)(a + b + 1)),
    /// E[log x] = digamma(a) - digamma(a + b); and for Dirichlet(0.7, 2, 5), f = z_1^2 + 2 z_2^2 + 3 z_3^2 with
    /// E[z_j^2] = alpha_j (alpha_j + 1) / (alpha_0 (alpha_0 + 1)), each alpha_j in turn. This is the transport
    /// equation's weak form: d/dalpha integral f q = integral q grad f . v for every smooth f.
    /// </summary>
    [TestCaseSource(nameof(BackendsAndCosts))]
    public void ImplicitGradientOfAnExpectationMatchesTheClosedForm(string backend, string cost)
    {
        const int Draws = 8192;
        float[] shape = cost == "simplex" ? [0.7f, 2f, 5f] : [0.6f, 1.7f];
        int k = shape.Length;
        var (logZ, logGammaDerivative) = ImplicitDrawRuns.Dirichlet(backend, Enumerable.Range(0, Draws).SelectMany(_ => shape).ToArray(), k, 51, 52);
        double[] Gradient(double[] z) => cost switch
        {
            "x" => [1, 0],
            "square" => [2 * z[0], 0],
            "log" => [1 / z[0], 0],
            _ => [2 * z[0], 4 * z[1], 6 * z[2]],
        };
        double Closed(double[] a) => cost switch
        {
            "x" => a[0] / (a[0] + a[1]),
            "square" => a[0] * (a[0] + 1) / ((a[0] + a[1]) * (a[0] + a[1] + 1)),
            "log" => SpecialFunctions.DiGamma(a[0]) - SpecialFunctions.DiGamma(a[0] + a[1]),
            _ => Enumerable.Range(0, 3).Sum(j => (j + 1) * a[j] * (a[j] + 1)) / (a.Sum() * (a.Sum() + 1)),
        };
        for (int parameter = 0; parameter < k; parameter++)
        {
            var terms = new double[Draws];
            for (int draw = 0; draw < Draws; draw++)
            {
                double[] z = Enumerable.Range(0, k).Select(j => Math.Exp(logZ[draw * k + j])).ToArray();
                double[] g = Gradient(z);
                float spread = 0f;
                for (int i = 0; i < k; i++)
                    if (i != parameter) spread += DirichletMath.SpreadTerm((float)g[parameter], (float)g[i], (float)z[i]);
                terms[draw] = DirichletMath.ConcentrationGradient((float)z[parameter], logGammaDerivative[draw * k + parameter], spread);
            }
            double[] up = shape.Select(a => (double)a).ToArray(), down = shape.Select(a => (double)a).ToArray();
            double h = 1e-5 * shape[parameter];
            up[parameter] += h;
            down[parameter] -= h;
            double exact = (Closed(up) - Closed(down)) / (2 * h);
            var estimate = Estimate.Of(terms);
            Assert.That(estimate.ZScore(exact), Is.LessThan(4), $"d/dalpha_{parameter}: {estimate.Mean} +- {estimate.StandardError}, exact {exact}");
        }
    }

    static IEnumerable<TestCaseData> BackendsAndCosts() =>
        from backend in Backends.All
        from cost in new[] { "x", "square", "log", "simplex" }
        select new TestCaseData(backend, cost);

    /// <summary>Beta(0.01, 0.01) and Dirichlet(0.01, 0.01, 0.01): every Gamma underflows float, yet every log coordinate is finite and the coordinates sum to 1.</summary>
    [TestCaseSource(typeof(Backends), nameof(Backends.All))]
    public void TinyConcentrationsGiveFiniteLogCoordinatesThatSumToOne(string backend)
    {
        foreach (int k in new[] { 2, 3 })
        {
            var (logZ, logGammaDerivative) = ImplicitDrawRuns.Dirichlet(backend, ImplicitDrawRuns.Repeat(0.01f, 512 * k), k, 61, 62);
            Assert.That(logZ.Concat(logGammaDerivative).All(float.IsFinite));
            for (int row = 0; row < 512; row++)
                Assert.That(Enumerable.Range(0, k).Sum(j => Math.Exp(logZ[row * k + j])), Is.EqualTo(1).Within(1e-5));
        }
    }
}
