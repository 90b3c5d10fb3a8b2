using System.Diagnostics;
using VaeGpu.Runtime.HostPath;

namespace VaeGpu.Host.Diagnostics;

/// <summary>
/// The host path's speed limit, measured in the same run: OpenBLAS's own multi-threaded cblas_sgemm (as many threads as
/// the host team has) on dense arrays of a product's shape, with no tensor, team or epilogue in between. The machine's
/// speed drifts by 1.5x over hours, so `vaegpu bench` reports the host path as a ratio to this, never alone.
/// </summary>
sealed class SgemmReference(OpenBlas blas, int threads)
{
    readonly Dictionary<ProductShape, (float[] A, float[] B, float[] C)> operands = [];

    public int Threads => threads;

    /// <summary>The median seconds of one raw sgemm of this shape over <paramref name="repeats"/> calls (after one warm-up).</summary>
    public double Seconds(ProductShape shape, int repeats) => blas.WithOwnThreads(threads, () => Median(shape, repeats));

    /// <summary>The median seconds of one raw sgemm of each shape in turn: a step's products at the library's own speed.</summary>
    public double Seconds(IReadOnlyList<ProductShape> shapes, int repeats) =>
        blas.WithOwnThreads(threads, () => shapes.Sum(shape => Median(shape, repeats)));

    double Median(ProductShape shape, int repeats)
    {
        var (a, b, c) = Operands(shape);
        var times = new double[repeats];
        Run(shape, a, b, c);
        for (int r = 0; r < repeats; r++)
        {
            var clock = Stopwatch.StartNew();
            Run(shape, a, b, c);
            times[r] = clock.Elapsed.TotalSeconds;
        }
        Array.Sort(times);
        return repeats % 2 == 1 ? times[repeats / 2] : (times[repeats / 2 - 1] + times[repeats / 2]) / 2;
    }

    void Run(ProductShape s, float[] a, float[] b, float[] c) =>
        blas.Sgemm(s.TransposeA, s.TransposeB, s.M, s.N, s.K, a, s.TransposeA ? s.M : s.K, b, s.TransposeB ? s.K : s.N, 0f, c, s.N);

    (float[] A, float[] B, float[] C) Operands(ProductShape shape)
    {
        if (!operands.TryGetValue(shape, out var arrays))
        {
            var random = new Random(1);
            float[] Values(int count) => Enumerable.Range(0, count).Select(_ => random.NextSingle() - 0.5f).ToArray();
            operands[shape] = arrays = (Values(shape.M * shape.K), Values(shape.K * shape.N), new float[shape.M * shape.N]);
        }
        return arrays;
    }
}
