using ILGPU;
using ILGPU.Runtime;
using VaeGpu.Kernels;
using VaeGpu.Runtime;
using VaeGpu.Runtime.Ilgpu;

namespace VaeGpu.Tests;

/// <summary>
/// The register-blocked products (MatMulKernels.RegisterBlocked and RegisterBlockedSplitK) against the double reference
/// MatMulReference. Tolerance 1e-5 sqrt(K) max|a| max|b|: the float sum of K terms of a zero-mean product drifts by
/// about sqrt(K) roundings of its magnitude. Every run is compared with a second run bit for bit.
/// </summary>
public class RegisterBlockedMatMulTests
{
    /// <summary>Every value appears as M, as N and as K somewhere in the 14 shapes (a covering set, not the full product).</summary>
    static readonly int[] Sizes = [1, 2, 3, 7, 17, 33, 63, 64, 65, 127, 129, 400, 784, 1023];

    /// <summary>Shape i is (Sizes[i], Sizes[i + 4], Sizes[i + 9]) cyclically: the large sizes never meet in one shape.</summary>
    static IEnumerable<(int M, int N, int K)> CoveringShapes() =>
        Sizes.Select((_, i) => (Sizes[i], Sizes[(i + 4) % Sizes.Length], Sizes[(i + 9) % Sizes.Length]));

    /// <summary>
    /// The epilogues a product can end with: MatMulEpilogue's, with each hidden-layer activation where it has one,
    /// accumulation (beta 1) and the ones row.
    /// </summary>
    public enum Finish { Plain, Accumulate, Bias, BiasRelu, ReluGradient, BiasTanh, TanhGradient, OnesRow }

    static MatMulShape ShapeOf(int m, int n, int k, bool transposeA, bool transposeB, Finish finish) => finish switch
    {
        Finish.Accumulate => MatMulShape.Create(m, n, k, transposeA, transposeB, beta: 1f),
        Finish.Bias => MatMulShape.Create(m, n, k, transposeA, transposeB, epilogue: MatMulEpilogue.Bias),
        Finish.BiasRelu => MatMulShape.Create(m, n, k, transposeA, transposeB, epilogue: MatMulEpilogue.Bias, activation: Activation.Relu),
        Finish.ReluGradient => MatMulShape.Create(m, n, k, transposeA, transposeB, epilogue: MatMulEpilogue.ActivationGradient, activation: Activation.Relu),
        Finish.BiasTanh => MatMulShape.Create(m, n, k, transposeA, transposeB, epilogue: MatMulEpilogue.Bias, activation: Activation.Tanh),
        Finish.TanhGradient => MatMulShape.Create(m, n, k, transposeA, transposeB, epilogue: MatMulEpilogue.ActivationGradient, activation: Activation.Tanh),
        // A holds m - 1 rows; the product appends the row of ones as row m - 1.
        Finish.OnesRow => MatMulShape.Create(m - 1, n, k, transposeA, transposeB).WithOnesRow(),
        _ => MatMulShape.Create(m, n, k, transposeA, transposeB),
    };

    /// <summary>Inputs of one case and the reference's result.</summary>
    sealed record Case(MatMulShape Shape, float[] A, float[] B, float[] C, float[] Bias, float[] Mask, float[] Expected, float Tolerance, string Name);

    static Case Make(int m, int n, int k, bool transposeA, bool transposeB, Finish finish, int seed)
    {
        if (finish == Finish.OnesRow && m == 1) finish = Finish.Plain; // no room for a ones row under one row
        var shape = ShapeOf(m, n, k, transposeA, transposeB, finish);
        int aRows = finish == Finish.OnesRow ? m - 1 : m;
        float[] a = RandomArrays.Uniform(Math.Max(1, aRows * k), seed), b = RandomArrays.Uniform(k * n, seed + 1);
        float[] c = RandomArrays.Uniform(m * n, seed + 2), bias = RandomArrays.Uniform(n, seed + 3), mask = RandomArrays.Uniform(m * n, seed + 4);
        var expected = (float[])c.Clone();
        MatMulReference.Compute(a, b, expected, shape, bias, mask);
        float tolerance = 1e-5f * MathF.Sqrt(k) * a.Max(MathF.Abs) * b.Max(MathF.Abs);
        return new Case(shape, a, b, c, bias, mask, expected, tolerance, $"{m}x{n}x{k} A{(transposeA ? "^T" : "")} B{(transposeB ? "^T" : "")} {finish}");
    }

    /// <summary>The case's product launched twice, each time on fresh copies of its inputs: both results.</summary>
    static float[][] RunTwice(Accelerator accelerator, Case testCase,
        Action<ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>> launch) =>
        [.. Enumerable.Range(0, 2).Select(_ =>
        {
            using var a = accelerator.Allocate1D(testCase.A);
            using var b = accelerator.Allocate1D(testCase.B);
            using var c = accelerator.Allocate1D(testCase.C);
            using var bias = accelerator.Allocate1D(testCase.Bias);
            using var mask = accelerator.Allocate1D(testCase.Mask);
            launch(a.View, b.View, c.View, bias.View, mask.View);
            accelerator.Synchronize();
            return c.GetAsArray1D();
        })];

    static void AssertMatchesTheReferenceTwice(Case testCase, float[][] runs)
    {
        Assert.That(runs[0], Is.EqualTo(testCase.Expected).Within(testCase.Tolerance), testCase.Name);
        Assert.That(runs[1], Is.EqualTo(runs[0]), $"{testCase.Name}: two runs differ");
    }

