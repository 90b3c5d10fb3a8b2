using MathNet.Numerics.Integration;
using MathNet.Numerics.LinearAlgebra;
using VaeGpu.Host.Experiments.ElboGap;

namespace VaeGpu.Tests.Experiments;

/// <summary>
/// The Rényi bounds of elbo-gap: on every backend against RenyiBoundReference over ElboGapReference's terms; the
/// sandwich ELBO &lt;= IWAE_K &lt;= log p(x) &lt;= CUBO_2 at several q and K; the order in alpha; CUBO_2's finite-K
/// bias; and the closed-form limits against quadrature.
/// </summary>
public class ElboGapBoundTests
{
    const long Samples = 200_000;
    static readonly double[] Alphas = [1, 0.5, 0, -0.5, -1];
    static readonly LinearGaussianModel Model = LinearGaussianModel.Draw(5, 2, 1f, seed: 1);
    static readonly Vector<double> X = Model.DrawObservation(seed: 1);
    static readonly IReadOnlyList<(string Name, Gaussian Q)> Candidates = Candidate();

    static IReadOnlyList<(string Name, Gaussian Q)> Candidate()
    {
        var (mean, covariance) = Model.Posterior(X);
        return CandidatePosteriors.For(mean, covariance);
    }

    static readonly Dictionary<(string, int), BoundSandwich> sandwiches = [];

    /// <summary>Each q's bounds for K draws per group on the host path, computed once per (q, K).</summary>
    static BoundSandwich Sandwich(string candidate, int k)
    {
        lock (sandwiches)
        {
            if (!sandwiches.TryGetValue((candidate, k), out var found))
            {
                int index = Candidates.Select(c => c.Name).ToList().IndexOf(candidate);
                sandwiches[(candidate, k)] = found = new ElboEstimator(Backends.Get("host"), Model, X, seed: 1).Bounds(candidate, Candidates[index].Q, index, Samples, k, Alphas);
            }
            return found;
        }
    }

    /// <summary>4000 draws of "cov x2" in groups of 5 on each backend, against the double reference over the reference's terms of the same draws.</summary>
    [TestCaseSource(typeof(Backends), nameof(Backends.All))]
    public void BoundsMatchTheReference(string backendName)
    {
        const int Draws = 4000, K = 5, Candidate = 1;
        var q = Candidates[Candidate].Q;
        var sandwich = new ElboEstimator(Backends.Get(backendName), Model, X, seed: 1).Bounds("cov x2", q, Candidate, Draws, K, Alphas);

        var shape = ElboGapParameters.Shape(Model, q, centre: 0);
        float[] z = new float[Draws * 2], terms = new float[Draws];
        ElboGapReference.Terms(ElboGapParameters.Pack(Model, X, q), shape, 1, ElboGapStreams.QSamples(Candidate, 0), z, terms);
        double[] logWeights = [.. terms.Select(t => (double)t)];
        foreach (double alpha in Alphas)
        {
            var (mean, standardError) = RenyiBoundReference.OverGroups(logWeights, K, alpha);
            var bound = sandwich.Bound(alpha);
            Assert.That(bound.Groups, Is.EqualTo(Draws / K));
            Assert.That(bound.Value, Is.EqualTo(mean).Within(1e-4), $"alpha {alpha}");
            Assert.That(bound.StandardError, Is.EqualTo(standardError).Within(0.01 * standardError), $"alpha {alpha}");
        }
    }

    /// <summary>A group that straddles two chunks counts once, whole: 3 + 4 values in groups of 7 are one group.</summary>
    [Test]
    public void AGroupMayStraddleTwoChunks()
    {
        var bounds = new GroupedBounds(7, [0.0]);
        bounds.Add([1f, 2f, 3f], offset: -10);
        bounds.Add([4f, 5f, 6f, 7f, 8f, 9f, 10f, 11f, 12f, 13f, 14f], offset: -10);
        Assert.That(bounds.Groups, Is.EqualTo(2));
        var estimate = bounds.Estimates(_ => 0).Single();
        double first = RenyiBoundReference.OfGroup([-9, -8, -7, -6, -5, -4, -3], 0), second = RenyiBoundReference.OfGroup([-2, -1, 0, 1, 2, 3, 4], 0);
        Assert.That(estimate.Value, Is.EqualTo((first + second) / 2).Within(1e-12));
    }

    /// <summary>The sandwich where it holds: every q with K = 50; every q but the prior (a 10.8-nat gap) with K = 5; the two closest q with K = 2.</summary>
    [TestCase("posterior", 2), TestCase("mean field", 2)]
    [TestCase("posterior", 5), TestCase("cov x2", 5), TestCase("cov x1/2", 5), TestCase("mean field", 5), TestCase("shifted", 5)]
    [TestCase("posterior", 50), TestCase("cov x2", 50), TestCase("cov x1/2", 50), TestCase("mean field", 50), TestCase("shifted", 50), TestCase("prior", 50)]
    public void TheSandwichHolds(string candidate, int k)
    {
        var sandwich = Sandwich(candidate, k);
        Assert.That(sandwich.Holds, Is.True, string.Join(", ", sandwich.Bounds.Select(b => $"{b.Name} {b.Value} +- {b.StandardError}")) + $"; log p(x) {sandwich.LogMarginal}");
    }

