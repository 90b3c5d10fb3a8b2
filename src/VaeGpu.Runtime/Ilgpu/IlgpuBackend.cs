using System.Runtime.CompilerServices;
using ILGPU;
using ILGPU.Runtime;
using ILGPU.Runtime.CPU;
using VaeGpu.Kernels;

namespace VaeGpu.Runtime.Ilgpu;

/// <summary>
/// The operations as ILGPU kernels on one accelerator: CUDA, OpenCL or ILGPU's CPU accelerator. Kernels are compiled
/// once when the backend is created; every operation is one or two launches on the accelerator's default stream,
/// counted in Counters. The accelerator decides the matrix-product kernel: the register-blocked one on GPUs (and on
/// OpenCL, so that PoCL runs what a GPU runs), the naive one on the CPU accelerator, where barriers are OS-thread
/// barriers.
/// </summary>
sealed class IlgpuBackend : IBackend
{
    /// <summary>Groups in the first stage of a full sum; fixed so the summation order depends only on the group size.</summary>
    const int PartialSumGroups = 64;

    readonly Context context;
    readonly Accelerator accelerator;
    readonly int reductionGroupSize;

    /// <summary>The group size of every reduction over a row or a chunk: a power of two, at most ReductionKernels.MaxGroupSize.</summary>
    internal int ReductionGroupSize => reductionGroupSize;
    readonly MemoryBuffer1D<float, Stride1D.Dense> partialSums;

    readonly Action<Index2D, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, MatMulShape> matMulNaive;
    readonly Action<KernelConfig, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, MatMulShape> matMulTiled;
    readonly Action<KernelConfig, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, MatMulShape> matMulRegisterBlocked;

    /// <summary>Loaded on CUDA only: its atomic ticket does not build for PoCL (MatMulKernels.RegisterBlockedSplitK).</summary>
    readonly Action<KernelConfig, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<int>, MatMulShape, int>? matMulSplitK;
    readonly Action<Index1D, ArrayView<float>, ArrayView<int>, int, int, ArrayView<float>> gatherRows;
    readonly Action<Index1D, ArrayView<float>, ArrayView<int>, int, int, ArrayView<float>, ulong, ulong> gatherRowsBinarized;
    readonly Action<Index1D, ArrayView<float>, ArrayView<float>, int> addRowBias;
    readonly Action<Index1D, ArrayView<float>, float> fill;
    readonly Action<Index1D, ArrayView<float>, float, float> scaleAndShift;
    readonly Action<Index1D, ArrayView<float>, int, ArrayView<float>> sumColumns;
    readonly Action<KernelConfig, ArrayView<float>, ArrayView<float>, int> partialSumsKernel;
    readonly Action<Index1D, ArrayView<float>, ulong, ulong> fillUniform, fillNormal, binarize;
    readonly Action<Index1D, ArrayView<float>, ArrayView<float>, float> sgd;
    readonly Action<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, AdamStep> adam;

    /// <summary>cuBLAS, where the gemm decision chose it: it runs the products that have no epilogue and no ones row.</summary>
    readonly CuBlasProduct? cublas;

    /// <summary>Which product runs and why: "cublas: libcublas.so.13 in ...", "ilgpu: not a CUDA device (OpenCL)".</summary>
    public GemmDecision Gemm { get; }

