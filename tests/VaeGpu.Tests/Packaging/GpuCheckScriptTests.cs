using System.Diagnostics;
using System.Text.Json;
using VaeGpu.Host.Data;
using VaeGpu.Tests.Data;

namespace VaeGpu.Tests.Packaging;

/// <summary>
/// scripts/gpu-bundle.sh and scripts/gpu-check.sh, cheaply: bundles whose vaegpu is a few lines of shell, a Python stub
/// for the PyTorch step, and stubs of nvidia-smi and ncu where a test plays a GPU machine. The real program's side is in
/// PublishedFileTests; the real PyTorch script runs here on the CPU where a Python with torch is installed.
/// </summary>
[NonParallelizable]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public class GpuCheckScriptTests
{
    static readonly string[] StepNames = ["gpu", "devices", "cublas", "check", "bench", "epoch", "pytorch", "ncu"];

    const string NoCudaError = "vaegpu: error: no device cuda:0 on this machine; available: cpu, host.";

    /// <summary>vaegpu as it answers on a machine without a GPU: devices works, every CUDA command fails in one line.</summary>
    const string NoGpuVaegpu = $$"""
        #!/bin/bash
        if [ "$1" = devices ]; then echo "cuda: no CUDA driver: looked for libcuda.so, libcuda.so.1"; echo "host  host CPU"; exit 0; fi
        echo '{{NoCudaError}}' >&2; exit 2
        """;

    /// <summary>vaegpu as it might answer on a GPU: every case passes, the step takes 250 us on the device.</summary>
    const string GpuVaegpu = """
        #!/bin/bash
        case "$1" in
        devices) echo "cuda: libcuda.so.1, driver 13.0"; echo "cuda:0  NVIDIA H100";;
        check) echo '{"device":"cuda:0","passed":true,"cases":2,"failed":0,"results":[{"family":"product","name":"a","passed":true},{"family":"adam","name":"b","passed":true}]}';;
        bench) echo '{"device":"cuda:0","step":{"enqueue_us":40.0,"device_us":250.0,"wall_us":300.0,"launches":20,"bytes_read_back":0},"operations":[],"epoch":{"seconds":1.5,"test_elbo":262.1,"note":"measured"},"model_h100_step_us":180.0}';;
        train) mkdir -p "${@: -1}"; echo "epoch,train,test" > "${@: -1}/metrics.csv"; echo "epoch   1: train 270.1  test 262.5 nats/image";;
        *) exit 2;;
        esac
        """;

    /// <summary>A python that has "torch" (it answers the check's probe) and whose reference step prints fixed figures.</summary>
    static string PythonStub(string device, string? cuda) => $$"""
        #!/bin/bash
        [ "$1" = -c ] && exit 0
        echo '{"device": "{{device}}", "torch": "stub", "cuda": {{(cuda is null ? "null" : $"\"{cuda}\"")}}, "eager_step_us": 400.0, "eager_wall_us": 410.0, "graph_step_us": {{(cuda is null ? "null" : "125.0")}}, "graph_wall_us": null, "graph_reason": null}'
        """;

    const string NvidiaSmiStub = """
        #!/bin/bash
        if [ $# -gt 0 ]; then
            echo "name, driver_version, compute_cap, memory.total [MiB], memory.used [MiB], clocks.current.sm [MHz], clocks.max.sm [MHz], clocks.current.memory [MHz], clocks.max.memory [MHz], power.draw [W], power.limit [W], temperature.gpu, pstate, pci.bus_id"
            echo "NVIDIA H100 80GB HBM3, 580.65.06, 9.0, 81559, 0, 345, 1980, 2619, 2619, 70.10, 700.00, 31, P0, 00000000:19:00.0"
        else
            echo "| NVIDIA-SMI 580.65.06    Driver Version: 580.65.06    CUDA Version: 13.0 |"
        fi
        """;

    const string NcuStub = """
        #!/bin/bash
        echo "==PROF== Connected to process 1"
        echo "  matmul_kernel (16, 7, 1)x(256, 1, 1), Context 1, Stream 7, Device 0, CC 9.0"
        """;

    TemporaryFolder folder = null!;

    [SetUp]
    public void RequireTools()
    {
        if (!OperatingSystem.IsLinux()) Assert.Ignore("the GPU scripts are bash scripts for Linux");
        foreach (var tool in new[] { "bash", "timeout", "gzip" })
            if (Which(tool) is null) Assert.Ignore($"{tool} is not installed, and the GPU scripts need it");
        folder = new TemporaryFolder();
    }

    [TearDown]
    public void RemoveFolder() => folder?.Dispose();

    [Test]
    public void WithoutAGpuEveryCudaStepFailsInOneLineAndTheReportIsComplete()
    {
        string bundle = FakeBundle(NoGpuVaegpu), report = folder.File("report");
        var clock = Stopwatch.StartNew();

        var (exitCode, _, error) = GpuCheck(bundle, report, WithPythonStub(PythonStub("cpu (2 threads)", null)));

        Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(30)), "stubs answer at once");
        Assert.That(exitCode, Is.EqualTo(1), error);
        using var json = ReadReport(report);
        var steps = json.RootElement.GetProperty("steps");
        Assert.That(steps.EnumerateObject().Select(step => step.Name), Is.EqualTo(StepNames));
        Assert.That(steps.GetProperty("devices").GetProperty("status").GetString(), Is.EqualTo("ok"));
        foreach (var name in new[] { "check", "bench", "epoch" })
        {
            Assert.That(steps.GetProperty(name).GetProperty("exit").GetInt32(), Is.EqualTo(2), name);
            Assert.That(steps.GetProperty(name).GetProperty("note").GetString(), Is.EqualTo(NoCudaError), name);
            Assert.That(File.ReadAllText(Path.Combine(report, name + ".err")).Trim(), Is.EqualTo(NoCudaError), name + ": raw stderr kept");
        }
        Assert.That(steps.GetProperty("pytorch").GetProperty("status").GetString(), Is.EqualTo("ok"));
        Assert.That(steps.GetProperty("pytorch").GetProperty("command").GetString(), Does.Contain("--device cpu"), "no GPU: PyTorch on the CPU");
        var comparison = json.RootElement.GetProperty("comparison");
        Assert.That(comparison.GetProperty("pytorch_eager_step_us").GetDouble(), Is.EqualTo(400.0));
        Assert.That(comparison.GetProperty("vaegpu_step_device_us").ValueKind, Is.EqualTo(JsonValueKind.Null));
        Assert.That(comparison.GetProperty("vaegpu_over_eager").ValueKind, Is.EqualTo(JsonValueKind.Null));
        string text = File.ReadAllText(Path.Combine(report, "report.txt"));
        Assert.That(text, Does.Contain("| VaeGpu step, device time").And.Contain("| PyTorch CUDA-graph step").And.Contain("result: exit 1"));
        foreach (var name in StepNames) Assert.That(File.Exists(Path.Combine(report, name + ".exit")), name);
    }

    [Test]
    public void OnAGpuThatPassesEverythingTheTableHasTheRatiosAndTheExitCodeIsZero()
    {
        string bundle = FakeBundle(GpuVaegpu), report = folder.File("report"), tools = Directory.CreateDirectory(folder.File("tools")).FullName;
        WriteExecutable(Path.Combine(tools, "nvidia-smi"), NvidiaSmiStub);
        WriteExecutable(Path.Combine(tools, "ncu"), NcuStub);
        var environment = WithPythonStub(PythonStub("NVIDIA H100 80GB HBM3", "13.0"));
        environment["PATH"] = tools + ":" + Environment.GetEnvironmentVariable("PATH");

        var (exitCode, _, error) = GpuCheck(bundle, report, environment);

        Assert.That(exitCode, Is.Zero, error + File.ReadAllText(Path.Combine(report, "steps.tsv")));
        using var json = ReadReport(report);
        var comparison = json.RootElement.GetProperty("comparison");
        Assert.That(comparison.GetProperty("vaegpu_step_device_us").GetDouble(), Is.EqualTo(250.0));
        Assert.That(comparison.GetProperty("vaegpu_model_h100_step_us").GetDouble(), Is.EqualTo(180.0));
        Assert.That(comparison.GetProperty("vaegpu_over_eager").GetDouble(), Is.EqualTo(0.625));
        Assert.That(comparison.GetProperty("vaegpu_over_graph").GetDouble(), Is.EqualTo(2.0));
        var gpu = json.RootElement.GetProperty("gpu")[0];
        Assert.That(gpu.GetProperty("name").GetString(), Is.EqualTo("NVIDIA H100 80GB HBM3"));
        Assert.That(gpu.GetProperty("clocks.max.sm").GetString(), Is.EqualTo("1980"));
        Assert.That(json.RootElement.GetProperty("cuda_driver_version").GetString(), Is.EqualTo("13.0"));
        Assert.That(json.RootElement.GetProperty("ncu").GetProperty("kernels")[0].GetString(), Is.EqualTo("matmul_kernel"));
        Assert.That(json.RootElement.GetProperty("steps").GetProperty("pytorch").GetProperty("command").GetString(), Does.Contain("--device cuda"));
        string text = File.ReadAllText(Path.Combine(report, "report.txt"));
        Assert.That(text, Does.Contain("| VaeGpu / PyTorch eager (device times; above 1: VaeGpu slower) | 0.625 |"));
        Assert.That(text, Does.Contain("| VaeGpu / PyTorch graph | 2.000 |"));
        Assert.That(text, Does.Contain("GPU: NVIDIA H100 80GB HBM3, driver 580.65.06 (CUDA 13.0)"));
    }

    /// <summary>
    /// A step that hangs (here devices, the first vaegpu step) is killed at what is left of the budget, the later steps
    /// are skipped, and the report is still whole.
    /// </summary>
    [Test]
    public void AHangingStepIsKilledAndTheBudgetHolds()
    {
        string bundle = FakeBundle("#!/bin/bash\n[ \"$1\" = devices ] && { echo started; sleep 600; }\necho \"$1 done\"\n"), report = folder.File("report");
        var environment = WithPythonStub(PythonStub("cpu", null));
        environment["GPU_CHECK_BUDGET_S"] = "10";
        var clock = Stopwatch.StartNew();

        var (exitCode, _, error) = GpuCheck(bundle, report, environment);

        Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(10 + 15)), "the budget, the kill grace and the report");
        Assert.That(exitCode, Is.EqualTo(1), error);
        using var json = ReadReport(report);
        var steps = json.RootElement.GetProperty("steps");
        Assert.That(steps.GetProperty("devices").GetProperty("status").GetString(), Is.EqualTo("timed out"));
        Assert.That(steps.GetProperty("devices").GetProperty("exit").GetInt32(), Is.AnyOf(124, 137));
        Assert.That(steps.GetProperty("devices").GetProperty("limit_s").GetInt32(), Is.LessThanOrEqualTo(10 - 3), "cut to the budget");
        foreach (var name in new[] { "check", "bench", "epoch", "pytorch" })
        {
            Assert.That(steps.GetProperty(name).GetProperty("status").GetString(), Is.EqualTo("skipped"), name);
            Assert.That(steps.GetProperty(name).GetProperty("note").GetString(), Does.Contain("budget was spent"), name);
        }
        Assert.That(File.ReadAllText(Path.Combine(report, "devices.out")), Does.StartWith("started"), "raw output kept up to the kill");
    }

    [Test]
    public void ABadCallIsOneLineAndExitCodeTwo()
    {
        string bundle = FakeBundle(NoGpuVaegpu), full = Directory.CreateDirectory(folder.File("full")).FullName;
        File.WriteAllText(Path.Combine(full, "old.txt"), "kept");
        File.Delete(Path.Combine(bundle, "pytorch_vae_step.py"));
        string complete = FakeBundle(NoGpuVaegpu, "complete");

        foreach (var (arguments, expected) in new (string[], string)[]
        {
            ([bundle], "usage"),
            ([folder.File("nowhere"), folder.File("r1")], "is not a folder"),
            ([bundle, folder.File("r2")], "pytorch_vae_step.py is missing"),
            ([complete, full], "is not empty"),
        })
        {
            var (exitCode, output, error) = Run(Path.Combine(VaegpuProcess.RepositoryRoot(), "scripts", "gpu-check.sh"), arguments, []);
            Assert.That(exitCode, Is.EqualTo(2), expected);
            Assert.That(output, Is.Empty, expected);
            Assert.That(error.TrimEnd().Split('\n'), Has.Length.EqualTo(1).And.All.StartWith("gpu-check: ").And.One.Contain(expected));
        }
        Assert.That(Directory.GetFileSystemEntries(full), Has.Length.EqualTo(1), "a non-empty report folder is left alone");
    }

    [Test]
    public void TheBundleHoldsTheScriptsAndTheFirstTrainingImagesAsIdx()
    {
        string data = IdxWriter.WriteFashionMnistLike(folder.File("idx"), 40, 20), bundle = folder.File("bundle");
        string stub = WriteExecutable(folder.File("vaegpu-stub"), NoGpuVaegpu);

        var (exitCode, _, error) = GpuBundle(bundle, new() { ["VAEGPU"] = stub, ["FASHION_MNIST"] = data, ["VAEGPU_BUNDLE_TRAIN_IMAGES"] = "32" });

        Assert.That(exitCode, Is.Zero, error);
        Assert.That(Directory.GetFiles(bundle, "*", SearchOption.AllDirectories).Select(file => Path.GetRelativePath(bundle, file)).Order(),
            Is.EqualTo(new[] { "BUNDLE.txt", "data/t10k-images-idx3-ubyte.gz", "data/t10k-labels-idx1-ubyte.gz", "data/train-images-idx3-ubyte.gz",
                "data/train-labels-idx1-ubyte.gz", "gpu-check.sh", "pytorch_vae_step.py", "vaegpu" }));
        var train = IdxFile.ReadImages(Path.Combine(bundle, "data", "train-images-idx3-ubyte.gz"));
        var source = IdxFile.ReadImages(Path.Combine(data, "train-images-idx3-ubyte.gz"));
        Assert.That(train.Count, Is.EqualTo(32));
        Assert.That(train.Rows, Is.EqualTo(28));
        Assert.That(train.Bytes, Is.EqualTo(source.Bytes[..(32 * 784)]), "the first 32 images, unchanged");
        Assert.That(IdxFile.ReadLabels(Path.Combine(bundle, "data", "train-labels-idx1-ubyte.gz")),
            Is.EqualTo(IdxFile.ReadLabels(Path.Combine(data, "train-labels-idx1-ubyte.gz"))[..32]));
        Assert.That(File.ReadAllBytes(Path.Combine(bundle, "data", "t10k-images-idx3-ubyte.gz")), Is.EqualTo(File.ReadAllBytes(Path.Combine(data, "t10k-images-idx3-ubyte.gz"))));
        Assert.That(File.ReadAllText(Path.Combine(bundle, "gpu-check.sh")), Is.EqualTo(File.ReadAllText(Path.Combine(VaegpuProcess.RepositoryRoot(), "scripts", "gpu-check.sh"))));
        Assert.That(File.GetUnixFileMode(Path.Combine(bundle, "vaegpu")).HasFlag(UnixFileMode.UserExecute));
        Assert.That(File.ReadAllText(Path.Combine(bundle, "BUNDLE.txt")), Does.Contain("the first 32 of the 40 training images"));

        (exitCode, _, error) = GpuBundle(bundle, new() { ["VAEGPU"] = stub, ["FASHION_MNIST"] = data, ["VAEGPU_BUNDLE_TRAIN_IMAGES"] = "32" });
        Assert.That(exitCode, Is.Not.Zero);
        Assert.That(error.TrimEnd(), Does.Not.Contain('\n').And.Contain("is not empty"));
    }

    [Test]
    public void ABundleOverSixtyMebibytesIsRefusedInOneLineAndLeavesNothing()
    {
        string data = IdxWriter.WriteFashionMnistLike(folder.File("idx"), 40, 20), bundle = Directory.CreateDirectory(folder.File("bundle")).FullName;
        string big = folder.File("vaegpu-big");
        using (var file = File.Create(big)) file.SetLength(61L << 20);  // sparse: cheap to write and to copy
        File.SetUnixFileMode(big, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        var (exitCode, _, error) = GpuBundle(bundle, new() { ["VAEGPU"] = big, ["FASHION_MNIST"] = data, ["VAEGPU_BUNDLE_TRAIN_IMAGES"] = "32" });

        Assert.That(exitCode, Is.EqualTo(1));
        Assert.That(error.TrimEnd(), Does.Not.Contain('\n').And.Contain("over the 60 MiB limit"));
        Assert.That(Directory.GetFileSystemEntries(bundle), Is.Empty, "the folder is left as it was found");
    }

    /// <summary>The real reference script on the CPU, where a Python with torch is installed: one JSON object, no graph timing.</summary>
    [Test]
    public void ThePyTorchReferenceRunsOnTheCpu()
    {
        string? python = new[] { "python3", "/usr/bin/python3" }.Select(Which).FirstOrDefault(path => path is not null
            && Run(path, ["-c", "import torch"], []).ExitCode == 0);
        if (python is null) Assert.Ignore("no Python with torch here (Debian: apt-get install python3-torch)");
        string data = IdxWriter.WriteFashionMnistLike(folder.File("idx"), 200, 20);

        var (exitCode, output, error) = Run(python, [Path.Combine(VaegpuProcess.RepositoryRoot(), "scripts", "gpu", "pytorch_vae_step.py"),
            "--device", "cpu", "--repeats", "5", "--warmup", "2", "--data", data], []);

        Assert.That(exitCode, Is.Zero, error);
        using var json = JsonDocument.Parse(output);
        Assert.That(json.RootElement.GetProperty("eager_step_us").GetDouble(), Is.GreaterThan(0));
        Assert.That(json.RootElement.GetProperty("eager_loss_per_sample").GetDouble(), Is.GreaterThan(0).And.LessThan(2000));
        Assert.That(json.RootElement.GetProperty("graph_step_us").ValueKind, Is.EqualTo(JsonValueKind.Null));
        Assert.That(json.RootElement.GetProperty("graph_reason").GetString(), Does.Contain("CUDA"));
        Assert.That(json.RootElement.GetProperty("repeats").GetInt32(), Is.EqualTo(5));
    }

    /// <summary>A bundle folder like gpu-bundle.sh's, with this vaegpu script, the real gpu-check.sh and placeholder data.</summary>
    string FakeBundle(string vaegpu, string name = "bundle")
    {
        string bundle = Directory.CreateDirectory(folder.File(name)).FullName, data = Directory.CreateDirectory(Path.Combine(bundle, "data")).FullName;
        WriteExecutable(Path.Combine(bundle, "vaegpu"), vaegpu);
        File.WriteAllText(Path.Combine(bundle, "pytorch_vae_step.py"), "# run by the Python stub, never by Python\n");
        foreach (var file in new[] { "train-images-idx3-ubyte.gz", "t10k-images-idx3-ubyte.gz" }) File.WriteAllBytes(Path.Combine(data, file), []);
        return bundle;
    }

    /// <summary>The environment for a check: the Python stub as $PYTHON, found first.</summary>
    Dictionary<string, string> WithPythonStub(string pythonStub) =>
        new() { ["PYTHON"] = WriteExecutable(folder.File("python-stub"), pythonStub) };

    static (int ExitCode, string Output, string Error) GpuCheck(string bundle, string report, Dictionary<string, string> environment) =>
        Run(Path.Combine(VaegpuProcess.RepositoryRoot(), "scripts", "gpu-check.sh"), [bundle, report], environment);

    static (int ExitCode, string Output, string Error) GpuBundle(string bundle, Dictionary<string, string> environment) =>
        Run(Path.Combine(VaegpuProcess.RepositoryRoot(), "scripts", "gpu-bundle.sh"), [bundle], environment);

    static JsonDocument ReadReport(string report)
    {
        Assert.That(File.Exists(Path.Combine(report, "report.txt")), "report.txt");
        return JsonDocument.Parse(File.ReadAllText(Path.Combine(report, "report.json")));
    }

    static string WriteExecutable(string path, string text)
    {
        File.WriteAllText(path, text.ReplaceLineEndings("\n") + "\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }

    static string? Which(string program) => program.Contains('/')
        ? (File.Exists(program) ? program : null)
        : (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, program)).FirstOrDefault(File.Exists);

    /// <summary>Runs a program with these variables added to the test's environment; 120 s at most, then it is killed and the test fails.</summary>
    static (int ExitCode, string Output, string Error) Run(string program, IEnumerable<string> arguments, Dictionary<string, string> environment)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Path.GetTempPath() };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        foreach (var (name, value) in environment) start.Environment[name] = value;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(120)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{program} ran past 120 s");
        }
        process.WaitForExit();
        return (process.ExitCode, output.Result, error.Result);
    }
}
