using VaeGpu.Host.Experiments.GaussianMixture;
using System.CommandLine;
using VaeGpu.Host.Data;
using VaeGpu.Host.Model;
using VaeGpu.Host.Training;
using VaeGpu.Runtime;
using VaeGpu.Host.Files;

namespace VaeGpu.Cli.Experiments;

/// <summary>
/// `vaegpu em`: EM for a Gaussian mixture with full covariances, on a point file (--data), on a trained VAE's
/// posterior means of the test images (--from-model), or on a synthetic draw from a known mixture (neither).
/// </summary>
public static class EmCommand
{
    public const int MaxComponents = 100, MaxDimension = 64, MaxSyntheticPoints = 10_000_000, MaxIterations = 100_000;

    public static Command Create()
    {
        var data = new Option<string?>("--data") { Description = "a text file with one point per line (numbers separated by commas and/or spaces; # comments; an optional header line)" };
        var fromModel = new Option<string?>("--from-model") { Description = "a model.safetensors written by vaegpu train: cluster its posterior means of the test images" };
        var dataSet = new Option<string?>("--data-set") { Description = "with --from-model: fashion-mnist (default) or a folder of MNIST-style IDX files" };
        var points = new Option<int?>("--n") { Description = "points of the synthetic draw (without --data or --from-model; default 3000)" };
        var components = new Option<int>("--components") { Description = $"mixture components, 1 to {MaxComponents}", DefaultValueFactory = _ => 3 };
        // --k is draws per image everywhere else.
        var formerComponents = new DeprecatedSpelling<int>(components, "--k", "em");
        var iterations = new Option<int>("--iters") { Description = "at most this many EM iterations", DefaultValueFactory = _ => 200 };
        var tolerance = new Option<double>("--tol") { Description = "stop when the log-likelihood per point improves by less than this (nats)", DefaultValueFactory = _ => 1e-6 };
        var seed = CommonOptions.Seed();
        var device = CommonOptions.Device();
        var output = new Option<string>("--out") { Description = "folder for mixture.json, log-likelihood.png and (2-D points) clusters.png", DefaultValueFactory = _ => "runs/em" };
        var command = new Command("em", "Fit a Gaussian mixture with full covariances by EM (E- and M-step as kernels).")
        {
            data, fromModel, dataSet, points, components, formerComponents.Option, iterations, tolerance, seed, device, output,
        };
        command.SetAction(parsed =>
        {
            int k = formerComponents.Value(parsed), maxIterations = parsed.GetValue(iterations);
            double tol = parsed.GetValue(tolerance);
            string? dataPath = parsed.GetValue(data), modelPath = parsed.GetValue(fromModel), dataSetName = parsed.GetValue(dataSet);
            int? syntheticCount = parsed.GetValue(points);
            if (k < 1 || k > MaxComponents) throw new UserErrorException($"--components {k}: use 1 to {MaxComponents} components.");
            if (maxIterations < 0 || maxIterations > MaxIterations) throw new UserErrorException($"--iters {maxIterations}: use 0 to {MaxIterations} iterations.");
            if (!(tol >= 0) || double.IsInfinity(tol)) throw new UserErrorException($"--tol {tol}: the tolerance must be a finite number >= 0.");
            if (dataPath is not null && modelPath is not null) throw new UserErrorException("--data and --from-model both given: cluster either a point file or a model's latent means.");
            if (dataSetName is not null && modelPath is null) throw new UserErrorException("--data-set chooses the images for --from-model: give --from-model too (a point file goes to --data).");
            if (syntheticCount is not null && (dataPath ?? modelPath) is not null) throw new UserErrorException("--n sets the size of the synthetic draw: leave it out with --data or --from-model.");
            if (syntheticCount is < 1 or > MaxSyntheticPoints) throw new UserErrorException($"--n {syntheticCount}: draw 1 to {MaxSyntheticPoints} points.");
            string folder = parsed.GetValue(output)!;
            ulong seedValue = parsed.GetValue(seed);

            PointSet? pointSet = dataPath is null ? null : PointFile.Read(dataPath);
            if (modelPath is not null) ModelFile.Load(modelPath); // a bad file fails before the data and the device are touched
            var images = modelPath is null ? null : ImageDataset.Load(dataSetName ?? ImageDataset.FashionMnistName).Test;
            pointSet ??= modelPath is null ? SyntheticMixture.Draw(SyntheticMixture.Truth, syntheticCount ?? 3000, seedValue) : null;
            if (pointSet is not null) CheckShape(pointSet, k);
            ResultFolder.Create(folder, "em");

            using var backend = CommonOptions.OpenDevice(parsed.GetValue(device)!);
            pointSet ??= PosteriorMeans(backend, modelPath!, images!, dataSetName ?? ImageDataset.FashionMnistName);
            CheckShape(pointSet, k);
            var (start, ridge) = MixtureInitialisation.Create(pointSet, k, seedValue);
            var fit = new ExpectationMaximization(backend, pointSet, k, ridge).Fit(start, maxIterations, tol);
            var report = new EmReport(pointSet, fit,
                Truth: dataPath is null && modelPath is null ? SyntheticMixture.Truth : null,
                Alignment: images?.Labels is { } labels ? ClusterAlignment.Align(fit.Clusters(), labels, k) : null,
                seedValue, backend.Name, ridge);
            report.Print(Console.Out);
            foreach (string path in report.Write(folder)) Console.Error.WriteLine($"wrote {path}");
            return 0;
        });
        return command;
    }

    static void CheckShape(PointSet points, int components)
    {
        if (components > points.Count)
            throw new UserErrorException($"{points.Source}: {points.Count} points cannot fill K = {components} components: use --components {points.Count} or fewer.");
        if (points.Dimension > MaxDimension)
            throw new UserErrorException($"{points.Source}: {points.Dimension} coordinates per point, more than {MaxDimension}: reduce the dimension first (e.g. a VAE's latent means, --from-model).");
    }
    /// <summary>The means of q(z|x) for every test image, as points (one per image, latent coordinates).</summary>
    static PointSet PosteriorMeans(IBackend backend, string modelPath, ImageSet test, string dataSetName)
    {
        var vae = ModelFile.Open(modelPath, backend, batchSize: 128);
        if (vae.Config.Inputs != test.PixelsPerImage)
            throw new UserErrorException($"{modelPath} takes {vae.Config.Inputs} pixels per image but the {dataSetName} test images have {test.PixelsPerImage}.");
        var means = new VaeInference(backend, vae).PosteriorMeans(test.Pixels());
        return new PointSet($"posterior means of {modelPath} on the {test.Count} {dataSetName} test images", means, test.Count, vae.Config.Latent);
    }
}