    static IEnumerable<TestCaseData> EveryCandidateAndK() =>
        from candidate in CandidatePosteriors.For(Model.Posterior(X).Mean, Model.Posterior(X).Covariance).Select(c => c.Name)
        from k in new[] { 2, 5, 50 }
        select new TestCaseData(candidate, k);

    /// <summary>
    /// ELBO &lt;= IWAE_K &lt;= log p(x) holds for every q and K (a lower bound in expectation for every K), and the bounds
    /// never decrease as alpha falls: in each group they are power means of the same weights.
    /// </summary>
    [TestCaseSource(nameof(EveryCandidateAndK))]
    public void TheLowerHalfHoldsAndTheBoundsAreOrderedInAlpha(string candidate, int k)
    {
        var sandwich = Sandwich(candidate, k);
        Assert.That(sandwich.LowerHalfHolds, Is.True);
        Assert.That(sandwich.MonotoneInAlpha, Is.True, string.Join(", ", sandwich.Bounds.Select(b => b.Value)));
        Assert.That(sandwich.Bounds.Select(b => b.Alpha), Is.Ordered.Descending);
    }

    /// <summary>
    /// CUBO_2's finite-K bias, shown: for the q whose weights spread, its estimate climbs with K (Jensen's gap of
    /// log mean w^2 shrinks) while staying below its closed-form limit, and with K = 2 it is below log p(x) itself for
    /// the shifted q and the prior although the bound in the limit is above. IWAE_K climbs towards log p(x) as well.
    /// </summary>
    [TestCase("cov x2"), TestCase("shifted"), TestCase("prior")]
    public void CuboClimbsWithKTowardsItsLimit(string candidate)
    {
        var (two, five, fifty) = (Sandwich(candidate, 2), Sandwich(candidate, 5), Sandwich(candidate, 50));
        Assert.That(new[] { two.Cubo2.Value, five.Cubo2.Value, fifty.Cubo2.Value }, Is.Ordered.Ascending);
        Assert.That(fifty.Cubo2.Value, Is.LessThanOrEqualTo(fifty.Cubo2.Limit + 3 * fifty.Cubo2.StandardError));
        Assert.That(fifty.Cubo2.Limit, Is.GreaterThan(fifty.LogMarginal));
        Assert.That(new[] { two.Iwae.Value, five.Iwae.Value, fifty.Iwae.Value }, Is.Ordered.Ascending);
        if (candidate != "cov x2") Assert.That(two.UpperHalfHolds, Is.False, $"CUBO_2,2 {two.Cubo2.Value} against log p(x) {two.LogMarginal}");
    }

    /// <summary>
    /// D_alpha(q || p) in closed form against the composite Simpson rule of 1/(alpha - 1) log integral q^alpha p^(1 - alpha)
    /// in one dimension (in logs: q^alpha with alpha < 0 would overflow where q underflows), inside and outside (0, 1); KL at alpha = 1 and its neighbourhood; zero at alpha = 0; and
    /// infinite where the integral diverges (q narrower than half of p, at alpha = -1).
    /// </summary>
    [Test]
    public void RenyiDivergenceMatchesQuadrature()
    {
        static Gaussian Normal(double mean, double sigma) =>
            Gaussian.RoundedToFloat(Vector<double>.Build.Dense([mean]), Matrix<double>.Build.Dense(1, 1, sigma * sigma));
        var (q, p) = (Normal(0.25, 0.8), Normal(-0.5, 1.1));
        static double LogDensity(Gaussian g, double z) => g.LogDensity(Vector<double>.Build.Dense([z]));
        foreach (double alpha in new[] { 0.5, 0.9, -1, -3, 1.5 })
        {
            double integral = SimpsonRule.IntegrateComposite(z => Math.Exp(alpha * LogDensity(q, z) + (1 - alpha) * LogDensity(p, z)), -40, 40, 1 << 16);
            Assert.That(q.RenyiDivergence(p, alpha), Is.EqualTo(Math.Log(integral) / (alpha - 1)).Within(1e-9), $"alpha {alpha}");
        }
        Assert.That(q.RenyiDivergence(p, 1), Is.EqualTo(q.KlDivergence(p)));
        Assert.That(q.RenyiDivergence(p, 1 - 1e-7), Is.EqualTo(q.KlDivergence(p)).Within(1e-6));
        Assert.That(q.RenyiDivergence(p, 0), Is.EqualTo(0).Within(1e-12));
        Assert.That(Normal(0, 0.7).RenyiDivergence(Normal(0, 1), -1), Is.EqualTo(double.NegativeInfinity));
    }
}
