using VaeGpu.Host.Names;
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
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
/// bytes it reads back; Fashion-MNIST epochs; the Gaussian estimator lab's samples/s. Wall times are by stream
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
            var report = Measure(backend, repeatCount, dataset, epochCount, simulator, skipped);
            var loadAtEnd = MachineLoad.Read(Environment.ProcessId, includeReapedChildren: false);
            report = report with { MachineLoad = loadAtStart is { } s && loadAtEnd is { } e ? MachineLoad.Between(s, e) : null };
            Console.WriteLine(parsed.GetValue(json) ? Json(report) : Table(report));
            return 0;
        });
        return command;
    }

    /// <summary>
    /// One operation: median wall time alone and in the step, device time, its share of the step (by in-step times), the
    /// rates at the in-step time (device time where there is one), and a raw sgemm's rate for a product on the host path.
    /// </summary>
    sealed record OperationTime(string Name, double MedianMicroseconds, double InStepMicroseconds, double Share, double? DeviceMicroseconds,
        double? GigaflopsPerSecond, double? GigabytesPerSecond, double? SgemmGigaflopsPerSecond, long? Launches,
        IReadOnlyList<LaunchRecord> LaunchLog, long? H100Groups, double? ModelH100Microseconds);

    /// <summary>
    /// The whole step; ProductsMicroseconds is its products' in-step time, ProductsAtSgemmMicroseconds what they take as
    /// raw sgemm calls (host path with OpenBLAS only).
    /// </summary>
    sealed record StepTime(double EnqueueMicroseconds, double? DeviceMicroseconds, double WallMicroseconds, double OperationsSumMicroseconds,
        double ProductsMicroseconds, double? ProductsAtSgemmMicroseconds, long? Launches, long? BytesReadBack);

    /// <summary>
    /// One timed epoch. SgemmGigaflopsPerSecond is the probe just before it (one step's products as raw sgemm calls);
    /// ShareOfSgemm = the epoch's products at that speed / the epoch's time (host path with OpenBLAS only).
    /// </summary>
    sealed record EpochRound(double Seconds, double? SgemmGigaflopsPerSecond, double? ShareOfSgemm);

    sealed record EpochTime(bool Measured, IReadOnlyList<EpochRound> Rounds, double Gigaflop, double? TestElbo, string Note)
    {
        public double MedianSeconds => Medians.Of(Rounds.Select(round => round.Seconds).ToList());
        public double? MedianShareOfSgemm => Rounds.All(round => round.ShareOfSgemm is not null)
            ? Medians.Of(Rounds.Select(round => round.ShareOfSgemm!.Value).ToList())
            : null;
    }

    sealed record Report(string Device, int Threads, int Repeats, IReadOnlyList<OperationTime> Operations, StepTime Step, EpochTime Epoch,
        IReadOnlyDictionary<string, double> EstimatorLabSamplesPerSecond, int EstimatorLabSamples, IReadOnlyDictionary<string, double> SamplerSamplesPerSecond,
        IReadOnlyList<ObjectiveStepTime> Objectives, long PeakResidentBytes,
        (double Busy, double Ours, double Others)? MachineLoad, string? Gemm, IReadOnlyDictionary<string, double>? ProductKernels)
    {
        /// <summary>The modelled H100 step: the sum of its operations' modelled launches (null on the host path, which launches nothing).</summary>
        public double? ModelH100StepMicroseconds => Operations.All(o => o.ModelH100Microseconds is not null) ? Operations.Sum(o => o.ModelH100Microseconds!.Value) : null;
    }

    /// <summary>The product bench compares the kernels on, the canonical step's largest forward product (128 x 400 x 784).</summary>
    const int ComparedM = 128, ComparedN = 400, ComparedK = 784;

    static Report Measure(IBackend backend, int repeats, ImageDataset? dataset, int epochs, bool simulator, string? skipped)
    {
        var step = new StepOperations(backend);
        // The host backend runs synchronously and launches nothing: it has no launches or read-backs to count.
        bool counts = backend is not HostBackend;
        var host = backend as HostBackend;
        var sgemm = host is { UsesOpenBlas: true } ? new SgemmReference(OpenBlas.Instance!, host.Threads) : null;
        var inStep = InStepMedians(backend, step.All, repeats);
        double inStepTotal = inStep.Sum();
        var operations = step.All.Select((operation, i) =>
        {
            var (launches, log) = Launches(backend, operation.Run);
            long? h100Groups = operation.Product is { } product
                ? ProductPlan.For(MatMulShape.Create(product.M, product.N, product.K, product.TransposeA, product.TransposeB), splitK: true).Groups
                : log.Count > 0 ? H100Model.Groups(log[0]) : null;
            double efficiency = operation.Product is null ? 1 : H100Model.RegisterBlockedEfficiency;
            double? model = counts ? 1e6 * (H100Model.Seconds(operation.Flop, operation.Bytes, h100Groups, efficiency) + (launches - 1) * H100Model.LaunchSeconds) : null;
            double median = Median(backend, operation.Run, repeats);
            double? device = DeviceMedian(backend, operation.Run, repeats);
            double rateTime = device ?? inStep[i];
            double? sgemmRate = sgemm is not null && operation.Product is { } shape ? shape.Flop / sgemm.Seconds(shape, repeats) / 1e9 : null;
            return new OperationTime(operation.Name, median, inStep[i], inStep[i] / inStepTotal, device,
                operation.Flop > 0 ? operation.Flop / rateTime / 1e3 : null, operation.Bytes / rateTime / 1e3, sgemmRate, counts ? launches : null,
                log, h100Groups, model);
        }).ToList();
        var products = step.All.Where(operation => operation.Product is not null).Select(operation => operation.Product!).ToList();
        double productsInStep = step.All.Select((operation, i) => operation.Product is null ? 0 : inStep[i]).Sum();
        double? productsAtSgemm = sgemm is null ? null : 1e6 * sgemm.Seconds(products, repeats);

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
        var stepTime = new StepTime(Medians.Of(enqueue), stepDevice, Medians.Of(wall), operations.Sum(o => o.MedianMicroseconds),
            productsInStep, productsAtSgemm, counts ? backend.Counters.KernelLaunches : null, counts ? backend.Counters.BytesFromDevice : null);

        double stepGigaflop = products.Sum(shape => shape.Flop) / 1e9;
        var epoch = dataset is null
            ? new EpochTime(false, [new EpochRound(Medians.Of(wall) * 469 / 1e6, null, null)], stepGigaflop * 60000 / StepOperations.Batch, null, simulator
                ? "not run on a simulator: 469 steps at the measured step wall time (estimate, no test pass)"
                : $"{skipped ?? "skipped (--no-epoch)"}: 469 steps at the measured step wall time (estimate, no test pass)")
            : Epochs(backend, dataset, epochs, products, sgemm, repeats);

        int labSamples = simulator ? 1 << 14 : backend is HostBackend ? 1 << 20 : 1 << 24;
        return new Report(backend.Name, host?.Threads ?? 0, repeats, operations, stepTime, epoch, EstimatorLab(backend, labSamples, repeats), labSamples,
            Samplers(backend, labSamples, repeats), simulator ? [] : ObjectiveSteps.Measure(backend, repeats),
            PeakResidentBytes(), null, DeviceCatalog.GemmLine(backend), ProductKernelComparison.Time(backend, ComparedM, ComparedN, ComparedK, repeats));
    }

    /// <summary>
    /// Each operation's median time where it stands in the step: the operations run in the step's order, repeats times,
    /// each between two synchronisations.
    /// </summary>
    static double[] InStepMedians(IBackend backend, IReadOnlyList<StepOperation> operations, int repeats) =>
        Medians.Interleaved(backend, [.. operations.Select(operation => operation.Run)], repeats);

    /// <summary>The process's peak resident memory so far (VmHWM in /proc/self/status), 0 where the system does not say.</summary>
    static long PeakResidentBytes()
    {
        try
        {
            var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
            return line is null ? 0 : 1024 * long.Parse(line["VmHWM:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
        }
        catch (IOException) { return 0; }
        catch (UnauthorizedAccessException) { return 0; }
    }

    /// <summary>The launches one call queues, and their log (what queued each, its threads and group size).</summary>
    static (long Launches, IReadOnlyList<LaunchRecord> Log) Launches(IBackend backend, Action run)
    {
        backend.Synchronize();
        backend.Counters.Reset();
        backend.Counters.LogLaunches = true;
        run();
        backend.Counters.LogLaunches = false;
        backend.Synchronize();
        return (backend.Counters.KernelLaunches, [.. backend.Counters.LaunchLog]);
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
        return Medians.Of(times);
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
        return Medians.Of(times);
    }

    /// <summary>
    /// Real epochs of the canonical model on Fashion-MNIST, as `vaegpu train` runs them, then the last one's test pass.
    /// On the host path with OpenBLAS each epoch follows a probe of one step's products as raw sgemm calls; the epoch's
    /// products (linear in the batch rows, so the short last batch counts its share) at the probe's speed, over the
    /// epoch's time, is its share of sgemm.
    /// </summary>
    static EpochTime Epochs(IBackend backend, ImageDataset dataset, int epochs, IReadOnlyList<ProductShape> stepProducts, SgemmReference? sgemm, int repeats)
    {
        var model = new VaeModel(backend, StepOperations.Canonical with { Inputs = dataset.Train.PixelsPerImage }, StepOperations.Batch);
        model.Initialise(1);
        var options = new TrainingOptions(Epochs: epochs, BatchSize: StepOperations.Batch, LearningRate: 1e-3f, Optimizer.Adam, Seed: 1, Beta: 1f, KlWarmupEpochs: 0);
        var trainer = new Trainer(backend, model, options, dataset.Train, dataset.Test, new TrainingState());
        double stepGigaflop = stepProducts.Sum(shape => shape.Flop) / 1e9, epochSteps = (double)trainer.TrainCount / StepOperations.Batch;
        var rounds = new List<EpochRound>();
        var clock = new Stopwatch();
        for (int epoch = 1; epoch <= epochs; epoch++)
        {
            double? probeSeconds = sgemm?.Seconds(stepProducts, repeats);
            clock.Restart();
            trainer.TrainEpoch(CancellationToken.None);
            double seconds = clock.Elapsed.TotalSeconds;
            rounds.Add(probeSeconds is { } probe
                ? new EpochRound(seconds, stepGigaflop / probe, probe * epochSteps / seconds)
                : new EpochRound(seconds, null, null));
        }
        clock.Restart();
        var (testLoss, _) = trainer.TestLoss(epochs);
        return new EpochTime(true, rounds, stepGigaflop * epochSteps, testLoss,
            $"{trainer.StepsPerEpoch} steps; the test pass after epoch {epochs} took {clock.Elapsed.TotalSeconds:F2} s more");
    }

    /// <summary>
    /// Samples per second of each Gaussian-testbed estimator for one chunk of the lab: its terms kernel and the four
    /// reductions (sum and sum of squares of both rows) it needs per chunk.
    /// </summary>
    /// <summary>
    /// Normals per second of each sampler, as `vaegpu mc` draws them: the integrand f(z) = z over one chunk, by the
    /// Philox fill (mc) and by the sampled integrand (antithetic counts both members of a pair).
    /// </summary>
    static Dictionary<string, double> Samplers(IBackend backend, int samples, int repeats)
    {
        var operations = VaeGpu.Runtime.Experiments.MonteCarlo.MonteCarloOperations.For(backend);
        var values = backend.Allocate(samples, 1);
        var rates = new Dictionary<string, double>
        {
            [Vocabulary.Samplers.Name(Sampler.Mc)] = samples / (Median(backend, () => operations.Integrand(GaussianIntegrand.Identity, 0f, 1f, 1, 2, values), repeats) / 1e6),
        };
        foreach (var sampler in new[] { Sampler.Antithetic, Sampler.Stratified, Sampler.Rqmc })
        {
            double median = Median(backend, () => operations.SampledIntegrand(GaussianIntegrand.Identity, sampler, 0f, 1f, 1, 2, 3, samples, 0, 0f, values), repeats);
            rates[Vocabulary.Samplers.Name(sampler)] = (sampler == Sampler.Antithetic ? 2 : 1) * samples / (median / 1e6);
        }
        return rates;
    }

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
            rates[Vocabulary.Estimators.Name(estimator)] = samples / (median / 1e6);
        }
        return rates;
    }

    static string Table(Report report)
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
        text.AppendLine("training step by objective (canonical model, batch 128, objectives alternating): " + (report.Objectives.Count == 0
            ? "not run on a simulator"
            : string.Join("; ", report.Objectives.Select(o => string.Create(inv, $"{o.Name} {o.MedianMicroseconds / 1e3:F2} ms ({o.RatioToElbo:F2}x elbo)")))));
        if (report.PeakResidentBytes > 0) text.AppendLine(string.Create(inv, $"peak resident memory of this run: {report.PeakResidentBytes / 1e6:F0} MB"));
        if (report.MachineLoad is var (busy, ours, others))
            text.Append(string.Create(inv, $"machine load: {100 * busy:F0}% of {Environment.ProcessorCount} cores busy (this run {100 * ours:F0}%, others {100 * others:F0}%)"));
        return text.ToString().TrimEnd();
    }

    static string Json(Report report) => JsonSerializer.Serialize(new
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
        objectives = report.Objectives.Select(o => new { name = o.Name, step_us = o.MedianMicroseconds, ratio_to_elbo = o.RatioToElbo }),
        machine_load = report.MachineLoad is var (busy, ours, others) ? new { busy, ours, others } : null,
    });
}
