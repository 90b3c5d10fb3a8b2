namespace VaeGpu.Kernels;

/// <summary>
/// The Gamma and Dirichlet encoders' sampling step, analytic KL and their implicit path-wise gradients, written once
/// for ImplicitPosteriorKernels and the host loops. z row r (r = image K + draw) draws from head row r / K; its
/// Gammas are elements r d + j of (seed, stream) (GammaMath.SampleLog), regenerated in the backward pass rather than
/// stored. Parameters come out of a softplus plus a floor, so a head of any value gives a concentration the
/// implicit gradients are accurate for (GammaTests: 1e-3 up; DirichletTests: 1e-2 up).
/// Gamma: q = Gamma(a, b) per dimension (rate b), z = G / b, G ~ Gamma(a, 1); dz/da = z d log G / da, dz/db = -z / b.
/// KL(Gamma(a, b) || Gamma(a0, b0)) = (a - a0) digamma(a) - log Gamma(a) + log Gamma(a0) + a0 (log b - log b0) + a (b0 - b) / b.
/// Dirichlet: q = Dirichlet(alpha), z = G / sum G (DirichletMath);
/// KL(Dir(alpha) || Dir(beta)) = log Gamma(A) - sum log Gamma(alpha_j) - log Gamma(B) + sum log Gamma(beta_j)
/// + sum (alpha_j - beta_j)(digamma(alpha_j) - digamma(A)), A = sum alpha, B = sum beta.
/// Reference: ImplicitPosteriorReference (tests).
/// </summary>
public static class ImplicitPosteriorMath
{
    /// <summary>The floors added to the softplus: the smallest shape, rate and concentration the encoder can give.</summary>
    public const float MinimumGammaParameter = 1e-3f, MinimumConcentration = 1e-2f;

    /// <summary>The priors: Gamma(PriorShape, PriorRate) per dimension, Dirichlet(PriorConcentration, ...).</summary>
    public const float PriorShape = 1f, PriorRate = 1f, PriorConcentration = 1f;

    /// <summary>The encoder head's columns per latent dimension.</summary>
    public static int HeadColumns(Posterior posterior) => posterior == Posterior.Dirichlet ? 1 : 2;

    public static float GammaShape(float head) => MinimumGammaParameter + SpecialMath.Softplus(head);

    public static float GammaRate(float head) => MinimumGammaParameter + SpecialMath.Softplus(head);

    public static float Concentration(float head) => MinimumConcentration + SpecialMath.Softplus(head);

    /// <summary>log Gamma(z; a, b) with z = e^logZ: a log b + (a - 1) log z - b z - log Gamma(a).</summary>
    public static float GammaLogDensity(float shape, float rate, float logZ) =>
        shape * MathF.Log(rate) + (shape - 1f) * logZ - rate * MathF.Exp(logZ) - SpecialMath.LogGamma(shape);

    public static float GammaKl(float shape, float rate) =>
        (shape - PriorShape) * SpecialMath.Digamma(shape) - SpecialMath.LogGamma(shape) + SpecialMath.LogGamma(PriorShape)
        + PriorShape * (MathF.Log(rate) - MathF.Log(PriorRate)) + shape * (PriorRate - rate) / rate;

    /// <summary>
    /// Gamma row r: z, the row's KL and log p(z) - log q(z|x). z is written as e^(log G - log b) (0 where that is below
    /// float's range); the densities use log z itself.
    /// </summary>
    public static void GammaForwardRow<TStorage>(int row, TStorage head, int latent, int samplesPerImage, ulong seed, ulong stream,
        TStorage z, TStorage klPerRow, TStorage logDensityRatioPerRow) where TStorage : struct, IFloatStorage
    {
        int image = row / samplesPerImage;
        float kl = 0f, logRatio = 0f;
        for (int j = 0; j < latent; j++)
        {
            float shape = GammaShape(head[image * 2 * latent + j]), rate = GammaRate(head[image * 2 * latent + latent + j]);
            float logZ = GammaMath.SampleLog(shape, seed, stream, (long)row * latent + j) - MathF.Log(rate);
            z[row * latent + j] = MathF.Exp(logZ);
            kl += GammaKl(shape, rate);
            logRatio += GammaLogDensity(PriorShape, PriorRate, logZ) - GammaLogDensity(shape, rate, logZ);
        }
        klPerRow[row] = kl;
        logDensityRatioPerRow[row] = logRatio;
    }

