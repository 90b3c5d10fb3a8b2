namespace VaeGpu.References;

/// <summary>
/// SamplingMath's uniforms in double, written out again from their definitions (bit by bit for the scramble's
/// reversal), for the tests; the normals then come from an independent inverse CDF (MathNet's) in the tests. The one
/// thing taken from SamplingMath is Burley's Laine-Karras hash, which has a single definition (see ArchitectureTests'
/// allow list).
/// </summary>
public static class SamplingReference
{
    static uint Reverse(uint x)
    {
        uint reversed = 0;
        for (int bit = 0; bit < 32; bit++) reversed |= ((x >> bit) & 1u) << (31 - bit);
        return reversed;
    }

    public static double PointUniform(Sampler sampler, ulong seed, ulong stream, int replicate, long pointsPerReplicate, long point)
    {
        if (sampler == Sampler.Rqmc)
        {
            uint scrambled = Reverse(SamplingMath.LaineKarras(Reverse(Reverse((uint)point)), ReplicateScramble(seed, stream, replicate)));
            return ((scrambled >> 8) + 0.5) / 16777216.0;
        }
        long element = replicate * pointsPerReplicate + point;
        double jitter = ((Philox4x32.ForBlock(seed, stream, element / 4)[(int)(element % 4)] >> 8) + 0.5) / 16777216.0;
        return (point + jitter) / pointsPerReplicate;
    }

    /// <summary>A replicate's scramble seed: word 0 of Philox block <paramref name="replicate"/> on the stream offset by 0x5A3B1E5.</summary>
    static uint ReplicateScramble(ulong seed, ulong stream, int replicate) => Philox4x32.ForBlock(seed, stream ^ 0x5A3B1E5u, replicate).X0;

    /// <summary>
    /// Coordinate <paramref name="dimension"/> of the first <paramref name="count"/> Sobol points in sobol.cc's order
    /// (Joe and Kuo's own generator: x_i = x_{i-1} ^ v_{c(i-1)}, c the position of the lowest zero bit, which visits
    /// the points in Gray-code order, point i ^ (i >> 1) at step i), with the direction numbers rederived 1-based from
    /// the file's text as sobol.cc derives them. Exact in double.
    /// </summary>
    public static double[] SobolInGrayCodeOrder(int dimension, int count)
    {
        var v = new uint[33];
        if (dimension == 0)
            for (int i = 1; i <= 32; i++) v[i] = 1u << (32 - i);
        else
        {
            string line = System.Text.Encoding.ASCII.GetString(SobolDirections.FileBytes()).Split('\n')[dimension];
            long[] numbers = line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(long.Parse).ToArray();
            int s = (int)numbers[1];
            long a = numbers[2];
            for (int i = 1; i <= Math.Min(s, 32); i++) v[i] = (uint)(numbers[2 + i] << (32 - i));
            for (int i = s + 1; i <= 32; i++)
            {
                v[i] = v[i - s] ^ (v[i - s] >> s);
                for (int k = 1; k <= s - 1; k++) v[i] ^= (uint)((a >> (s - 1 - k)) & 1) * v[i - k];
            }
        }
        var points = new double[count];
        uint x = 0;
        for (int i = 1; i < count; i++)
        {
            int c = 1;
            for (int value = i - 1; (value & 1) == 1; value >>= 1) c++;
            x ^= v[c];
            points[i] = x / 4294967296.0;
        }
        return points;
    }

    /// <summary>
    /// SobolDraws' uniform for an element: coordinate j of Sobol point k (from SobolInGrayCodeOrder, at the step whose
    /// Gray code is k), Owen-scrambled bit by bit with the (image, j) seed, truncated to 24 bits plus one half.
    /// </summary>
    public static double SobolDrawUniform(ulong seed, ulong stream, int latent, int samplesPerImage, long element)
    {
        long row = element / latent, image = row / samplesPerImage;
        int j = (int)(element % latent), k = (int)(row % samplesPerImage);
        int step = k;
        for (int shift = k >> 1; shift != 0; shift >>= 1) step ^= shift;
        uint bits = (uint)(SobolInGrayCodeOrder(j, step + 1)[step] * 4294967296.0);
        uint scramble = Philox4x32.ForBlock(seed, stream ^ 0x510E527FADE682D1ul, image * latent + j).X0;
        uint scrambled = Reverse(SamplingMath.LaineKarras(Reverse(bits), scramble));
        return ((scrambled >> 8) + 0.5) / 16777216.0;
    }
}
