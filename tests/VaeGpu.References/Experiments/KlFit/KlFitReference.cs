namespace VaeGpu.References;

/// <summary>
/// The plain managed reference for KlFitKernels, in double and written from the definitions rather than from
/// KlFitMath: the mixture is given as weights, means and standard deviations, log p(x) is summed directly, and the
/// Box-Muller transform is done in double on the same Philox integers.
/// </summary>
public sealed partial class KlFitReference(double[] weights, double[] means, double[] standardDeviations)
{
    public void SampleMixture(ulong seed, ulong stream, long first, float[] samples)
    {
        for (int i = 0; i < samples.Length; i++) samples[i] = (float)Sample(seed, stream, first + i);
    }

    /// <summary>terms is 2 x count as in the kernels: row 0 the mu-terms, row 1 the r-terms (log-variance), times scale.</summary>
    public void ForwardKlTerms(ulong seed, ulong stream, long first, double mu, double logVariance, double scale, float[] terms)
    {
        int count = terms.Length / 2;
        double variance = Math.Exp(logVariance);
        for (int i = 0; i < count; i++)
        {
            double residual = Sample(seed, stream, first + i) - mu;
            terms[i] = (float)(scale * -residual / variance);
            terms[count + i] = (float)(scale * 0.5 * (1 - residual * residual / variance));
        }
    }

    /// <summary>grad log q(x) (log q(x) - log p(x) + 1) at x = mu + sigma eps, eps element first + i of FillNormal(seed, stream).</summary>
    public void ReverseKlScoreTerms(ulong seed, ulong stream, long first, double mu, double logVariance, double scale, float[] terms)
    {
        int count = terms.Length / 2;
        double variance = Math.Exp(logVariance);
        for (int i = 0; i < count; i++)
        {
            double x = mu + Math.Sqrt(variance) * Normal(seed, stream, first + i);
            double logQ = -0.5 * Math.Log(2 * Math.PI * variance) - (x - mu) * (x - mu) / (2 * variance);
            double weight = logQ - Math.Log(Density(x)) + 1;
            terms[i] = (float)(scale * (x - mu) / variance * weight);
            terms[count + i] = (float)(scale * 0.5 * ((x - mu) * (x - mu) / variance - 1) * weight);
        }
    }

    /// <summary>d/d(mu, r) of log q(x) - log p(x) along x = mu + sigma eps: (-p'/p, -p'/p sigma eps / 2 - 1/2).</summary>
    public void ReverseKlPathwiseTerms(ulong seed, ulong stream, long first, double mu, double logVariance, double scale, float[] terms)
    {
        int count = terms.Length / 2;
        double sigma = Math.Exp(0.5 * logVariance);
        for (int i = 0; i < count; i++)
        {
            double eps = Normal(seed, stream, first + i), x = mu + sigma * eps;
            double slope = DensityDerivative(x) / Density(x);
            terms[i] = (float)(scale * -slope);
            terms[count + i] = (float)(scale * (-slope * sigma * eps / 2 - 0.5));
        }
    }

    double Density(double x)
    {
        double total = 0;
        for (int k = 0; k < weights.Length; k++) total += weights[k] * NormalDensity(x, k);
        return total;
    }

    double DensityDerivative(double x)
    {
        double total = 0;
        for (int k = 0; k < weights.Length; k++)
            total -= weights[k] * NormalDensity(x, k) * (x - means[k]) / (standardDeviations[k] * standardDeviations[k]);
        return total;
    }

    double NormalDensity(double x, int k)
    {
        double standardised = (x - means[k]) / standardDeviations[k];
        return Math.Exp(-0.5 * standardised * standardised) / (standardDeviations[k] * Math.Sqrt(2 * Math.PI));
    }

    /// <summary>The component is the first whose cumulative weight reaches the uniform from X0; the normal is Box-Muller on (X2, X3).</summary>
    double Sample(ulong seed, ulong stream, long sample)
    {
        var bits = Philox4x32.ForBlock(seed, stream, sample);
        double u = Uniform(bits.X0), cumulative = 0;
        int chosen = weights.Length - 1;
        for (int k = 0; k < weights.Length - 1; k++)
        {
            cumulative += weights[k];
            if (u <= cumulative) { chosen = k; break; }
        }
        double normal = Math.Sqrt(-2 * Math.Log(Uniform(bits.X2))) * Math.Cos(2 * Math.PI * Uniform(bits.X3));
        return means[chosen] + standardDeviations[chosen] * normal;
    }

    /// <summary>Element e of FillNormal: lanes (0, 1) of block e / 4 pair X0 with X1, lanes (2, 3) X2 with X3; even lanes take the cosine.</summary>
    static double Normal(ulong seed, ulong stream, long element)
    {
        var bits = Philox4x32.ForBlock(seed, stream, element / 4);
        int lane = (int)(element % 4);
        double radius = Math.Sqrt(-2 * Math.Log(Uniform(bits[lane < 2 ? 0 : 2])));
        double angle = 2 * Math.PI * Uniform(bits[lane < 2 ? 1 : 3]);
        return lane % 2 == 0 ? radius * Math.Cos(angle) : radius * Math.Sin(angle);
    }

    static double Uniform(uint bits) => ((bits >> 8) + 1) / 16777216.0;
}
