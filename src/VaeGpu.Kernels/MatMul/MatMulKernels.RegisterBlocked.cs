using System.Runtime.CompilerServices;
using ILGPU;

namespace VaeGpu.Kernels;

/// <summary>
/// The register-blocked product for GPUs (CUDA and OpenCL), after the structure of llm.c's and CUTLASS's SIMT sgemm.
///
/// Design. A group of 256 threads owns a 64 x 64 block of C and walks K in steps of 8. Per step it stages op(A)'s
/// 64 x 8 slice and op(B)'s 8 x 64 slice in shared memory, both k-major (row k holds 64 consecutive rows of op(A), or
/// 64 consecutive columns of op(B)), padded to 68 floats so that the scattered stores of a k-contiguous operand hit 32
/// different banks. Each thread keeps a 4 x 4 tile of C in registers (16 scalar fields: ILGPU keeps those in
/// registers, where LocalMemory would spill) and, per k, reads 4 values of op(A) and 4 of op(B) as two float4 shared
/// loads (LDS.128) and does 16 multiply-adds: 8 FFMA per shared load instruction, against 0.5 in the 16 x 16 Tiled
/// kernel. The k step is unrolled by hand (ILGPU 1.5.3 does not unroll) and the next slice is read from global memory
/// into registers before the current one is consumed, so global latency hides behind 128 FFMA.
///
/// Transposes are strides (MatMulShape), so one kernel serves X W, dY W^T and X^T dY. Each thread loads 2 elements of
/// each slice; the mapping of threads to elements follows the operand's contiguous direction so that a warp's loads
/// are coalesced whichever way the operand is stored.
///
/// Split-K. At M = 128 (a batch) a 64 x 64 tiling gives 14 groups for 128 x 400, far fewer than an H100's 132 SMs.
/// The grid's Z index then splits K: group z sums k in [z depthPerSplit, (z + 1) depthPerSplit) and writes its 64 x 64
/// partial as a contiguous tile of splitPartials (SplitPartialsLength); the group that arrives last at its tile (an atomic ticket in splitArrivals, reset by
/// that group for the next launch) adds the partials in split order 0, 1, 2, ... and applies the epilogue. The sum's
/// order is fixed by the shape alone, so two runs give the same bits whatever order the groups finish in. That ticket
/// is an atomic, so split-K is a kernel of its own (RegisterBlockedSplitK), launched on CUDA only.
///
/// Napkin math for the canonical step on an H100 (132 SMs, ~1.7 GHz, ~50 TFLOP/s FP32, 3.35 TB/s): its seven large
/// products (784-400 layers at batch 128) are ~25.7-80 MFLOP each, 0.5-1.6 us at peak; every operand fits in the
/// 50 MB L2, so the bound is the SMs' FFMA issue rate. With 8 FFMA per LDS.128 and ~38% FFMA in the loop (measured in
/// SASS by the compile tests), a group reaches about a third of its SM's peak: ~2-5 us per product, against ~10-20 us
/// for Tiled. Launch with KernelConfig((ceil(N/64), ceil(M/64), splits), 256), splits 1 for RegisterBlocked.
/// </summary>
public static partial class MatMulKernels
{
    /// <summary>Rows and columns of C per group; threads per group; k per staged slice.</summary>
    public const int BlockEdge = 64, BlockThreads = 256, BlockDepth = 8;

    /// <summary>A k-major shared row: 64 values and 4 of padding (68 = 17 float4, so rows stay 16-byte aligned).</summary>
    const int SharedRow = BlockEdge + 4;
    const int SharedRowFloat4s = SharedRow / 4;

    /// <summary>One group per 64 x 64 block of C, all of K: the product for every device (it needs no atomics).</summary>
    [Kernel(KernelGrouping.Explicit)]
    public static void RegisterBlocked(ArrayView<float> a, ArrayView<float> b, ArrayView<float> c, ArrayView<float> bias,
        ArrayView<float> mask, MatMulShape shape) =>
        Blocked(a, b, c, bias, mask, c, default, shape, shape.K, splitK: false);

