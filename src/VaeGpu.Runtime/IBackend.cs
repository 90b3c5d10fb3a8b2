using VaeGpu.Kernels;

namespace VaeGpu.Runtime;

/// <summary>
/// The operations model and experiment code are written against. Two implementations: IlgpuBackend (one code path
/// for CUDA, OpenCL and ILGPU's CPU accelerator) and HostBackend (BLAS and SIMD on the CPU). Operations are queued
/// in order; only Download and Synchronize wait for the device. Tensors are row-major and allocated once up front:
/// no operation allocates in steady state.
/// </summary>
public interface IBackend : IDisposable
{
    /// <summary>What the backend runs on, e.g. "host (OpenBLAS)" or "cuda:0 NVIDIA H100".</summary>
    string Name { get; }

    OperationCounters Counters { get; }

    /// <summary>The memory tensors come from: the device's, or the host's for the host backend and the CPU accelerator.</summary>
    long MemoryBytes { get; }

    /// <summary>A new zero-filled rows x columns tensor.</summary>
    Tensor Allocate(int rows, int columns);

    /// <summary>A rows x columns tensor over the parent's elements [offset, offset + rows * columns): shares storage.</summary>
    Tensor View(Tensor parent, int offset, int rows, int columns);

    IndexBuffer AllocateIndices(int length);

    void Upload(ReadOnlySpan<int> source, IndexBuffer destination);

    void Upload(ReadOnlySpan<float> source, Tensor destination);

    /// <summary>Copies the tensor to the host, waiting for every queued operation first.</summary>
    void Download(Tensor source, Span<float> destination);

    /// <summary>destination = source (same length), queued on the device like any operation: no host round trip.</summary>
    void Copy(Tensor source, Tensor destination);

    /// <summary>
    /// Runs <paramref name="enqueue"/> between two device timestamps (ILGPU profiling markers) and waits for it: the
    /// device's own time for the queued work, without the host's launch overhead before it. Null where there is no
    /// device clock (the host backend runs synchronously).
    /// </summary>
    TimeSpan? DeviceTime(Action enqueue);

    /// <summary>Waits until every queued operation has finished.</summary>
    void Synchronize();

    /// <summary>
    /// c = op(a) op(b) (+ c when <paramref name="accumulate"/>), where op transposes when asked. With c of shape M x N,
    /// a is stored as M x K (or K x M transposed) and b as K x N (or N x K transposed).
    /// </summary>
    void MatMul(Tensor a, bool transposeA, Tensor b, bool transposeB, Tensor c, bool accumulate = false);

    /// <summary>y = activation(x W + bias): one fused operation. W is inputs x outputs, bias 1 x outputs.</summary>
    void LinearForward(Tensor x, Tensor weights, Tensor bias, Tensor y, Activation activation);

    /// <summary>
    /// dx = dy W^T, taken back through the activation of the layer that produced this layer's input: times the
    /// activation's derivative, read from activationOutput (that layer's output, dx's shape). activationOutput is
    /// needed unless the activation is None, and is not read then.
    /// </summary>
    void LinearBackwardInput(Tensor dy, Tensor weights, Tensor dx, Activation activation, Tensor? activationOutput);

    /// <summary>
    /// The weight and bias gradients of a linear layer y = x W + b in one operation: weightAndBiasGradients is
    /// (inputs + 1) x outputs, dW = x^T dy in its first inputs rows and db = the column sums of dy in its last row
    /// (ParameterLayout stores b right after W, so the layer's gradient view is exactly that).
    /// </summary>
    void LinearBackwardWeights(Tensor x, Tensor dy, Tensor weightAndBiasGradients);

    /// <summary>destination row r = source row indices[first + r].</summary>
    void GatherRows(Tensor source, IndexBuffer indices, int first, Tensor destination);

    /// <summary>GatherRows then Binarize(destination, seed, stream), in one operation: the same values, bit for bit.</summary>
    void GatherRowsBinarized(Tensor source, IndexBuffer indices, int first, Tensor destination, ulong seed, ulong stream);

    /// <summary>x[r, c] += bias[c]; bias is 1 x columns.</summary>
    void AddRowBias(Tensor x, Tensor bias);

    /// <summary>Every element of x = value: zeros and constants without an upload.</summary>
    void Fill(Tensor x, float value);

    /// <summary>x = scale x + shift, in place (a uniform fill turned into a range, for example).</summary>
    void ScaleAndShift(Tensor x, float scale, float shift);

    /// <summary>columnSums (1 x columns) = the sum of each column of x (a bias gradient over a batch).</summary>
    void SumColumns(Tensor x, Tensor columnSums);

    /// <summary>result (1 x 1) = the sum of every element of x.</summary>
    void Sum(Tensor x, Tensor result);

    /// <summary>result (1 x 1) = the sum of the squares of every element of x.</summary>
    void SumOfSquares(Tensor x, Tensor result);

    /// <summary>Element e = uniform in (0, 1] from Philox block (seed, stream, e / 4): the same on every backend.</summary>
    void FillUniform(Tensor destination, ulong seed, ulong stream);

    /// <summary>Standard normals by Box-Muller from the same Philox integers as FillUniform.</summary>
    void FillNormal(Tensor destination, ulong seed, ulong stream);

    /// <summary>
    /// Each element of x (a value in [0, 1]) replaced by 1 where element e of FillUniform(seed, stream) is at most it,
    /// else 0: a Bernoulli draw with that mean, the same bits on every backend.
    /// </summary>
    void Binarize(Tensor x, ulong seed, ulong stream);

    /// <summary>parameters -= learningRate * gradients.</summary>
    void SgdUpdate(Tensor parameters, Tensor gradients, float learningRate);

    /// <summary>One Adam update of parameters and of its two moment tensors, in place.</summary>
    void AdamUpdate(Tensor parameters, Tensor gradients, Tensor firstMoments, Tensor secondMoments, AdamStep step);
}
