using VaeGpu.Kernels;
using VaeGpu.Host.Training;
using VaeGpu.Host.SafeTensors;
using VaeGpu.Host.Data;
using VaeGpu.Host.Model;
using VaeGpu.Cli.Plots;
using VaeGpu.Host.Files;

namespace VaeGpu.Cli.Commands;

/// <summary>
/// The files of a training run, all written atomically (temporary file, then rename), so an interrupted write never
/// replaces a good file: metrics.csv, model.safetensors, checkpoint.safetensors and the pictures.
/// </summary>
public sealed class RunFolder(string path)
{
    public string Path { get; } = path;
    public string Metrics => File(RunFiles.Metrics);
    public string Model => File(RunFiles.Model);
    public string Checkpoint => File(RunFiles.Checkpoint);

    string File(string name) => System.IO.Path.Combine(Path, name);

    /// <summary>metrics.csv from the run's history (rewritten whole, so a resumed run never keeps rows it redid).</summary>
    public void WriteMetrics(IEnumerable<EpochResult> history) =>
        AtomicFile.Write(Metrics, stream =>
        {
            using var writer = new StreamWriter(stream, leaveOpen: true);
            writer.WriteLine(EpochResult.CsvHeader);
            foreach (var row in history) writer.WriteLine(row.ToCsv());
        });

    /// <summary>The scale of each image grid (reconstructions, samples, manifold), 0 for one too large to draw.</summary>
    static (int Reconstructions, int Samples, int Manifold) Scales(ImageSet test, VaeConfig config)
    {
        int shown = Math.Min(8, test.Count);
        return (ImageGrid.FittingScale(2 * shown, test.Rows, test.Columns, shown, 2), ImageGrid.FittingScale(64, test.Rows, test.Columns, 8, 2),
            config.Latent == 2 ? ImageGrid.FittingScale(20 * 20, test.Rows, test.Columns, 20, 1) : 1);
    }

    /// <summary>The line a run prints before its first epoch when its images are too large for some grids; null when all are drawn.</summary>
    public static string? SkippedPictures(ImageSet test, VaeConfig config)
    {
        var (reconstructions, samples, manifold) = Scales(test, config);
        var skipped = new List<string>();
        if (reconstructions == 0) skipped.Add("reconstructions.png");
        if (samples == 0) skipped.Add("samples.png");
        if (manifold == 0) skipped.Add("manifold.png");
        return skipped.Count == 0 ? null
            : $"note: images of {test.Rows}x{test.Columns} pixels make picture grids of more than {ImageGrid.MaxCanvasPixels} pixels: {string.Join(", ", skipped)} are not drawn (the other files are written as usual).";
    }

    /// <summary>
    /// reconstructions.png (8 test images above their reconstructions from the posterior mean), samples.png (64 decoded
    /// prior draws), loss.png (train and test curves) and, for a 2-dimensional latent space, manifold.png (the decoder
    /// over a grid of the prior's quantiles: normal, or Gamma(1, 1)'s -log(1 - u); not for Dirichlet, whose two
    /// coordinates are one point of a segment) and latent.png (test posterior means, coloured by label).
    /// </summary>
    /// A grid that would exceed ImageGrid.MaxCanvasPixels even at scale 1 is not drawn, nor are its images decoded
    /// (see SkippedPictures).
    public void WritePictures(VaeInference inference, ImageSet test, VaeConfig config, IReadOnlyList<EpochResult> history, ulong seed)
    {
        int rows = test.Rows, columns = test.Columns, pixels = rows * columns;
        var (reconstructions, samples, manifold) = Scales(test, config);
        int shown = Math.Min(8, test.Count);
        if (reconstructions > 0)
        {
            float[] inputs = test.Pixels(0, shown);
            ImageGrid.WritePng(File("reconstructions.png"), [.. inputs, .. inference.Reconstruct(inputs)], 2 * shown, rows, columns, shown, reconstructions);
        }
        if (samples > 0)
            ImageGrid.WritePng(File("samples.png"), inference.SamplePrior(64, seed, RandomStreams.PriorSamples(0)), 64, rows, columns, 8, samples);
        double[] epochs = history.Select(row => (double)row.Epoch).ToArray();
        LineChart.WritePng(File("loss.png"), "-ELBO per image", "epoch", "nats",
        [
            ("train", epochs, history.Select(row => row.TrainLoss).ToArray()),
            ("test", epochs, history.Select(row => row.TestLoss).ToArray()),
        ]);
        if (config.Latent != 2) return;

        const int grid = 20;
        var z = new float[grid * grid * 2];
        for (int i = 0; i < grid; i++)
        for (int j = 0; j < grid; j++)
        {
            // Quantiles of the prior, so that the grid covers its mass evenly (as in Kingma and Welling's figures).
            z[2 * (i * grid + j)] = PriorQuantile(config.Posterior, 0.05 + 0.9 * j / (grid - 1));
            z[2 * (i * grid + j) + 1] = PriorQuantile(config.Posterior, 0.95 - 0.9 * i / (grid - 1));
        }
        if (manifold > 0 && config.Posterior != Posterior.Dirichlet) ImageGrid.WritePng(File("manifold.png"), inference.Decode(z), grid * grid, rows, columns, grid, scale: 1);
        float[] means = inference.PosteriorMeans(test.Pixels());
        ScatterChart.WritePng(File("latent.png"), "test posterior means",
            Enumerable.Range(0, test.Count).Select(i => (double)means[2 * i]).ToArray(),
            Enumerable.Range(0, test.Count).Select(i => (double)means[2 * i + 1]).ToArray(),
            test.Labels?.Select(label => (int)label).ToArray());
    }

    /// <summary>The prior's quantile u of one latent dimension: N(0, 1), or Gamma(1, 1) (the exponential: -log(1 - u)).</summary>
    static float PriorQuantile(Posterior posterior, double u) => posterior == Posterior.Gamma
        ? (float)(-Math.Log(1 - u) / ImplicitPosteriorMath.PriorRate)
        : (float)MathNet.Numerics.Distributions.Normal.InvCDF(0, 1, u);
}
