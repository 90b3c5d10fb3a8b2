using System.Diagnostics;
using VaeGpu.Tests.Data;

namespace VaeGpu.Tests.Hardening;

/// <summary>
/// Pictures inside a run's memory (issue 23, cause 5): images too large for a picture grid of ImageGrid.MaxCanvasPixels
/// are neither decoded nor drawn, with one note before the first epoch, so a (2, 1000000) .npy (two 1000x1000 images)
/// trains within 1 GiB instead of growing past 4.6 GB while drawing its PNG grids. The peak is the process's VmHWM,
/// read from /proc while it runs (a GC heap limit or an rlimit stops .NET itself long before that size).
/// </summary>
public class PictureSizeTests : TemporaryFolderTests
{
    [Test]
    public void LargeImagesTrainWithoutTheirLargeGridsWithinOneGiB()
    {
        if (!OperatingSystem.IsLinux()) Assert.Ignore("the peak memory is read from /proc");
        string data = NpyWriter.UnsignedBytes(Folder.File("wide.npy"), [2, 1_000_000], [.. Enumerable.Range(0, 2_000_000).Select(i => (byte)(i * 37))]);
        string run = Folder.File("run");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string argument in new[] { Path.Combine(TestContext.CurrentContext.TestDirectory, "vaegpu.dll"),
            "train", "--data", data, "--out", run, "--epochs", "1", "--batch", "1", "--hidden", "4", "--latent", "2", "--device", "host" })
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        long peakKiB = 0;
        while (!process.WaitForExit(20))
            peakKiB = Math.Max(peakKiB, HighWaterMarkKiB(process.Id));
        Assert.That(process.ExitCode, Is.Zero, error.Result);
        Assert.That(peakKiB, Is.LessThan(1L << 20), "peak resident memory in KiB");
        // The samples grid (64 images at scale 2) would be 16020 x 16020 pixels, the manifold 400 images; the
        // reconstructions (2 images) fit.
        Assert.That(error.Result, Does.Contain("note: images of 1000x1000 pixels make picture grids of more than 16777216 pixels: samples.png, manifold.png are not drawn"));
        foreach (string grid in new[] { "samples.png", "manifold.png" })
            Assert.That(File.Exists(Path.Combine(run, grid)), Is.False, grid);
        foreach (string written in new[] { "model.safetensors", "checkpoint.safetensors", "metrics.csv", "loss.png", "latent.png", "reconstructions.png" })
            Assert.That(File.Exists(Path.Combine(run, written)), written);
        _ = output.Result;
    }

    /// <summary>VmHWM (peak resident set) of a running process in KiB; 0 once it is gone.</summary>
    static long HighWaterMarkKiB(int processId)
    {
        try
        {
            string? line = File.ReadLines($"/proc/{processId}/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
            return line is null ? 0 : long.Parse(line["VmHWM:".Length..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            return 0;
        }
    }
}
