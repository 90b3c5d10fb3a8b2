namespace VaeGpu.Runtime;

/// <summary>
/// Which matrix product a CUDA device runs (--gemm): auto takes NVIDIA's cuBLAS where it is present and falls back to
/// the project's ILGPU kernels; cublas insists on cuBLAS; ilgpu always takes the project's kernels. Other devices
/// always run the ILGPU kernels (or the host path).
/// </summary>
public enum GemmChoice { Auto, CuBlas, Ilgpu }

/// <summary>The --gemm names: auto, cublas, ilgpu.</summary>
public static class GemmChoices
{
    static readonly (GemmChoice Choice, string Name)[] Table = [(GemmChoice.Auto, "auto"), (GemmChoice.CuBlas, "cublas"), (GemmChoice.Ilgpu, "ilgpu")];

    /// <summary>The names in the order the help lists them.</summary>
    public static readonly string[] Names = Table.Select(entry => entry.Name).ToArray();

    public const string Syntax = "auto, cublas or ilgpu";

    /// <summary>The setting a GemmChoice is given for (InvalidSettingException's name).</summary>
    public const string Setting = "Gemm";

    public const string Description = "the matrix product on a CUDA device: auto (cuBLAS where libcublas is found, else the ILGPU kernels), cublas (fail without it) or ilgpu";

    public static string Name(GemmChoice choice) => Table.First(entry => entry.Choice == choice).Name;

    /// <summary>A name of Names (any case, surrounding blanks ignored), or an InvalidSettingException naming the choices.</summary>
    public static GemmChoice Parse(string text)
    {
        string name = text.Trim().ToLowerInvariant();
        foreach (var entry in Table)
            if (entry.Name == name) return entry.Choice;
        throw new InvalidSettingException(Setting, text, $"unknown matrix product: use {Syntax}.");
    }
}
