using System.Numerics.Tensors;
using VaeGpu.Kernels;

namespace VaeGpu.Runtime.HostPath;

/// <summary>
/// Philox fills on the CPU, giving the same integers as RandomKernels. Work is cut into chunks of whole Philox blocks
/// spread over the host team; within a chunk SliceNormals runs Box-Muller's transcendental functions a vector at a time.
/// </summary>
static class HostRandom
{
    const int ChunkBlocks = 4096;

    public static void FillUniform(Memory<float> output, ulong seed, ulong stream, HostThreads team) =>
        ForEachChunk(output, team, (chunk, firstBlock) =>
        {
            for (int i = 0; i < chunk.Length; i += 4)
            {
                var bits = Philox4x32.ForBlock(seed, stream, firstBlock + i / 4);
                for (int lane = 0; lane < 4 && i + lane < chunk.Length; lane++)
                    chunk[i + lane] = RandomMath.Uniform(bits[lane]);
            }
        });

    /// <summary>RandomKernels.Binarize: each value replaced by RandomMath.Binarized of it and its element's Philox lane.</summary>
    public static void Binarize(Memory<float> values, ulong seed, ulong stream, HostThreads team) =>
        ForEachChunk(values, team, (chunk, firstBlock) =>
        {
            for (int i = 0; i < chunk.Length; i += 4)
            {
                var bits = Philox4x32.ForBlock(seed, stream, firstBlock + i / 4);
                for (int lane = 0; lane < 4 && i + lane < chunk.Length; lane++)
                    chunk[i + lane] = RandomMath.Binarized(chunk[i + lane], bits[lane]);
            }
        });

    public static void FillNormal(Memory<float> output, ulong seed, ulong stream, HostThreads team) =>
        ForEachChunk(output, team, (chunk, firstBlock) =>
        {
            for (int start = 0; start < chunk.Length; start += SliceNormals.MaxLength)
                SliceNormals.Fill(chunk.Slice(start, Math.Min(SliceNormals.MaxLength, chunk.Length - start)), seed, stream, firstBlock + start / 4);
        });

    /// <summary>
    /// Elements 0 .. count - 1 of a batch's noise under a sampler (VaeGpu.Kernels.ImageDraws), into a pooled array (return
    /// it to ArrayPool.Shared): Mc as FillNormal, a vector at a time; the others one element at a time (each needs its
    /// own scramble or permutation), in chunks across the team.
    /// </summary>
    public static float[] FillDraws(int count, Sampler sampler, ulong seed, ulong stream, int latent, int samplesPerImage, HostThreads team) =>
        FillDraws(count, sampler, seed, stream, latent, samplesPerImage, 0, samplesPerImage, team);

    /// <summary>FillDraws for a window of each image's draws: rowsPerImage rows per image, draws firstDraw .. of drawsPerImage.</summary>
    public static float[] FillDraws(int count, Sampler sampler, ulong seed, ulong stream, int latent, int rowsPerImage, int firstDraw, int drawsPerImage, HostThreads team)
    {
        var values = System.Buffers.ArrayPool<float>.Shared.Rent(count);
        if (sampler == Sampler.Mc)
        {
            FillNormal(values.AsMemory(0, count), seed, stream, team);
            return values;
        }
        var draws = new ImageDraws<ArrayDirections>(sampler, seed, stream, latent, rowsPerImage, firstDraw, drawsPerImage, new ArrayDirections(SobolDirections.Table));
        ForEachChunk(values.AsMemory(0, count), team, (chunk, firstBlock) =>
        {
            for (int i = 0; i < chunk.Length; i++) chunk[i] = draws.At(4 * firstBlock + i);
        });
        return values;
    }

    delegate void ChunkFiller(Span<float> chunk, long firstBlock);

    /// <summary>Calls fill on consecutive chunks of ChunkBlocks Philox blocks, spread over the team.</summary>
    static void ForEachChunk(Memory<float> output, HostThreads team, ChunkFiller fill)
    {
        int chunkLength = 4 * ChunkBlocks;
        int chunks = (output.Length + chunkLength - 1) / chunkLength;
        team.For(chunks, chunk =>
        {
            int first = chunk * chunkLength;
            fill(output.Span.Slice(first, Math.Min(chunkLength, output.Length - first)), (long)chunk * ChunkBlocks);
        });
    }
}
