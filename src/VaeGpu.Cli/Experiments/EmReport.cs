using VaeGpu.Host.Experiments.GaussianMixture;
using System.Globalization;
using System.Text.Json;
using VaeGpu.Host.SafeTensors;
using VaeGpu.Cli.Plots;
using VaeGpu.Host.Files;

namespace VaeGpu.Cli.Experiments;

/// <summary>
/// What `vaegpu em` prints and writes: the log-likelihood trace, the parameters (beside the true ones for the
/// synthetic draw, beside the labels for a model's latent means), mixture.json, log-likelihood.png and, in two
/// dimensions, clusters.png.
/// </summary>
public sealed record EmReport(PointSet Points, MixtureFit Fit, GaussianMixture? Truth, ClusterAlignment[]? Alignment, ulong Seed, string Device, double Ridge)
{
    /// <summary>Iterations printed at each end of a long trace.</summary>
    const int TraceEnds = 5;

    static string Number(double value) => value.ToString("G6", CultureInfo.InvariantCulture);

    static string Vector(IEnumerable<double> values) => $"[{string.Join(", ", values.Select(Number))}]";

    static string Matrix(double[] values, int d) =>
        $"[{string.Join(", ", Enumerable.Range(0, d).Select(a => Vector(values.Skip(a * d).Take(d))))}]";

    public void Print(TextWriter output)
    {
        var trace = Fit.LogLikelihood;
        output.WriteLine($"{Points.Source}: {Points.Count} points in {Points.Dimension} dimensions, K = {Fit.Mixture.Components}, device {Device}");
        output.WriteLine("log-likelihood per point (nats), by iteration:");
        for (int t = 0; t < trace.Count; t++)
        {
            if (t == TraceEnds && trace.Count > 2 * TraceEnds) output.WriteLine("  ...");
            if (t < TraceEnds || t >= trace.Count - TraceEnds) output.WriteLine($"  {t,5}  {trace[t]:F6}");
        }
        output.WriteLine(Fit.Converged
            ? $"converged after {Fit.Iterations} iterations (last improvement below --tol)"
            : $"stopped after {Fit.Iterations} iterations (--iters) without reaching --tol");
        var mixture = Fit.Mixture;
        int d = mixture.Dimension;
        int[]? match = Truth is not null && Truth.Components == mixture.Components && Truth.Dimension == d ? ComponentMatching.Match(Truth, mixture) : null;
        output.WriteLine(match is null ? "fitted components:" : "fitted components, each beside the true one it matches:");
        for (int j = 0; j < mixture.Components; j++)
        {
            int k = match?[j] ?? j;
            output.WriteLine($"  component {k}: weight {Number(mixture.Weights[k])}, mean {Vector(mixture.Means[k])}, covariance {Matrix(mixture.Covariances[k], d)}");
            if (match is not null)
                output.WriteLine($"       true {j}: weight {Number(Truth!.Weights[j])}, mean {Vector(Truth.Means[j])}, covariance {Matrix(Truth.Covariances[j], d)}");
        }
        if (Truth is not null && match is null)
            for (int j = 0; j < Truth.Components; j++)
                output.WriteLine($"  true {j}: weight {Number(Truth.Weights[j])}, mean {Vector(Truth.Means[j])}, covariance {Matrix(Truth.Covariances[j], Truth.Dimension)}");
        if (Alignment is not null)
        {
            output.WriteLine("clusters against the labels:");
            foreach (var cluster in Alignment)
                output.WriteLine(cluster.Points == 0
                    ? $"  cluster {cluster.Cluster}: empty"
                    : $"  cluster {cluster.Cluster}: {cluster.Points} points, majority label {cluster.MajorityLabel} ({100 * cluster.MajorityShare:F1} %)");
            output.WriteLine($"  purity (points carrying their cluster's majority label): {100 * ClusterAlignment.Purity(Alignment):F1} %");
        }
    }

    /// <summary>mixture.json, log-likelihood.png and, for two-dimensional points, clusters.png; each written atomically.</summary>
    public IReadOnlyList<string> Write(string folder)
    {
        var written = new List<string> { Path.Combine(folder, "mixture.json"), Path.Combine(folder, "log-likelihood.png") };
        AtomicFile.Write(written[0], WriteJson);
        double[] iterations = [.. Enumerable.Range(0, Fit.LogLikelihood.Count).Select(t => (double)t)];
        LineChart.WritePng(written[1], "EM: log-likelihood per point", "iteration", "log-likelihood per point (nats)",
            [("", iterations, [.. Fit.LogLikelihood])]);
        if (Points.Dimension == 2)
        {
            written.Add(Path.Combine(folder, "clusters.png"));
            double[] x = [.. Enumerable.Range(0, Points.Count).Select(n => (double)Points.Values[2 * n])];
            double[] y = [.. Enumerable.Range(0, Points.Count).Select(n => (double)Points.Values[2 * n + 1])];
            ScatterChart.WritePng(written[2], $"EM: points by most likely component (K = {Fit.Mixture.Components})", x, y, Fit.Clusters());
        }
        return written;
    }

    void WriteJson(Stream stream)
    {
        using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        json.WriteString("source", Points.Source);
        json.WriteNumber("points", Points.Count);
        json.WriteNumber("dimension", Points.Dimension);
        json.WriteNumber("components", Fit.Mixture.Components);
        json.WriteNumber("seed", Seed);
        json.WriteString("device", Device);
        json.WriteNumber("ridge", Ridge);
        json.WriteNumber("iterations", Fit.Iterations);
        json.WriteBoolean("converged", Fit.Converged);
        json.WriteStartArray("log_likelihood_per_point");
        foreach (double value in Fit.LogLikelihood) json.WriteNumberValue(value);
        json.WriteEndArray();
        json.WritePropertyName("fitted");
        WriteMixture(json, Fit.Mixture);
        if (Truth is not null)
        {
            json.WritePropertyName("truth");
            WriteMixture(json, Truth);
        }
        if (Alignment is not null)
        {
            json.WriteStartArray("clusters");
            foreach (var cluster in Alignment)
            {
                json.WriteStartObject();
                json.WriteNumber("cluster", cluster.Cluster);
                json.WriteNumber("points", cluster.Points);
                json.WriteNumber("majority_label", cluster.MajorityLabel);
                json.WriteNumber("majority_share", cluster.MajorityShare);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteNumber("purity", ClusterAlignment.Purity(Alignment));
        }
        json.WriteEndObject();
    }

    /// <summary>{"weights": [K], "means": [K][d], "covariances": [K][d][d]}.</summary>
    static void WriteMixture(Utf8JsonWriter json, GaussianMixture mixture)
    {
        int d = mixture.Dimension;
        json.WriteStartObject();
        json.WriteStartArray("weights");
        foreach (double weight in mixture.Weights) json.WriteNumberValue(weight);
        json.WriteEndArray();
        json.WriteStartArray("means");
        foreach (var mean in mixture.Means)
        {
            json.WriteStartArray();
            foreach (double value in mean) json.WriteNumberValue(value);
            json.WriteEndArray();
        }
        json.WriteEndArray();
        json.WriteStartArray("covariances");
        foreach (var covariance in mixture.Covariances)
        {
            json.WriteStartArray();
            for (int a = 0; a < d; a++)
            {
                json.WriteStartArray();
                for (int b = 0; b < d; b++) json.WriteNumberValue(covariance[a * d + b]);
                json.WriteEndArray();
            }
            json.WriteEndArray();
        }
        json.WriteEndArray();
        json.WriteEndObject();
    }
}
