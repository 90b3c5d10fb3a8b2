using ILGPU.Runtime;
using VaeGpu.Runtime.Ilgpu;
using VaeGpu.Tests.Data;

namespace VaeGpu.Tests;

/// <summary>--gemm: its names, and which product a backend runs given the choice, the device and the cuBLAS found.</summary>
public class GemmDecisionTests
{
    [Test]
    public void GemmNamesRoundTripAndAnUnknownNameIsOneLineNamingTheChoices()
    {
        Assert.That(GemmChoices.Names, Is.EqualTo(new[] { "auto", "cublas", "ilgpu" }));
        foreach (var choice in Enum.GetValues<GemmChoice>())
            Assert.That(GemmChoices.Parse(GemmChoices.Name(choice)), Is.EqualTo(choice));
        Assert.That(GemmChoices.Parse(" cuBLAS "), Is.EqualTo(GemmChoice.CuBlas));
        SettingErrorAssert.Throws(() => GemmChoices.Parse("mkl"), "Gemm", "Gemm mkl: unknown matrix product", "auto, cublas or ilgpu");
    }

    static readonly CuBlasLocation Found = new("/usr/local/cuda/lib64/libcublas.so.13", "libcublas.so.13 in /usr/local/cuda/lib64");
    static readonly CuBlasLocation Missing = new(null, "no libcublas.so.13/.12/.11 on the loader path or in /usr/local/cuda/lib64");

    [TestCase(GemmChoice.Auto, AcceleratorType.Cuda, true, "cublas: libcublas.so.13 in /usr/local/cuda/lib64")]
    [TestCase(GemmChoice.CuBlas, AcceleratorType.Cuda, true, "cublas: libcublas.so.13 in /usr/local/cuda/lib64")]
    [TestCase(GemmChoice.Ilgpu, AcceleratorType.Cuda, true, "ilgpu: chosen")]
    [TestCase(GemmChoice.Auto, AcceleratorType.Cuda, false, "ilgpu: auto and no cuBLAS found (no libcublas.so.13/.12/.11 on the loader path or in /usr/local/cuda/lib64)")]
    [TestCase(GemmChoice.Ilgpu, AcceleratorType.Cuda, false, "ilgpu: chosen")]
    [TestCase(GemmChoice.Auto, AcceleratorType.OpenCL, true, "ilgpu: not a CUDA device (OpenCL)")]
    [TestCase(GemmChoice.Auto, AcceleratorType.CPU, false, "ilgpu: not a CUDA device (ILGPU's CPU accelerator)")]
    [TestCase(GemmChoice.Ilgpu, AcceleratorType.OpenCL, false, "ilgpu: chosen")]
    public void TheDecisionTable(GemmChoice choice, AcceleratorType kind, bool found, string line)
    {
        var decision = GemmDecision.Decide(choice, kind, found ? Found : Missing);
        Assert.That(decision.Line, Is.EqualTo(line));
        Assert.That(decision.UsesCuBlas, Is.EqualTo(line.StartsWith("cublas:", StringComparison.Ordinal)));
    }

    [Test]
    public void CuBlasAskedForWhereItCannotRunIsAUserErrorSayingWhatToDo()
    {
        SettingErrorAssert.Throws(() => GemmDecision.Decide(GemmChoice.CuBlas, AcceleratorType.Cuda, Missing), "Gemm",
            "Gemm cublas: no libcublas.so.13/.12/.11", "LD_LIBRARY_PATH", "CUDA_HOME", "Gemm auto");
        SettingErrorAssert.Throws(() => GemmDecision.Decide(GemmChoice.CuBlas, AcceleratorType.OpenCL, Found), "Gemm",
            "Gemm cublas needs a CUDA device", "OpenCL", "Device cuda");
        SettingErrorAssert.Throws(() => GemmDecision.Decide(GemmChoice.CuBlas, AcceleratorType.CPU, Found), "Gemm",
            "Gemm cublas needs a CUDA device", "CPU accelerator");
    }

    [Test]
    public void ACuBlasThatDoesNotStartFallsBackUnderAutoAndIsAnErrorWhenAskedFor()
    {
        const string problem = "cuBLAS from libcublas.so.13 in /usr/local/cuda/lib64 did not start: CuBlasException: CUBLAS_STATUS_NOT_INITIALIZED";
        var chosen = GemmDecision.Decide(GemmChoice.Auto, AcceleratorType.Cuda, Found);

        Assert.That(GemmDecision.AfterStart(GemmChoice.Auto, chosen, null), Is.SameAs(chosen));
        Assert.That(GemmDecision.AfterStart(GemmChoice.Auto, chosen, problem).Line, Is.EqualTo($"ilgpu: auto and {problem}"));
        SettingErrorAssert.Throws(() => GemmDecision.AfterStart(GemmChoice.CuBlas, GemmDecision.Decide(GemmChoice.CuBlas, AcceleratorType.Cuda, Found), problem), "Gemm",
            $"Gemm cublas: {problem}", "Gemm ilgpu");
        var ilgpu = GemmDecision.Decide(GemmChoice.Auto, AcceleratorType.OpenCL, Found);
        Assert.That(GemmDecision.AfterStart(GemmChoice.Auto, ilgpu, problem), Is.SameAs(ilgpu));
    }
}
