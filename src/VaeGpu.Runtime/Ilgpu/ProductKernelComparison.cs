using System.Diagnostics;

namespace VaeGpu.Runtime.Ilgpu;

/// <summary>
/// The register-blocked product against the 16 x 16 tiled kernel it replaced, on one ILGPU device in the same run:
/// bench's evidence that the new kernel is faster where it can be timed (PoCL on a CPU machine, a GPU where lent).
/// </summary>
public static class ProductKernelComparison
{
    /// <summary>
    /// Median wall microseconds of C (m x n) = A (m x k) B (k x n) under each kernel, the kernels alternating run by run
    /// so that a change in the machine's load falls on both; null for a backend that does not launch ILGPU kernels.
    /// </summary>
    public static IReadOnlyDictionary<string, double>? Time(IBackend backend, int m, int n, int k, int repeats)
    {
        if (backend is not IlgpuBackend ilgpu || ilgpu.ProductKernel == ProductKernel.Naive) return null;
        var a = backend.Allocate(m, k);
        var b = backend.Allocate(k, n);
        var c = backend.Allocate(m, n);
        backend.FillUniform(a, 1, 1);
        backend.FillUniform(b, 1, 2);
        ProductKernel[] kernels = [ProductKernel.RegisterBlocked, ProductKernel.Tiled];
        var times = kernels.ToDictionary(kernel => kernel, _ => new List<double>());
        var original = ilgpu.ProductKernel;
        try
        {
            foreach (var kernel in kernels) Run(ilgpu, kernel, a, b, c); // compile and warm up
            for (int r = 0; r < repeats; r++)
                foreach (var kernel in kernels)
                    times[kernel].Add(Run(ilgpu, kernel, a, b, c));
        }
        finally
        {
            ilgpu.ProductKernel = original;
        }
        return times.ToDictionary(pair => pair.Key == ProductKernel.Tiled ? "tiled_16x16" : "register_blocked_64x64", pair => Median(pair.Value));
    }

    static double Run(IlgpuBackend backend, ProductKernel kernel, Tensor a, Tensor b, Tensor c)
    {
        backend.ProductKernel = kernel;
        backend.Synchronize();
        var clock = Stopwatch.StartNew();
        backend.MatMul(a, false, b, false, c);
        backend.Synchronize();
        return clock.Elapsed.TotalMicroseconds;
    }

    static double Median(List<double> values)
    {
        values.Sort();
        return values.Count % 2 == 1 ? values[values.Count / 2] : 0.5 * (values[values.Count / 2 - 1] + values[values.Count / 2]);
    }
}
