namespace VaeGpu.Kernels;

/// <summary>
/// How the VAE encoder's gradient of the loss (NLL + beta KL) is estimated from one z = mu + sigma eps per image.
/// All four are unbiased; they differ in variance. The decoder's gradient is path-wise in every case.
/// </summary>
public enum EncoderEstimator
{
    /// <summary>Reparameterisation through z, with the KL in closed form (Kingma and Welling 2014).</summary>
    Pathwise,

    /// <summary>
    /// "Sticking the landing" (Roeder, Wu and Duvenaud 2017): the single-sample ELBO log p(x, z) - log q(z|x) through z
    /// only, dropping the score term d/dphi log q(z|x) at fixed z, whose expectation is zero; its variance vanishes as q
    /// approaches the posterior.
    /// </summary>
    Stl,

    /// <summary>Score function (REINFORCE): NLL(x, z) d/dphi log q(z|x), with the KL in closed form.</summary>
    Score,

    /// <summary>Score function with a control variate: (NLL(x, z) - b(x)) d/dphi log q(z|x), b(x) the mean NLL of independent draws.</summary>
    ScoreBaseline,
}

/// <summary>The scalars of one encoder-estimator backward step, passed to kernels as one value.</summary>
public struct EncoderEstimatorScalars
{
    public EncoderEstimator Kind;

    /// <summary>Weight of the KL's gradient (beta / batch rows).</summary>
    public float KlWeight;

    /// <summary>Scale of the score estimators' learning signal (1 / batch rows).</summary>
    public float SignalScale;

    /// <summary>Factor turning the baseline sum into the baseline mean (1 / draws; 0 without a baseline).</summary>
    public float BaselineScale;
}
