using ILGPU;

namespace VaeGpu.Kernels;

/// <summary>
/// The Sobol direction integers (SobolDirections.Table) as a shared body reads them: a device view in kernels, the
/// managed array on the CPU path, so SamplingMath.SobolBits is written once for both.
/// </summary>
public interface IDirectionTable
{
    uint this[int index] { get; }
}

/// <summary>A device copy of the table, for kernels.</summary>
public readonly struct ViewDirections : IDirectionTable
{
    readonly ArrayView<uint> view;

    public ViewDirections(ArrayView<uint> view) => this.view = view;

    public uint this[int index] => view[index];
}

/// <summary>The managed table, for CPU loops.</summary>
public readonly struct ArrayDirections : IDirectionTable
{
    readonly uint[] table;

    public ArrayDirections(uint[] table) => this.table = table;

    public uint this[int index] => table[index];
}
