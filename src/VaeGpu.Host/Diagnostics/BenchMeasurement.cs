using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using VaeGpu.Host.Data;
using VaeGpu.Host.Model;
using VaeGpu.Host.Names;
using VaeGpu.Host.Training;
using VaeGpu.Kernels;
using VaeGpu.Runtime;
using VaeGpu.Runtime.HostPath;
using VaeGpu.Runtime.Devices;
using VaeGpu.Runtime.Ilgpu;
using VaeGpu.Runtime.Experiments.GradientEstimators;

namespace VaeGpu.Host.Diagnostics;

/// <summary>
/// What `vaegpu bench` measures on a device: a canonical training step taken apart, each operation's median time alone
/// and in the step, its share, GFLOP/s and GB/s; the whole step as enqueue, device and wall time, its launches and the
/// bytes it reads back; Fashion-MNIST epochs; the estimator lab's and the samplers' samples/s; implicit draws with
/// their gradients per second; the objectives' steps.
/// Wall times are by stream synchronisation; device times are between ILGPU profiling markers on the device's stream.
/// </summary>
public static class BenchMeasurement
{
    /// <summary>
    /// One operation: median wall time alone and in the step, device time, its share of the step (by in-step times), the
    /// rates at the in-step time (device time where there is one), and a raw sgemm's rate for a product on the host path.
    /// </summary>
    public sealed record OperationTime(string Name, double MedianMicroseconds, double InStepMicroseconds, double Share, double? DeviceMicroseconds,
        double? GigaflopsPerSecond, double? GigabytesPerSecond, double? SgemmGigaflopsPerSecond, long? Launches,
        IReadOnlyList<LaunchRecord> LaunchLog, long? H100Groups, double? ModelH100Microseconds);

    /// <summary>
    /// The whole step; ProductsMicroseconds is its products' in-step time, ProductsAtSgemmMicroseconds what they take as
    /// raw sgemm calls (host path with OpenBLAS only).
    /// </summary>
    public sealed record StepTime(double EnqueueMicroseconds, double? DeviceMicroseconds, double WallMicroseconds, double OperationsSumMicroseconds,
        double ProductsMicroseconds, double? ProductsAtSgemmMicroseconds, long? Launches, long? BytesReadBack);

    /// <summary>
    /// One timed epoch. SgemmGigaflopsPerSecond is the probe just before it (one step's products as raw sgemm calls);
    /// ShareOfSgemm = the epoch's products at that speed / the epoch's time (host path with OpenBLAS only).
    /// </summary>
    public sealed record EpochRound(double Seconds, double? SgemmGigaflopsPerSecond, double? ShareOfSgemm);

    public sealed record EpochTime(bool Measured, IReadOnlyList<EpochRound> Rounds, double Gigaflop, double? TestElbo, string Note)
    {
        public double MedianSeconds => Medians.Of(Rounds.Select(round => round.Seconds).ToList());
        public double? MedianShareOfSgemm => Rounds.All(round => round.ShareOfSgemm is not null)
            ? Medians.Of(Rounds.Select(round => round.ShareOfSgemm!.Value).ToList())
            : null;
    }

    public sealed record BenchReport(string Device, int Threads, int Repeats, IReadOnlyList<OperationTime> Operations, StepTime Step, EpochTime Epoch,
        IReadOnlyDictionary<string, double> EstimatorLabSamplesPerSecond, int EstimatorLabSamples, IReadOnlyDictionary<string, double> SamplerSamplesPerSecond,
        ImplicitDrawRates ImplicitDraws, IReadOnlyList<ObjectiveStepTime> Objectives, long PeakResidentBytes,
        (double Busy, double Ours, double Others)? MachineLoad, string? Gemm, IReadOnlyDictionary<string, double>? ProductKernels)
    {
        /// <summary>The modelled H100 step: the sum of its operations' modelled launches (null on the host path, which launches nothing).</summary>
        public double? ModelH100StepMicroseconds => Operations.All(o => o.ModelH100Microseconds is not null) ? Operations.Sum(o => o.ModelH100Microseconds!.Value) : null;
    }

