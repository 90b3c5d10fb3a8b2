using VaeGpu.Host.Data;

namespace VaeGpu.Tests.Model;

/// <summary>
/// Small learnable images: each is one of a few random prototypes with pixel noise, clamped to [0, 1]. A VAE can fit
/// them quickly, so training tests run in a second.
/// </summary>
public static class SyntheticImages
{
    public static ImageSet Make(int count, int pixels, int seed, int prototypes = 4)
    {
        var random = new Random(seed);
        var shapes = new float[prototypes][];
        var prototypeRandom = new Random(1234);
        for (int p = 0; p < prototypes; p++) shapes[p] = Enumerable.Range(0, pixels).Select(_ => prototypeRandom.NextSingle() < 0.4f ? 0.9f : 0.05f).ToArray();
        var bytes = new byte[count * pixels];
        for (int i = 0; i < count; i++)
        {
            var shape = shapes[random.Next(prototypes)];
            for (int j = 0; j < pixels; j++) bytes[i * pixels + j] = (byte)Math.Round(255 * Math.Clamp(shape[j] + 0.1f * (random.NextSingle() - 0.5f), 0f, 1f));
        }
        return new ImageSet(bytes, count, 1, pixels, Labels: null);
    }
}
