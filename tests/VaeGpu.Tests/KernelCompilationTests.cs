using System.Diagnostics;
using System.Reflection;
using ILGPU.Backends.EntryPoints;
using ILGPU.Backends.OpenCL;
using ILGPU.Backends.PTX;
using ILGPU.Runtime;
using ILGPU.Runtime.Cuda;
using ILGPU.Runtime.OpenCL;
using VaeGpu.Kernels;
using VaeGpu.Runtime.Ilgpu;

namespace VaeGpu.Tests;

/// <summary>
/// Every [Kernel] method compiles to PTX and OpenCL C without a GPU, with the same context settings users get.
/// The PTX files are written under the test output folder (ptx/) and assembled by NVIDIA's ptxas when it is
/// available: VAEGPU_PTXAS names it, otherwise .cache/ptxas/bin/ptxas (scripts/fetch-ptxas.sh puts it there).
/// </summary>
public class KernelCompilationTests
{
    static readonly CudaArchitecture[] Architectures = [CudaArchitecture.SM_60, CudaArchitecture.SM_75, CudaArchitecture.SM_80, CudaArchitecture.SM_90];

    static IEnumerable<MethodInfo> KernelMethods() =>
        typeof(KernelAttribute).Assembly.GetTypes()
            .SelectMany(type => type.GetMethods(BindingFlags.Public | BindingFlags.Static))
            .Where(method => method.GetCustomAttribute<KernelAttribute>() is not null);

    public static IEnumerable<TestCaseData> Kernels() =>
        KernelMethods().Select(method => new TestCaseData(method).SetArgDisplayNames($"{method.DeclaringType!.Name}.{method.Name}"));

    static EntryPointDescription EntryPoint(MethodInfo kernel) =>
        kernel.GetCustomAttribute<KernelAttribute>()!.Grouping == KernelGrouping.Explicit
            ? EntryPointDescription.FromExplicitlyGroupedKernel(kernel)
            : EntryPointDescription.FromImplicitlyGroupedKernel(kernel);

    /// <summary>Every family's kernel class is seen (so none escapes the compile tests), and no [Kernel] sits outside one.</summary>
    [Test]
    public void EveryKernelFamilyIsFound() =>
        Assert.That(KernelMethods().Select(method => method.DeclaringType!.Name).Distinct(), Is.EquivalentTo(new[]
        {
            "MatMulKernels", "GatherKernels", "RandomKernels", "ReductionKernels", "ElementwiseKernels", "OptimizerKernels",
            "ReparameterizationKernels", "LikelihoodKernels", "ImportanceWeightedKernels",
            "MonteCarloKernels", "ElboGapKernels", "KlFitKernels", "GaussianMixtureKernels", "GradientEstimatorKernels",
        }));

    [TestCaseSource(nameof(Kernels))]
    public void CompilesToPtxForEveryArchitecture(MethodInfo kernel)
    {
        foreach (var architecture in Architectures)
        {
            string ptx = CompilePtx(kernel, architecture);
            Assert.That(ptx, Does.Contain(".entry"), $"{architecture}");
            Assert.That(ptx, Does.Contain(".version 7.8"), $"{architecture}: CI's ptxas (CUDA 11.8) accepts at most ISA 7.8");
        }
    }

    [TestCaseSource(nameof(Kernels))]
    public void PtxAssemblesWithPtxas(MethodInfo kernel)
    {
        string ptxas = FindPtxas() ?? throw new IgnoreException(
            "ptxas not found: run scripts/fetch-ptxas.sh (downloads CUDA 11.8's ptxas into .cache/ptxas) or set VAEGPU_PTXAS");
        foreach (var architecture in Architectures)
        {
            string arch = $"sm_{architecture.Major}{architecture.Minor}";
            string file = WritePtx(kernel, arch, CompilePtx(kernel, architecture));
            var (exitCode, output) = Run(ptxas, $"-arch={arch} \"{file}\" -o /dev/null");
            Assert.That(exitCode, Is.Zero, $"ptxas -arch={arch} {file}:\n{output}");
        }
    }

    [TestCaseSource(nameof(Kernels))]
    public void CompilesToOpenClC(MethodInfo kernel)
    {
        using var context = IlgpuContext.Create();
        var capabilities = new CLCapabilityContext(float16: false, float64: true, genericAddressSpace: true, int64_Atomics: true, subGroups: false);
        using var backend = new CLBackend(context, capabilities, CLDeviceVendor.Other, CLCVersion.CL20);
        var compiled = (CLCompiledKernel)backend.Compile(EntryPoint(kernel), KernelSpecialization.Empty);
        Assert.That(compiled.Source, Does.Contain("kernel"));
    }

    static string CompilePtx(MethodInfo kernel, CudaArchitecture architecture)
    {
        using var context = IlgpuContext.Create();
        using var backend = new PTXBackend(context, architecture, CudaInstructionSet.ISA_78, nvvmAPI: null!);
        return ((PTXCompiledKernel)backend.Compile(EntryPoint(kernel), KernelSpecialization.Empty)).PTXAssembly;
    }

    static string WritePtx(MethodInfo kernel, string arch, string ptx)
    {
        string folder = Path.Combine(TestContext.CurrentContext.WorkDirectory, "ptx");
        Directory.CreateDirectory(folder);
        string file = Path.Combine(folder, $"{kernel.DeclaringType!.Name}.{kernel.Name}.{arch}.ptx");
        File.WriteAllText(file, ptx);
        return file;
    }

    static string? FindPtxas()
    {
        string? configured = Environment.GetEnvironmentVariable("VAEGPU_PTXAS");
        if (!string.IsNullOrEmpty(configured))
            return File.Exists(configured) ? configured : throw new AssertionException($"VAEGPU_PTXAS={configured} does not exist");
        for (var folder = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); folder is not null; folder = folder.Parent)
        {
            string candidate = Path.Combine(folder.FullName, ".cache", "ptxas", "bin", "ptxas");
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }

    static (int ExitCode, string Output) Run(string program, string arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(program, arguments) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        string output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output);
    }
}
