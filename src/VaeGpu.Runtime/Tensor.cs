namespace VaeGpu.Runtime;

/// <summary>
/// A row-major float matrix whose storage belongs to one backend. Only that backend's operations may touch it;
/// the backend frees it when the backend is disposed, so model code never manages device memory. A view
/// (IBackend.View) shares its parent's storage: parameters can live in one flat buffer that one optimiser launch
/// updates, and a short last batch uses the first rows of full-size buffers.
/// </summary>
public abstract class Tensor(IBackend owner, int rows, int columns)
{
    public IBackend Owner { get; } = owner;
    public int Rows { get; } = rows;
    public int Columns { get; } = columns;
    public int Length => Rows * Columns;

    /// <summary>The first <paramref name="rows"/> rows.</summary>
    public Tensor FirstRows(int rows) => Owner.View(this, 0, rows, Columns);

    public override string ToString() => $"{Rows}x{Columns} tensor on {Owner.Name}";
}

/// <summary>Integers on a backend (a shuffled order of data-set rows), uploaded once per epoch.</summary>
public abstract class IndexBuffer(IBackend owner, int length)
{
    public IBackend Owner { get; } = owner;
    public int Length { get; } = length;
}
