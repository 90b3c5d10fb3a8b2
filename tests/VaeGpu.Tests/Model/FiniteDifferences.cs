namespace VaeGpu.Tests.Model;

/// <summary>
/// Every element of a float gradient against central differences (h = 1e-6) of a double loss. Tolerance 2e-4
/// absolute plus 1e-3 relative: float rounding of the forward and backward passes, far below a wrong term (those are
/// off by O(1) relative).
/// </summary>
public static class FiniteDifferences
{
    /// <param name="loss">The loss at a parameter vector, given the index of the parameter being moved.</param>
    public static void AssertGradient(float[] gradients, double[] at, Func<int, double[], double> loss, Func<int, string>? name = null)
    {
        const double h = 1e-6;
        double[] parameters = (double[])at.Clone();
        for (int i = 0; i < parameters.Length; i++)
        {
            parameters[i] = at[i] + h;
            double plus = loss(i, parameters);
            parameters[i] = at[i] - h;
            double minus = loss(i, parameters);
            parameters[i] = at[i];
            double numeric = (plus - minus) / (2 * h);
            Assert.That(gradients[i], Is.EqualTo(numeric).Within(2e-4 + 1e-3 * Math.Abs(numeric)), name?.Invoke(i) ?? $"parameter {i}");
        }
    }
}
