namespace VaeGpu.References;

/// <summary>
/// The Rényi bound of a group of K draws from q = N(mu, e^r) and its path-wise gradient, in double from the
/// definitions: w_j = p(x_j) / q(x_j) at x_j = mu + sigma eps_j (eps_j element group K + j of FillNormal),
/// L = 1 / (1 - alpha) log (1/K) sum w_j^(1 - alpha), and its gradient sum_j wt_j d log w_j with
/// wt_j = w_j^(1 - alpha) / sum w^(1 - alpha), the weights normalised after subtracting the largest exponent.
/// </summary>
public sealed partial class KlFitReference
{
    public double RenyiBound(ulong seed, ulong stream, long group, int k, double alpha, double mu, double logVariance)
    {
        double[] logWeights = [.. Enumerable.Range(0, k).Select(j => LogWeight(Normal(seed, stream, group * k + j), mu, logVariance))];
        if (alpha == 1) return logWeights.Average();
        double largest = logWeights.Max(w => (1 - alpha) * w);
        return (largest + Math.Log(logWeights.Average(w => Math.Exp((1 - alpha) * w - largest)))) / (1 - alpha);
    }

    /// <summary>terms is 2 x count as in the kernels: groups first .. first + count - 1, d/dmu of L in row 0 and d/dr in row 1, times scale.</summary>
    public void RenyiTerms(ulong seed, ulong stream, long first, int k, double alpha, double mu, double logVariance, double scale, float[] terms)
    {
        int count = terms.Length / 2;
        double sigma = Math.Exp(0.5 * logVariance);
        for (int i = 0; i < count; i++)
        {
            double[] eps = [.. Enumerable.Range(0, k).Select(j => Normal(seed, stream, (first + i) * k + j))];
            double[] exponents = [.. eps.Select(e => (1 - alpha) * LogWeight(e, mu, logVariance))];
            double largest = exponents.Max();
            double[] weights = [.. exponents.Select(e => Math.Exp(e - largest))];
            double total = weights.Sum(), dMu = 0, dLogVariance = 0;
            for (int j = 0; j < k; j++)
            {
                double x = mu + sigma * eps[j], slope = DensityDerivative(x) / Density(x);
                dMu += weights[j] / total * slope;
                dLogVariance += weights[j] / total * (slope * sigma * eps[j] / 2 + 0.5);
            }
            terms[i] = (float)(scale * dMu);
            terms[count + i] = (float)(scale * dLogVariance);
        }
    }

    /// <summary>log p(x) - log q(x) at x = mu + sigma eps.</summary>
    double LogWeight(double eps, double mu, double logVariance)
    {
        double x = mu + Math.Exp(0.5 * logVariance) * eps;
        return Math.Log(Density(x)) + 0.5 * Math.Log(2 * Math.PI) + 0.5 * logVariance + 0.5 * eps * eps;
    }
}
