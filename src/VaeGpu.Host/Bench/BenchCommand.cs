using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using VaeGpu.Host.Cli;
using VaeGpu.Host.Data;
using VaeGpu.Host.Model;
using VaeGpu.Host.Training;
using VaeGpu.Kernels;
using VaeGpu.Runtime;
using VaeGpu.Runtime.Cpu;
using VaeGpu.Runtime.Devices;
using VaeGpu.Runtime.Experiments.GradientEstimators;

namespace VaeGpu.Host.Bench;

/// <summary>
/// `vaegpu bench --device D`: a canonical training step taken apart, each operation's median time with its GFLOP/s
/// and GB/s; the whole step as enqueue, device and wall time, its launches and the bytes it reads back; one Fashion-MNIST
/// epoch; the Gaussian estimator lab's samples/s. Wall times are by stream synchronisation (the wall clock around each
/// call with Synchronize before and after), so they include the launch; device times are between ILGPU profiling
/// markers placed before and after the call on the device's stream.
/// </summary>
static class BenchCommand
{
    const string Timing = "wall: the wall clock around each call, with Synchronize before and after; device: between ILGPU profiling markers on the stream (none on the host path)";

    public static Command Create()
    {
        var device = CommonOptions.Device();
        var data = CommonOptions.Data();
        var json = new Option<bool>("--json") { Description = "print the results as one JSON object" };
        var repeats = new Option<int?>("--repeats") { Description = "timed runs per operation, median reported (default: 50 on CUDA, 20 on host, 3 elsewhere)" };
        var noEpoch = new Option<bool>("--no-epoch") { Description = "skip the Fashion-MNIST epoch" };
        var command = new Command("bench", "Time a training step operation by operation, a whole step and epoch, and the estimator lab on a device.")
            { device, data, json, repeats, noEpoch };
        command.SetAction(parsed =>
        {
            var request = DeviceRequest.Parse(parsed.GetValue(device)!);
            int repeatCount = parsed.GetValue(repeats) ?? request.Kind switch { DeviceKind.Cuda => 50, DeviceKind.Host => 20, _ => 3 };
            if (repeatCount is < 1 or > 10_000) throw new UserErrorException($"--repeats {repeatCount}: use 1 to 10000.");
            bool simulator = request.Kind is DeviceKind.Cpu or DeviceKind.OpenCL;
            // The data set is read before any device memory is spent, so a missing one fails at once.
            var dataset = parsed.GetValue(noEpoch) || simulator ? null : ImageDataset.Load(parsed.GetValue(data)!);
            var loadAtStart = MachineLoad.Read(Environment.ProcessId, includeReapedChildren: false);
            using var backend = CommonOptions.OpenDevice(parsed.GetValue(device)!);
            var report = Measure(backend, repeatCount, dataset, simulator);
            var loadAtEnd = MachineLoad.Read(Environment.ProcessId, includeReapedChildren: false);
            report = report with { MachineLoad = loadAtStart is { } s && loadAtEnd is { } e ? MachineLoad.Between(s, e) : null };
            Console.WriteLine(parsed.GetValue(json) ? Json(report) : Table(report));
            return 0;
        });
        return command;
    }

    sealed record OperationTime(string Name, double MedianMicroseconds, double? DeviceMicroseconds, double? GigaflopsPerSecond, double? GigabytesPerSecond, long? Launches);

    sealed record StepTime(double EnqueueMicroseconds, double? DeviceMicroseconds, double WallMicroseconds, double OperationsSumMicroseconds, long? Launches, long? BytesReadBack);

    sealed record EpochTime(bool Measured, double Seconds, double? TestElbo, string Note);

    sealed record Report(string Device, int Repeats, IReadOnlyList<OperationTime> Operations, StepTime Step, EpochTime Epoch,
        IReadOnlyDictionary<string, double> EstimatorLabSamplesPerSecond, int EstimatorLabSamples, (double Busy, double Ours, double Others)? MachineLoad);

