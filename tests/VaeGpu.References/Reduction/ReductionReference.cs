namespace VaeGpu.References;

/// <summary>The plain managed reference for ReductionKernels, accumulating in double.</summary>
public static class ReductionReference
{
    public static float[] SumColumns(float[] x, int rows, int columns)
    {
        var sums = new float[columns];
        for (int c = 0; c < columns; c++)
        {
            double sum = 0;
            for (int r = 0; r < rows; r++) sum += x[r * columns + c];
            sums[c] = (float)sum;
        }
        return sums;
    }

    public static double Sum(float[] x) => x.Sum(v => (double)v);

    public static double SumOfSquares(float[] x) => x.Sum(v => (double)v * v);
}
