namespace VaeGpu.Tests;

/// <summary>Seeded test inputs, so every failure reproduces.</summary>
public static class RandomArrays
{
    public static float[] Uniform(int length, int seed, float low = -1f, float high = 1f)
    {
        var random = new Random(seed);
        var values = new float[length];
        for (int i = 0; i < length; i++) values[i] = low + (high - low) * random.NextSingle();
        return values;
    }
}