    /// <summary>Takes ownership of the context and creates an accelerator on the given device of it.</summary>
    public IlgpuBackend(Context context, Device device, string name, GemmChoice gemm = GemmChoice.Auto)
    {
        this.context = context;
        accelerator = device.CreateAccelerator(context);
        try
        {
            var decision = GemmDecision.Decide(gemm, accelerator.AcceleratorType, CuBlasLibrary.Located);
            if (decision.UsesCuBlas)
            {
                var start = CuBlasProduct.TryCreate(accelerator);
                cublas = start.Product;
                decision = GemmDecision.AfterStart(gemm, decision, start.Product is null ? start.Reason : null);
            }
            Gemm = decision;
        }
        catch
        {
            accelerator.Dispose();
            throw;
        }
        Name = name;
        ProductKernel = accelerator.AcceleratorType == AcceleratorType.CPU ? ProductKernel.Naive : ProductKernel.RegisterBlocked;
        reductionGroupSize = LargestPowerOfTwoAtMost(Math.Min(ReductionKernels.MaxGroupSize, accelerator.MaxNumThreadsPerGroup));
        partialSums = accelerator.Allocate1D<float>(PartialSumGroups);

        matMulNaive = accelerator.LoadAutoGroupedStreamKernel<Index2D, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, MatMulShape>(MatMulKernels.Naive);
        matMulTiled = accelerator.LoadStreamKernel<ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, MatMulShape>(MatMulKernels.Tiled);
        matMulRegisterBlocked = accelerator.LoadStreamKernel<ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, MatMulShape>(MatMulKernels.RegisterBlocked);
        if (accelerator.AcceleratorType == AcceleratorType.Cuda)
            matMulSplitK = accelerator.LoadStreamKernel<ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<int>, MatMulShape, int>(MatMulKernels.RegisterBlockedSplitK);
        gatherRows = accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, ArrayView<int>, int, int, ArrayView<float>>(GatherKernels.Rows, out var gatherInfo);
        gatherRowsBinarized = accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, ArrayView<int>, int, int, ArrayView<float>, ulong, ulong>(GatherKernels.RowsBinarized, out var gatherBinarizedInfo);
        addRowBias = accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, ArrayView<float>, int>(ElementwiseKernels.AddRowBias);
        fill = accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, float>(ElementwiseKernels.Fill);
        scaleAndShift = accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, float, float>(ElementwiseKernels.ScaleAndShift);
        sumColumns = accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, int, ArrayView<float>>(ReductionKernels.SumColumns);
        partialSumsKernel = accelerator.LoadStreamKernel<ArrayView<float>, ArrayView<float>, int>(ReductionKernels.PartialSums);
        fillUniform = accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, ulong, ulong>(RandomKernels.FillUniform);
        binarize = accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, ulong, ulong>(RandomKernels.Binarize);
        fillNormal = accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, ulong, ulong>(RandomKernels.FillNormal);
        sgd = accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, ArrayView<float>, float>(OptimizerKernels.Sgd);
        adam = accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, AdamStep>(OptimizerKernels.Adam, out var adamInfo);
        (gatherGroupSize, gatherBinarizedGroupSize, adamGroupSize) = (ChosenGroupSize(gatherInfo), ChosenGroupSize(gatherBinarizedInfo), ChosenGroupSize(adamInfo));
    }

    public string Name { get; }

    /// <summary>The group sizes ILGPU chose for the step's auto-grouped kernels (0 where it did not say), for the launch log.</summary>
    readonly int gatherGroupSize, gatherBinarizedGroupSize, adamGroupSize;

    /// <summary>The group size ILGPU picked for an auto-grouped kernel (occupancy-based on CUDA), or 0 where it did not say.</summary>
    internal static int ChosenGroupSize(KernelInfo? info) => info?.MinGroupSize ?? 0;

    /// <summary>The kernel every product launches; bench switches it to compare the kernels on one device.</summary>
    internal ProductKernel ProductKernel { get; set; }

    /// <summary>Split-K partials (a 64 x 64 tile per block and split) and the per-block arrival tickets, grown to the largest product seen.</summary>
    MemoryBuffer1D<float, Stride1D.Dense>? splitPartials;
    MemoryBuffer1D<int, Stride1D.Dense>? splitArrivals;

    MemoryBuffer1D<uint, Stride1D.Dense>? sobolDirections;

    /// <summary>
    /// The device copy of SobolDirections.Table (128 KiB), uploaded the first time a launch draws Sobol points and kept
    /// for the backend's life; the draws of the other samplers receive it too but never read it.
    /// </summary>
    public ArrayView<uint> SobolDirections
    {
        get
        {
            if (sobolDirections is null)
            {
                sobolDirections = accelerator.Allocate1D<uint>(Kernels.SobolDirections.Table.Length);
                sobolDirections.View.CopyFromCPU(accelerator.DefaultStream, Kernels.SobolDirections.Table);
            }
            return sobolDirections.View;
        }
    }
    public OperationCounters Counters { get; } = new();

    /// <summary>The device's memory; the CPU accelerator reports long.MaxValue, so the host's memory stands in for it.</summary>
    public long MemoryBytes => accelerator.AcceleratorType == AcceleratorType.CPU ? GC.GetGCMemoryInfo().TotalAvailableMemoryBytes : accelerator.MemorySize;

