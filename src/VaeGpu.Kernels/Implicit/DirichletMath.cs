namespace VaeGpu.Kernels;

/// <summary>
/// Dirichlet(alpha_1..alpha_K) and Beta(a, b) = Dirichlet(a, b) draws through independent Gammas: z_j = G_j / sum_i G_i,
/// G_j ~ Gamma(alpha_j, 1) element row K + j of (seed, stream). Everything stays in log space (log z_j = log G_j -
/// log sum_i G_i, by a log-sum-exp about the largest), so concentrations of 1e-2, whose Gammas underflow float, still
/// give finite coordinates. The path-wise gradient goes through the Gammas' implicit ones (GammaMath.LogDerivative L_j):
/// dz_i / dalpha_j = z_j L_j (delta_ij - z_i), so for a cost with gradient g = df/dz,
/// df/dalpha_j = z_j L_j (g_j - sum_i g_i z_i) = z_j L_j sum_(i != j) (g_j - g_i) z_i: the second form, with 1 - z_j
/// as the sum of the other coordinates, keeps its digits when z_j is within float rounding of 1 (concentrations of
/// 1e-2 put nearly all the mass on one coordinate). Reference: DirichletReference (tests).
/// </summary>
public static class DirichletMath
{
    /// <summary>The Gamma element behind coordinate <paramref name="coordinate"/> of row <paramref name="row"/>.</summary>
    public static long GammaElement(long row, int coordinates, int coordinate) => row * coordinates + coordinate;

    /// <summary>log z_j from log G_j, the row's largest log G and sum_i exp(log G_i - largest).</summary>
    public static float LogCoordinate(float logGamma, float largest, float scaledSum) => logGamma - largest - MathF.Log(scaledSum);

    /// <summary>
    /// df/dalpha_j = z_j L_j <paramref name="spread"/>, with spread = sum_(i != j) (g_j - g_i) z_i (GradientSpread).
    /// </summary>
    public static float ConcentrationGradient(float z, float logGammaDerivative, float spread) => z * logGammaDerivative * spread;

    /// <summary>One term (g_j - g_i) z_i of coordinate j's spread; the caller sums it over i != j.</summary>
    public static float SpreadTerm(float costGradientJ, float costGradientI, float zI) => (costGradientJ - costGradientI) * zI;
}
