namespace VaeGpu.Host.Experiments.GaussianMixture;

/// <summary>
/// Cholesky factorisation of the mixture's d x d covariances (row-major, d at most a few dozen), in double on the
/// host: once per component and iteration, far too small to be worth a kernel.
/// </summary>
public static class SmallCholesky
{
    /// <summary>The lower-triangular L with matrix = L L^T, or null when the matrix is not positive definite.</summary>
    public static double[]? Factor(double[] matrix, int dimension)
    {
        var lower = new double[dimension * dimension];
        for (int i = 0; i < dimension; i++)
        for (int j = 0; j <= i; j++)
        {
            double sum = matrix[i * dimension + j];
            for (int m = 0; m < j; m++) sum -= lower[i * dimension + m] * lower[j * dimension + m];
            if (i == j)
            {
                if (!(sum > 0)) return null;
                lower[i * dimension + i] = Math.Sqrt(sum);
            }
            else
            {
                lower[i * dimension + j] = sum / lower[j * dimension + j];
            }
        }
        return lower;
    }

    /// <summary>L^-1 of a lower-triangular L, itself lower triangular, by forward substitution column by column.</summary>
    public static double[] InverseLower(double[] lower, int dimension)
    {
        var inverse = new double[dimension * dimension];
        for (int column = 0; column < dimension; column++)
        for (int i = column; i < dimension; i++)
        {
            double sum = i == column ? 1 : 0;
            for (int m = column; m < i; m++) sum -= lower[i * dimension + m] * inverse[m * dimension + column];
            inverse[i * dimension + column] = sum / lower[i * dimension + i];
        }
        return inverse;
    }

    /// <summary>log |L L^T| = 2 sum log L_ii.</summary>
    public static double LogDeterminant(double[] lower, int dimension)
    {
        double sum = 0;
        for (int i = 0; i < dimension; i++) sum += Math.Log(lower[i * dimension + i]);
        return 2 * sum;
    }
}
