using VaeGpu.Host.Model;
using VaeGpu.Kernels;

namespace VaeGpu.Host.Training;

/// <summary>
/// The order of training images in an epoch: a Fisher-Yates shuffle driven by Philox (seed, epoch), so it is the
/// same on every run and every device, and a resumed run replays it.
/// </summary>
public static class EpochShuffle
{
    public static int[] Order(int count, ulong seed, int epoch)
    {
        var order = Enumerable.Range(0, count).ToArray();
        ulong stream = RandomStreams.EpochShuffle(epoch);
        for (int i = count - 1; i > 0; i--)
        {
            var bits = Philox4x32.ForBlock(seed, stream, i);
            // 64 random bits make the modulo bias negligible (< count / 2^64).
            int j = (int)((((ulong)bits.X0 << 32) | bits.X1) % (ulong)(i + 1));
            (order[i], order[j]) = (order[j], order[i]);
        }
        return order;
    }
}
