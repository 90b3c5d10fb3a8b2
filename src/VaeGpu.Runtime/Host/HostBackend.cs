using System.Numerics;
using System.Numerics.Tensors;
using VaeGpu.Kernels;

namespace VaeGpu.Runtime.Host;

/// <summary>
/// The fast CPU path: matrix products through the machine's OpenBLAS when it is installed (a vectorised managed
/// product otherwise), everything else through TensorPrimitives' SIMD loops. Operations run synchronously.
/// </summary>
public sealed class HostBackend : IBackend
{
    readonly OpenBlas? blas;
    readonly ManagedGemm managedGemm = new();

    /// <param name="useOpenBlas">False forces the managed product even where OpenBLAS is installed (tests, benchmarks).</param>
    public HostBackend(bool useOpenBlas = true)
    {
        blas = useOpenBlas ? OpenBlas.Instance : null;
        Name = blas is null ? "host (managed SIMD product; install libopenblas0-pthread for BLAS speed)" : $"host (OpenBLAS: {blas.LibraryName})";
    }

    public string Name { get; }
    public OperationCounters Counters { get; } = new();
    public bool UsesOpenBlas => blas is not null;

    public Tensor Allocate(int rows, int columns)
    {
        if (rows <= 0 || columns <= 0) throw new ArgumentOutOfRangeException(nameof(rows), $"cannot allocate a {rows}x{columns} tensor.");
        Counters.CountAllocation(4L * rows * columns);
        return new HostTensor(this, rows, columns);
    }

    float[] Data(Tensor tensor) => tensor is HostTensor host && ReferenceEquals(tensor.Owner, this)
        ? host.Data
        : throw new ArgumentException($"{tensor} does not belong to this host backend.");

    public void Upload(ReadOnlySpan<float> source, Tensor destination)
    {
        ShapeCheck.Length(destination, source.Length, nameof(source));
        source.CopyTo(Data(destination));
    }

    public void Download(Tensor source, Span<float> destination)
    {
        ShapeCheck.Length(source, destination.Length, nameof(destination));
        Data(source).CopyTo(destination);
    }

    public void Synchronize() { }

    public void MatMul(Tensor a, bool transposeA, Tensor b, bool transposeB, Tensor c, bool accumulate = false)
    {
        var (m, n, k) = ShapeCheck.MatMul(a, transposeA, b, transposeB, c);
        float beta = accumulate ? 1f : 0f;
        if (blas is not null) blas.Sgemm(transposeA, transposeB, m, n, k, Data(a), Data(b), beta, Data(c));
        else managedGemm.Multiply(transposeA, transposeB, m, n, k, Data(a), Data(b), beta, Data(c));
    }

    public void AddRowBias(Tensor x, Tensor bias)
    {
        ShapeCheck.Shape(bias, 1, x.Columns, nameof(bias));
        float[] data = Data(x), biasData = Data(bias);
        for (int row = 0; row < x.Rows; row++)
        {
            var span = data.AsSpan(row * x.Columns, x.Columns);
            TensorPrimitives.Add(span, biasData, span);
        }
    }

    public void ReluForward(Tensor x, Tensor y)
    {
        ShapeCheck.SameShape(x, y, nameof(y));
        TensorPrimitives.Max(Data(x), 0f, Data(y));
    }

    public void ReluBackward(Tensor y, Tensor dy, Tensor dx)
    {
        ShapeCheck.SameShape(y, dy, nameof(dy));
        ShapeCheck.SameShape(y, dx, nameof(dx));
        float[] output = Data(y), upstream = Data(dy), result = Data(dx);
        int width = Vector<float>.Count, i = 0;
        for (; i <= output.Length - width; i += width)
        {
            var positive = Vector.GreaterThan(new Vector<float>(output, i), Vector<float>.Zero);
            Vector.ConditionalSelect(positive, new Vector<float>(upstream, i), Vector<float>.Zero).CopyTo(result, i);
        }
        for (; i < output.Length; i++) result[i] = output[i] > 0f ? upstream[i] : 0f;
    }

    public void SigmoidForward(Tensor x, Tensor y)
    {
        ShapeCheck.SameShape(x, y, nameof(y));
        TensorPrimitives.Sigmoid(Data(x), Data(y));
    }

