using System.Numerics;
using System.Numerics.Tensors;
using VaeGpu.Kernels;
using VaeGpu.Runtime.HostPath;

namespace VaeGpu.Runtime.Likelihood;

/// <summary>
/// The likelihoods a row at a time with SIMD loops: the formulas of LikelihoodMath, vectorised and rearranged to read each
/// row once, so the NLL and gradient may differ from the kernels' in the last bits (summation order, SIMD exp and log).
/// </summary>
sealed class HostLikelihoodOperations(HostBackend backend) : ILikelihoodOperations
{
    public void Bernoulli(Tensor logits, Tensor x, float gradientScale, Tensor dLogits, Tensor nllPerRow, Tensor klPerRow, Tensor runningSums)
    {
        int samplesPerImage = LikelihoodShapes.Check(logits, x, dLogits, nllPerRow, klPerRow, runningSums);
        int columns = logits.Columns;
        ForEachRowBlock(logits.Rows, columns, row =>
        {
            Span<float> l = backend.Span(logits), target = backend.Span(x), gradient = backend.Span(dLogits);
            float nll = BernoulliRow(l.Slice(row * columns, columns), target.Slice(row / samplesPerImage * columns, columns), gradientScale,
                gradient.Slice(row * columns, columns));
            FinishRow(row, nll, nllPerRow, klPerRow, runningSums);
        });
    }

    /// <summary>
    /// One pass over a row: with e = e^-|l|, softplus(l) = max(l, 0) + log(1 + e) and sigmoid(l) = (l >= 0 ? 1 : e) / (1 + e),
    /// so each pixel costs one exp and one log; returns the row's NLL, sum(softplus(l) - x l), and writes
    /// (sigmoid(l) - x) * gradientScale.
    /// </summary>
    static float BernoulliRow(ReadOnlySpan<float> logits, ReadOnlySpan<float> targets, float gradientScale, Span<float> gradient)
    {
        var nll = Vector<float>.Zero;
        var scale = new Vector<float>(gradientScale);
        int width = Vector<float>.Count, i = 0;
        for (; i <= logits.Length - width; i += width)
        {
            var l = new Vector<float>(logits[i..]);
            var t = new Vector<float>(targets[i..]);
            var e = Vector.Exp(-Vector.Abs(l));
            var onePlusE = Vector<float>.One + e;
            nll += Vector.Max(l, Vector<float>.Zero) + Vector.Log(onePlusE) - t * l;
            var sigmoid = Vector.ConditionalSelect(Vector.GreaterThanOrEqual(l, Vector<float>.Zero), Vector<float>.One, e) / onePlusE;
            ((sigmoid - t) * scale).CopyTo(gradient[i..]);
        }
        float total = Vector.Sum(nll);
        for (; i < logits.Length; i++)
        {
            float l = logits[i], e = MathF.Exp(-MathF.Abs(l)), onePlusE = 1f + e;
            total += MathF.Max(l, 0f) + MathF.Log(onePlusE) - targets[i] * l;
            gradient[i] = ((l >= 0f ? 1f : e) / onePlusE - targets[i]) * gradientScale;
        }
        return total;
    }

    public void Gaussian(Tensor mean, Tensor x, float sigma, float gradientScale, Tensor dMean, Tensor nllPerRow, Tensor klPerRow, Tensor runningSums)
    {
        int samplesPerImage = LikelihoodShapes.Check(mean, x, dMean, nllPerRow, klPerRow, runningSums);
        int columns = mean.Columns;
        float inverseVariance = 1f / (sigma * sigma);
        float constant = columns * LikelihoodMath.GaussianLogNormaliser(sigma);
        ForEachRowBlock(mean.Rows, columns, row =>
        {
            Span<float> m = backend.Span(mean), target = backend.Span(x), gradient = backend.Span(dMean);
            var rowGradient = gradient.Slice(row * columns, columns);
            TensorPrimitives.Subtract(m.Slice(row * columns, columns), target.Slice(row / samplesPerImage * columns, columns), rowGradient);
            float nll = 0.5f * inverseVariance * TensorPrimitives.SumOfSquares(rowGradient) + constant;
            TensorPrimitives.Multiply(rowGradient, gradientScale * inverseVariance, rowGradient);
            FinishRow(row, nll, nllPerRow, klPerRow, runningSums);
        });
    }

    /// <summary>rowBody(row) for every row, blocks of rows across the backend's team (each row's result is its own).</summary>
    void ForEachRowBlock(int rows, int columns, Action<int> rowBody)
    {
        const int ElementsPerBlock = 1 << 14;
        int rowsPerBlock = Math.Max(1, ElementsPerBlock / columns), blocks = (rows + rowsPerBlock - 1) / rowsPerBlock;
        backend.Team.For(blocks, block =>
        {
            for (int row = block * rowsPerBlock; row < Math.Min(rows, (block + 1) * rowsPerBlock); row++) rowBody(row);
        });
    }

    void FinishRow(int row, float nll, Tensor nllPerRow, Tensor klPerRow, Tensor runningSums)
    {
        backend.Span(nllPerRow)[row] = nll;
        var sums = backend.Span(runningSums);
        sums[2 * row] += nll;
        sums[2 * row + 1] += backend.Span(klPerRow)[row];
    }
}
