namespace VaeGpu.Kernels;

/// <summary>
/// The five numbers that describe the two-component mixture q(z) = w N(m1, s1^2) + (1 - w) N(m2, s2^2) in the order
/// of its device tensor: logit w, m1, m2, log s1, log s2. The unconstrained forms (logit and logs) let Adam move
/// them freely. The same layout carries anything indexed by those parameters: dz/dtheta of a draw, and the gradient.
/// </summary>
public struct MixtureQParameters
{
    /// <summary>Length of the parameter tensor and the row count of the per-sample terms.</summary>
    public const int Count = 5;

    public float LogitWeight, Mean1, Mean2, LogSigma1, LogSigma2;

    public MixtureQParameters(float logitWeight, float mean1, float mean2, float logSigma1, float logSigma2) =>
        (LogitWeight, Mean1, Mean2, LogSigma1, LogSigma2) = (logitWeight, mean1, mean2, logSigma1, logSigma2);

    /// <summary>Entry <paramref name="index"/> in tensor order (0 .. Count - 1).</summary>
    public readonly float this[int index] => index switch
    {
        0 => LogitWeight,
        1 => Mean1,
        2 => Mean2,
        3 => LogSigma1,
        _ => LogSigma2,
    };
}
