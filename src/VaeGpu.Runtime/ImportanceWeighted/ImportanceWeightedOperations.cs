using VaeGpu.Runtime.Devices;

namespace VaeGpu.Runtime.ImportanceWeighted;

public static class ImportanceWeightedOperations
{
    /// <summary>The implementation for the backend's kind; the ILGPU one compiles its kernels now, once.</summary>
    public static IImportanceWeightedOperations For(IBackend backend) =>
        FamilyImplementation.For<IImportanceWeightedOperations>(backend, cpu => new HostImportanceWeightedOperations(cpu),
            ilgpu => new IlgpuImportanceWeightedOperations(ilgpu), "importance-weighted");
}
