namespace VaeGpu.Host.Experiments.ElboGap;

/// <summary>
/// The Rényi (variational Rényi, Li and Turner 2016) bound of one group of K draws z_k ~ q with log weights
/// log w_k = log p(x, z_k) - log q(z_k): L_alpha,K = 1 / (1 - alpha) log (1/K) sum_k w_k^(1 - alpha). alpha = 1 (the
/// limit) is the mean of log w, the ELBO's estimate; alpha = 0 is IWAE_K; alpha = 1 - n is CUBO_n (Dieng et al. 2017),
/// so CUBO_2 is alpha = -1. In each group the value is a power mean of the w_k, log M_(1 - alpha), so it never
/// increases with alpha: the estimates are ordered draw by draw, not only in expectation.
/// </summary>
public static class RenyiBound
{
    /// <summary>The ELBO, IWAE_K and CUBO_2 as alphas: the three every sandwich needs.</summary>
    public const double Elbo = 1, Iwae = 0, Cubo2 = -1;

    /// <summary>The lowest alpha allowed: w^(1 - alpha) with 1 - alpha = 11 already lets the largest weight of a group decide its value.</summary>
    public const double MinAlpha = -10;

    /// <summary>L_alpha,K of one group from its log weights, by log-sum-exp in double (w^(1 - alpha) overflows for any useful alpha otherwise).</summary>
    public static double OfGroup(ReadOnlySpan<double> logWeights, double alpha)
    {
        if (alpha == Elbo)
        {
            double sum = 0;
            foreach (double logWeight in logWeights) sum += logWeight;
            return sum / logWeights.Length;
        }
        double power = 1 - alpha, largest = double.NegativeInfinity;
        foreach (double logWeight in logWeights) largest = Math.Max(largest, power * logWeight);
        double total = 0;
        foreach (double logWeight in logWeights) total += Math.Exp(power * logWeight - largest);
        return (largest + Math.Log(total / logWeights.Length)) / power;
    }

    /// <summary>How the table names the bound: ELBO, IWAE_K, CUBO_n for alpha = 1 - n with n a whole number above 1, else L_alpha.</summary>
    public static string Name(double alpha, int k) => alpha switch
    {
        Elbo => "ELBO",
        Iwae => $"IWAE_{k}",
        _ when alpha < 0 && alpha == Math.Floor(alpha) => $"CUBO_{1 - alpha}",
        _ => $"L_{alpha.ToString(System.Globalization.CultureInfo.InvariantCulture)}",
    };
}