    /// <summary>
    /// The accelerator, for the families outside the core (Runtime/Reparameterization, Runtime/Likelihood,
    /// Runtime/Experiments): they load their kernels on it once, launch them on ViewOf(tensor) and report each launch
    /// with RecordLaunch, so Counters stays true.
    /// </summary>
    internal Accelerator Accelerator => accelerator;

    internal ArrayView<float> ViewOf(Tensor tensor) => View(tensor);

    internal void RecordLaunch(long threads = 0, int groupSize = 0, bool autoGrouped = false, [CallerMemberName] string operation = "") =>
        Counters.CountLaunch(threads, groupSize, autoGrouped, operation);

    static int LargestPowerOfTwoAtMost(int value)
    {
        int power = 1;
        while (power * 2 <= value) power *= 2;
        return power;
    }

    public Tensor Allocate(int rows, int columns)
    {
        // Tensor lengths are int (views and kernels index with int): a larger product is a caller's bug.
        if (rows <= 0 || columns <= 0 || (long)rows * columns > int.MaxValue)
            throw new ArgumentOutOfRangeException(nameof(rows), $"cannot allocate a {rows}x{columns} tensor.");
        var buffer = accelerator.Allocate1D<float>((long)rows * columns);
        buffer.MemSetToZero();
        Counters.CountAllocation(4L * rows * columns);
        return new DeviceTensor(this, rows, columns, buffer, 0);
    }

    DeviceTensor Own(Tensor tensor) => tensor is DeviceTensor device && ReferenceEquals(tensor.Owner, this)
        ? device
        : throw new ArgumentException($"{tensor} does not belong to backend {Name}.");

    ArrayView<float> View(Tensor tensor) => Own(tensor).View;

    public Tensor View(Tensor parent, int offset, int rows, int columns)
    {
        ShapeCheck.View(parent, offset, rows, columns);
        var device = Own(parent);
        return new DeviceTensor(this, rows, columns, device.Buffer, device.Offset + offset);
    }

    public IndexBuffer AllocateIndices(int length)
    {
        var buffer = accelerator.Allocate1D<int>(length);
        Counters.CountAllocation(4L * length);
        return new DeviceIndexBuffer(this, buffer);
    }

    ArrayView<int> View(IndexBuffer indices) => indices is DeviceIndexBuffer device && ReferenceEquals(indices.Owner, this)
        ? device.Buffer.View
        : throw new ArgumentException($"the index buffer does not belong to backend {Name}.");

    public void Upload(ReadOnlySpan<int> source, IndexBuffer destination)
    {
        if (source.Length != destination.Length) throw new ArgumentException($"{source.Length} indices for a buffer of {destination.Length}.");
        View(destination).CopyFromCPU(source);
        Counters.CountUpload(4L * source.Length);
    }

    public void Upload(ReadOnlySpan<float> source, Tensor destination)
    {
        ShapeCheck.Length(destination, source.Length, nameof(source));
        View(destination).CopyFromCPU(source);
        Counters.CountUpload(4L * source.Length);
    }

    public void Download(Tensor source, Span<float> destination)
    {
        ShapeCheck.Length(source, destination.Length, nameof(destination));
        View(source).CopyToCPU(destination);
        Counters.CountDownload(4L * destination.Length);
    }

    /// <summary>A device-to-device copy on the accelerator's stream, counted as a launch (one queued device operation).</summary>
    public void Copy(Tensor source, Tensor destination)
    {
        ShapeCheck.Length(destination, source.Length, nameof(destination));
        View(source).CopyTo(View(destination));
        Counters.CountLaunch();
    }

    public TimeSpan? DeviceTime(Action enqueue)
    {
        using var start = accelerator.AddProfilingMarker();
        enqueue();
        using var end = accelerator.AddProfilingMarker();
        accelerator.Synchronize();
        return end.MeasureFrom(start);
    }

    public void Synchronize() => accelerator.Synchronize();

    public void MatMul(Tensor a, bool transposeA, Tensor b, bool transposeB, Tensor c, bool accumulate = false)
    {
        var (m, n, k) = ShapeCheck.MatMul(a, transposeA, b, transposeB, c);
        Product(MatMulShape.Create(m, n, k, transposeA, transposeB, accumulate ? 1f : 0f), a, b, c, View(c), View(c));
    }

    public void LinearForward(Tensor x, Tensor weights, Tensor bias, Tensor y, Activation activation)
    {
        var (m, n, k) = ShapeCheck.MatMul(x, false, weights, false, y);
        ShapeCheck.Shape(bias, 1, n, nameof(bias));
        Product(MatMulShape.Create(m, n, k, false, false, epilogue: MatMulEpilogue.Bias, activation: activation), x, weights, y, View(bias), View(y));
    }