    static Report Measure(IBackend backend, int repeats, ImageDataset? dataset, bool simulator)
    {
        var step = new StepOperations(backend);
        // The CPU backend runs synchronously and launches nothing: it has no launches or read-backs to count.
        bool counts = backend is not CpuBackend;
        var operations = step.All.Select(operation =>
        {
            long launches = Launches(backend, operation.Run);
            double median = Median(backend, operation.Run, repeats);
            double? device = DeviceMedian(backend, operation.Run, repeats);
            double rateTime = device ?? median;
            return new OperationTime(operation.Name, median, device, operation.Flop > 0 ? operation.Flop / rateTime / 1e3 : null,
                operation.Bytes / rateTime / 1e3, counts ? launches : null);
        }).ToList();

        var enqueue = new List<double>();
        var wall = new List<double>();
        step.Step();
        backend.Synchronize();
        for (int r = 0; r < repeats; r++)
        {
            var clock = Stopwatch.StartNew();
            step.Step();
            enqueue.Add(clock.Elapsed.TotalMicroseconds);
            backend.Synchronize();
            wall.Add(clock.Elapsed.TotalMicroseconds);
        }
        double? stepDevice = DeviceMedian(backend, step.Step, repeats);
        backend.Counters.Reset();
        step.Step();
        backend.Synchronize();
        var stepTime = new StepTime(MedianOf(enqueue), stepDevice, MedianOf(wall), operations.Sum(o => o.MedianMicroseconds),
            counts ? backend.Counters.KernelLaunches : null, counts ? backend.Counters.BytesFromDevice : null);

        var epoch = dataset is null
            ? new EpochTime(false, MedianOf(wall) * 469 / 1e6, null, simulator
                ? "not run on a simulator: 469 steps at the measured step wall time (estimate, no test pass)"
                : "skipped (--no-epoch): 469 steps at the measured step wall time (estimate, no test pass)")
            : Epoch(backend, dataset);

        int labSamples = simulator ? 1 << 14 : backend is CpuBackend ? 1 << 20 : 1 << 24;
        return new Report(backend.Name, repeats, operations, stepTime, epoch, EstimatorLab(backend, labSamples, repeats), labSamples, null);
    }

    static long Launches(IBackend backend, Action run)
    {
        backend.Synchronize();
        backend.Counters.Reset();
        run();
        backend.Synchronize();
        return backend.Counters.KernelLaunches;
    }

    static double Median(IBackend backend, Action run, int repeats)
    {
        var times = new List<double>(repeats);
        backend.Synchronize();
        for (int r = 0; r < repeats; r++)
        {
            var clock = Stopwatch.StartNew();
            run();
            backend.Synchronize();
            times.Add(clock.Elapsed.TotalMicroseconds);
        }
        return MedianOf(times);
    }

    /// <summary>The median device time of the call, in microseconds, or null where the backend has no device clock.</summary>
    static double? DeviceMedian(IBackend backend, Action run, int repeats)
    {
        var times = new List<double>(repeats);
        for (int r = 0; r < repeats; r++)
        {
            if (backend.DeviceTime(run) is not { } time) return null;
            times.Add(time.TotalMicroseconds);
        }
        return MedianOf(times);
    }

    static double MedianOf(List<double> values)
    {
        values.Sort();
        return values.Count % 2 == 1 ? values[values.Count / 2] : (values[values.Count / 2 - 1] + values[values.Count / 2]) / 2;
    }

    /// <summary>One real epoch of the canonical model on Fashion-MNIST and its test pass, as `vaegpu train` runs them.</summary>
    static EpochTime Epoch(IBackend backend, ImageDataset dataset)
    {
        var model = new VaeModel(backend, StepOperations.Canonical with { Inputs = dataset.Train.PixelsPerImage }, StepOperations.Batch);
        model.Initialise(1);
        var options = new TrainingOptions(Epochs: 1, BatchSize: StepOperations.Batch, LearningRate: 1e-3f, Optimizer.Adam, Seed: 1, Beta: 1f, KlWarmupEpochs: 0);
        var trainer = new Trainer(backend, model, options, dataset.Train, dataset.Test, new TrainingState());
        var clock = Stopwatch.StartNew();
        trainer.TrainEpoch(CancellationToken.None);
        double trainSeconds = clock.Elapsed.TotalSeconds;
        var (testLoss, _) = trainer.TestLoss(1);
        return new EpochTime(true, trainSeconds, testLoss, $"{trainer.StepsPerEpoch} steps; the test pass took {clock.Elapsed.TotalSeconds - trainSeconds:F2} s more");
    }

    /// <summary>
    /// Samples per second of each Gaussian-testbed estimator for one chunk of the lab: its terms kernel and the four
    /// reductions (sum and sum of squares of both rows) it needs per chunk.
    /// </summary>
    static Dictionary<string, double> EstimatorLab(IBackend backend, int samples, int repeats)
    {
        var operations = GradientEstimatorOperations.For(backend);
        var terms = backend.Allocate(2, samples);
        var (mu, sigma) = (backend.View(terms, 0, 1, samples), backend.View(terms, samples, 1, samples));
        var totals = backend.Allocate(1, 4);
        var problem = new GradientEstimatorProblem(GradientEstimatorCost.Quadratic, 1f, 1f, 1f);
        var rates = new Dictionary<string, double>();
        foreach (var estimator in new[] { GradientEstimator.Score, GradientEstimator.ScoreBaseline, GradientEstimator.Pathwise })
        {
            double median = Median(backend, () =>
            {
                operations.Terms(estimator, problem, 0.5f, 0.5f, 0f, 0f, 1, 2, 0, terms);
                backend.Sum(mu, backend.View(totals, 0, 1, 1));
                backend.SumOfSquares(mu, backend.View(totals, 1, 1, 1));
                backend.Sum(sigma, backend.View(totals, 2, 1, 1));
                backend.SumOfSquares(sigma, backend.View(totals, 3, 1, 1));
            }, repeats);
            rates[EstimatorNames.Name(estimator)] = samples / (median / 1e6);
        }
        return rates;
    }

