using System.Diagnostics;
using VaeGpu.Host.Data;
using VaeGpu.Host.SafeTensors;
using VaeGpu.Runtime;
using VaeGpu.Tests.Data;

namespace VaeGpu.Tests.Hardening;

/// <summary>Messages that said the wrong thing (issue 11, cause 11): a misspelt command, a damaged gzip, a pipe given as a file.</summary>
public class MessagesTests
{
    [Test]
    public void AMisspeltCommandIsNamedWithTheCommandsThereAre()
    {
        string error = VaegpuProcess.RunExpectingUserError("frobnicate");
        Assert.That(error, Does.Contain("unknown command 'frobnicate': use one of devices, check, bench, train"));
    }

    [Test]
    public void ADamagedGzipSaysSoAndHowToMendIt()
    {
        using var folder = new TemporaryFolder();
        string path = IdxWriter.WriteImages(folder.File("images"), 4, 8, 8, gzip: true, IdxWriter.Pattern(4 * 64));
        byte[] bytes = File.ReadAllBytes(path);
        bytes[^6] ^= 0xFF; // inside the CRC-32 of the gzip trailer
        File.WriteAllBytes(path, bytes);

        var error = Assert.Throws<UserErrorException>(() => IdxFile.ReadImages(path))!;
        Assert.That(error.Message, Does.Contain("corrupt gzip stream (damaged or cut short").And.Contain("copy the file again"));
    }

    [Test]
    public void APipeGivenAsAModelIsRefusedClearly()
    {
        using var folder = new TemporaryFolder();
        string fifo = folder.File("pipe");
        using (var mkfifo = Process.Start("mkfifo", [fifo])!) mkfifo.WaitForExit();
        var writer = Task.Run(() => File.WriteAllBytes(fifo, new byte[64]));

        var error = Assert.Throws<UserErrorException>(() => SafeTensorsFile.Read(fifo))!;
        // Refused before it is opened (InputFile), so nothing waits for the writer.
        Assert.That(error.Message, Does.Contain($"{fifo} is a FIFO, not a regular file: give the path of a file"));
        // The writer still waits for a reader: be it, so that its thread ends.
        using (var reader = new FileStream(fifo, FileMode.Open, FileAccess.Read)) reader.CopyTo(Stream.Null);
        try { writer.Wait(TimeSpan.FromSeconds(5)); } catch (AggregateException) { /* the reader closed the pipe first */ }
    }
}
