namespace VaeGpu.Kernels;

/// <summary>The float formulas of the hidden layers' activations that the product epilogues and the host backend share.</summary>
public static class ActivationMath
{
    /// <summary>The activation of a pre-activation value.</summary>
    public static float Forward(Activation activation, float x) => activation switch
    {
        Activation.Relu => x > 0f ? x : 0f,
        Activation.Tanh => Tanh(x),
        _ => x,
    };

    /// <summary>
    /// The gradient with respect to the pre-activation, from the gradient with respect to the output (upstream) and
    /// the output itself: ReLU passes upstream where the output is positive, tanh scales it by 1 - output^2.
    /// </summary>
    public static float Backward(Activation activation, float output, float upstream) => activation switch
    {
        Activation.Relu => output > 0f ? upstream : 0f,
        Activation.Tanh => upstream * (1f - output * output),
        _ => upstream,
    };

    /// <summary>Below this |x| the odd Taylor series is used: its first omitted term is under 1e-11 of tanh there.</summary>
    const float SeriesLimit = 0.125f;

    /// <summary>
    /// tanh from exp, not MathF.Tanh: ILGPU 1.5.3 turns MathF.Tanh into PTX's tanh.approx.ftz.f32, which ptxas refuses
    /// (tanh takes no .ftz, and needs sm_75). For |x| of at least 1/8, 1 - 2 / (e^(2|x|) + 1) with x's sign is within 6 ulp
    /// on the host (e^(2|x|) overflowing to infinity gives exactly 1); below it that difference would cancel, so the
    /// series x - x^3/3 + 2x^5/15 - 17x^7/315 + 62x^9/2835 keeps tanh's relative accuracy near 0.
    /// </summary>
    public static float Tanh(float x)
    {
        float magnitude = MathF.Abs(x);
        if (magnitude < SeriesLimit)
        {
            float square = x * x;
            return x + x * square * (-1f / 3f + square * (2f / 15f + square * (-17f / 315f + square * (62f / 2835f))));
        }
        float value = 1f - 2f / (MathF.Exp(2f * magnitude) + 1f);
        return x < 0f ? -value : value;
    }
}
