using VaeGpu.Host.Names;
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using VaeGpu.Host.Diagnostics;
using static VaeGpu.Host.Diagnostics.BenchMeasurement;
using VaeGpu.Host.Files;
using VaeGpu.Host.Data;
using VaeGpu.Host.Model;
using VaeGpu.Host.Training;
using VaeGpu.Kernels;
using VaeGpu.Runtime;
using VaeGpu.Runtime.HostPath;
using VaeGpu.Runtime.Devices;
using VaeGpu.Runtime.Ilgpu;
using VaeGpu.Runtime.Experiments.GradientEstimators;

namespace VaeGpu.Cli.Bench;

/// <summary>
/// `vaegpu bench --device D`: a canonical training step taken apart, each operation's median time alone and in the
/// step (the operations run in the step's order, each timed where it stands, so caches are as cold as training leaves
/// them), its share of the step, GFLOP/s and GB/s; the whole step as enqueue, device and wall time, its launches and the
/// bytes it reads back; Fashion-MNIST epochs; the Gaussian estimator lab's samples/s; implicit draws with their gradients per second. Wall times are by stream
/// synchronisation (the wall clock around each call with Synchronize before and after), so they include the launch;
/// device times are between ILGPU profiling markers placed before and after the call on the device's stream.
/// On the host path with OpenBLAS every product is also timed as a raw multi-threaded sgemm of its shape (SgemmReference),
/// and each epoch is preceded by such a probe of one step's products: the epoch's share of that speed is the ratio the
/// host path is judged by, measured within seconds of it.
/// </summary>
static class BenchCommand
{
    const string Timing = "wall: the wall clock around each call, with Synchronize before and after; device: between ILGPU profiling markers on the stream (none on the host path)";

    public static Command Create()
    {
        var device = CommonOptions.Device();
        var gemm = CommonOptions.Gemm();
        var data = CommonOptions.Data();
        var json = new Option<bool>("--json") { Description = "print the results as one JSON object" };
        var repeats = new Option<int?>("--repeats") { Description = "timed runs per operation, median reported (default: 50 on CUDA, 20 on host, 3 elsewhere)" };
        var noEpoch = new Option<bool>("--no-epoch") { Description = "skip the Fashion-MNIST epochs" };
        var epochs = new Option<int?>("--epochs") { Description = "Fashion-MNIST epochs to time, each after its own sgemm probe on the host path (default: 3 on host, 1 elsewhere)" };
        var command = new Command("bench", "Time a training step operation by operation, a whole step and epochs, and the estimator lab on a device.")
            { device, gemm, data, json, repeats, noEpoch, epochs };
        command.SetAction(parsed =>
        {
            var request = DeviceRequest.Parse(parsed.GetValue(device)!);
            int repeatCount = parsed.GetValue(repeats) ?? request.Kind switch { DeviceKind.Cuda => 50, DeviceKind.Host => 20, _ => 3 };
            if (repeatCount is < 1 or > 10_000) throw new UserErrorException($"--repeats {repeatCount}: use 1 to 10000.");
            int epochCount = parsed.GetValue(epochs) ?? (request.Kind == DeviceKind.Host ? 3 : 1);
            if (epochCount is < 1 or > 100) throw new UserErrorException($"--epochs {epochCount}: use 1 to 100.");
            bool simulator = request.Kind is DeviceKind.Cpu or DeviceKind.OpenCL;
            // The data set is read before any device memory is spent. A missing one skips the epochs alone: everything
            // else is measured on generated images (a GPU machine may have no data set).
            ImageDataset? dataset = null;
            string? skipped = null;
            if (!parsed.GetValue(noEpoch) && !simulator)
            {
                try { dataset = ImageDataset.Load(parsed.GetValue(data)!); }
                catch (UserErrorException missing) { skipped = $"epochs skipped, no data set: {missing.Message}"; }
            }
            if (skipped is not null) Console.Error.WriteLine($"bench: {skipped}");
            var loadAtStart = MachineLoad.Read(Environment.ProcessId, includeReapedChildren: false);
            using var backend = CommonOptions.OpenDevice(parsed.GetValue(device)!, parsed.GetValue(gemm)!);
            var report = BenchMeasurement.Measure(backend, repeatCount, dataset, epochCount, simulator, skipped);
            var loadAtEnd = MachineLoad.Read(Environment.ProcessId, includeReapedChildren: false);
            report = report with { MachineLoad = loadAtStart is { } s && loadAtEnd is { } e ? MachineLoad.Between(s, e) : null };
            Console.WriteLine(parsed.GetValue(json) ? Json(report) : Table(report));
            return 0;
        });
        return command;
    }

