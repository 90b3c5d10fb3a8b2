namespace VaeGpu.Runtime.Host;

/// <summary>A tensor in managed memory.</summary>
sealed class HostTensor(IBackend owner, int rows, int columns) : Tensor(owner, rows, columns)
{
    public float[] Data { get; } = new float[rows * columns];
}
