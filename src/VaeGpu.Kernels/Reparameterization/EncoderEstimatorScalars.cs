namespace VaeGpu.Kernels;

/// <summary>The scalars of one encoder-estimator backward step, passed to kernels as one value.</summary>
public struct EncoderEstimatorScalars
{
    public GradientEstimator Kind;

    /// <summary>Weight of the KL's gradient (beta / batch rows).</summary>
    public float KlWeight;

    /// <summary>Scale of the score estimators' learning signal (1 / batch rows).</summary>
    public float SignalScale;

    /// <summary>Factor turning the baseline sum into the baseline mean (1 / draws; 0 without a baseline).</summary>
    public float BaselineScale;
}
