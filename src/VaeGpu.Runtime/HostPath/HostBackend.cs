using System.Numerics;
using System.Numerics.Tensors;
using VaeGpu.Kernels;

namespace VaeGpu.Runtime.HostPath;

/// <summary>
/// The fast CPU path: matrix products through the machine's OpenBLAS when it is installed (a vectorised managed
/// product otherwise), everything else through SIMD loops. Operations run synchronously on a HostThreads team: a
/// product is cut into blocks of rows of its result, one single-threaded sgemm each, and the passes that follow a
/// product in the step (bias, activation, its gradient) run on the same block right after it, while it is in that core's cache.
/// </summary>
public sealed class HostBackend : IBackend
{
    /// <summary>OpenBLAS's sgemm kernels work on blocks of 16 rows here (AVX-512); row blocks start on multiples of it.</summary>
    const int RowAlignment = 16;

    /// <summary>A product is cut into blocks of about this many rows of its result, at most MaxRowBlocks of them.</summary>
    const int RowsPerBlock = 64, MaxRowBlocks = 16;

    /// <summary>Below this many multiply-adds a product is not worth a hand-off to another thread.</summary>
    const long MinimumSplitWork = 1 << 20;

    /// <summary>Elements per item of the team's elementwise passes: a multiple of every vector width, so no split changes a bit.</summary>
    const int ElementwiseItem = 1 << 14;

    readonly OpenBlas? blas;
    readonly ManagedGemm managedGemm = new();

    /// <param name="useOpenBlas">False forces the managed product even where OpenBLAS is installed (tests, benchmarks).</param>
    /// <param name="threads">The team's size; HostThreads.DefaultCount when null. It changes the speed, not the numbers.</param>
    public HostBackend(bool useOpenBlas = true, int? threads = null)
    {
        blas = useOpenBlas ? OpenBlas.Instance : null;
        Team = HostThreads.WithCount(threads ?? HostThreads.DefaultCount);
        // The name says what the last bits depend on: the product's library. The thread count does not change them.
        Name = blas is null
            ? "host (managed SIMD product; install libopenblas0-pthread for BLAS speed)"
            : $"host (OpenBLAS: {blas.Description})";
    }

    public string Name { get; }
    public OperationCounters Counters { get; } = new();
    public bool UsesOpenBlas => blas is not null;

    /// <summary>The threads every host pass runs on, the families' CPU loops included.</summary>
    internal HostThreads Team { get; }

    /// <summary>The size of the team the host path runs on.</summary>
    public int Threads => Team.Count;
    public long MemoryBytes => GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;

    public Tensor Allocate(int rows, int columns)
    {
        if (rows <= 0 || columns <= 0 || (long)rows * columns > Array.MaxLength)
            throw new ArgumentOutOfRangeException(nameof(rows), $"cannot allocate a {rows}x{columns} tensor.");
        Counters.CountAllocation(4L * rows * columns);
        return new HostTensor(this, rows, columns, new float[rows * columns], 0);
    }

    public Tensor View(Tensor parent, int offset, int rows, int columns)
    {
        ShapeCheck.View(parent, offset, rows, columns);
        var host = Own(parent);
        return new HostTensor(this, rows, columns, host.Storage, host.Offset + offset);
    }

    public IndexBuffer AllocateIndices(int length) => new CpuIndexBuffer(this, length);

    public void Upload(ReadOnlySpan<int> source, IndexBuffer destination)
    {
        var values = Own(destination).Values;
        if (source.Length != values.Length) throw new ArgumentException($"{source.Length} indices for a buffer of {values.Length}.");
        source.CopyTo(values);
    }

    HostTensor Own(Tensor tensor) => tensor is HostTensor host && ReferenceEquals(tensor.Owner, this)
        ? host
        : throw new ArgumentException($"{tensor} does not belong to this host backend.");

    CpuIndexBuffer Own(IndexBuffer indices) => indices is CpuIndexBuffer host && ReferenceEquals(indices.Owner, this)
        ? host
        : throw new ArgumentException("the index buffer does not belong to this host backend.");

    Span<float> Data(Tensor tensor) => Own(tensor).Memory.Span;

    /// <summary>
    /// The tensor's elements in place, for the families outside the core (Runtime/Reparameterization,
    /// Runtime/Likelihood, Runtime/Experiments): they implement their CPU path on these spans.
    /// </summary>
    internal Span<float> Span(Tensor tensor) => Data(tensor);

