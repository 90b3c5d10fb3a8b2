namespace VaeGpu.Runtime.HostPath;

/// <summary>A tensor in managed memory: Length elements of storage from offset on.</summary>
sealed class HostTensor(IBackend owner, int rows, int columns, float[] storage, int offset) : Tensor(owner, rows, columns)
{
    public float[] Storage { get; } = storage;
    public int Offset { get; } = offset;
    public Memory<float> Memory => Storage.AsMemory(Offset, Length);
}

sealed class CpuIndexBuffer(IBackend owner, int length) : IndexBuffer(owner, length)
{
    public int[] Values { get; } = new int[length];
}
