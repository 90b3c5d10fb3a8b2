using ILGPU;

namespace VaeGpu.Kernels;

/// <summary>
/// Draws with their implicit reparameterisation gradients, a thread per draw (per row for Dirichlet). Each draw is a
/// pure function of (seed, stream, element): the same integers on every device, whatever the launch. Formulas:
/// GammaMath, DirichletMath, VonMisesMath; references: GammaReference, DirichletReference, VonMisesReference.
/// </summary>
public static class ImplicitDrawKernels
{
    /// <summary>logZ[e] = log of a Gamma(alpha[e], 1) draw (element first + e), logDerivative[e] = d log z / d alpha.</summary>
    [Kernel]
    public static void Gamma(Index1D element, ArrayView<float> alpha, ulong seed, ulong stream, long first, ArrayView<float> logZ, ArrayView<float> logDerivative)
    {
        float shape = alpha[element];
        float draw = GammaMath.SampleLog(shape, seed, stream, first + element);
        logZ[element] = draw;
        logDerivative[element] = GammaMath.LogDerivative(shape, draw);
    }

    /// <summary>
    /// Row r of alpha [rows, coordinates]: logZ[r, j] = log z_j of a Dirichlet(alpha[r, :]) draw from the Gammas of
    /// elements DirichletMath.GammaElement(firstRow + r, coordinates, j); logGammaDerivative[r, j] = d log G_j / d alpha_j.
    /// logZ holds the Gammas' logs until the row's normaliser is known.
    /// </summary>
    [Kernel]
    public static void Dirichlet(Index1D row, ArrayView<float> alpha, int coordinates, ulong seed, ulong stream, long firstRow,
        ArrayView<float> logZ, ArrayView<float> logGammaDerivative)
    {
        int index = row;
        long start = (long)index * coordinates;
        float largest = float.NegativeInfinity;
        for (int j = 0; j < coordinates; j++)
        {
            float shape = alpha[start + j];
            float logGamma = GammaMath.SampleLog(shape, seed, stream, DirichletMath.GammaElement(firstRow + index, coordinates, j));
            logZ[start + j] = logGamma;
            logGammaDerivative[start + j] = GammaMath.LogDerivative(shape, logGamma);
            largest = MathF.Max(largest, logGamma);
        }
        float scaledSum = 0f;
        for (int j = 0; j < coordinates; j++) scaledSum += MathF.Exp(logZ[start + j] - largest);
        for (int j = 0; j < coordinates; j++) logZ[start + j] = DirichletMath.LogCoordinate(logZ[start + j], largest, scaledSum);
    }

    /// <summary>theta[e] = a von Mises(0, kappa[e]) draw (element first + e), derivative[e] = dtheta / dkappa.</summary>
    [Kernel]
    public static void VonMises(Index1D element, ArrayView<float> kappa, ulong seed, ulong stream, long first, ArrayView<float> theta, ArrayView<float> derivative)
    {
        float concentration = kappa[element];
        float draw = VonMisesMath.Sample(concentration, seed, stream, first + element);
        theta[element] = draw;
        derivative[element] = VonMisesMath.Derivative(concentration, draw);
    }
}
