using ILGPU;
using ILGPU.Runtime;
using ILGPU.Runtime.CPU;
using ILGPU.Runtime.Cuda;
using ILGPU.Runtime.OpenCL;
using VaeGpu.Runtime.HostPath;
using VaeGpu.Runtime.Ilgpu;

namespace VaeGpu.Runtime.Devices;

/// <summary>One device as `vaegpu devices` lists it; UnusableReason is null when a backend can be created on it.</summary>
public sealed record DeviceDescription(
    DeviceKind Kind, int Index, string Name, long MemoryBytes, int WarpSize, int MaxThreadsPerGroup, string? UnusableReason)
{
    public string Id => Kind is DeviceKind.Cuda or DeviceKind.OpenCL ? $"{Kind.ToString().ToLowerInvariant()}:{Index}" : Kind.ToString().ToLowerInvariant();
    public bool Usable => UnusableReason is null;
}

/// <summary>Finds the devices of this machine and opens a backend on the one the user asked for.</summary>
public static class DeviceCatalog
{
    /// <summary>Every device found: CUDA and OpenCL devices in ILGPU's order, then ILGPU's CPU accelerator, then the host path.</summary>
    public static IReadOnlyList<DeviceDescription> Discover()
    {
        using var context = IlgpuContext.Create();
        var found = new List<DeviceDescription>();
        var cuda = context.GetCudaDevices();
        for (int i = 0; i < cuda.Count; i++) found.Add(Describe(DeviceKind.Cuda, i, cuda[i], null));
        var openCl = context.GetCLDevices();
        for (int i = 0; i < openCl.Count; i++)
        {
            bool assumed = OpenClGenericOverride.RequestedByUser && OpenClGenericOverride.Needed(openCl[i]);
            var device = Describe(DeviceKind.OpenCL, i, openCl[i], OpenClProblem(context, openCl[i], OpenClGenericOverride.RequestedByUser));
            found.Add(assumed ? device with { Name = $"{device.Name} {OpenClGenericOverride.Marker}" } : device);
        }
        // The simulator reports long.MaxValue bytes; it really has the host's memory.
        found.Add(Describe(DeviceKind.Cpu, 0, context.GetCPUDevice(0), null) with
        {
            Name = "ILGPU CPU accelerator (GPU simulator, for checking kernels; slow)",
            MemoryBytes = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes,
        });
        found.Add(DescribeHost());
        return found;
    }

    static DeviceDescription Describe(DeviceKind kind, int index, Device device, string? problem) =>
        new(kind, index, device.Name, device.MemorySize, device.WarpSize, device.MaxNumThreadsPerGroup, problem);

    static DeviceDescription DescribeHost()
    {
        var blas = OpenBlas.Instance;
        string name = blas is null ? "host CPU, managed SIMD product (install libopenblas0-pthread for BLAS speed)" : $"host CPU, OpenBLAS ({blas.Description})";
        return new(DeviceKind.Host, 0, $"{name}, {Environment.ProcessorCount} cores", GC.GetGCMemoryInfo().TotalAvailableMemoryBytes,
            System.Numerics.Vector<float>.Count, 1, null);
    }

    /// <summary>
    /// Why ILGPU cannot run on an OpenCL device (e.g. no generic address space), or null when it can. With
    /// <paramref name="assumeGeneric"/> a device without the generic address space gets OpenClGenericOverride first.
    /// </summary>
    static string? OpenClProblem(Context context, CLDevice device, bool assumeGeneric)
    {
        bool needsOverride = OpenClGenericOverride.Needed(device);
        if (needsOverride && assumeGeneric && OpenClGenericOverride.Apply(context, device) is { } refused) return refused;
        try
        {
            using var accelerator = device.CreateAccelerator(context);
            return null;
        }
        catch (Exception error) when (error is CapabilityNotSupportedException or NotSupportedException or InvalidOperationException or CLException)
        {
            return FirstLine(error.Message) + (needsOverride && !assumeGeneric ? $"; {OpenClGenericOverride.Hint}" : "");
        }
    }

    static string FirstLine(string message) => message.Split('\n')[0].Trim().TrimEnd('.');

    /// <summary>
    /// The CUDA line of `vaegpu devices`: the driver library loaded and its version, or why there is none (e.g. "no
    /// CUDA driver: looked for libcuda.so, libcuda.so.1"; "driver 12.4 loaded from libcuda.so.1, no CUDA device").
    /// </summary>
    public static string CudaSummary(IReadOnlyList<DeviceDescription> devices) =>
        CudaDriver.Status.Describe(devices.Count(device => device.Kind == DeviceKind.Cuda));

    /// <summary>
    /// The cuBLAS line of `vaegpu devices`: the library that --gemm auto would use on a CUDA device (e.g.
    /// "libcublas.so.13 in /usr/local/cuda/lib64"), or why none would and where the search looked.
    /// </summary>
    public static string CuBlasSummary() => CuBlasLibrary.Describe();

