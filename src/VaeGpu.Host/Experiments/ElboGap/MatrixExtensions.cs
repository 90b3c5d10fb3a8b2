using MathNet.Numerics.LinearAlgebra;

namespace VaeGpu.Host.Experiments.ElboGap;

static class MatrixExtensions
{
    /// <summary>x with L x = b for lower-triangular L, by forward substitution (MathNet has no triangular solve on Matrix).</summary>
    public static Vector<double> SolveLower(this Matrix<double> lower, Vector<double> b)
    {
        var x = Vector<double>.Build.Dense(b.Count);
        for (int i = 0; i < b.Count; i++)
        {
            double value = b[i];
            for (int j = 0; j < i; j++) value -= lower[i, j] * x[j];
            x[i] = value / lower[i, i];
        }
        return x;
    }
}