    /// <summary>
    /// dHead for latent element index = r d + j of z row r (one draw per head row): the loss dz . z + w KL differentiated
    /// in the shape and rate, then through the softplus (its derivative is the sigmoid).
    /// dKL/da = (a - a0) trigamma(a) + b0 / b - 1, dKL/db = a0 / b - a b0 / b^2.
    /// </summary>
    public static void GammaBackwardElement<TStorage>(int index, TStorage head, int latent, ulong seed, ulong stream, TStorage dz, float klWeight, TStorage dHead)
        where TStorage : struct, IFloatStorage
    {
        int row = index / latent, j = index - row * latent;
        float shapeHead = head[row * 2 * latent + j], rateHead = head[row * 2 * latent + latent + j];
        float shape = GammaShape(shapeHead), rate = GammaRate(rateHead);
        float logGamma = GammaMath.SampleLog(shape, seed, stream, index);
        float z = MathF.Exp(logGamma - MathF.Log(rate)), upstream = dz[index];
        float dShape = upstream * z * GammaMath.LogDerivative(shape, logGamma)
            + klWeight * ((shape - PriorShape) * SpecialMath.Trigamma(shape) + PriorRate / rate - 1f);
        float dRate = -upstream * z / rate + klWeight * (PriorShape / rate - shape * PriorRate / (rate * rate));
        dHead[row * 2 * latent + j] = dShape * SpecialMath.Sigmoid(shapeHead);
        dHead[row * 2 * latent + latent + j] = dRate * SpecialMath.Sigmoid(rateHead);
    }

    /// <summary>
    /// Dirichlet row r: z (the row's coordinates), KL(Dir(alpha) || Dir(1)) and log p(z) - log q(z|x) with
    /// log p(z) = log Gamma(d) and log q(z) = log Gamma(A) - sum log Gamma(alpha_j) + sum (alpha_j - 1) log z_j.
    /// z holds the Gammas' logs until the row's normaliser is known.
    /// </summary>
    public static void DirichletForwardRow<TStorage>(int row, TStorage head, int latent, int samplesPerImage, ulong seed, ulong stream,
        TStorage z, TStorage klPerRow, TStorage logDensityRatioPerRow) where TStorage : struct, IFloatStorage
    {
        int image = row / samplesPerImage;
        float largest = float.NegativeInfinity, total = 0f;
        for (int j = 0; j < latent; j++)
        {
            float alpha = Concentration(head[image * latent + j]);
            float logGamma = GammaMath.SampleLog(alpha, seed, stream, (long)row * latent + j);
            z[row * latent + j] = logGamma;
            largest = MathF.Max(largest, logGamma);
            total += alpha;
        }
        float scaledSum = 0f;
        for (int j = 0; j < latent; j++) scaledSum += MathF.Exp(z[row * latent + j] - largest);
        float digammaTotal = SpecialMath.Digamma(total), kl = SpecialMath.LogGamma(total) - SpecialMath.LogGamma(latent * PriorConcentration);
        float logQ = SpecialMath.LogGamma(total);
        for (int j = 0; j < latent; j++)
        {
            float alpha = Concentration(head[image * latent + j]);
            float logZ = DirichletMath.LogCoordinate(z[row * latent + j], largest, scaledSum);
            z[row * latent + j] = MathF.Exp(logZ);
            kl += SpecialMath.LogGamma(PriorConcentration) - SpecialMath.LogGamma(alpha) + (alpha - PriorConcentration) * (SpecialMath.Digamma(alpha) - digammaTotal);
            logQ += (alpha - 1f) * logZ - SpecialMath.LogGamma(alpha);
        }
        klPerRow[row] = kl;
        logDensityRatioPerRow[row] = SpecialMath.LogGamma(latent * PriorConcentration) - logQ;
    }

    /// <summary>
    /// dHead for Dirichlet row r (one draw per head row), from z (Forward's), dz and the regenerated Gammas:
    /// dL/dalpha_j = z_j L_j sum_(i != j) (dz_j - dz_i) z_i (DirichletMath) + w ((alpha_j - beta_j) trigamma(alpha_j)
    /// - trigamma(A) (A - B)), then through the softplus.
    /// </summary>
    public static void DirichletBackwardRow<TStorage>(int row, TStorage head, int latent, ulong seed, ulong stream, TStorage z, TStorage dz,
        float klWeight, TStorage dHead) where TStorage : struct, IFloatStorage
    {
        float total = 0f;
        for (int j = 0; j < latent; j++) total += Concentration(head[row * latent + j]);
        float klShared = SpecialMath.Trigamma(total) * (total - latent * PriorConcentration);
        for (int j = 0; j < latent; j++)
        {
            float alphaHead = head[row * latent + j], alpha = Concentration(alphaHead);
            float logGamma = GammaMath.SampleLog(alpha, seed, stream, (long)row * latent + j);
            float spread = 0f, upstream = dz[row * latent + j];
            for (int i = 0; i < latent; i++)
                if (i != j) spread += DirichletMath.SpreadTerm(upstream, dz[row * latent + i], z[row * latent + i]);
            float gradient = DirichletMath.ConcentrationGradient(z[row * latent + j], GammaMath.LogDerivative(alpha, logGamma), spread)
                + klWeight * ((alpha - PriorConcentration) * SpecialMath.Trigamma(alpha) - klShared);
            dHead[row * latent + j] = gradient * SpecialMath.Sigmoid(alphaHead);
        }
    }

    /// <summary>The mean a / b of a Gamma q(z|x) from its two head values.</summary>
    public static float GammaMean(float shapeHead, float rateHead) => GammaShape(shapeHead) / GammaRate(rateHead);
}
