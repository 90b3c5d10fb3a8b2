using VaeGpu.Runtime.Devices;

namespace VaeGpu.Runtime.ImplicitDraws;

public static class ImplicitDrawOperations
{
    /// <summary>The implementation for the backend's kind; the ILGPU one compiles its kernels now, once.</summary>
    public static IImplicitDrawOperations For(IBackend backend) =>
        FamilyImplementation.For<IImplicitDrawOperations>(backend, host => new HostImplicitDrawOperations(host),
            ilgpu => new IlgpuImplicitDrawOperations(ilgpu), "implicit draws");

    /// <summary>Shapes agree and the first element leaves room for the draws (counters are 56 bits: Philox4x32.ForAttempt).</summary>
    internal static void Check(Tensor parameters, long first, Tensor draws, Tensor derivatives)
    {
        if (draws.Rows != parameters.Rows || draws.Columns != parameters.Columns || derivatives.Rows != parameters.Rows || derivatives.Columns != parameters.Columns)
            throw new ArgumentException($"parameters {parameters.Rows}x{parameters.Columns}, draws {draws.Rows}x{draws.Columns} and derivatives {derivatives.Rows}x{derivatives.Columns} must share a shape.");
        if (first < 0 || first + (long)parameters.Rows * parameters.Columns >= 1L << 56)
            throw new ArgumentOutOfRangeException(nameof(first), first, "draws are counted from 0 up to 2^56.");
    }
}