    static string Table(BenchReport report)
    {
        var text = new System.Text.StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        string F(double? value, string format, string unit = "") => value is { } v ? v.ToString(format, inv) + unit : "-";
        string threads = report.Threads > 0 ? $", {report.Threads} threads" : "";
        text.AppendLine(string.Create(inv, $"bench on {report.Device}{threads}: median of {report.Repeats} runs each; timing: {Timing}"));
        if (report.Gemm is not null) text.AppendLine($"matrix products: {report.Gemm}");
        text.AppendLine(string.Create(inv, $"{"operation of a canonical step (784-400-20, batch 128)",-40} {"alone",9} {"in step",9} {"share",6} {"device",9} {"GFLOP/s",8} {"sgemm",8} {"GB/s",7} {"launches",8} {"groups here",12} {"H100 groups",11} {"H100 model",10}"));
        foreach (var o in report.Operations)
        {
            string groups = o.LaunchLog.Count == 0 ? "-" : string.Join("+", o.LaunchLog.Select(launch => launch.Groups is { } g ? $"{g}x{launch.GroupSize}" : "auto"));
            text.AppendLine(string.Create(inv, $"{o.Name,-40} {o.MedianMicroseconds,7:F1}us {o.InStepMicroseconds,7:F1}us {100 * o.Share,5:F1}% {F(o.DeviceMicroseconds, "F1", "us"),9} {F(o.GigaflopsPerSecond, "F1"),8} {F(o.SgemmGigaflopsPerSecond, "F1"),8} {o.GigabytesPerSecond,7:F1} {(o.Launches?.ToString(inv) ?? "-"),8} {groups,12} {(o.H100Groups?.ToString(inv) ?? "-"),11} {F(o.ModelH100Microseconds, "F1", "us"),10}"));
        }
        if (report.ModelH100StepMicroseconds is { } modelStep)
            text.AppendLine(string.Create(inv, $"modelled H100 step: {modelStep:F1} us ({H100Model.Description})"));
        if (report.ProductKernels is { } kernels)
            text.AppendLine(string.Create(inv, $"product {ComparedM}x{ComparedN}x{ComparedK} on this device, same run: register-blocked {kernels["register_blocked_64x64"]:F1} us, tiled 16x16 {kernels["tiled_16x16"]:F1} us ({kernels["tiled_16x16"] / kernels["register_blocked_64x64"]:F1}x faster)"));
        text.AppendLine("(GFLOP/s and GB/s at the in-step time, or the device time where there is one; sgemm: the same product as one raw OpenBLAS call on its own threads)");
        var s = report.Step;
        text.AppendLine(string.Create(inv, $"whole step: enqueue {s.EnqueueMicroseconds:F1} us, device {(s.DeviceMicroseconds is { } stepDevice ? stepDevice.ToString("F1", inv) + " us" : "- (host path)")}, wall {s.WallMicroseconds:F1} us (operations timed alone: {s.OperationsSumMicroseconds:F1} us)"));
        text.AppendLine(s.ProductsAtSgemmMicroseconds is { } atSgemm
            ? string.Create(inv, $"products: {s.ProductsMicroseconds:F1} us in the step; as raw sgemm calls {atSgemm:F1} us, so the whole step runs at {100 * atSgemm / s.WallMicroseconds:F1}% of sgemm speed")
            : string.Create(inv, $"products: {s.ProductsMicroseconds:F1} us in the step"));
        text.AppendLine(string.Create(inv, $"launches per step {(s.Launches?.ToString(inv) ?? "- (host path: no kernels)")}, bytes read back per step {(s.BytesReadBack?.ToString(inv) ?? "- (host path)")}"));
        var e = report.Epoch;
        if (!e.Measured)
            text.AppendLine(string.Create(inv, $"Fashion-MNIST epoch: ~{e.MedianSeconds:F1} s, {e.Note}"));
        else
        {
            for (int i = 0; i < e.Rounds.Count; i++)
            {
                var round = e.Rounds[i];
                text.AppendLine(round.ShareOfSgemm is { } share
                    ? string.Create(inv, $"Fashion-MNIST epoch {i + 1}: {round.Seconds:F2} s; sgemm probe just before: {round.SgemmGigaflopsPerSecond:F1} GFLOP/s, at which the epoch's {e.Gigaflop:F1} GFLOP of products take {share * round.Seconds:F2} s: {100 * share:F1}% of sgemm")
                    : string.Create(inv, $"Fashion-MNIST epoch {i + 1}: {round.Seconds:F2} s"));
            }
            text.AppendLine(string.Create(inv, $"median epoch {e.MedianSeconds:F2} s{(e.MedianShareOfSgemm is { } median ? $", {100 * median:F1}% of sgemm" : "")}; test -ELBO {e.TestElbo:F2} nats/image ({e.Note})"));
        }
        string rates = string.Join(", ", report.EstimatorLabSamplesPerSecond.Select(pair => string.Create(inv, $"{pair.Key} {pair.Value / 1e6:F1} M samples/s")));
        text.AppendLine(string.Create(inv, $"Gaussian estimator lab, {report.EstimatorLabSamples} samples per chunk: {rates}"));
        double mcRate = report.SamplerSamplesPerSecond[Vocabulary.Samplers.Name(Sampler.Mc)];
        string samplers = string.Join(", ", report.SamplerSamplesPerSecond.Select(pair =>
            string.Create(inv, $"{pair.Key} {pair.Value / 1e6:F1} M/s ({100 * pair.Value / mcRate:F0}% of mc)")));
        text.AppendLine($"mc samplers, normals per second through f(z) = z: {samplers}");
        var d = report.ImplicitDraws;
        string gammas = string.Join(", ", d.GammaPerSecond.Select(pair => string.Create(inv, $"alpha {pair.Key} {pair.Value / 1e6:F2} M/s ({pair.Value / d.NormalFillPerSecond:F3}x)")));
        text.AppendLine(string.Create(inv, $"implicit draws with their gradients, {d.Draws} per call: Gamma {gammas}; von Mises kappa 2 {d.VonMisesPerSecond / 1e6:F2} M/s ({d.VonMisesPerSecond / d.NormalFillPerSecond:F3}x); Philox normal fill {d.NormalFillPerSecond / 1e6:F1} M/s (1x)"));
        text.AppendLine("training step by objective (canonical model, batch 128, objectives alternating): " + (report.Objectives.Count == 0
            ? "not run on a simulator"
            : string.Join("; ", report.Objectives.Select(o => string.Create(inv, $"{o.Name} {o.MedianMicroseconds / 1e3:F2} ms ({o.RatioToElbo:F2}x elbo)")))));
        if (report.PeakResidentBytes > 0) text.AppendLine(string.Create(inv, $"peak resident memory of this run: {report.PeakResidentBytes / 1e6:F0} MB"));
        if (report.MachineLoad is var (busy, ours, others))
            text.Append(string.Create(inv, $"machine load: {100 * busy:F0}% of {Environment.ProcessorCount} cores busy (this run {100 * ours:F0}%, others {100 * others:F0}%)"));
        return text.ToString().TrimEnd();
    }