    static string Table(Report report)
    {
        var text = new System.Text.StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        text.AppendLine(string.Create(inv, $"bench on {report.Device}: median of {report.Repeats} runs each; timing: {Timing}"));
        text.AppendLine(string.Create(inv, $"{"operation of a canonical step (784-400-20, batch 128)",-48} {"wall",10} {"device",10} {"GFLOP/s",9} {"GB/s",8} {"launches",9}"));
        foreach (var o in report.Operations)
            text.AppendLine(string.Create(inv, $"{o.Name,-48} {o.MedianMicroseconds,8:F1}us {(o.DeviceMicroseconds is { } d ? d.ToString("F1", inv) + "us" : "-"),10} {(o.GigaflopsPerSecond is { } g ? g.ToString("F2", inv) : "-"),9} {o.GigabytesPerSecond,8:F2} {(o.Launches?.ToString(inv) ?? "-"),9}"));
        var s = report.Step;
        text.AppendLine(string.Create(inv, $"whole step: enqueue {s.EnqueueMicroseconds:F1} us, device {(s.DeviceMicroseconds is { } stepDevice ? stepDevice.ToString("F1", inv) + " us" : "- (host path)")}, wall {s.WallMicroseconds:F1} us (operations timed one by one: {s.OperationsSumMicroseconds:F1} us)"));
        text.AppendLine(string.Create(inv, $"launches per step {(s.Launches?.ToString(inv) ?? "- (host path: no kernels)")}, bytes read back per step {(s.BytesReadBack?.ToString(inv) ?? "- (host path)")}"));
        var e = report.Epoch;
        text.AppendLine(e.Measured
            ? string.Create(inv, $"Fashion-MNIST epoch: {e.Seconds:F2} s, test -ELBO {e.TestElbo:F2} nats/image ({e.Note})")
            : string.Create(inv, $"Fashion-MNIST epoch: ~{e.Seconds:F1} s, {e.Note}"));
        string rates = string.Join(", ", report.EstimatorLabSamplesPerSecond.Select(pair => string.Create(inv, $"{pair.Key} {pair.Value / 1e6:F1} M samples/s")));
        text.AppendLine(string.Create(inv, $"Gaussian estimator lab, {report.EstimatorLabSamples} samples per chunk: {rates}"));
        if (report.MachineLoad is var (busy, ours, others))
            text.Append(string.Create(inv, $"machine load: {100 * busy:F0}% of {Environment.ProcessorCount} cores busy (this run {100 * ours:F0}%, others {100 * others:F0}%)"));
        return text.ToString().TrimEnd();
    }

    static string Json(Report report) => JsonSerializer.Serialize(new
    {
        device = report.Device,
        timing = Timing,
        repeats = report.Repeats,
        operations = report.Operations.Select(o => new
        {
            name = o.Name, median_us = o.MedianMicroseconds, device_us = o.DeviceMicroseconds, gflops = o.GigaflopsPerSecond, gbytes_per_s = o.GigabytesPerSecond, launches = o.Launches,
        }),
        peak = new { gflops = (double?)null, gbytes_per_s = (double?)null, note = "not known to VaeGpu yet for this device" },
        step = new
        {
            enqueue_us = report.Step.EnqueueMicroseconds, device_us = report.Step.DeviceMicroseconds, wall_us = report.Step.WallMicroseconds, operations_sum_us = report.Step.OperationsSumMicroseconds,
            launches = report.Step.Launches, bytes_read_back = report.Step.BytesReadBack,
        },
        epoch = new { measured = report.Epoch.Measured, seconds = report.Epoch.Seconds, test_elbo = report.Epoch.TestElbo, note = report.Epoch.Note },
        estimator_lab = new { samples = report.EstimatorLabSamples, samples_per_second = report.EstimatorLabSamplesPerSecond },
        machine_load = report.MachineLoad is var (busy, ours, others) ? new { busy, ours, others } : null,
    });
}
