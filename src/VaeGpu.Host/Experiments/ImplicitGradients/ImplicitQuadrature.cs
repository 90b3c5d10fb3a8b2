using MathNet.Numerics.Integration;
using VaeGpu.Host.Experiments.GradientEstimators;

namespace VaeGpu.Host.Experiments.ImplicitGradients;

/// <summary>
/// Expectations under a testbed's distribution by composite Gauss-Legendre quadrature in its working variable u. The
/// panels are laid out from the mode outwards, each half the density's local scale (narrower where the cost oscillates
/// or decays), until the density has fallen by e^-Cut; every node's weight is its probability, normalised over the grid.
/// The implicit gradient du/dtheta = -(dF/dtheta) / p at each node comes from dF/dtheta(u) = integral of p s_theta up
/// to u, by a second Gauss-Legendre rule on the node's part of its panel plus the sum over the panels before; from the
/// nearer end of the grid (the integral beyond u, negated, above the median), so that both tails keep their digits.
/// </summary>
public sealed class ImplicitQuadrature
{
    const int NodesPerPanel = 32;
    const double WidthFactor = 0.5;

    /// <summary>
    /// The density is followed down to e^-100 of its peak; a cost can lift the variance integrand's tail by at most
    /// e^(2 |k|) more (exp(-k z) on Beta's [0, 1]), which CutFor adds.
    /// </summary>
    const double BaseCut = 100;

    readonly ImplicitProblem problem;
    readonly GaussLegendreRule rule = new(-1, 1, NodesPerPanel);
    readonly double[] edges, nodes, probabilities;
    readonly double normaliser;

    public ImplicitQuadrature(ImplicitProblem problem)
    {
        this.problem = problem;
        edges = Edges(problem);
        int panels = edges.Length - 1;
        nodes = new double[panels * NodesPerPanel];
        var weights = new double[nodes.Length];
        for (int panel = 0; panel < panels; panel++)
        {
            double centre = 0.5 * (edges[panel] + edges[panel + 1]), half = 0.5 * (edges[panel + 1] - edges[panel]);
            for (int i = 0; i < NodesPerPanel; i++)
            {
                nodes[panel * NodesPerPanel + i] = centre + half * rule.Abscissas[i];
                weights[panel * NodesPerPanel + i] = half * rule.Weights[i] * Math.Exp(problem.Density.LogDensity(centre + half * rule.Abscissas[i]));
            }
        }
        normaliser = weights.Sum();
        probabilities = [.. weights.Select(w => w / normaliser)];
    }

    /// <summary>The nodes in u, in increasing order.</summary>
    public IReadOnlyList<double> Nodes => nodes;

    /// <summary>p(u), normalised over the grid.</summary>
    public double Density(double u) => Math.Exp(problem.Density.LogDensity(u)) / normaliser;

    /// <summary>h at every node.</summary>
    public double[] At(Func<double, double> h) => [.. nodes.Select(h)];

    /// <summary>E[h(u)] from h's values at the nodes.</summary>
    public double Expectation(double[] values)
    {
        double total = 0;
        for (int i = 0; i < values.Length; i++) total += probabilities[i] * values[i];
        return total;
    }

    public double Expectation(Func<double, double> h) => Expectation(At(h));

    /// <summary>Mean, variance and fourth central moment of g (values at the nodes), the central ones integrated about the mean.</summary>
    public EstimatorMoments Moments(double[] values)
    {
        double mean = Expectation(values);
        return new(mean, Expectation([.. values.Select(g => Math.Pow(g - mean, 2))]), Expectation([.. values.Select(g => Math.Pow(g - mean, 4))]));
    }

    /// <summary>du/dtheta at every node: -(integral of p s_theta below u) / p(u), or the integral above u over p(u) past the median.</summary>
    public double[] Transport(ImplicitParameter parameter)
    {
        int panels = edges.Length - 1;
        double PartialScore(double u) => Density(u) * problem.Density.Score(parameter, u);
        double[] scoreBefore = new double[panels + 1], massBefore = new double[panels + 1];
        for (int panel = 0; panel < panels; panel++)
        {
            double score = 0, mass = 0;
            for (int i = 0; i < NodesPerPanel; i++)
            {
                int node = panel * NodesPerPanel + i;
                score += probabilities[node] * problem.Density.Score(parameter, nodes[node]);
                mass += probabilities[node];
            }
            scoreBefore[panel + 1] = scoreBefore[panel] + score;
            massBefore[panel + 1] = massBefore[panel] + mass;
        }
        var transport = new double[nodes.Length];
        for (int panel = 0; panel < panels; panel++)
            for (int i = 0; i < NodesPerPanel; i++)
            {
                int node = panel * NodesPerPanel + i;
                double u = nodes[node], density = Density(u);
                // A node whose density underflows carries no probability: its transport never counts.
                if (density == 0) continue;
                double mass = massBefore[panel] + Integral(Density, edges[panel], u);
                transport[node] = mass <= 0.5
                    ? -(scoreBefore[panel] + Integral(PartialScore, edges[panel], u)) / density
                    : (scoreBefore[panels] - scoreBefore[panel + 1] + Integral(PartialScore, u, edges[panel + 1])) / density;
            }
        return transport;
    }

    /// <summary>The integral of h over [a, b] (part of one panel) by the same Gauss-Legendre rule.</summary>
    double Integral(Func<double, double> h, double a, double b)
    {
        double centre = 0.5 * (a + b), half = 0.5 * (b - a), total = 0;
        for (int i = 0; i < NodesPerPanel; i++) total += rule.Weights[i] * h(centre + half * rule.Abscissas[i]);
        return half * total;
    }

    static double CutFor(ImplicitProblem problem) => BaseCut + (problem.Cost == ImplicitCost.Exp ? 2 * Math.Abs(problem.K) : 0);

    /// <summary>Panels from the mode outwards on each side until the density falls below e^-Cut or the support ends.</summary>
    static double[] Edges(ImplicitProblem problem)
    {
        var density = problem.Density;
        double cut = CutFor(problem);
        var (low, high) = density.Support;
        double Limit(double u) => Math.Min(density.MaxPanelWidth(u),
            WidthFactor / Math.Sqrt(Math.Pow(1 / density.Scale(u), 2) + Math.Pow(problem.CostRate(u), 2)));
        // A panel must suit both of its ends: at a small Gamma shape the mode is flat, and the bend of e^-z lies
        // a few units away, which a width taken from the mode alone would step over.
        double Width(double u, int direction)
        {
            double width = Limit(u);
            while (width > Limit(u + direction * width)) width /= 2;
            return width;
        }
        var above = new List<double> { density.Mode };
        while (above[^1] < high && density.LogDensity(above[^1]) > -cut) above.Add(Math.Min(high, above[^1] + Width(above[^1], 1)));
        var below = new List<double>();
        double edge = density.Mode;
        while (edge > low && density.LogDensity(edge) > -cut) below.Add(edge = Math.Max(low, edge - Width(edge, -1)));
        below.Reverse();
        return [.. below, .. above];
    }
}