    public void LinearBackwardInput(Tensor dy, Tensor weights, Tensor dx, Activation activation, Tensor? activationOutput)
    {
        var (m, n, k) = ShapeCheck.MatMul(dy, false, weights, true, dx);
        ShapeCheck.ActivationOutput(dx, activation, activationOutput);
        if (activation == Activation.None)
            Product(MatMulShape.Create(m, n, k, false, true), dy, weights, dx, View(dx), View(dx));
        else
            Product(MatMulShape.Create(m, n, k, false, true, epilogue: MatMulEpilogue.ActivationGradient, activation: activation), dy, weights, dx, View(dx), View(activationOutput!));
    }

    public void LinearBackwardWeights(Tensor x, Tensor dy, Tensor weightAndBiasGradients)
    {
        var (m, n, k) = ShapeCheck.LinearBackwardWeights(x, dy, weightAndBiasGradients);
        Product(MatMulShape.Create(m, n, k, true, false).WithOnesRow(), x, dy, weightAndBiasGradients, View(weightAndBiasGradients), View(weightAndBiasGradients));
    }

    /// <summary>One launch of the product kernel this accelerator uses; bias and mask are read only when the epilogue needs them.</summary>
    void Product(MatMulShape shape, Tensor a, Tensor b, Tensor c, ArrayView<float> bias, ArrayView<float> mask)
    {
        // cuBLAS has no epilogues and no ones row; those products stay fused in our kernel rather than cost a launch more.
        if (cublas is not null && shape.Epilogue == MatMulEpilogue.None && shape.OnesRow == 0)
        {
            cublas.Multiply(shape, View(a), View(b), View(c));
            Counters.CountLaunch(operation: "CuBlasSgemm");
            return;
        }
        switch (ProductKernel)
        {
            case ProductKernel.RegisterBlocked:
            {
                var plan = ProductPlan.For(shape, splitK: matMulSplitK is not null);
                var config = new KernelConfig(plan.Grid, new Index3D(MatMulKernels.BlockThreads, 1, 1));
                if (plan.Splits == 1)
                    matMulRegisterBlocked(config, View(a), View(b), View(c), bias, mask, shape);
                else
                {
                    var (partials, arrivals) = SplitBuffers(MatMulKernels.SplitPartialsLength(shape.M, shape.N, plan.Splits), (long)plan.BlocksAcross * plan.BlocksDown);
                    matMulSplitK!(config, View(a), View(b), View(c), bias, mask, partials, arrivals, shape, plan.DepthPerSplit);
                }
                Counters.CountLaunch(plan.Groups * MatMulKernels.BlockThreads, MatMulKernels.BlockThreads);
                return;
            }
            case ProductKernel.Tiled:
            {
                int tile = MatMulKernels.TileSize;
                var grid = new Index2D((shape.N + tile - 1) / tile, (shape.M + tile - 1) / tile);
                matMulTiled(new KernelConfig(grid, new Index2D(tile, tile)), View(a), View(b), View(c), bias, mask, shape);
                Counters.CountLaunch(grid.Size * (long)tile * tile, tile * tile);
                return;
            }
            default:
                matMulNaive(new Index2D(shape.N, shape.M), View(a), View(b), View(c), bias, mask, shape);
                Counters.CountLaunch((long)shape.N * shape.M, autoGrouped: true);
                return;
        }
    }

    /// <summary>
    /// Views of the split-K buffers with at least the given lengths. Growing waits for the queued work that may still
    /// use the old buffers; new tickets start at zero, and each launch leaves them at zero.
    /// </summary>
    (ArrayView<float> Partials, ArrayView<int> Arrivals) SplitBuffers(long partials, long blocks)
    {
        if (splitPartials is null || splitPartials.Length < partials || splitArrivals!.Length < blocks)
        {
            accelerator.Synchronize();
            long partialLength = Math.Max(partials, splitPartials?.Length ?? 0), blockLength = Math.Max(blocks, splitArrivals?.Length ?? 0);
            splitPartials?.Dispose();
            splitArrivals?.Dispose();
            splitPartials = accelerator.Allocate1D<float>(partialLength);
            splitArrivals = accelerator.Allocate1D<int>(blockLength);
            splitArrivals.MemSetToZero();
            Counters.CountAllocation(4 * (partialLength + blockLength));
        }
        return (splitPartials.View, splitArrivals.View);
    }

