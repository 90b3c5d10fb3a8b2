namespace VaeGpu.References;

/// <summary>
/// A Dirichlet draw from its Gammas, in double: z_j = G_j / sum_i G_i, and the gradient of a cost f(z) in the
/// concentrations by the chain rule through each Gamma's implicit gradient (GammaReference): with
/// dG_j / dalpha_j = G_j L_j, df/dalpha_j = sum_i g_i dz_i/dG_j G_j L_j, dz_i/dG_j = (delta_ij - z_i) / sum G.
/// </summary>
public static class DirichletReference
{
    /// <summary>z from the Gammas' logs (log-sum-exp in double).</summary>
    public static double[] Coordinates(double[] logGammas)
    {
        double largest = logGammas.Max();
        double[] scaled = logGammas.Select(l => Math.Exp(l - largest)).ToArray();
        double sum = scaled.Sum();
        return scaled.Select(s => s / sum).ToArray();
    }

    /// <summary>df/dalpha for cost gradient g = df/dz at the draw.</summary>
    public static double[] ConcentrationGradient(double[] alphas, double[] logGammas, double[] costGradient)
    {
        double[] z = Coordinates(logGammas);
        var gradient = new double[alphas.Length];
        for (int j = 0; j < alphas.Length; j++)
        {
            double logDerivative = GammaReference.LogDerivative(alphas[j], logGammas[j]);
            // dz_i/dalpha_j = (delta_ij - z_i) z_j L_j (G_j / sum G = z_j), 1 - z_j summed from the other coordinates:
            // below 1e-16 double would round it to 0.
            double others = z.Where((_, m) => m != j).Sum();
            for (int i = 0; i < alphas.Length; i++)
                gradient[j] += costGradient[i] * (i == j ? others : -z[i]) * z[j] * logDerivative;
        }
        return gradient;
    }
}
