using ILGPU;

namespace VaeGpu.Kernels;

/// <summary>
/// Float elements that a family's shared body reads and writes. One generic body (in a family's Math class,
/// constrained to a struct of this interface) then serves the kernel, over ViewStorage, and the host backend's loop,
/// over managed memory: the arithmetic and the order of every sum are written once. ILGPU compiles the calls for the
/// struct it is given, so kernels pay nothing for the indirection.
/// </summary>
public interface IFloatStorage
{
    float this[int index] { get; set; }
}

/// <summary>An ILGPU array view as IFloatStorage, for kernels.</summary>
public readonly struct ViewStorage : IFloatStorage
{
    readonly ArrayView<float> view;

    public ViewStorage(ArrayView<float> view) => this.view = view;

    public float this[int index]
    {
        get => view[index];
        set => view[index] = value;
    }
}