    /// <summary>
    /// Split-K over the grid's Z index, the last group of each block summing the partials in split order. Its arrival
    /// ticket is a global atomic, which ILGPU 1.5.3's OpenCL code casts to a generic pointer that PoCL 3.1 (no generic
    /// address space) refuses, so only CUDA launches it; the CPU accelerator runs it in the tests.
    /// </summary>
    [Kernel(KernelGrouping.Explicit)]
    public static void RegisterBlockedSplitK(ArrayView<float> a, ArrayView<float> b, ArrayView<float> c, ArrayView<float> bias,
        ArrayView<float> mask, ArrayView<float> splitPartials, ArrayView<int> splitArrivals, MatMulShape shape, int depthPerSplit) =>
        Blocked(a, b, c, bias, mask, splitPartials, splitArrivals, shape, depthPerSplit, splitK: true);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void Blocked(ArrayView<float> a, ArrayView<float> b, ArrayView<float> c, ArrayView<float> bias, ArrayView<float> mask,
        ArrayView<float> splitPartials, ArrayView<int> splitArrivals, MatMulShape shape, int depthPerSplit, bool splitK)
    {
        var sharedA = SharedMemory.Allocate<float>(BlockDepth * SharedRow);
        var sharedB = SharedMemory.Allocate<float>(BlockDepth * SharedRow);
        var lastToArrive = SharedMemory.Allocate<int>(1);
        var sharedA4 = sharedA.Cast<Float4>();
        var sharedB4 = sharedB.Cast<Float4>();

        int thread = Group.IdxX;
        int rowBase = Grid.IdxY * BlockEdge, columnBase = Grid.IdxX * BlockEdge;
        int kBegin = Grid.IdxZ * depthPerSplit;
        int kEnd = kBegin + depthPerSplit < shape.K ? kBegin + depthPerSplit : shape.K;

        // Which slice elements this thread loads: along k when the operand is contiguous in k (8 threads cover a row's
        // 8 values), else along its rows/columns (64 threads cover 64 contiguous values). Two elements each.
        bool aAlongK = shape.AColStride == 1;
        int aRow = aAlongK ? thread >> 3 : thread & 63, aK = aAlongK ? thread & 7 : thread >> 6;
        int aRowStep = aAlongK ? 32 : 0, aKStep = aAlongK ? 0 : 4;
        bool bAlongK = shape.BColStride != 1;
        int bColumn = bAlongK ? thread >> 3 : thread & 63, bK = bAlongK ? thread & 7 : thread >> 6;
        int bColumnStep = bAlongK ? 32 : 0, bKStep = bAlongK ? 0 : 4;

        float a0 = LoadA(a, shape, rowBase + aRow, kBegin + aK, kEnd);
        float a1 = LoadA(a, shape, rowBase + aRow + aRowStep, kBegin + aK + aKStep, kEnd);
        float b0 = LoadB(b, shape, kBegin + bK, columnBase + bColumn, kEnd);
        float b1 = LoadB(b, shape, kBegin + bK + bKStep, columnBase + bColumn + bColumnStep, kEnd);

        int tx = thread & 15, ty = thread >> 4;
        var tile = new Tile4x4();
        for (int k0 = kBegin; k0 < kEnd; k0 += BlockDepth)
        {
            sharedA[aK * SharedRow + aRow] = a0;
            sharedA[(aK + aKStep) * SharedRow + aRow + aRowStep] = a1;
            sharedB[bK * SharedRow + bColumn] = b0;
            sharedB[(bK + bKStep) * SharedRow + bColumn + bColumnStep] = b1;
            Group.Barrier();

            // The next slice's loads are issued now and consumed after the 128 multiply-adds below.
            int next = k0 + BlockDepth;
            a0 = LoadA(a, shape, rowBase + aRow, next + aK, kEnd);
            a1 = LoadA(a, shape, rowBase + aRow + aRowStep, next + aK + aKStep, kEnd);
            b0 = LoadB(b, shape, next + bK, columnBase + bColumn, kEnd);
            b1 = LoadB(b, shape, next + bK + bKStep, columnBase + bColumn + bColumnStep, kEnd);

            MultiplyAdd(ref tile, sharedA4[0 * SharedRowFloat4s + ty], sharedB4[0 * SharedRowFloat4s + tx]);
            MultiplyAdd(ref tile, sharedA4[1 * SharedRowFloat4s + ty], sharedB4[1 * SharedRowFloat4s + tx]);
            MultiplyAdd(ref tile, sharedA4[2 * SharedRowFloat4s + ty], sharedB4[2 * SharedRowFloat4s + tx]);
            MultiplyAdd(ref tile, sharedA4[3 * SharedRowFloat4s + ty], sharedB4[3 * SharedRowFloat4s + tx]);
            MultiplyAdd(ref tile, sharedA4[4 * SharedRowFloat4s + ty], sharedB4[4 * SharedRowFloat4s + tx]);
            MultiplyAdd(ref tile, sharedA4[5 * SharedRowFloat4s + ty], sharedB4[5 * SharedRowFloat4s + tx]);
            MultiplyAdd(ref tile, sharedA4[6 * SharedRowFloat4s + ty], sharedB4[6 * SharedRowFloat4s + tx]);
            MultiplyAdd(ref tile, sharedA4[7 * SharedRowFloat4s + ty], sharedB4[7 * SharedRowFloat4s + tx]);
            Group.Barrier();
        }

        int row = rowBase + 4 * ty, column = columnBase + 4 * tx;
        if (!splitK)
        {
            StoreRow(c, bias, mask, shape, row, column, tile.R0);
            StoreRow(c, bias, mask, shape, row + 1, column, tile.R1);
            StoreRow(c, bias, mask, shape, row + 2, column, tile.R2);
            StoreRow(c, bias, mask, shape, row + 3, column, tile.R3);
            return;
        }

        // Each group's partial is its own 64 x 64 tile, contiguous (16 KiB), so no cache line holds two blocks' partials
        // and the last group cannot meet a line that another SM's L1 kept from an earlier read.
        int blockIndex = Grid.IdxY * Grid.DimX + Grid.IdxX, blocks = Grid.DimX * Grid.DimY;
        var partials = splitPartials.Cast<Float4>();
        long ownTile = ((long)Grid.IdxZ * blocks + blockIndex) * TileFloat4s + 4 * ty * RowFloat4s + tx;
        partials[ownTile] = tile.R0;
        partials[ownTile + RowFloat4s] = tile.R1;
        partials[ownTile + 2 * RowFloat4s] = tile.R2;
        partials[ownTile + 3 * RowFloat4s] = tile.R3;
        // Publish the partial before taking a ticket: the group that takes the last one reads every other group's.
        MemoryFence.DeviceLevel();
        Group.Barrier();
        if (thread == 0)
        {
            bool last = Atomic.Add(ref splitArrivals[blockIndex], 1) == Grid.DimZ - 1;
            if (last) splitArrivals[blockIndex] = 0;
            lastToArrive[0] = last ? 1 : 0;
        }
        Group.Barrier();
        if (lastToArrive[0] == 0) return;
        MemoryFence.DeviceLevel();
        var sum = new Tile4x4();
        for (int split = 0; split < Grid.DimZ; split++)
        {
            long splitTile = ((long)split * blocks + blockIndex) * TileFloat4s + 4 * ty * RowFloat4s + tx;
            Add(ref sum.R0, partials[splitTile]);
            Add(ref sum.R1, partials[splitTile + RowFloat4s]);
            Add(ref sum.R2, partials[splitTile + 2 * RowFloat4s]);
            Add(ref sum.R3, partials[splitTile + 3 * RowFloat4s]);
        }
        StoreRow(c, bias, mask, shape, row, column, sum.R0);
        StoreRow(c, bias, mask, shape, row + 1, column, sum.R1);
        StoreRow(c, bias, mask, shape, row + 2, column, sum.R2);
        StoreRow(c, bias, mask, shape, row + 3, column, sum.R3);
    }