    public void GatherRows(Tensor source, IndexBuffer indices, int first, Tensor destination)
    {
        ShapeCheck.Gather(source, indices, first, destination);
        gatherRows(destination.Length, View(source), View(indices), first, source.Columns, View(destination));
        Counters.CountLaunch(destination.Length, gatherGroupSize, autoGrouped: true);
    }

    public void GatherRowsBinarized(Tensor source, IndexBuffer indices, int first, Tensor destination, ulong seed, ulong stream)
    {
        ShapeCheck.Gather(source, indices, first, destination);
        int blocks = RandomKernels.BlockCount(destination.Length);
        gatherRowsBinarized(blocks, View(source), View(indices), first, source.Columns, View(destination), seed, stream);
        Counters.CountLaunch(blocks, gatherBinarizedGroupSize, autoGrouped: true);
    }

    public void AddRowBias(Tensor x, Tensor bias)
    {
        ShapeCheck.Shape(bias, 1, x.Columns, nameof(bias));
        addRowBias(x.Length, View(x), View(bias), x.Columns);
        Counters.CountLaunch();
    }

    public void Fill(Tensor x, float value)
    {
        fill(x.Length, View(x), value);
        Counters.CountLaunch();
    }

    public void ScaleAndShift(Tensor x, float scale, float shift)
    {
        scaleAndShift(x.Length, View(x), scale, shift);
        Counters.CountLaunch();
    }

    public void SumColumns(Tensor x, Tensor columnSums)
    {
        ShapeCheck.Shape(columnSums, 1, x.Columns, nameof(columnSums));
        sumColumns(x.Columns, View(x), x.Rows, View(columnSums));
        Counters.CountLaunch();
    }

    public void Sum(Tensor x, Tensor result) => FullSum(x, result, square: 0);
    public void SumOfSquares(Tensor x, Tensor result) => FullSum(x, result, square: 1);

    /// <summary>Two launches: PartialSumGroups groups fold x into partials, then one group folds the partials.</summary>
    void FullSum(Tensor x, Tensor result, int square)
    {
        ShapeCheck.Shape(result, 1, 1, nameof(result));
        partialSumsKernel(new KernelConfig(PartialSumGroups, reductionGroupSize), View(x), partialSums.View, square);
        partialSumsKernel(new KernelConfig(1, reductionGroupSize), partialSums.View, View(result), 0);
        Counters.CountLaunch();
        Counters.CountLaunch();
    }

    public void FillUniform(Tensor destination, ulong seed, ulong stream)
    {
        fillUniform(RandomKernels.BlockCount(destination.Length), View(destination), seed, stream);
        Counters.CountLaunch();
    }

    public void FillNormal(Tensor destination, ulong seed, ulong stream)
    {
        fillNormal(RandomKernels.BlockCount(destination.Length), View(destination), seed, stream);
        Counters.CountLaunch();
    }

    public void Binarize(Tensor x, ulong seed, ulong stream)
    {
        binarize(RandomKernels.BlockCount(x.Length), View(x), seed, stream);
        Counters.CountLaunch();
    }

    public void SgdUpdate(Tensor parameters, Tensor gradients, float learningRate)
    {
        ShapeCheck.SameShape(parameters, gradients, nameof(gradients));
        sgd(parameters.Length, View(parameters), View(gradients), learningRate);
        Counters.CountLaunch();
    }

    public void AdamUpdate(Tensor parameters, Tensor gradients, Tensor firstMoments, Tensor secondMoments, AdamStep step)
    {
        ShapeCheck.SameShape(parameters, gradients, nameof(gradients));
        ShapeCheck.SameShape(parameters, firstMoments, nameof(firstMoments));
        ShapeCheck.SameShape(parameters, secondMoments, nameof(secondMoments));
        adam(parameters.Length, View(parameters), View(gradients), View(firstMoments), View(secondMoments), step);
        Counters.CountLaunch(parameters.Length, adamGroupSize, autoGrouped: true);
    }

    /// <summary>Frees every buffer this backend allocated (disposing the accelerator frees its memory), then the context.</summary>
    public void Dispose()
    {
        cublas?.Dispose();
        accelerator.Dispose();
        context.Dispose();
    }
}
