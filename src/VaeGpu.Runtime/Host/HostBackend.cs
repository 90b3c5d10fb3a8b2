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
        return new HostTensor(this, rows, columns, new float[rows * columns], 0);
    }

    public Tensor View(Tensor parent, int offset, int rows, int columns)
    {
        ShapeCheck.View(parent, offset, rows, columns);
        var host = Own(parent);
        return new HostTensor(this, rows, columns, host.Storage, host.Offset + offset);
    }

    public IndexBuffer AllocateIndices(int length) => new HostIndexBuffer(this, length);

    public void Upload(ReadOnlySpan<int> source, IndexBuffer destination)
    {
        var values = Own(destination).Values;
        if (source.Length != values.Length) throw new ArgumentException($"{source.Length} indices for a buffer of {values.Length}.");
        source.CopyTo(values);
    }

    HostTensor Own(Tensor tensor) => tensor is HostTensor host && ReferenceEquals(tensor.Owner, this)
        ? host
        : throw new ArgumentException($"{tensor} does not belong to this host backend.");

    HostIndexBuffer Own(IndexBuffer indices) => indices is HostIndexBuffer host && ReferenceEquals(indices.Owner, this)
        ? host
        : throw new ArgumentException("the index buffer does not belong to this host backend.");

    Span<float> Data(Tensor tensor) => Own(tensor).Memory.Span;

    /// <summary>
    /// The tensor's elements in place. For experiment operations that live beside their experiment (Runtime/Experiments)
    /// rather than in IBackend: they implement their host path on these spans.
    /// </summary>
    public Span<float> Span(Tensor tensor) => Data(tensor);

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
        Product(transposeA, transposeB, m, n, k, a, b, accumulate ? 1f : 0f, c);
    }

    void Product(bool transposeA, bool transposeB, int m, int n, int k, Tensor a, Tensor b, float beta, Tensor c)
    {
        if (blas is not null) blas.Sgemm(transposeA, transposeB, m, n, k, Data(a), Data(b), beta, Data(c));
        else managedGemm.Multiply(transposeA, transposeB, m, n, k, Own(a).Memory, Own(b).Memory, beta, Own(c).Memory);
    }

    public void LinearForward(Tensor x, Tensor weights, Tensor bias, Tensor y, bool relu)
    {
        var (m, n, k) = ShapeCheck.MatMul(x, false, weights, false, y);
        ShapeCheck.Shape(bias, 1, n, nameof(bias));
        Product(false, false, m, n, k, x, weights, 0f, y);
        Span<float> output = Data(y), biasData = Data(bias);
        for (int row = 0; row < m; row++)
        {
            var span = output.Slice(row * n, n);
            TensorPrimitives.Add(span, biasData, span);
            if (relu) TensorPrimitives.Max(span, 0f, span);
        }
    }

    public void LinearBackwardInput(Tensor dy, Tensor weights, Tensor dx, Tensor? reluOutput)
    {
        var (m, n, k) = ShapeCheck.MatMul(dy, false, weights, true, dx);
        Product(false, true, m, n, k, dy, weights, 0f, dx);
        if (reluOutput is null) return;
        ShapeCheck.SameShape(dx, reluOutput, nameof(reluOutput));
        ReluMask(Data(reluOutput), Data(dx), Data(dx));
    }

    public void GatherRows(Tensor source, IndexBuffer indices, int first, Tensor destination)
    {
        ShapeCheck.Gather(source, indices, first, destination);
        int columns = source.Columns;
        var order = Own(indices).Values;
        Span<float> from = Data(source), to = Data(destination);
        for (int row = 0; row < destination.Rows; row++)
            from.Slice(order[first + row] * columns, columns).CopyTo(to.Slice(row * columns, columns));
    }

    public void ReparameterizeForward(Tensor head, ulong seed, ulong stream, Tensor z, Tensor klPerRow, Tensor logDensityRatioPerRow)
    {
        int latent = ShapeCheck.Reparameterization(head, z, klPerRow, logDensityRatioPerRow);
        Span<float> h = Data(head), sample = Data(z), kl = Data(klPerRow), logRatio = Data(logDensityRatioPerRow);
        for (int row = 0; row < head.Rows; row++)
        {
            float klSum = 0f, logRatioSum = 0f;
            for (int j = 0; j < latent; j++)
            {
                float mu = h[row * 2 * latent + j], logVariance = h[row * 2 * latent + latent + j];
                float eps = RandomMath.NormalAt(seed, stream, (long)row * latent + j);
                sample[row * latent + j] = ReparameterizationMath.Forward(mu, logVariance, eps, out float klTerm, out float logRatioTerm);
                klSum += klTerm;
                logRatioSum += logRatioTerm;
            }
            kl[row] = klSum;
            logRatio[row] = logRatioSum;
        }
    }

    public void ReparameterizeBackward(Tensor head, ulong seed, ulong stream, Tensor dz, Tensor dHead, EncoderEstimatorScalars scalars,
        Tensor? nllPerRow = null, Tensor? baselineSumPerRow = null)
    {
        int latent = ShapeCheck.ReparameterizationGradient(head, dz, dHead, scalars, nllPerRow, baselineSumPerRow);
        Span<float> h = Data(head), upstream = Data(dz), result = Data(dHead);
        Span<float> nll = nllPerRow is null ? default : Data(nllPerRow), baseline = baselineSumPerRow is null ? default : Data(baselineSumPerRow);
        bool score = scalars.Kind is EncoderEstimator.Score or EncoderEstimator.ScoreBaseline;
        for (int index = 0; index < dz.Length; index++)
        {
            int row = index / latent, j = index % latent;
            float mu = h[row * 2 * latent + j], logVariance = h[row * 2 * latent + latent + j];
            float eps = RandomMath.NormalAt(seed, stream, index);
            float signal = score ? (nll[row] - (baseline.IsEmpty ? 0f : scalars.BaselineScale * baseline[row])) * scalars.SignalScale : 0f;
            ReparameterizationMath.Backward(scalars.Kind, mu, logVariance, eps, upstream[index], scalars.KlWeight, signal, out float dMu, out float dLogVariance);
            result[row * 2 * latent + j] = dMu;
            result[row * 2 * latent + latent + j] = dLogVariance;
        }
    }

    public void BernoulliLikelihood(Tensor logits, Tensor x, float gradientScale, Tensor dLogits, Tensor nllPerRow, Tensor klPerRow, Tensor runningSums)
    {
        ShapeCheck.Likelihood(logits, x, dLogits, nllPerRow, klPerRow, runningSums);
        int columns = logits.Columns;
        Span<float> l = Data(logits), target = Data(x), gradient = Data(dLogits);
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

    public void GaussianLikelihood(Tensor mean, Tensor x, float sigma, float gradientScale, Tensor dMean, Tensor nllPerRow, Tensor klPerRow, Tensor runningSums)
    {
        ShapeCheck.Likelihood(mean, x, dMean, nllPerRow, klPerRow, runningSums);
        int columns = mean.Columns;
        float inverseVariance = 1f / (sigma * sigma);
        float constant = columns * LikelihoodReference.GaussianLogNormaliser(sigma);
        Span<float> m = Data(mean), target = Data(x), gradient = Data(dMean);
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
        Data(nllPerRow)[row] = nll;
        var sums = Data(runningSums);
        sums[2 * row] += nll;
        sums[2 * row + 1] += Data(klPerRow)[row];
    }

    public void AddRowBias(Tensor x, Tensor bias)
    {
        ShapeCheck.Shape(bias, 1, x.Columns, nameof(bias));
        Span<float> data = Data(x), biasData = Data(bias);
        for (int row = 0; row < x.Rows; row++)
        {
            var span = data.Slice(row * x.Columns, x.Columns);
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
        ReluMask(Data(y), Data(dy), Data(dx));
    }

    /// <summary>result = upstream where output > 0, else 0 (result may be upstream itself).</summary>
    static void ReluMask(ReadOnlySpan<float> output, ReadOnlySpan<float> upstream, Span<float> result)
    {
        int width = Vector<float>.Count, i = 0;
        for (; i <= output.Length - width; i += width)
        {
            var positive = Vector.GreaterThan(new Vector<float>(output[i..]), Vector<float>.Zero);
            Vector.ConditionalSelect(positive, new Vector<float>(upstream[i..]), Vector<float>.Zero).CopyTo(result[i..]);
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
        Span<float> output = Data(y), upstream = Data(dy), result = Data(dx);
        int width = Vector<float>.Count, i = 0;
        for (; i <= output.Length - width; i += width)
        {
            var value = new Vector<float>(output[i..]);
            (new Vector<float>(upstream[i..]) * value * (Vector<float>.One - value)).CopyTo(result[i..]);
        }
        for (; i < output.Length; i++) result[i] = upstream[i] * output[i] * (1f - output[i]);
    }

    public void SumRows(Tensor x, Tensor rowSums)
    {
        ShapeCheck.Shape(rowSums, x.Rows, 1, nameof(rowSums));
        Span<float> data = Data(x), sums = Data(rowSums);
        for (int row = 0; row < x.Rows; row++) sums[row] = TensorPrimitives.Sum(data.Slice(row * x.Columns, x.Columns));
    }

    public void SumColumns(Tensor x, Tensor columnSums)
    {
        ShapeCheck.Shape(columnSums, 1, x.Columns, nameof(columnSums));
        Span<float> data = Data(x), sums = Data(columnSums);
        sums.Clear();
        for (int row = 0; row < x.Rows; row++) TensorPrimitives.Add(sums, data.Slice(row * x.Columns, x.Columns), sums);
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
        Span<float> p = Data(parameters), g = Data(gradients), m = Data(firstMoments), v = Data(secondMoments);
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
            var gradient = new Vector<float>(g[i..]);
            var first = beta1 * new Vector<float>(m[i..]) + oneMinusBeta1 * gradient;
            var second = beta2 * new Vector<float>(v[i..]) + oneMinusBeta2 * gradient * gradient;
            first.CopyTo(m[i..]);
            second.CopyTo(v[i..]);
            (new Vector<float>(p[i..]) - stepSize * first / (Vector.SquareRoot(second * inverseCorrection2) + epsilon)).CopyTo(p[i..]);
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
