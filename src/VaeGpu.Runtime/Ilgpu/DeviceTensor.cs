using ILGPU;
using ILGPU.Runtime;

namespace VaeGpu.Runtime.Ilgpu;

/// <summary>A tensor in an accelerator's memory.</summary>
sealed class DeviceTensor(IBackend owner, int rows, int columns, MemoryBuffer1D<float, Stride1D.Dense> buffer)
    : Tensor(owner, rows, columns)
{
    public MemoryBuffer1D<float, Stride1D.Dense> Buffer { get; } = buffer;
    public ArrayView<float> View => Buffer.View;
}