    public void SigmoidBackward(Tensor y, Tensor dy, Tensor dx)
    {
        ShapeCheck.SameShape(y, dy, nameof(dy));
        ShapeCheck.SameShape(y, dx, nameof(dx));
        float[] output = Data(y), upstream = Data(dy), result = Data(dx);
        int width = Vector<float>.Count, i = 0;
        for (; i <= output.Length - width; i += width)
        {
            var value = new Vector<float>(output, i);
            (new Vector<float>(upstream, i) * value * (Vector<float>.One - value)).CopyTo(result, i);
        }
        for (; i < output.Length; i++) result[i] = upstream[i] * output[i] * (1f - output[i]);
    }

    public void SumRows(Tensor x, Tensor rowSums)
    {
        ShapeCheck.Shape(rowSums, x.Rows, 1, nameof(rowSums));
        float[] data = Data(x), sums = Data(rowSums);
        for (int row = 0; row < x.Rows; row++) sums[row] = TensorPrimitives.Sum(data.AsSpan(row * x.Columns, x.Columns));
    }

    public void SumColumns(Tensor x, Tensor columnSums)
    {
        ShapeCheck.Shape(columnSums, 1, x.Columns, nameof(columnSums));
        float[] data = Data(x), sums = Data(columnSums);
        Array.Clear(sums);
        for (int row = 0; row < x.Rows; row++) TensorPrimitives.Add(sums, data.AsSpan(row * x.Columns, x.Columns), sums);
    }

    public void Sum(Tensor x, Tensor result)
    {
        ShapeCheck.Shape(result, 1, 1, nameof(result));
        Data(result)[0] = TensorPrimitives.Sum(Data(x));
    }

    public void SumOfSquares(Tensor x, Tensor result)
    {
        ShapeCheck.Shape(result, 1, 1, nameof(result));
        Data(result)[0] = TensorPrimitives.SumOfSquares(Data(x));
    }

    public void FillUniform(Tensor destination, ulong seed, ulong stream) => HostRandom.FillUniform(Data(destination), seed, stream);

    public void FillNormal(Tensor destination, ulong seed, ulong stream) => HostRandom.FillNormal(Data(destination), seed, stream);

    public void SgdUpdate(Tensor parameters, Tensor gradients, float learningRate)
    {
        ShapeCheck.SameShape(parameters, gradients, nameof(gradients));
        TensorPrimitives.MultiplyAdd(Data(gradients), -learningRate, Data(parameters), Data(parameters));
    }

    public void AdamUpdate(Tensor parameters, Tensor gradients, Tensor firstMoments, Tensor secondMoments, AdamStep step)
    {
        ShapeCheck.SameShape(parameters, gradients, nameof(gradients));
        ShapeCheck.SameShape(parameters, firstMoments, nameof(firstMoments));
        ShapeCheck.SameShape(parameters, secondMoments, nameof(secondMoments));
        float[] p = Data(parameters), g = Data(gradients), m = Data(firstMoments), v = Data(secondMoments);
        var beta1 = new Vector<float>(step.Beta1);
        var beta2 = new Vector<float>(step.Beta2);
        var oneMinusBeta1 = new Vector<float>(1f - step.Beta1);
        var oneMinusBeta2 = new Vector<float>(1f - step.Beta2);
        var stepSize = new Vector<float>(step.LearningRate / step.BiasCorrection1);
        var inverseCorrection2 = new Vector<float>(1f / step.BiasCorrection2);
        var epsilon = new Vector<float>(step.Epsilon);
        int width = Vector<float>.Count, i = 0;
        for (; i <= p.Length - width; i += width)
        {
            var gradient = new Vector<float>(g, i);
            var first = beta1 * new Vector<float>(m, i) + oneMinusBeta1 * gradient;
            var second = beta2 * new Vector<float>(v, i) + oneMinusBeta2 * gradient * gradient;
            first.CopyTo(m, i);
            second.CopyTo(v, i);
            (new Vector<float>(p, i) - stepSize * first / (Vector.SquareRoot(second * inverseCorrection2) + epsilon)).CopyTo(p, i);
        }
        for (; i < p.Length; i++)
        {
            m[i] = step.Beta1 * m[i] + (1f - step.Beta1) * g[i];
            v[i] = step.Beta2 * v[i] + (1f - step.Beta2) * g[i] * g[i];
            p[i] -= OptimizerReference.AdamDelta(m[i], v[i], step);
        }
    }

    public void Dispose() { }
}
