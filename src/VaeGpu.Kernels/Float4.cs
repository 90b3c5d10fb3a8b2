namespace VaeGpu.Kernels;

/// <summary>
/// Four floats read or written as one 16-byte access: a view of floats cast to Float4 gives ld.shared.v4.f32
/// (LDS.128) or ld.global.v4.f32 in PTX. The view's offset and length must be multiples of four floats.
/// </summary>
public struct Float4
{
    public float X, Y, Z, W;
}
