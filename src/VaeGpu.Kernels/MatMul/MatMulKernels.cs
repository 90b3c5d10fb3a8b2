using ILGPU;

namespace VaeGpu.Kernels;

/// <summary>
/// Matrix products with a fused epilogue (MatMulShape.Finish). Kernels that need no bias or mask are passed any
/// view there (c itself); it is not read. Reference: MatMulReference; oracle in tests: MathNet.Numerics.
/// </summary>
public static partial class MatMulKernels
{
    /// <summary>Tile edge of the shared-memory kernel; its groups are TileSize x TileSize threads.</summary>
    public const int TileSize = 16;

    /// <summary>
    /// One thread per element of C, no shared memory. Slow on a GPU but the only form that stays usable on ILGPU's
    /// CPU accelerator, where every group thread is an OS thread and a barrier is a real thread barrier.
    /// </summary>
    [Kernel]
    public static void Naive(Index2D index, ArrayView<float> a, ArrayView<float> b, ArrayView<float> c,
        ArrayView<float> bias, ArrayView<float> mask, MatMulShape shape)
    {
        int row = index.Y, col = index.X;
        float sum = 0f;
        for (int k = 0; k < shape.K; k++)
            sum += shape.AElement(a, row, k) * shape.BElement(b, k, col);
        c[row * shape.N + col] = shape.Finish(sum, row, col, c, bias, mask);
    }

    /// <summary>
    /// Shared-memory tiled product for GPUs: each group stages a TileSize x TileSize tile of op(A) and op(B) per
    /// step along K, so every global element is read K/TileSize times fewer than in the naive kernel.
    /// Launch with groups of (TileSize, TileSize) and a grid of (ceil(N/TileSize), ceil(M/TileSize)).
    /// </summary>
    [Kernel(KernelGrouping.Explicit)]
    public static void Tiled(ArrayView<float> a, ArrayView<float> b, ArrayView<float> c,
        ArrayView<float> bias, ArrayView<float> mask, MatMulShape shape)
    {
        var tileA = SharedMemory.Allocate2D<float, Stride2D.DenseX>(new Index2D(TileSize, TileSize), new Stride2D.DenseX(TileSize));
        var tileB = SharedMemory.Allocate2D<float, Stride2D.DenseX>(new Index2D(TileSize, TileSize), new Stride2D.DenseX(TileSize));
        int tx = Group.IdxX, ty = Group.IdxY;
        int row = Grid.IdxY * TileSize + ty;
        int col = Grid.IdxX * TileSize + tx;

        float sum = 0f;
        for (int k0 = 0; k0 < shape.K; k0 += TileSize)
        {
            int aCol = k0 + tx, bRow = k0 + ty;
            // DenseX makes the first index the contiguous one, so the index that varies across a warp (tx) goes
            // first: stores and tileB's reads touch consecutive banks, and tileA's reads are one broadcast address
            // per row. tileA[k, r] holds op(A)[tile row r, k]; tileB[c, k] holds op(B)[k, tile column c].
            tileA[tx, ty] = row < shape.M && aCol < shape.K ? shape.AElement(a, row, aCol) : 0f;
            tileB[tx, ty] = bRow < shape.K && col < shape.N ? shape.BElement(b, bRow, col) : 0f;
            Group.Barrier();
            // Unrolled by hand four terms at a time (ILGPU 1.5.3 does not unroll), adding in the same order as a plain loop.
            for (int k = 0; k < TileSize; k += 4)
            {
                sum += tileA[k, ty] * tileB[tx, k];
                sum += tileA[k + 1, ty] * tileB[tx, k + 1];
                sum += tileA[k + 2, ty] * tileB[tx, k + 2];
                sum += tileA[k + 3, ty] * tileB[tx, k + 3];
            }
            Group.Barrier();
        }

        if (row < shape.M && col < shape.N)
            c[row * shape.N + col] = shape.Finish(sum, row, col, c, bias, mask);
    }
}
