namespace VaeGpu.Kernels;

public static partial class KlFitMath
{
    /// <summary>
    /// The gradient of L_alpha,K with respect to (mu, r) for group <paramref name="group"/> of K draws: draw j is
    /// x_j = mu + sigma eps_j with eps_j element group K + j of FillNormal(seed, stream), its log weight
    /// log w_j = log p(x_j) - log q(x_j), and L_alpha,K = 1 / (1 - alpha) log (1/K) sum_j w_j^(1 - alpha) (Li and
    /// Turner 2016). Its path-wise gradient is sum_j wt_j grad log w_j with the self-normalised weights
    /// wt_j = w_j^(1 - alpha) / sum_i w_i^(1 - alpha), where grad log w_j = (p'/p (x_j), p'/p (x_j) sigma eps_j / 2 + 1/2)
    /// (log q(x_j) = -log(2 pi) / 2 - r / 2 - eps_j^2 / 2 along the path). alpha = 1 gives equal weights: minus the
    /// reverse-KL path-wise gradient averaged over the group. The caller picks the sign of the step (RenyiKlFit). The weights are formed in one pass as a running log-sum-exp: the
    /// sums are rescaled whenever a larger (1 - alpha) log w_j appears, so w^(1 - alpha) never overflows a float.
    /// </summary>
    public static void RenyiTerms(UnivariateMixture mixture, ulong seed, ulong stream, long group, int k, float alpha, float mu, float logVariance,
        out float dMu, out float dLogVariance)
    {
        float sigma = MathF.Exp(0.5f * logVariance), power = 1f - alpha;
        float largest = float.NegativeInfinity, total = 0f, muSum = 0f, logVarianceSum = 0f;
        for (int j = 0; j < k; j++)
        {
            float eps = RandomMath.NormalAt(seed, stream, group * k + j), x = mu + sigma * eps;
            float logWeight = LogMixtureDensity(mixture, x, out float slope) + HalfLogTwoPi + 0.5f * logVariance + 0.5f * eps * eps;
            float exponent = power * logWeight;
            if (exponent > largest)
            {
                float rescale = MathF.Exp(largest - exponent);
                total *= rescale;
                muSum *= rescale;
                logVarianceSum *= rescale;
                largest = exponent;
            }
            float share = MathF.Exp(exponent - largest);
            total += share;
            muSum += share * slope;
            logVarianceSum += share * (slope * 0.5f * sigma * eps + 0.5f);
        }
        dMu = muSum / total;
        dLogVariance = logVarianceSum / total;
    }
}
