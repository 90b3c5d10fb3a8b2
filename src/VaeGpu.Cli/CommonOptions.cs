using System.CommandLine;
using VaeGpu.Host.Data;
using VaeGpu.Runtime;
using VaeGpu.Runtime.HostPath;
using VaeGpu.Runtime.Devices;

namespace VaeGpu.Cli;

/// <summary>Options that several commands share, so they read the same everywhere.</summary>
static class CommonOptions
{
    /// <summary>The help of --sampler (train, variance vae): what each sampler does and what it needs (DrawSamplers).</summary>
    public const string SamplerDescription = "how z is drawn: mc; or, with --objective iwae and the path-wise gradient, each image's --k draws as "
        + "antithetic pairs (K even), a Latin hypercube (stratified), or a scrambled Sobol point set (rqmc, latent <= 1024)";

    public static Option<string> Device() => new("--device")
    {
        Description = $"where to compute: {DeviceRequest.Syntax}",
        DefaultValueFactory = _ => "auto",
    };

    public static Option<string> Data() => new("--data")
    {
        Description = "fashion-mnist (Debian's dataset-fashion-mnist), a folder of MNIST-style IDX files or of train.npy and test.npy, or FILE.npy (uint8 or float32, [N, D] or [N, H, W])",
        DefaultValueFactory = _ => "fashion-mnist",
    };

    public static Option<double?> TestFraction() => new("--test-fraction")
    {
        Description = "with --data FILE.npy: the share of its images kept for testing, by a fixed shuffle (default 0.1)",
    };

    public static Option<string> Split() => new Option<string>("--split")
    {
        Description = "which images of --data: test, train, or all (a single .npy file whole, in the file's order; otherwise train then test)",
        DefaultValueFactory = _ => "test",
    }.AcceptingOnly("test", "train", "all");

    public static DataSplit ParseSplit(string text) => Enum.Parse<DataSplit>(text, ignoreCase: true);

    public static Option<ulong> Seed() => new("--seed")
    {
        Description = "seed of every random draw; the same seed gives the same numbers on every run and device",
        DefaultValueFactory = _ => 1,
    };

    public static Option<string> Gemm() => new("--gemm")
    {
        Description = GemmChoices.Description,
        DefaultValueFactory = _ => "auto",
    };

    static Option<string> AcceptingOnly(this Option<string> option, params string[] values)
    {
        option.AcceptOnlyFromAmong(values);
        return option;
    }

    /// <summary>Opens the device and says on stderr which it is (and, on a GPU, which product its matrix products run).</summary>
    public static IBackend OpenDevice(string text, string gemm = "auto")
    {
        var backend = DeviceCatalog.Open(DeviceRequest.Parse(text), GemmChoices.Parse(gemm), out string? passedOver);
        string threads = backend is HostBackend host ? $", {host.Threads} thread{(host.Threads == 1 ? "" : "s")}" : "";
        string product = DeviceCatalog.GemmLine(backend) is { } line ? $", gemm {line}" : "";
        Console.Error.WriteLine(passedOver is null ? $"device: {backend.Name}{threads}{product}" : $"device: {backend.Name}{threads}{product} (auto passed over {passedOver})");
        return backend;
    }
}
