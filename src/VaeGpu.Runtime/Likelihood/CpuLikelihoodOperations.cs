using System.Numerics;
using System.Numerics.Tensors;
using VaeGpu.Kernels;
using VaeGpu.Runtime.Cpu;

namespace VaeGpu.Runtime.Likelihood;

/// <summary>
/// The likelihoods a row at a time with TensorPrimitives' SIMD loops: the same formulas as LikelihoodMath, vectorised,
/// so the NLL may differ from the kernels' in the last bits (summation order, SIMD exp and log).
/// </summary>
sealed class CpuLikelihoodOperations(CpuBackend backend) : ILikelihoodOperations
{
    public void Bernoulli(Tensor logits, Tensor x, float gradientScale, Tensor dLogits, Tensor nllPerRow, Tensor klPerRow, Tensor runningSums)
    {
        LikelihoodShapes.Check(logits, x, dLogits, nllPerRow, klPerRow, runningSums);
        int columns = logits.Columns;
        Span<float> l = backend.Span(logits), target = backend.Span(x), gradient = backend.Span(dLogits);
        Span<float> scratch = stackalloc float[columns];
        for (int row = 0; row < logits.Rows; row++)
        {
            var rowLogits = l.Slice(row * columns, columns);
            var rowTargets = target.Slice(row * columns, columns);
            var rowGradient = gradient.Slice(row * columns, columns);
            // softplus(l) = max(l, 0) + log(1 + e^-|l|), computed over the row with SIMD.
            TensorPrimitives.Abs(rowLogits, scratch);
            TensorPrimitives.Negate(scratch, scratch);
            TensorPrimitives.Exp(scratch, scratch);
            TensorPrimitives.Add(scratch, 1f, scratch);
            TensorPrimitives.Log(scratch, scratch);
            float nll = TensorPrimitives.Sum(scratch) + SumOfPositive(rowLogits) - TensorPrimitives.Dot(rowTargets, rowLogits);
            TensorPrimitives.Sigmoid(rowLogits, rowGradient);
            TensorPrimitives.Subtract(rowGradient, rowTargets, rowGradient);
            TensorPrimitives.Multiply(rowGradient, gradientScale, rowGradient);
            FinishRow(row, nll, nllPerRow, klPerRow, runningSums);
        }
    }

    static float SumOfPositive(ReadOnlySpan<float> values)
    {
        var sum = Vector<float>.Zero;
        int width = Vector<float>.Count, i = 0;
        for (; i <= values.Length - width; i += width) sum += Vector.Max(new Vector<float>(values[i..]), Vector<float>.Zero);
        float total = Vector.Sum(sum);
        for (; i < values.Length; i++) total += MathF.Max(values[i], 0f);
        return total;
    }

    public void Gaussian(Tensor mean, Tensor x, float sigma, float gradientScale, Tensor dMean, Tensor nllPerRow, Tensor klPerRow, Tensor runningSums)
    {
        LikelihoodShapes.Check(mean, x, dMean, nllPerRow, klPerRow, runningSums);
        int columns = mean.Columns;
        float inverseVariance = 1f / (sigma * sigma);
        float constant = columns * LikelihoodMath.GaussianLogNormaliser(sigma);
        Span<float> m = backend.Span(mean), target = backend.Span(x), gradient = backend.Span(dMean);
        for (int row = 0; row < mean.Rows; row++)
        {
            var rowGradient = gradient.Slice(row * columns, columns);
            TensorPrimitives.Subtract(m.Slice(row * columns, columns), target.Slice(row * columns, columns), rowGradient);
            float nll = 0.5f * inverseVariance * TensorPrimitives.SumOfSquares(rowGradient) + constant;
            TensorPrimitives.Multiply(rowGradient, gradientScale * inverseVariance, rowGradient);
            FinishRow(row, nll, nllPerRow, klPerRow, runningSums);
        }
    }

    void FinishRow(int row, float nll, Tensor nllPerRow, Tensor klPerRow, Tensor runningSums)
    {
        backend.Span(nllPerRow)[row] = nll;
        var sums = backend.Span(runningSums);
        sums[2 * row] += nll;
        sums[2 * row + 1] += backend.Span(klPerRow)[row];
    }
}
