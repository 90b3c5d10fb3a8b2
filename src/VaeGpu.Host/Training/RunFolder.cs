using VaeGpu.Host.SafeTensors;
using VaeGpu.Host.Data;
using VaeGpu.Host.Model;
using VaeGpu.Host.Plots;
using VaeGpu.Host.Cli;

namespace VaeGpu.Host.Training;

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

    /// <summary>
    /// reconstructions.png (8 test images above their reconstructions from the posterior mean), samples.png (64 decoded
    /// prior draws), loss.png (train and test curves) and, for a 2-dimensional latent space, manifold.png (the decoder
    /// over a grid of normal quantiles) and latent.png (test posterior means, coloured by label).
    /// </summary>
    public void WritePictures(VaeInference inference, ImageSet test, VaeConfig config, IReadOnlyList<EpochResult> history, ulong seed)
    {
        int rows = test.Rows, columns = test.Columns, pixels = rows * columns;
        int shown = Math.Min(8, test.Count);
        float[] inputs = test.Pixels(0, shown);
        ImageGrid.WritePng(File("reconstructions.png"), [.. inputs, .. inference.Reconstruct(inputs)], 2 * shown, rows, columns, shown);
        ImageGrid.WritePng(File("samples.png"), inference.SamplePrior(64, seed, RandomStreams.PriorSamples(0)), 64, rows, columns, 8);
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
            // Quantiles of N(0, 1), so that the grid covers the prior's mass evenly (as in Kingma and Welling's figures).
            z[2 * (i * grid + j)] = (float)MathNet.Numerics.Distributions.Normal.InvCDF(0, 1, 0.05 + 0.9 * j / (grid - 1));
            z[2 * (i * grid + j) + 1] = (float)MathNet.Numerics.Distributions.Normal.InvCDF(0, 1, 0.95 - 0.9 * i / (grid - 1));
        }
        ImageGrid.WritePng(File("manifold.png"), inference.Decode(z), grid * grid, rows, columns, grid, scale: 1);
        float[] means = inference.PosteriorMeans(test.Pixels());
        ScatterChart.WritePng(File("latent.png"), "test posterior means",
            Enumerable.Range(0, test.Count).Select(i => (double)means[2 * i]).ToArray(),
            Enumerable.Range(0, test.Count).Select(i => (double)means[2 * i + 1]).ToArray(),
            test.Labels?.Select(label => (int)label).ToArray());
    }
}