    /// <summary>Float4s in a split-K partial tile (64 x 64 floats) and in one of its rows.</summary>
    const int TileFloat4s = BlockEdge * BlockEdge / 4, RowFloat4s = BlockEdge / 4;

    /// <summary>The floats of split-K partials a product needs: a 64 x 64 tile per block of C per split.</summary>
    public static long SplitPartialsLength(int m, int n, int splits) =>
        (long)splits * ((m + BlockEdge - 1) / BlockEdge) * ((n + BlockEdge - 1) / BlockEdge) * BlockEdge * BlockEdge;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void Add(ref Float4 sum, Float4 value)
    {
        sum.X += value.X; sum.Y += value.Y; sum.Z += value.Z; sum.W += value.W;
    }

    /// <summary>The groups along K for a product: enough to give at least targetGroups groups, each with at least 32 terms per element.</summary>
    public static (int Splits, int DepthPerSplit) SplitK(int m, int n, int k, int targetGroups)
    {
        const int MinDepthPerSplit = 32, MaxSplits = 16;
        long blocks = (long)((m + BlockEdge - 1) / BlockEdge) * ((n + BlockEdge - 1) / BlockEdge);
        int splits = 1;
        while (blocks * splits < targetGroups && splits < MaxSplits && k >= 2 * splits * MinDepthPerSplit) splits *= 2;
        return SplitInto(k, splits);
    }

