using System.Diagnostics;
using System.Runtime.InteropServices;
using VaeGpu.Runtime.Ilgpu;
using VaeGpu.Tests.Data;

namespace VaeGpu.Tests;

/// <summary>
/// The CUDA driver search that ILGPU's "cuda" import is resolved through: the names it tries, a library that loads
/// but is no driver, and a stand-in driver (built with the system's C compiler) found under its second name in a
/// driver folder, as libcuda.so.1 is on machines where .NET's own probing finds nothing.
/// </summary>
public class CudaDriverTests
{
    [Test]
    public void WithoutADriverItSaysWhatItLookedFor()
    {
        using var empty = new TemporaryFolder();
        var (status, handle) = CudaDriver.Find(["libcuda-absent-for-this-test.so"], [empty.Path]);

        Assert.That(handle, Is.EqualTo(IntPtr.Zero));
        Assert.That(status.Describe(0), Is.EqualTo("no CUDA driver: looked for libcuda-absent-for-this-test.so"));
    }

    [Test]
    public void ALibraryWithoutTheDriverApiIsPassedOver()
    {
        using var folder = new TemporaryFolder();
        File.Copy("/lib/x86_64-linux-gnu/libz.so.1", Path.Combine(folder.Path, "libcuda.so.1"));

        var (status, handle) = CudaDriver.Find(["libcuda.so.1"], [folder.Path]);

        Assert.That(handle, Is.EqualTo(IntPtr.Zero));
        Assert.That(status.Describe(0), Does.Contain("loaded but is not a CUDA driver (no cuDriverGetVersion)"));
    }

    [Test]
    public void ADriverFoundUnderItsSecondNameInADriverFolderIsLoadedWithItsVersion()
    {
        using var folder = new TemporaryFolder();
        string library = Path.Combine(folder.Path, "libcuda-stand-in.so.1");
        BuildStandInDriver(folder.Path, library, driverVersion: 12040);

        var (status, handle) = CudaDriver.Find(["libcuda-stand-in.so", "libcuda-stand-in.so.1"], ["/nonexistent", folder.Path]);

        Assert.That(handle, Is.Not.EqualTo(IntPtr.Zero));
        Assert.That(status.Path, Is.EqualTo(library));
        Assert.That(status.Describe(0), Is.EqualTo($"driver 12.4 loaded from {library}, no CUDA device"));
        Assert.That(status.Describe(2), Does.EndWith(", 2 devices"));
    }

    [Test]
    public void DevicesAlwaysHasACudaLine()
    {
        var (exitCode, output, _) = VaegpuProcess.Run("devices");

        Assert.That(exitCode, Is.Zero);
        Assert.That(output.Split('\n')[0], Does.StartWith("cuda: "));
    }

    [Test]
    public void DevicesHasACuBlasLineAfterTheCudaLine()
    {
        var (exitCode, output, _) = VaegpuProcess.Run("devices");

        Assert.That(exitCode, Is.Zero);
        var lines = output.Split('\n');
        Assert.That(lines[0], Does.StartWith("cuda: "));
        Assert.That(lines[1], Does.StartWith("cublas: "));
        if (!CuBlasLibrary.Located.Found)
            Assert.That(lines[1], Does.StartWith("cublas: no libcublas.so.13/.12/.11 on the loader path"));
    }

    [Test]
    public void DevicesNamesTheCuBlasFoundUnderCudaHome()
    {
        if (CuBlasLibrary.Names.Any(name => NativeLibrary.TryLoad(name, out _))) Assert.Ignore("a cuBLAS on this machine's loader path comes before $CUDA_HOME");
        using var toolkit = new TemporaryFolder();
        string folder = Path.Combine(toolkit.Path, "lib64");
        Directory.CreateDirectory(folder);
        CuBlasLibraryTests.BuildStandInCuBlas(toolkit.Path, Path.Combine(folder, "libcublas.so.13"));

        var (exitCode, output, _) = VaegpuProcess.RunWith(new Dictionary<string, string> { ["CUDA_HOME"] = toolkit.Path }, "devices");

        Assert.That(exitCode, Is.Zero);
        Assert.That(output.Split('\n')[1], Is.EqualTo($"cublas: libcublas.so.13 in {folder}"));
    }

    /// <summary>A shared library whose cuDriverGetVersion reports the given version, as the real driver's does.</summary>
    static void BuildStandInDriver(string folder, string library, int driverVersion)
    {
        string source = Path.Combine(folder, "driver.c");
        File.WriteAllText(source, $"int cuDriverGetVersion(int *version) {{ *version = {driverVersion}; return 0; }}\n");
        try
        {
            using var compiler = Process.Start(new ProcessStartInfo("cc", ["-shared", "-fPIC", "-o", library, source]) { RedirectStandardError = true })!;
            compiler.WaitForExit();
            if (compiler.ExitCode != 0) Assert.Ignore($"cc could not build the stand-in driver: {compiler.StandardError.ReadToEnd()}");
        }
        catch (System.ComponentModel.Win32Exception)
        {
            Assert.Ignore("no C compiler (cc) to build a stand-in CUDA driver with");
        }
    }
}
