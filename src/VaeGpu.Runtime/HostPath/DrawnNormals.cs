using VaeGpu.Kernels;

namespace VaeGpu.Runtime.HostPath;

/// <summary>
/// Normals drawn ahead by HostRandom.FillNormal (vectorised Box-Muller, about 8x faster than drawing each with
/// RandomMath.NormalAt), read by index by the families' shared bodies.
/// </summary>
readonly struct DrawnNormals(float[] values) : INormalSource
{
    public float At(long element) => values[element];
}

/// <summary>DrawnNormals addressed as image i's row r, column j: element (i rowsPerImage + r) latent + j.</summary>
readonly struct DrawnImageNormals(float[] values, int rowsPerImage, int latent) : IImageNormals
{
    public float At(int image, int row, int column) => values[(long)(image * rowsPerImage + row) * latent + column];
}
