using System.Diagnostics;
using VaeGpu.Tests.Commands;
using VaeGpu.Tests.Data;

namespace VaeGpu.Tests.Hardening;

/// <summary>
/// Signals as a scheduler sends them (issue 23, cause 2): SIGTERM and SIGHUP stop `train` as Ctrl-C does, after the
/// step with a checkpoint that resumes to the uninterrupted run's bytes; a second signal does not break the save; `eval`
/// and the sharded commands stop with one line, 128 + the signal's number, and no output file.
/// </summary>
public class SignalTests
{
    TemporaryFolder folder = null!;
    string data = null!;

    [SetUp]
    public void CreateDataSet()
    {
        folder = new TemporaryFolder();
        var random = new Random(5);
        data = NpyWriter.Floats(folder.File("images.npy"), [8192, 8, 8], Enumerable.Range(0, 8192 * 64).Select(_ => random.NextSingle()).ToArray());
    }

    [TearDown]
    public void RemoveFolder() => folder.Dispose();

    /// <summary>Thousands of small steps per epoch, so that a signal after the first epoch lands within the second.</summary>
    string[] Train(string run, params string[] overrides) => TrainArguments.With(new()
    {
        ["--data"] = data, ["--out"] = run, ["--epochs"] = "5", ["--batch"] = "2", ["--hidden"] = "16", ["--latent"] = "2", ["--device"] = "host",
    }, overrides);

    [TestCase("TERM", 143)]
    [TestCase("HUP", 129)]
    [TestCase("INT", 130)]
    public void ASignalDuringTrainSavesAndTheResumedRunEndsWithTheUninterruptedBytes(string signal, int expectedExitCode)
    {
        string whole = folder.File("whole"), stopped = folder.File("stopped");
        var (exitCode, _, error) = VaegpuProcess.Run(Train(whole));
        Assert.That(exitCode, Is.Zero, error);

        var run = RunningVaegpu.Start(Train(stopped));
        run.WaitForOutput("epoch   1:");
        run.Signal(signal);
        (exitCode, error) = run.WaitForExit();
        Assert.That(exitCode, Is.EqualTo(expectedExitCode), error);
        string[] lines = Lines(error);
        Assert.That(lines[^1], Does.Match($"^interrupted by SIG{signal} in epoch [2-5] after step [0-9]+: checkpoint saved; continue with `vaegpu train --out .* --resume`$"), error);

        (exitCode, _, error) = VaegpuProcess.Run([.. Train(stopped), "--resume"]);
        Assert.That(exitCode, Is.Zero, error);
        Assert.That(File.ReadAllBytes(Path.Combine(stopped, "model.safetensors")), Is.EqualTo(File.ReadAllBytes(Path.Combine(whole, "model.safetensors"))));
    }

    [Test]
    public void MoreSignalsDuringTheSaveWaitForIt()
    {
        string run = folder.File("run");
        var train = RunningVaegpu.Start(Train(run));
        train.WaitForOutput("epoch   1:");
        train.Signal("TERM");
        for (int i = 0; i < 20; i++)
        {
            Thread.Sleep(5);
            if (!train.Signal(i % 2 == 0 ? "INT" : "HUP")) break; // it has ended
        }
        var (exitCode, error) = train.WaitForExit();
        Assert.That(exitCode, Is.EqualTo(143), error);
        Assert.That(Lines(error)[^1], Does.StartWith("interrupted by SIGTERM"));
        Assert.That(Directory.EnumerateFiles(run, "*.tmp-*"), Is.Empty);
        var (resumed, _, resumeError) = VaegpuProcess.Run([.. Train(run), "--resume"]);
        Assert.That(resumed, Is.Zero, resumeError);
    }

    [Test]
    public void EvalAndTheShardedCommandsStopWithOneLineAndNoOutput()
    {
        string run = folder.File("run");
        var (exitCode, _, error) = VaegpuProcess.Run(Train(run, "--epochs", "1"));
        Assert.That(exitCode, Is.Zero, error);
        string model = Path.Combine(run, "model.safetensors"), shard = folder.File("shard.json"), varianceShard = folder.File("variance.json");

        foreach (string[] command in new[]
        {
            ["eval", "--model", model, "--data", data, "--iw", "5000", "--device", "host"],
            ["eval", "--model", model, "--data", data, "--iw", "5000", "--shard", "0/2", "--out", shard, "--device", "host"],
            new[] { "variance", "gaussian", "--samples", "10000000000", "--shard", "0/2", "--out", varianceShard, "--device", "host" },
        })
        {
            var running = RunningVaegpu.Start(command);
            running.WaitForError("device:");
            Thread.Sleep(300);
            running.Signal("TERM");
            (exitCode, error) = running.WaitForExit();
            Assert.That(exitCode, Is.EqualTo(143), string.Join(' ', command) + "\n" + error);
            var lines = Lines(error).Where(line => !line.StartsWith("device:", StringComparison.Ordinal)).ToArray();
            Assert.That(lines, Has.Length.EqualTo(1), error);
            Assert.That(lines[0], Does.StartWith("vaegpu: stopped by SIGTERM"));
        }
        Assert.That(File.Exists(shard) || File.Exists(varianceShard), Is.False);
        Assert.That(Directory.EnumerateFiles(folder.Path, "*.tmp-*"), Is.Empty);
    }

    static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>The program running in the background, its output collected line by line.</summary>
    sealed class RunningVaegpu
    {
        readonly Process process;
        readonly List<string> output = [], error = [];

        RunningVaegpu(Process process) => this.process = process;

        public static RunningVaegpu Start(string[] arguments)
        {
            var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
            start.ArgumentList.Add(Path.Combine(TestContext.CurrentContext.TestDirectory, "vaegpu.dll"));
            foreach (string argument in arguments) start.ArgumentList.Add(argument);
            var running = new RunningVaegpu(new Process { StartInfo = start });
            running.process.OutputDataReceived += (_, line) => { if (line.Data is not null) lock (running.output) running.output.Add(line.Data); };
            running.process.ErrorDataReceived += (_, line) => { if (line.Data is not null) lock (running.error) running.error.Add(line.Data); };
            running.process.Start();
            running.process.BeginOutputReadLine();
            running.process.BeginErrorReadLine();
            return running;
        }

        public void WaitForOutput(string start) => WaitFor(output, start);

        public void WaitForError(string start) => WaitFor(error, start);

        void WaitFor(List<string> lines, string start)
        {
            var clock = Stopwatch.StartNew();
            while (clock.Elapsed < TimeSpan.FromSeconds(60))
            {
                lock (lines) if (lines.Any(line => line.StartsWith(start, StringComparison.Ordinal))) return;
                Assert.That(process.HasExited, Is.False, $"it ended before printing '{start}': {string.Join('\n', error)}");
                Thread.Sleep(10);
            }
            Assert.Fail($"no line '{start}' within a minute");
        }

        /// <summary>Sends SIGname (TERM, HUP, INT); false when the process has already ended.</summary>
        public bool Signal(string name)
        {
            using var kill = Process.Start("kill", ["-s", name, process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!;
            kill.WaitForExit();
            return kill.ExitCode == 0;
        }

        public (int ExitCode, string Error) WaitForExit()
        {
            if (!process.WaitForExit(TimeSpan.FromSeconds(120)))
            {
                process.Kill();
                Assert.Fail("it did not end within two minutes of the signal");
            }
            process.WaitForExit(); // the output's last lines
            lock (error) return (process.ExitCode, string.Join('\n', error));
        }
    }
}
