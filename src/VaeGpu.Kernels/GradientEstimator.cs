namespace VaeGpu.Kernels;

/// <summary>
/// The single-sample estimators of a Gaussian's parameter gradient, E_q[f] with q = N(mu, sigma^2), that every part
/// of VaeGpu compares: the VAE's encoder (EncoderEstimators: the first four for the ELBO; Pathwise, Stl and Dreg for the
/// importance-weighted bound), the Gaussian testbed of `vaegpu variance gaussian` (Score, ScoreBaseline, Pathwise, DeltaPathwise). All are unbiased; they differ in variance. Passed into
/// kernels as this one type.
/// </summary>
public enum GradientEstimator
{
    /// <summary>
    /// Reparameterisation through z = mu + sigma eps: f'(z) dz/dtheta (Kingma and Welling 2014); in the VAE the KL
    /// is in closed form.
    /// </summary>
    Pathwise,

    /// <summary>
    /// "Sticking the landing" (Roeder, Wu and Duvenaud 2017), VAE only: the single-sample ELBO log p(x, z) - log q(z|x)
    /// through z only, dropping the score term d/dphi log q(z|x) at fixed z, whose expectation is zero; its variance
    /// vanishes as q approaches the posterior.
    /// </summary>
    Stl,

    /// <summary>Score function (REINFORCE): f(z) d/dtheta log q(z), needing only f; its variance grows with f's size.</summary>
    Score,

    /// <summary>
    /// Score function with a control variate: (f(z) - b) d/dtheta log q(z). In the VAE b(x) is the mean NLL of
    /// independent draws; in the testbed b is the variance-minimising constant per parameter.
    /// </summary>
    ScoreBaseline,

    /// <summary>
    /// Path-wise with the delta-method control variate (Miller, Foti, D'Amour and Adams 2017), testbed only: the
    /// gradient of f's first-order expansion about mu, whose expectation is known, is subtracted and its mean added
    /// back, so d/dmu = f'(x) - f''(mu) sigma eps and d/dsigma = (f'(x) - f'(mu) - f''(mu) sigma eps) eps + f''(mu) sigma.
    /// Exact (zero variance) for quadratic f.
    /// </summary>
    DeltaPathwise,

    /// <summary>
    /// Measure-valued (weak-derivative) gradients, testbed only (Pflug 1989; Mohamed, Rosca, Figurnov and Mnih 2020):
    /// d/dtheta N(x; mu, sigma^2) = c (p+ - p-), so the gradient is c (E_p+[f] - E_p-[f]) with f evaluated only, never
    /// differentiated. For mu, c = 1 / (sigma sqrt(2 pi)) and p+/- = mu +/- sigma W, W Weibull(sqrt 2, 2) (Rayleigh),
    /// one W for both (coupling); for sigma, c = 1 / sigma, p+ the double-sided Maxwell mu + sigma M and p- the Gaussian
    /// itself, coupled as eps = M U with U uniform on [0, 1].
    /// </summary>
    MeasureValued,

    /// <summary>
    /// Doubly reparameterised (Tucker, Lawson, Gu and Maddison 2019), importance-weighted VAE only: the IWAE encoder
    /// gradient with its score terms rewritten path-wise, sum_k w~_k^2 d log w_k / dz_k dz_k/dphi; its signal-to-noise
    /// ratio does not fall as K grows, as the plain IWAE gradient's does. At K = 1 it is Stl.
    /// </summary>
    Dreg,

    /// <summary>
    /// Implicit reparameterisation (Figurnov, Mohamed and Mnih 2018), the testbeds of `vaegpu variance gamma|beta|vonmises`:
    /// f'(z) dz/dtheta with dz/dtheta = -(dF(z; theta)/dtheta) / p(z; theta), F the CDF: path-wise for distributions
    /// (Gamma, Beta, von Mises) that have no location-scale transform.
    /// </summary>
    Implicit,

    /// <summary>
    /// VIMCO (Mnih and Rezende 2016), importance-weighted VAE only: the score-function gradient of L_K, each draw's
    /// learning signal L_K less a leave-one-out baseline (L_K with that draw's weight replaced by the geometric mean
    /// of the others'): the natural score estimator for a multi-draw bound, needing no reparameterisation.
    /// </summary>
    Vimco,

    /// <summary>
    /// Reweighted wake-sleep's wake-phi update (Bornschein and Bengio 2015), its objective's encoder gradient: q is
    /// fitted to the posterior by the forward KL, maximising sum_k w~_k log q(z_k|x) at fixed draws.
    /// </summary>
    WakePhi,
}

/// <summary>The estimators the VAE's encoder supports, per objective; DeltaPathwise needs f''.</summary>
public static class EncoderEstimators
{
    /// <summary>For the ELBO (the reparameterisation's backward pass).</summary>
    public static readonly GradientEstimator[] All = [GradientEstimator.Pathwise, GradientEstimator.Stl, GradientEstimator.Score, GradientEstimator.ScoreBaseline];

    /// <summary>For the importance-weighted bound (ImportanceWeightedKernels.EncoderBackward).</summary>
    public static readonly GradientEstimator[] ImportanceWeighted = [GradientEstimator.Pathwise, GradientEstimator.Stl, GradientEstimator.Dreg];

    /// <summary>The encoder gradients from the scores of q at fixed draws (ImportanceWeightedKernels.ScoreEncoderBackward).</summary>
    public static readonly GradientEstimator[] ScoreOfQ = [GradientEstimator.Vimco, GradientEstimator.WakePhi];
}