    /// <summary>
    /// K cut into about <paramref name="splits"/> splits whose depth is a whole number of slices: the last split may be
    /// shorter and none is empty, so there may be fewer splits than asked.
    /// </summary>
    public static (int Splits, int DepthPerSplit) SplitInto(int k, int splits)
    {
        int depth = ((k + splits - 1) / splits + BlockDepth - 1) / BlockDepth * BlockDepth;
        return ((k + depth - 1) / depth, depth);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static float LoadA(ArrayView<float> a, MatMulShape shape, int row, int k, int kEnd) =>
        row < shape.M && k < kEnd ? shape.AElement(a, row, k) : 0f;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static float LoadB(ArrayView<float> b, MatMulShape shape, int k, int column, int kEnd) =>
        k < kEnd && column < shape.N ? shape.BElement(b, k, column) : 0f;

    /// <summary>tile += a b^T for one k: 16 multiply-adds (a * b + c, which ptxas contracts to FFMA).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void MultiplyAdd(ref Tile4x4 tile, Float4 a, Float4 b)
    {
        tile.R0.X += a.X * b.X; tile.R0.Y += a.X * b.Y; tile.R0.Z += a.X * b.Z; tile.R0.W += a.X * b.W;
        tile.R1.X += a.Y * b.X; tile.R1.Y += a.Y * b.Y; tile.R1.Z += a.Y * b.Z; tile.R1.W += a.Y * b.W;
        tile.R2.X += a.Z * b.X; tile.R2.Y += a.Z * b.Y; tile.R2.Z += a.Z * b.Z; tile.R2.W += a.Z * b.W;
        tile.R3.X += a.W * b.X; tile.R3.Y += a.W * b.Y; tile.R3.Z += a.W * b.Z; tile.R3.W += a.W * b.W;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void StoreRow(ArrayView<float> c, ArrayView<float> bias, ArrayView<float> mask, MatMulShape shape, int row, int column, Float4 values)
    {
        if (row >= shape.M) return;
        long offset = (long)row * shape.N + column;
        if (column < shape.N) c[offset] = shape.Finish(values.X, row, column, c, bias, mask);
        if (column + 1 < shape.N) c[offset + 1] = shape.Finish(values.Y, row, column + 1, c, bias, mask);
        if (column + 2 < shape.N) c[offset + 2] = shape.Finish(values.Z, row, column + 2, c, bias, mask);
        if (column + 3 < shape.N) c[offset + 3] = shape.Finish(values.W, row, column + 3, c, bias, mask);
    }

    /// <summary>A thread's 4 x 4 block of C: four rows of four, as fields so that they stay in registers.</summary>
    struct Tile4x4
    {
        public Float4 R0, R1, R2, R3;
    }
}
