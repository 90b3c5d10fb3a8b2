namespace VaeGpu.Runtime;

/// <summary>
/// A row-major float matrix whose storage belongs to one backend. Only that backend's operations may touch it;
/// the backend frees it when the backend is disposed, so model code never manages device memory.
/// </summary>
public abstract class Tensor(IBackend owner, int rows, int columns)
{
    public IBackend Owner { get; } = owner;
    public int Rows { get; } = rows;
    public int Columns { get; } = columns;
    public int Length => Rows * Columns;

    public override string ToString() => $"{Rows}x{Columns} tensor on {Owner.Name}";
}
