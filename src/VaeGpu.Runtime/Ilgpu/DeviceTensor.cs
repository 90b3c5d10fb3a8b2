using ILGPU;
using ILGPU.Runtime;

namespace VaeGpu.Runtime.Ilgpu;

/// <summary>A tensor in an accelerator's memory: Length elements of the buffer from offset on.</summary>
sealed class DeviceTensor(IBackend owner, int rows, int columns, MemoryBuffer1D<float, Stride1D.Dense> buffer, long offset)
    : Tensor(owner, rows, columns)
{
    public MemoryBuffer1D<float, Stride1D.Dense> Buffer { get; } = buffer;
    public long Offset { get; } = offset;
    public ArrayView<float> View => Buffer.View.SubView(Offset, Length);
}

sealed class DeviceIndexBuffer(IBackend owner, MemoryBuffer1D<int, Stride1D.Dense> buffer) : IndexBuffer(owner, (int)buffer.Length)
{
    public MemoryBuffer1D<int, Stride1D.Dense> Buffer { get; } = buffer;
}