    public static IEnumerable<TestCaseData> Transposes() =>
        from transposeA in new[] { false, true }
        from transposeB in new[] { false, true }
        select new TestCaseData(transposeA, transposeB);

    /// <summary>The kernel every GPU and OpenCL product runs, on PoCL over the covering shapes, each with an epilogue in turn.</summary>
    [TestCaseSource(nameof(Transposes))]
    public void CoveringShapesMatchTheReferenceOnOpenCl(bool transposeA, bool transposeB)
    {
        if (!Backends.All.Contains("opencl")) Assert.Ignore("no OpenCL device (test.sh installs PoCL)");
        var accelerator = ((IlgpuBackend)Backends.Get("opencl")).Accelerator;
        var kernel = accelerator.LoadStreamKernel<ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, MatMulShape>(MatMulKernels.RegisterBlocked);
        int index = 0, offset = (transposeA ? 2 : 0) + (transposeB ? 1 : 0);
        foreach (var (m, n, k) in CoveringShapes())
        {
            var testCase = Make(m, n, k, transposeA, transposeB, (Finish)((index++ + offset) % Enum.GetValues<Finish>().Length), seed: 10 * index);
            var plan = ProductPlan.For(testCase.Shape, splitK: false);
            var config = new KernelConfig(plan.Grid, new Index3D(MatMulKernels.BlockThreads, 1, 1));
            AssertMatchesTheReferenceTwice(testCase, RunTwice(accelerator, testCase,
                (a, b, c, bias, mask) => kernel(config, a, b, c, bias, mask, testCase.Shape)));
        }
    }

    /// <summary>
    /// Split-K on the CPU accelerator (PoCL cannot build its atomic ticket): the partials summed in split order, the
    /// tickets back at zero after every launch, and the same bits from a second run.
    /// </summary>
    [TestCase(65, 70, 200, false, false, Finish.Bias, 3)]
    [TestCase(1, 1, 64, true, false, Finish.Plain, 2)]
    [TestCase(130, 33, 129, true, false, Finish.OnesRow, 4)]
    [TestCase(64, 64, 96, false, true, Finish.Accumulate, 3)]
    [TestCase(17, 129, 77, true, true, Finish.ReluGradient, 2)]
    [TestCase(33, 63, 250, false, false, Finish.BiasRelu, 4)]
    [TestCase(70, 65, 190, true, false, Finish.BiasTanh, 3)]
    [TestCase(33, 40, 100, false, true, Finish.TanhGradient, 2)]
    public void SplitKMatchesTheReferenceOnTheCpuAccelerator(int m, int n, int k, bool transposeA, bool transposeB, Finish finish, int splits)
    {
        using var host = Backends.WideCpuAccelerator();
        var accelerator = host.Accelerator;
        var kernel = accelerator.LoadStreamKernel<ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<int>, MatMulShape, int>(MatMulKernels.RegisterBlockedSplitK);
        var testCase = Make(m, n, k, transposeA, transposeB, finish, seed: 3);
        (splits, int depth) = MatMulKernels.SplitInto(k, splits);
        var grid = new Index3D((n + 63) / 64, (testCase.Shape.M + 63) / 64, splits);
        using var partials = accelerator.Allocate1D<float>(MatMulKernels.SplitPartialsLength(testCase.Shape.M, n, splits));
        using var arrivals = accelerator.Allocate1D<int>(grid.X * grid.Y);
        arrivals.MemSetToZero();
        var config = new KernelConfig(grid, new Index3D(MatMulKernels.BlockThreads, 1, 1));

        var runs = RunTwice(accelerator, testCase,
            (a, b, c, bias, mask) => kernel(config, a, b, c, bias, mask, partials.View, arrivals.View, testCase.Shape, depth));

        Assert.That(splits, Is.GreaterThan(1), "the case splits K");
        AssertMatchesTheReferenceTwice(testCase, runs);
        Assert.That(arrivals.GetAsArray1D(), Has.All.Zero, "every block's ticket is reset for the next launch");
    }

    /// <summary>SplitK gives whole slices, no empty split, and enough groups for the large products of the canonical step.</summary>
    [Test]
    public void SplitKPlansCoverKAndFillTheGpu()
    {
        foreach (int m in new[] { 1, 21, 128, 401, 785 })
        foreach (int n in new[] { 1, 40, 400, 784 })
        foreach (int k in new[] { 1, 7, 20, 64, 128, 400, 784, 5000 })
        {
            var (splits, depth) = MatMulKernels.SplitK(m, n, k, ProductPlan.TargetGroups);
            Assert.That(depth % MatMulKernels.BlockDepth, Is.Zero, $"{m}x{n}x{k}");
            Assert.That((long)splits * depth, Is.GreaterThanOrEqualTo(k), $"{m}x{n}x{k}: K covered");
            Assert.That((long)(splits - 1) * depth, Is.LessThan(k), $"{m}x{n}x{k}: no empty split");
        }
        // The canonical step's products of 5 MFLOP or more (784-400-20 at batch 128): each in at least 96 groups on CUDA.
        foreach (var shape in new[]
        {
            MatMulShape.Create(128, 400, 784, false, false), MatMulShape.Create(128, 784, 400, false, false),
            MatMulShape.Create(400, 784, 128, true, false).WithOnesRow(), MatMulShape.Create(128, 400, 784, false, true),
            MatMulShape.Create(784, 400, 128, true, false).WithOnesRow(),
        })
            Assert.That(ProductPlan.For(shape, splitK: true).Groups, Is.GreaterThanOrEqualTo(96), $"{shape.M}x{shape.N}x{shape.K}");
    }
}
