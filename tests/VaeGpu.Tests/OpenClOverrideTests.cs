using VaeGpu.Runtime.Ilgpu;

namespace VaeGpu.Tests;

/// <summary>
/// The opt-in that runs ILGPU on an OpenCL device without the generic address space (Debian's PoCL): never silent,
/// only on request, only for a device named by --device, and refused when a kernel's OpenCL C would need it.
/// </summary>
public class OpenClOverrideTests
{
    static readonly Dictionary<string, string> OptIn = new() { [OpenClGenericOverride.Variable] = "1" };

    [Test]
    public void AKernelWhoseOpenClCUsesTheGenericAddressSpaceIsRefused()
    {
        Assert.That(OpenClGenericOverride.Refusal([("A.Plain", "kernel void f(__global float* x) { x[0] = 1.0f; }")]), Is.Null);
        Assert.That(OpenClGenericOverride.Refusal([("A.Plain", "__global float* x"), ("B.Generic", "void g(__generic float* p)")]),
            Does.StartWith("kernel B.Generic uses the generic address space"));
        Assert.That(OpenClGenericOverride.Refusal([("C.Bare", "void g(generic float* p)")]), Does.StartWith("kernel C.Bare"));
        Assert.That(OpenClGenericOverride.Refusal([("D.Word", "float generically_named = 0;")]), Is.Null);
    }

    [Test]
    public void WithoutTheOptInTheDeviceIsUnusableAndTheListSaysHowToOptIn()
    {
        RequireOpenCl();
        var (exitCode, output, _) = VaegpuProcess.Run("devices");

        Assert.That(exitCode, Is.Zero);
        Assert.That(output, Does.Contain($"unusable: GenericAddressSpace feature is not supported on this device; {OpenClGenericOverride.Hint}"));
        string error = VaegpuProcess.RunExpectingUserError("mc", "--device", "opencl:0", "--samples", "1000", "--max-samples", "1000", "--out", TestContext.CurrentContext.WorkDirectory + "/mc-refused");
        Assert.That(error, Does.Contain("cannot run ILGPU kernels"));
    }

    [Test]
    public void WithTheOptInANamedDeviceRunsAndSaysSoButAutoDoesNotPickIt()
    {
        RequireOpenCl();
        var (listed, output, _) = VaegpuProcess.RunWith(OptIn, "devices");
        Assert.That(listed, Is.Zero);
        Assert.That(output, Does.Contain(OpenClGenericOverride.Marker));

        string folder = TestContext.CurrentContext.WorkDirectory;
        var (named, _, namedError) = VaegpuProcess.RunWith(OptIn, "mc", "--device", "opencl:0", "--samples", "1000", "--max-samples", "1000", "--out", folder + "/mc-opencl");
        Assert.That(named, Is.Zero, namedError);
        Assert.That(namedError, Does.StartWith("device: opencl:0").And.Contain(OpenClGenericOverride.Marker));

        var (auto, _, autoError) = VaegpuProcess.RunWith(OptIn, "mc", "--samples", "1000", "--max-samples", "1000", "--out", folder + "/mc-auto");
        Assert.That(auto, Is.Zero, autoError);
        Assert.That(autoError, Does.StartWith("device: host"));
    }

    static void RequireOpenCl()
    {
        if (!Backends.All.Contains("opencl")) Assert.Ignore("no OpenCL device here (test.sh installs Debian's PoCL)");
    }
}
