using BenchmarkDotNet.Attributes;
using VaeGpu.Runtime;

namespace VaeGpu.Bench;

/// <summary>
/// What every matrix-product benchmark class shares: the VAE's shapes as a parameter, the same operand values for
/// every implementation, and raw OpenBLAS as the baseline method. The baseline lives in each class (BenchmarkDotNet
/// computes baselines only within one class and job), so the slow ILGPU class, which needs its own short job, still
/// gets a "vs OpenBLAS" figure measured in the same run.
/// </summary>
public abstract class MatMulBenchmarkBase
{
    public static IEnumerable<GemmShape> Shapes => GemmShape.Vae;

    [ParamsSource(nameof(Shapes))]
    public GemmShape Shape { get; set; } = GemmShape.Vae[0];

    /// <summary>The raw OpenBLAS product, for the methods that call it.</summary>
    protected RawSgemm? Raw { get; set; }

    // Each setup targets only its own method: a benchmark case then builds only what it runs (no ILGPU context
    // for the baseline's process, no OpenBLAS copy for the ILGPU one).
    [GlobalSetup(Target = nameof(RawOpenBlas))]
    public void SetupRawOpenBlas() => Raw = NewRawSgemm();

    [Benchmark(Baseline = true)]
    public void RawOpenBlas() => Raw!.Run();

    protected RawSgemm NewRawSgemm() => new(Shape, OperandA(), OperandB());

    /// <summary>A as stored: M x K, or K x M when transposed; the element count is the same either way.</summary>
    protected float[] OperandA() => RandomValues(Shape.M * Shape.K, seed: 1);

    /// <summary>B as stored: K x N, or N x K when transposed.</summary>
    protected float[] OperandB() => RandomValues(Shape.K * Shape.N, seed: 2);

    /// <summary>Tensors on the backend holding the same A and B as the baseline, plus C.</summary>
    protected Operands Upload(IBackend backend)
    {
        var s = Shape;
        var a = s.TransposeA ? backend.Allocate(s.K, s.M) : backend.Allocate(s.M, s.K);
        var b = s.TransposeB ? backend.Allocate(s.N, s.K) : backend.Allocate(s.K, s.N);
        var c = backend.Allocate(s.M, s.N);
        backend.Upload(OperandA(), a);
        backend.Upload(OperandB(), b);
        backend.Synchronize();
        return new Operands(backend, a, b, c);
    }

    /// <summary>
    /// Runs the product once and compares it with OpenBLAS, so a fast but wrong (or do-nothing) path cannot produce
    /// a good-looking row. Tolerance is loose: only summation order differs.
    /// </summary>
    protected void CheckAgainstOpenBlas(Operands operands)
    {
        operands.Run(Shape);
        var actual = new float[Shape.M * Shape.N];
        operands.Backend.Download(operands.C, actual);
        var reference = NewRawSgemm();
        reference.Run();
        var expected = reference.Result;
        for (int i = 0; i < expected.Length; i++)
            if (MathF.Abs(actual[i] - expected[i]) > 1e-3f * (1f + MathF.Abs(expected[i])))
                throw new InvalidOperationException(
                    $"{operands.Backend.Name} gives C[{i}] = {actual[i]}, OpenBLAS {expected[i]} for {Shape}.");
    }

    static float[] RandomValues(int count, int seed)
    {
        var random = new Random(seed);
        var values = new float[count];
        for (int i = 0; i < count; i++) values[i] = (float)(random.NextDouble() * 2 - 1);
        return values;
    }

    /// <summary>A backend with its three tensors; Run is one product plus Synchronize (a no-op on the host).</summary>
    protected sealed record Operands(IBackend Backend, Tensor A, Tensor B, Tensor C)
    {
        public void Run(GemmShape shape)
        {
            Backend.MatMul(A, shape.TransposeA, B, shape.TransposeB, C);
            Backend.Synchronize();
        }
    }
}