    /// <summary>The tensor's elements as IFloatStorage, for the families whose kernel and CPU loop share one generic body.</summary>
    internal ArrayStorage Storage(Tensor tensor)
    {
        var cpu = Own(tensor);
        return new ArrayStorage(cpu.Storage, cpu.Offset);
    }

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

    public void Copy(Tensor source, Tensor destination)
    {
        ShapeCheck.Length(destination, source.Length, nameof(destination));
        Data(source).CopyTo(Data(destination));
    }

    public TimeSpan? DeviceTime(Action enqueue)
    {
        enqueue();
        return null;
    }

    public void Synchronize() { }

    public void MatMul(Tensor a, bool transposeA, Tensor b, bool transposeB, Tensor c, bool accumulate = false)
    {
        var (m, n, k) = ShapeCheck.MatMul(a, transposeA, b, transposeB, c);
        Product(transposeA, transposeB, m, n, k, a, b, accumulate ? 1f : 0f, c, null);
    }

    /// <summary>
    /// C = op(A) op(B) + beta C in blocks of C's rows across the team, then epilogue(first row, rows) on each block by
    /// the thread that computed it. The blocks depend on the shape alone, never on the team's size: OpenBLAS picks
    /// other kernels for short blocks (measured: a 48-row block of 128x40x400 rounds differently from the 128-row call),
    /// so the same blocks are what makes the result the same for every thread count.
    /// </summary>
    void Product(bool transposeA, bool transposeB, int m, int n, int k, Tensor a, Tensor b, float beta, Tensor c, Action<int, int>? epilogue)
    {
        HostTensor left = Own(a), right = Own(b), result = Own(c);
        var plain = blas is null ? managedGemm.Prepare(transposeA, transposeB, m, n, k, left.Memory, right.Memory) : default;
        int blocks = (long)m * n * k < MinimumSplitWork ? 1 : Math.Clamp(m / RowsPerBlock, 1, MaxRowBlocks);
        Team.For(blocks, block =>
        {
            int first = RowBoundary(m, blocks, block), rows = RowBoundary(m, blocks, block + 1) - first;
            if (rows == 0) return;
            if (blas is null)
                ManagedGemm.MultiplyRows(plain, first, rows, n, k, beta, result.Memory);
            else
                blas.Sgemm(transposeA, transposeB, rows, n, k,
                    left.Memory.Span[(transposeA ? first : first * k)..], transposeA ? m : k,
                    right.Memory.Span, transposeB ? k : n, beta, result.Memory.Span[(first * n)..], n);
            epilogue?.Invoke(first, rows);
        });
    }

    /// <summary>The first row of block <paramref name="block"/> of <paramref name="blocks"/>, on a multiple of RowAlignment.</summary>
    static int RowBoundary(int rows, int blocks, int block) =>
        block == blocks ? rows : Math.Min(rows, (int)((long)rows * block / blocks / RowAlignment * RowAlignment));

    public void LinearForward(Tensor x, Tensor weights, Tensor bias, Tensor y, Activation activation)
    {
        var (m, n, k) = ShapeCheck.MatMul(x, false, weights, false, y);
        ShapeCheck.Shape(bias, 1, n, nameof(bias));
        HostTensor output = Own(y), biasValues = Own(bias);
        Product(false, false, m, n, k, x, weights, 0f, y, (first, rows) =>
        {
            Span<float> values = output.Memory.Span, biasData = biasValues.Memory.Span;
            for (int row = first; row < first + rows; row++)
            {
                var span = values.Slice(row * n, n);
                TensorPrimitives.Add(span, biasData, span);
                Activate(activation, span);
            }
        });
    }

    public void LinearBackwardInput(Tensor dy, Tensor weights, Tensor dx, Activation activation, Tensor? activationOutput)
    {
        var (m, n, k) = ShapeCheck.MatMul(dy, false, weights, true, dx);
        ShapeCheck.ActivationOutput(dx, activation, activationOutput);
        HostTensor gradient = Own(dx);
        HostTensor? layerOutput = activation == Activation.None ? null : Own(activationOutput!);
        Product(false, true, m, n, k, dy, weights, 0f, dx, layerOutput is null ? null : (first, rows) =>
        {
            var block = gradient.Memory.Span.Slice(first * n, rows * n);
            ActivationGradient(activation, layerOutput.Memory.Span.Slice(first * n, rows * n), block, block);
        });
    }

