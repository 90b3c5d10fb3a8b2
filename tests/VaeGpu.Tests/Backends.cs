using ILGPU.Runtime.CPU;
using VaeGpu.Runtime;
using VaeGpu.Runtime.HostPath;
using VaeGpu.Runtime.Devices;
using VaeGpu.Runtime.Ilgpu;
using VaeGpu.Runtime.ImportanceWeighted;
using VaeGpu.Runtime.ImplicitDraws;
using VaeGpu.Runtime.ImplicitPosterior;
using VaeGpu.Runtime.Likelihood;
using VaeGpu.Runtime.Reparameterization;

namespace VaeGpu.Tests;

/// <summary>
/// The backends every operation test runs on, created once per test run: compiling the kernels for the CPU
/// accelerator takes seconds. Shapes in tests stay small because the CPU accelerator is a slow GPU simulator.
/// "opencl" is the first OpenCL device (Debian's PoCL in CI, which test.sh installs) opened with the generic-address-
/// space override; it is left out where no OpenCL device exists, except in CI (CI=true), where its absence fails.
/// </summary>
public static class Backends
{
    static readonly Lazy<IBackend> hostOpenBlas = new(() => new HostBackend());
    static readonly Lazy<IBackend> hostManaged = new(() => new HostBackend(useOpenBlas: false));
    static readonly Lazy<IBackend> cpuAccelerator = new(() => DeviceCatalog.Open(new DeviceRequest(DeviceKind.Cpu)));
    static readonly Lazy<IBackend> openCl = new(() => DeviceCatalog.Open(new DeviceRequest(DeviceKind.OpenCL), assumeGeneric: true));

    static readonly Lazy<bool> openClPresent = new(() =>
        Environment.GetEnvironmentVariable("CI") == "true" || DeviceCatalog.Discover().Any(device => device.Kind == DeviceKind.OpenCL));

    static readonly Dictionary<(string, Type), object> operations = [];

    /// <summary>A family's operations on the named backend, created once: the ILGPU ones compile their kernels.</summary>
    static T Operations<T>(string name, Func<IBackend, T> create) where T : class
    {
        lock (operations)
        {
            if (!operations.TryGetValue((name, typeof(T)), out var found)) operations[(name, typeof(T))] = found = create(Get(name));
            return (T)found;
        }
    }

    public static IReparameterizationOperations Reparameterization(string name) => Operations(name, ReparameterizationOperations.For);

    public static ILikelihoodOperations Likelihood(string name) => Operations(name, LikelihoodOperations.For);

    public static IImportanceWeightedOperations ImportanceWeighted(string name) => Operations(name, ImportanceWeightedOperations.For);

    public static IImplicitDrawOperations ImplicitDraws(string name) => Operations(name, ImplicitDrawOperations.For);

    public static IImplicitPosteriorOperations ImplicitPosterior(string name) => Operations(name, ImplicitPosteriorOperations.For);

    /// <summary>Names for [TestCaseSource]; NUnit shows them in test names.</summary>
    public static IEnumerable<string> All => openClPresent.Value ? ["host", "host-managed", "cpu", "opencl"] : ["host", "host-managed", "cpu"];

    /// <summary>The backends that run kernels (ILGPU): the CPU accelerator and, where present, OpenCL.</summary>
    public static IEnumerable<string> Kernels => All.Where(name => name is "cpu" or "opencl");

    public static IBackend Get(string name) => name switch
    {
        "host" => hostOpenBlas.Value,
        "host-managed" => hostManaged.Value,
        "cpu" => cpuAccelerator.Value,
        "opencl" => openCl.Value,
        _ => throw new ArgumentException(name),
    };

    /// <summary>A CPU accelerator whose groups hold up to 256 threads, for kernels launched with GPU-sized groups.</summary>
    public static IlgpuKernelHost WideCpuAccelerator() =>
        new(IlgpuContext.Create(new CPUDevice(numThreadsPerWarp: 4, numWarpsPerMultiprocessor: 64, numMultiprocessors: 2)));

    public static Tensor Upload(this IBackend backend, float[] values, int rows, int columns)
    {
        var tensor = backend.Allocate(rows, columns);
        backend.Upload(values, tensor);
        return tensor;
    }
}

/// <summary>An ILGPU context with its CPU accelerator, for tests that launch kernels directly.</summary>
public sealed class IlgpuKernelHost(ILGPU.Context context) : IDisposable
{
    public ILGPU.Context Context { get; } = context;
    public ILGPU.Runtime.Accelerator Accelerator { get; } = context.GetCPUDevice(0).CreateAccelerator(context);

    public void Dispose()
    {
        Accelerator.Dispose();
        Context.Dispose();
    }
}