    /// <summary>
    /// Opens the backend the request names. auto picks the first CUDA device, else the first usable OpenCL device,
    /// else the host path. A device that is absent or unusable is a UserErrorException listing what is available.
    /// </summary>
    public static IBackend Open(DeviceRequest request) => Open(request, out _);

    /// <summary>As Open, with the OpenCL generic-address-space override decided by the caller (tests) rather than the environment.</summary>
    internal static IBackend Open(DeviceRequest request, bool assumeGeneric) => Open(request, assumeGeneric, out _);

    /// <summary>As Open; for auto, <paramref name="passedOver"/> says why it did not pick CUDA or OpenCL (null otherwise).</summary>
    public static IBackend Open(DeviceRequest request, out string? passedOver) =>
        Open(request, OpenClGenericOverride.RequestedByUser, out passedOver);

    /// <summary>As Open, with the product a CUDA device runs chosen by <paramref name="gemm"/> (cuBLAS or the ILGPU kernels).</summary>
    public static IBackend Open(DeviceRequest request, GemmChoice gemm, out string? passedOver) =>
        Open(request, OpenClGenericOverride.RequestedByUser, out passedOver, gemm);

    /// <summary>Which product the backend's matrix products run and why, or null for the host path.</summary>
    public static string? GemmLine(IBackend backend) => (backend as IlgpuBackend)?.Gemm.Line;

    static IBackend Open(DeviceRequest request, bool assumeGeneric, out string? passedOver, GemmChoice gemm = GemmChoice.Auto)
    {
        passedOver = null;
        if (request.Kind == DeviceKind.Host)
        {
            if (gemm == GemmChoice.CuBlas) throw GemmDecision.NotCuda("the host");
            return new HostBackend();
        }
        var context = IlgpuContext.Create();
        try
        {
            var backend = OpenIlgpu(context, request, assumeGeneric, gemm);
            if (backend is not null)
            {
                if (request.Kind == DeviceKind.Auto && context.GetCudaDevices().Count == 0) passedOver = $"CUDA: {CudaDriver.Status.Describe(0)}";
                return backend;
            }
            passedOver = $"CUDA: {CudaDriver.Status.Describe(0)}; OpenCL: {OpenClSummary(context)}";
            context.Dispose();
            return new HostBackend();
        }
        catch
        {
            context.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The ILGPU backend for the request, or null when auto finds no GPU. The generic-address-space override applies
    /// only to a device asked for by name: auto never picks such a device.
    /// </summary>
    static IlgpuBackend? OpenIlgpu(Context context, DeviceRequest request, bool assumeGeneric, GemmChoice gemm)
    {
        var cuda = context.GetCudaDevices();
        var openCl = context.GetCLDevices();
        switch (request.Kind)
        {
            case DeviceKind.Cpu:
                return new IlgpuBackend(context, context.GetCPUDevice(0), "cpu (ILGPU CPU accelerator)", gemm);
            case DeviceKind.Cuda when request.Index < cuda.Count:
                return new IlgpuBackend(context, cuda[request.Index], $"{request} {cuda[request.Index].Name}", gemm);
            case DeviceKind.OpenCL when request.Index < openCl.Count:
                var device = openCl[request.Index];
                bool assumed = assumeGeneric && OpenClGenericOverride.Needed(device);
                var problem = OpenClProblem(context, device, assumeGeneric);
                if (problem is not null)
                    throw new UserErrorException($"device {request} ({device.Name}) cannot run ILGPU kernels: {problem}; {Available()}");
                return new IlgpuBackend(context, device, $"{request} {device.Name}{(assumed ? " " + OpenClGenericOverride.Marker : "")}", gemm);
            case DeviceKind.Auto:
                if (cuda.Count > 0) return new IlgpuBackend(context, cuda[0], $"cuda:0 {cuda[0].Name}", gemm);
                for (int i = 0; i < openCl.Count; i++)
                    if (OpenClProblem(context, openCl[i], assumeGeneric: false) is null)
                        return new IlgpuBackend(context, openCl[i], $"opencl:{i} {openCl[i].Name}", gemm);
                return null;
            default:
                throw new UserErrorException($"no device {request} on this machine; {Available()}");
        }
    }

    /// <summary>Why no OpenCL device was usable: "no OpenCL platform" or each device's problem.</summary>
    static string OpenClSummary(Context context)
    {
        var problems = new List<string>();
        var devices = context.GetCLDevices();
        for (int i = 0; i < devices.Count; i++) problems.Add($"opencl:{i} {devices[i].Name}: {OpenClProblem(context, devices[i], assumeGeneric: false)}");
        return problems.Count == 0 ? "no OpenCL platform (install an OpenCL driver and ocl-icd-opencl-dev)" : string.Join("; ", problems);
    }

    /// <summary>"available: cuda:0, cpu, host."</summary>
    static string Available() =>
        $"available: {string.Join(", ", Discover().Where(d => d.Usable).Select(d => d.Id))}.";
}
