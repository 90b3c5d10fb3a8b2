namespace VaeGpu.References;

/// <summary>The plain managed reference for GatherKernels.</summary>
public static class GatherReference
{
    public static void Rows(float[] source, int[] indices, int first, int columns, float[] destination)
    {
        for (int row = 0; row < destination.Length / columns; row++)
            Array.Copy(source, (long)indices[first + row] * columns, destination, (long)row * columns, columns);
    }
}
