using System.Numerics.Tensors;
using VaeGpu.Kernels;

namespace VaeGpu.Runtime.Host;

/// <summary>
/// Philox fills on the CPU, giving the same integers as RandomKernels. Work is cut into chunks of whole Philox blocks
/// spread over the cores; within a chunk the Box-Muller transcendental functions run over spans with
/// TensorPrimitives' SIMD code rather than one element at a time.
/// </summary>
static class HostRandom
{
    const int ChunkBlocks = 4096;

    public static void FillUniform(Span<float> output, ulong seed, ulong stream) =>
        ForEachChunk(output, (chunk, firstBlock) =>
        {
            for (int i = 0; i < chunk.Length; i += 4)
            {
                var bits = Philox4x32.ForBlock(seed, stream, firstBlock + i / 4);
                for (int lane = 0; lane < 4 && i + lane < chunk.Length; lane++)
                    chunk[i + lane] = RandomMath.Uniform(bits[lane]);
            }
        });

    public static void FillNormal(Span<float> output, ulong seed, ulong stream) =>
        ForEachChunk(output, (chunk, firstBlock) =>
        {
            // Pair p takes its radius from integer 2p and its angle from integer 2p + 1 (X0,X1 and X2,X3 of a block).
            int pairs = (chunk.Length + 1) / 2;
            Span<float> radius = stackalloc float[2 * ChunkBlocks];
            Span<float> angle = stackalloc float[2 * ChunkBlocks];
            radius = radius[..pairs];
            angle = angle[..pairs];
            for (int p = 0; p < pairs; p += 2)
            {
                var bits = Philox4x32.ForBlock(seed, stream, firstBlock + p / 2);
                radius[p] = RandomMath.Uniform(bits.X0);
                angle[p] = RandomMath.Uniform(bits.X1);
                if (p + 1 < pairs)
                {
                    radius[p + 1] = RandomMath.Uniform(bits.X2);
                    angle[p + 1] = RandomMath.Uniform(bits.X3);
                }
            }
            TensorPrimitives.Log(radius, radius);
            TensorPrimitives.Multiply(radius, -2f, radius);
            TensorPrimitives.Sqrt(radius, radius);
            TensorPrimitives.Multiply(angle, 2f, angle);
            Span<float> sine = stackalloc float[2 * ChunkBlocks];
            Span<float> cosine = stackalloc float[2 * ChunkBlocks];
            sine = sine[..pairs];
            cosine = cosine[..pairs];
            TensorPrimitives.SinCosPi(angle, sine, cosine);
            for (int p = 0; p < pairs; p++)
            {
                chunk[2 * p] = radius[p] * cosine[p];
                if (2 * p + 1 < chunk.Length) chunk[2 * p + 1] = radius[p] * sine[p];
            }
        });

    delegate void ChunkFiller(Span<float> chunk, long firstBlock);

    /// <summary>Calls fill on consecutive chunks of ChunkBlocks Philox blocks, in parallel when there is more than one.</summary>
    static unsafe void ForEachChunk(Span<float> output, ChunkFiller fill)
    {
        int chunkLength = 4 * ChunkBlocks;
        int chunks = (output.Length + chunkLength - 1) / chunkLength;
        if (chunks <= 1)
        {
            fill(output, 0);
            return;
        }
        fixed (float* start = output)
        {
            var address = (IntPtr)start;
            int length = output.Length;
            Parallel.For(0, chunks, chunk =>
            {
                int first = chunk * chunkLength;
                var span = new Span<float>((float*)address + first, Math.Min(chunkLength, length - first));
                fill(span, (long)chunk * ChunkBlocks);
            });
        }
    }
}
