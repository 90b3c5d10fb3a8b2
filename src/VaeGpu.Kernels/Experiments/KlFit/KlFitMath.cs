namespace VaeGpu.Kernels;

/// <summary>
/// The per-sample formulas of the KL-fit experiment, shared by KlFitKernels and the host path so the two cannot drift
/// apart (KlFitReference spells them out again, in double, as the independent check). q(x) = N(mu, e^r), with r the
/// log-variance; p is a UnivariateMixture. Every term is a gradient of the divergence with respect to (mu, r).
/// </summary>
public static partial class KlFitMath
{
    const float HalfLogTwoPi = 0.918938533204672742f;

    /// <summary>
    /// Sample <paramref name="sample"/> of p under (seed, stream): Philox block <paramref name="sample"/> gives a
    /// uniform (X0) that picks the component and a Box-Muller normal (X2, X3) for the value within it.
    /// </summary>
    public static float SampleMixture(UnivariateMixture mixture, ulong seed, ulong stream, long sample)
    {
        var bits = Philox4x32.ForBlock(seed, stream, sample);
        float u = RandomMath.Uniform(bits.X0);
        RandomMath.Normals(bits.X2, bits.X3, out float normal, out _);
        int chosen = mixture.Count - 1;
        for (int k = mixture.Count - 2; k >= 0; k--)
            if (u <= mixture.Component(k).CumulativeWeight) chosen = k;
        var component = mixture.Component(chosen);
        return component.Mean + component.StandardDeviation * normal;
    }

    /// <summary>log p(x) by log-sum-exp over the components, and its derivative d log p / dx.</summary>
    public static float LogMixtureDensity(UnivariateMixture mixture, float x, out float derivative)
    {
        float largest = ComponentLogDensity(mixture.Component(0), x);
        for (int k = 1; k < mixture.Count; k++) largest = MathF.Max(largest, ComponentLogDensity(mixture.Component(k), x));
        float total = 0f, slope = 0f;
        for (int k = 0; k < mixture.Count; k++)
        {
            var component = mixture.Component(k);
            float share = MathF.Exp(ComponentLogDensity(component, x) - largest);
            total += share;
            slope -= share * (x - component.Mean) / (component.StandardDeviation * component.StandardDeviation);
        }
        derivative = slope / total;
        return largest + MathF.Log(total);
    }

    static float ComponentLogDensity(UnivariateComponent component, float x)
    {
        float standardised = (x - component.Mean) / component.StandardDeviation;
        return component.LogNormaliser - 0.5f * standardised * standardised;
    }

    /// <summary>
    /// Sample <paramref name="sample"/> of a KlGradient's terms (d/dmu, d/dr), given as its direction and estimator:
    /// for forward KL at x, sample of p from (seed, stream); for reverse KL at eps, element of FillNormal(seed, stream).
    /// Kernel and CPU loop share this one body.
    /// </summary>
    public static void Terms(int direction, int estimator, UnivariateMixture mixture, ulong seed, ulong stream, long sample, float mu, float logVariance,
        out float dMu, out float dLogVariance)
    {
        if (direction == (int)KlDirection.Forward)
            ForwardKlTerms(SampleMixture(mixture, seed, stream, sample), mu, logVariance, out dMu, out dLogVariance);
        else if (estimator == (int)GradientEstimator.Score)
            ReverseKlScoreTerms(mixture, RandomMath.NormalAt(seed, stream, sample), mu, logVariance, out dMu, out dLogVariance);
        else
            ReverseKlPathwiseTerms(mixture, RandomMath.NormalAt(seed, stream, sample), mu, logVariance, out dMu, out dLogVariance);
    }

    /// <summary>
    /// Forward KL(p || q) = -E_p[log q(x)] + const: the gradient of -log q(x) at a sample x of p,
    /// d/dmu = -(x - mu) / v and d/dr = (1 - (x - mu)^2 / v) / 2.
    /// </summary>
    public static void ForwardKlTerms(float x, float mu, float logVariance, out float dMu, out float dLogVariance)
    {
        float inverseVariance = MathF.Exp(-logVariance), residual = x - mu;
        dMu = -residual * inverseVariance;
        dLogVariance = 0.5f * (1f - residual * residual * inverseVariance);
    }

    /// <summary>
    /// Reverse KL(q || p), score-function (REINFORCE) estimator at x = mu + sigma eps:
    /// grad log q(x) (log q(x) - log p(x) + 1), with grad_mu log q = eps / sigma and grad_r log q = (eps^2 - 1) / 2.
    /// The +1 has expectation zero (E_q[grad log q] = 0) but is part of the exact derivative of q log(q/p).
    /// </summary>
    public static void ReverseKlScoreTerms(UnivariateMixture mixture, float eps, float mu, float logVariance, out float dMu, out float dLogVariance)
    {
        float sigma = MathF.Exp(0.5f * logVariance), x = mu + sigma * eps;
        float logQ = -HalfLogTwoPi - 0.5f * logVariance - 0.5f * eps * eps;
        float weight = logQ - LogMixtureDensity(mixture, x, out _) + 1f;
        dMu = eps / sigma * weight;
        dLogVariance = 0.5f * (eps * eps - 1f) * weight;
    }

    /// <summary>
    /// Reverse KL(q || p), path-wise (reparameterisation) estimator: the derivative of log q(x) - log p(x) with
    /// x = mu + sigma eps. log q(mu + sigma eps) = -log(2 pi) / 2 - r / 2 - eps^2 / 2 contributes exactly (0, -1/2);
    /// -log p(x) contributes -p'(x)/p(x) times dx/dmu = 1 and dx/dr = sigma eps / 2.
    /// </summary>
    public static void ReverseKlPathwiseTerms(UnivariateMixture mixture, float eps, float mu, float logVariance, out float dMu, out float dLogVariance)
    {
        float sigma = MathF.Exp(0.5f * logVariance), x = mu + sigma * eps;
        LogMixtureDensity(mixture, x, out float slope);
        dMu = -slope;
        dLogVariance = -slope * 0.5f * sigma * eps - 0.5f;
    }
}
