namespace VaeGpu.Host.Experiments.GaussianMixture;

/// <summary>Count points of Dimension coordinates, row-major; Source names where they came from, for messages.</summary>
public sealed record PointSet(string Source, float[] Values, int Count, int Dimension)
{
    public ReadOnlySpan<float> Point(int index) => Values.AsSpan(index * Dimension, Dimension);
}
