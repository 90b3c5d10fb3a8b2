using VaeGpu.Runtime;
using VaeGpu.Runtime.Devices;

namespace VaeGpu.Tests;

public class DeviceTests
{
    [TestCase("auto", DeviceKind.Auto, 0)]
    [TestCase("cuda", DeviceKind.Cuda, 0)]
    [TestCase("cuda:2", DeviceKind.Cuda, 2)]
    [TestCase("OpenCL:1", DeviceKind.OpenCL, 1)]
    [TestCase("cpu", DeviceKind.Cpu, 0)]
    [TestCase(" host ", DeviceKind.Host, 0)]
    public void ParsesDeviceRequests(string text, DeviceKind kind, int index) =>
        Assert.That(DeviceRequest.Parse(text), Is.EqualTo(new DeviceRequest(kind, index)));

    [TestCase("gpu")]
    [TestCase("cuda:x")]
    [TestCase("cuda:-1")]
    [TestCase("host:1")]
    [TestCase("cuda:0:1")]
    public void RefusesMalformedRequests(string text) =>
        Assert.That(() => DeviceRequest.Parse(text), Throws.TypeOf<UserErrorException>().With.Message.Contains("cuda[:N]"));

    [Test]
    public void AbsentDeviceIsAUserErrorListingWhatIsAvailable()
    {
        var error = Assert.Throws<UserErrorException>(() => DeviceCatalog.Open(DeviceRequest.Parse("cuda:7")));
        Assert.That(error!.Message, Does.Contain("no device cuda:7").And.Contain("host").And.Contain("cpu"));
        Assert.That(error.Message, Does.Not.Contain("\n"));
    }

    [Test]
    public void DiscoveryAlwaysListsTheCpuAcceleratorAndTheHost()
    {
        var devices = DeviceCatalog.Discover();
        Assert.That(devices.Select(d => d.Id), Does.Contain("cpu").And.Contain("host"));
        Assert.That(devices.Where(d => !d.Usable).Select(d => d.UnusableReason), Has.All.Not.Empty);
    }

    [Test]
    public void HostIsOpenedByName()
    {
        using var backend = DeviceCatalog.Open(DeviceRequest.Parse("host"));
        Assert.That(backend.Name, Does.StartWith("host"));
    }

    /// <summary>Every operation is one launch (full sums two), and operations allocate nothing.</summary>
    [Test]
    public void IlgpuBackendCountsLaunchesAndBytesAndOperationsDoNotAllocate()
    {
        var backend = Backends.Get("cpu");
        var x = backend.Upload(RandomArrays.Uniform(8 * 4, 1), 8, 4);
        var w = backend.Upload(RandomArrays.Uniform(4 * 3, 2), 4, 3);
        var (y, bias, total) = (backend.Allocate(8, 3), backend.Allocate(1, 3), backend.Allocate(1, 1));
        long allocated = backend.Counters.BytesAllocated;
        backend.Counters.Reset();

        backend.MatMul(x, false, w, false, y);
        backend.AddRowBias(y, bias);
        backend.AddRowBias(y, bias);
        backend.Sum(y, total);
        backend.Upload(new float[3], bias);
        backend.Download(total, new float[1]);

        Assert.That(backend.Counters.KernelLaunches, Is.EqualTo(5));
        Assert.That(backend.Counters.BytesToDevice, Is.EqualTo(12));
        Assert.That(backend.Counters.BytesFromDevice, Is.EqualTo(4));
        Assert.That(backend.Counters.BytesAllocated, Is.EqualTo(allocated));
    }

    [Test]
    public void TensorsOfAnotherBackendAreRefused()
    {
        var host = Backends.Get("host");
        var cpu = Backends.Get("cpu");
        Assert.Throws<ArgumentException>(() => cpu.AddRowBias(host.Allocate(2, 2), cpu.Allocate(1, 2)));
    }

    [TestCaseSource(typeof(Backends), nameof(Backends.All))]
    public void CopyWritesTheSourceIntoAView(string backendName)
    {
        var backend = Backends.Get(backendName);
        float[] source = RandomArrays.Uniform(6, 1), whole = RandomArrays.Uniform(12, 2);
        var destination = backend.Upload(whole, 4, 3);

        backend.Copy(backend.Upload(source, 1, 6), backend.View(destination, 3, 2, 3));

        source.CopyTo(whole, 3);
        Assert.That(backend.Download(destination), Is.EqualTo(whole));
    }
}