    /// <summary>The product bench compares the kernels on, the canonical step's largest forward product (128 x 400 x 784).</summary>
    public const int ComparedM = 128, ComparedN = 400, ComparedK = 784;

    public static BenchReport Measure(IBackend backend, int repeats, ImageDataset? dataset, int epochs, bool simulator, string? skipped)
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
            ? new EpochTime(false, [new EpochRound(Medians.Of(wall) * 469 / 1e6, null, null)], stepGigaflop * 60000 / CanonicalVae.Batch, null, simulator
                ? "not run on a simulator: 469 steps at the measured step wall time (estimate, no test pass)"
                : $"{skipped ?? "skipped (no epoch asked for)"}: 469 steps at the measured step wall time (estimate, no test pass)")
            : Epochs(backend, dataset, epochs, products, sgemm, repeats);

        int labSamples = simulator ? 1 << 14 : backend is HostBackend ? 1 << 20 : 1 << 24;
        return new BenchReport(backend.Name, host?.Threads ?? 0, repeats, operations, stepTime, epoch, EstimatorLab(backend, labSamples, repeats), labSamples,
            Samplers(backend, labSamples, repeats), ImplicitDraws(backend, simulator ? 1 << 12 : labSamples, repeats), simulator ? [] : ObjectiveSteps.Measure(backend, repeats),
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
        var options = TrainingOptions.Default with { Epochs = epochs };
        var model = new VaeModel(backend, CanonicalVae.Config with { Inputs = dataset.Train.PixelsPerImage }, options.BatchSize);
        model.Initialise(options.Seed);
        var optimizer = options.CreateOptimizer(backend, model.Layout.Count);
        var trainer = new Trainer(backend, model, optimizer, options, dataset.Train, dataset.Test, new TrainingState());
        double stepGigaflop = stepProducts.Sum(shape => shape.Flop) / 1e9, epochSteps = (double)trainer.TrainCount / CanonicalVae.Batch;
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

    /// <summary>
    /// Draws per second, each with its implicit gradient: Gamma(alpha) at the shapes where Marsaglia-Tsang's boost
    /// (0.5), its plain form (5) and the lower-tail quadrature of the gradient (500) work; von Mises at kappa 2. Beside
    /// them the Philox normal fill of the same count, the cost of a draw without rejection or gradient.
    /// </summary>
    public sealed record ImplicitDrawRates(int Draws, double NormalFillPerSecond, IReadOnlyDictionary<string, double> GammaPerSecond, double VonMisesPerSecond);

    /// <summary>The Gamma shapes bench times, as its table and JSON name them.</summary>
    public static readonly float[] BenchedGammaShapes = [0.5f, 5f, 500f];

    static ImplicitDrawRates ImplicitDraws(IBackend backend, int draws, int repeats)
    {
        var operations = VaeGpu.Runtime.ImplicitDraws.ImplicitDrawOperations.For(backend);
        var (parameters, values, derivatives) = (backend.Allocate(draws, 1), backend.Allocate(draws, 1), backend.Allocate(draws, 1));
        double PerSecond(Action run) => draws / (Median(backend, run, repeats) / 1e6);
        double normal = PerSecond(() => backend.FillNormal(values, 1, 2));
        var gamma = new Dictionary<string, double>();
        foreach (float alpha in BenchedGammaShapes)
        {
            backend.Upload([.. Enumerable.Repeat(alpha, draws)], parameters);
            gamma[alpha.ToString(CultureInfo.InvariantCulture)] = PerSecond(() => operations.Gamma(parameters, 1, 2, 0, values, derivatives));
        }
        backend.Upload([.. Enumerable.Repeat(2f, draws)], parameters);
        return new(draws, normal, gamma, PerSecond(() => operations.VonMises(parameters, 1, 2, 0, values, derivatives)));
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
            rates[Vocabulary.Estimators.Name(estimator)] = samples / (median / 1e6);
        }
        return rates;
    }

}
