using ILGPU.Runtime;

namespace VaeGpu.Runtime.Ilgpu;

/// <summary>
/// Which product a backend runs (CuBlas or Ilgpu, never Auto) and why, as one line: "cublas: libcublas.so.13 in
/// /usr/local/cuda/lib64", "ilgpu: not a CUDA device", "ilgpu: auto and no cuBLAS found (...)".
/// </summary>
sealed record GemmDecision(GemmChoice Product, string Why)
{
    public bool UsesCuBlas => Product == GemmChoice.CuBlas;

    public string Line => $"{GemmChoices.Name(Product)}: {Why}";

    public override string ToString() => Line;

    /// <summary>What to tell a user who asked for cuBLAS that cannot be had (settings as InvalidSettingException mentions them).</summary>
    const string Remedy = "install cuBLAS (CUDA 11, 12 or 13: libcublas.so.11/.12/.13, from the CUDA toolkit or pip's nvidia-cublas), "
        + "and put its folder on LD_LIBRARY_PATH or set CUDA_HOME to the toolkit; or use {Gemm auto} or {Gemm ilgpu}";

    /// <summary>cuBLAS asked for on a device that is no CUDA device (kind in words).</summary>
    public static InvalidSettingException NotCuda(string kind) =>
        new([], $"{{Gemm cublas}} needs a CUDA device, and this one is {kind}: use {{Device cuda[:N]}}, or {{Gemm auto}} or {{Gemm ilgpu}}.");

    /// <summary>
    /// The decision before cuBLAS is started, from the choice, the accelerator's kind and what CuBlasLibrary found.
    /// cublas where it cannot run is an InvalidSettingException saying what to do; auto falls back to the ILGPU
    /// kernels and says why.
    /// </summary>
    public static GemmDecision Decide(GemmChoice choice, AcceleratorType kind, CuBlasLocation cublas)
    {
        if (choice == GemmChoice.Ilgpu) return new(GemmChoice.Ilgpu, "chosen");
        if (kind != AcceleratorType.Cuda)
        {
            if (choice == GemmChoice.CuBlas)
                throw NotCuda(KindName(kind));
            return new(GemmChoice.Ilgpu, $"not a CUDA device ({KindName(kind)})");
        }
        if (!cublas.Found)
        {
            if (choice == GemmChoice.CuBlas) throw new InvalidSettingException(GemmChoices.Setting, "cublas", $"{cublas.Reason}; {Remedy}.");
            return new(GemmChoice.Ilgpu, $"auto and no cuBLAS found ({cublas.Reason})");
        }
        return new(GemmChoice.CuBlas, cublas.Reason);
    }

    /// <summary>
    /// The decision after trying to start cuBLAS: unchanged when it started (problem null) or was not wanted;
    /// otherwise auto falls back to the ILGPU kernels, and cublas is an InvalidSettingException.
    /// </summary>
    public static GemmDecision AfterStart(GemmChoice choice, GemmDecision decision, string? problem)
    {
        if (!decision.UsesCuBlas || problem is null) return decision;
        if (choice == GemmChoice.CuBlas) throw new InvalidSettingException(GemmChoices.Setting, "cublas", $"{problem}; {Remedy}.");
        return new(GemmChoice.Ilgpu, $"auto and {problem}");
    }

    static string KindName(AcceleratorType kind) => kind switch
    {
        AcceleratorType.OpenCL => "OpenCL",
        AcceleratorType.CPU => "ILGPU's CPU accelerator",
        _ => kind.ToString(),
    };
}