    /// <summary>The product and the column sums as two calls, exactly as before the operation existed (the same bits).</summary>
    public void LinearBackwardWeights(Tensor x, Tensor dy, Tensor weightAndBiasGradients)
    {
        var (inputs, outputs, _) = ShapeCheck.LinearBackwardWeights(x, dy, weightAndBiasGradients);
        MatMul(x, true, dy, false, View(weightAndBiasGradients, 0, inputs, outputs));
        SumColumns(dy, View(weightAndBiasGradients, inputs * outputs, 1, outputs));
    }

    public void GatherRowsBinarized(Tensor source, IndexBuffer indices, int first, Tensor destination, ulong seed, ulong stream)
    {
        GatherRows(source, indices, first, destination);
        Binarize(destination, seed, stream);
    }

    public void GatherRows(Tensor source, IndexBuffer indices, int first, Tensor destination)
    {
        ShapeCheck.Gather(source, indices, first, destination);
        int columns = source.Columns, rows = destination.Rows;
        var order = Own(indices).Values;
        HostTensor from = Own(source), to = Own(destination);
        int blocks = Math.Clamp((int)((long)rows * columns / ElementwiseItem), 1, Team.Count);
        Team.For(blocks, block =>
        {
            Span<float> fromData = from.Memory.Span, toData = to.Memory.Span;
            for (int row = (int)((long)rows * block / blocks); row < (int)((long)rows * (block + 1) / blocks); row++)
                fromData.Slice(order[first + row] * columns, columns).CopyTo(toData.Slice(row * columns, columns));
        });
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

    public void Fill(Tensor x, float value) => Data(x).Fill(value);

    /// <summary>A multiply then an add, each rounded, as the kernel computes it (no fused multiply-add).</summary>
    public void ScaleAndShift(Tensor x, float scale, float shift)
    {
        TensorPrimitives.Multiply(Data(x), scale, Data(x));
        TensorPrimitives.Add(Data(x), shift, Data(x));
    }

    /// <summary>
    /// values = ActivationMath.Forward(activation, values). ReLU runs as one vector max, which gives the same bits as
    /// the scalar formula at a fraction of its time; tanh has no vector form with those bits, so it runs the formula.
    /// </summary>
    static void Activate(Activation activation, Span<float> values)
    {
        switch (activation)
        {
            case Activation.Relu: TensorPrimitives.Max(values, 0f, values); break;
            case Activation.Tanh: for (int i = 0; i < values.Length; i++) values[i] = ActivationMath.Forward(activation, values[i]); break;
        }
    }

    /// <summary>
    /// result = ActivationMath.Backward(activation, output, upstream) element by element (result may be upstream
    /// itself); ReLU as a vector select with the same bits.
    /// </summary>
    static void ActivationGradient(Activation activation, ReadOnlySpan<float> output, ReadOnlySpan<float> upstream, Span<float> result)
    {
        int i = 0;
        if (activation == Activation.Relu)
        {
            int width = Vector<float>.Count;
            for (; i <= output.Length - width; i += width)
            {
                var positive = Vector.GreaterThan(new Vector<float>(output[i..]), Vector<float>.Zero);
                Vector.ConditionalSelect(positive, new Vector<float>(upstream[i..]), Vector<float>.Zero).CopyTo(result[i..]);
            }
        }
        for (; i < output.Length; i++) result[i] = ActivationMath.Backward(activation, output[i], upstream[i]);
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

    public void FillUniform(Tensor destination, ulong seed, ulong stream) => HostRandom.FillUniform(Own(destination).Memory, seed, stream, Team);

    public void FillNormal(Tensor destination, ulong seed, ulong stream) => HostRandom.FillNormal(Own(destination).Memory, seed, stream, Team);

    public void Binarize(Tensor x, ulong seed, ulong stream) => HostRandom.Binarize(Own(x).Memory, seed, stream, Team);

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
        HostTensor p = Own(parameters), g = Own(gradients), m = Own(firstMoments), v = Own(secondMoments);
        int length = parameters.Length;
        Team.For((length + ElementwiseItem - 1) / ElementwiseItem, item =>
        {
            int first = item * ElementwiseItem, count = Math.Min(ElementwiseItem, length - first);
            AdamUpdate(p.Memory.Span.Slice(first, count), g.Memory.Span.Slice(first, count), m.Memory.Span.Slice(first, count),
                v.Memory.Span.Slice(first, count), step);
        });
    }

    static void AdamUpdate(Span<float> p, ReadOnlySpan<float> g, Span<float> m, Span<float> v, AdamStep step)
    {
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
            p[i] -= OptimizerMath.AdamDelta(m[i], v[i], step);
        }
    }

    public void Dispose() { }
}