    static string Json(BenchReport report) => JsonSerializer.Serialize(new
    {
        device = report.Device,
        threads = report.Threads,
        timing = Timing,
        repeats = report.Repeats,
        operations = report.Operations.Select(o => new
        {
            name = o.Name, median_us = o.MedianMicroseconds, in_step_us = o.InStepMicroseconds, share = o.Share, device_us = o.DeviceMicroseconds,
            gflops = o.GigaflopsPerSecond, sgemm_gflops = o.SgemmGigaflopsPerSecond, gbytes_per_s = o.GigabytesPerSecond, launches = o.Launches,
            launch_log = o.LaunchLog.Select(launch => new { operation = launch.Operation, threads = launch.Threads, group_size = launch.GroupSize, groups = launch.Groups }),
            h100_groups = o.H100Groups, model_h100_us = o.ModelH100Microseconds,
        }),
        gemm = report.Gemm,
        model_h100_step_us = report.ModelH100StepMicroseconds,
        model_h100_note = H100Model.Description,
        product_kernels_us = report.ProductKernels is { } kernels ? new { m = ComparedM, n = ComparedN, k = ComparedK, median_us = kernels } : null,
        peak = new { gflops = (double?)null, gbytes_per_s = (double?)null, note = "not known to VaeGpu yet for this device" },
        step = new
        {
            enqueue_us = report.Step.EnqueueMicroseconds, device_us = report.Step.DeviceMicroseconds, wall_us = report.Step.WallMicroseconds, operations_sum_us = report.Step.OperationsSumMicroseconds,
            products_us = report.Step.ProductsMicroseconds, products_at_sgemm_us = report.Step.ProductsAtSgemmMicroseconds,
            launches = report.Step.Launches, bytes_read_back = report.Step.BytesReadBack,
        },
        epoch = new
        {
            measured = report.Epoch.Measured, seconds = report.Epoch.MedianSeconds, share_of_sgemm = report.Epoch.MedianShareOfSgemm, gigaflop = report.Epoch.Gigaflop,
            rounds = report.Epoch.Rounds.Select(round => new { seconds = round.Seconds, sgemm_gflops = round.SgemmGigaflopsPerSecond, share_of_sgemm = round.ShareOfSgemm }),
            test_elbo = report.Epoch.TestElbo, note = report.Epoch.Note,
        },
        peak_resident_bytes = report.PeakResidentBytes,
        estimator_lab = new { samples = report.EstimatorLabSamples, samples_per_second = report.EstimatorLabSamplesPerSecond },
        samplers = new { samples = report.EstimatorLabSamples, normals_per_second = report.SamplerSamplesPerSecond },
        implicit_draws = new
        {
            draws = report.ImplicitDraws.Draws, normal_fill_per_second = report.ImplicitDraws.NormalFillPerSecond,
            gamma_per_second = report.ImplicitDraws.GammaPerSecond, von_mises_per_second = report.ImplicitDraws.VonMisesPerSecond,
        },
        objectives = report.Objectives.Select(o => new { name = o.Name, step_us = o.MedianMicroseconds, ratio_to_elbo = o.RatioToElbo }),
        machine_load = report.MachineLoad is var (busy, ours, others) ? new { busy, ours, others } : null,
    });
}
