using VaeGpu.Host.Experiments.KlFit;
using System.Text.Json;
using VaeGpu.Host.SafeTensors;
using VaeGpu.Host.Files;

namespace VaeGpu.Cli.Experiments;

/// <summary>
/// kl-fit.json: the target, the settings, every Gaussian fit's parameters and KL(q || p), and the mixture q's fit
/// (mixture_fit), the Rényi fits (renyi_fits, with renyi_alphas and renyi_k among the settings); reverse_kl_method says how each KL(q || p) was computed.
/// </summary>
public static class KlFitReport
{
    public static void WriteJson(string path, KlFitSettings settings, KlFitResults results, string device)
    {
        AtomicFile.Write(path, stream =>
        {
            using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
            json.WriteStartObject();
            json.WriteString("device", device);
            json.WriteStartObject("target");
            WriteArray(json, "weights", settings.Target.Weights);
            WriteArray(json, "means", settings.Target.Means);
            WriteArray(json, "stds", settings.Target.StandardDeviations);
            json.WriteNumber("mean", settings.Target.Mean);
            json.WriteNumber("variance", settings.Target.Variance);
            json.WriteEndObject();
            json.WriteStartObject("settings");
            json.WriteNumber("samples", settings.Samples);
            json.WriteNumber("iterations", settings.Iterations);
            json.WriteNumber("batch", settings.Batch);
            json.WriteNumber("lr", settings.LearningRate);
            json.WriteNumber("init_mu", settings.InitialMu);
            json.WriteNumber("init_sigma", settings.InitialSigma);
            json.WriteNumber("seed", settings.Seed);
            WriteArray(json, "renyi_alphas", [.. settings.RenyiAlphas]);
            json.WriteNumber("renyi_k", settings.RenyiK);
            json.WriteEndObject();
            json.WriteString("reverse_kl_method", ReverseKlQuadrature.Description);
            json.WriteStartArray("fits");
            foreach (var fit in results.Gaussians)
            {
                json.WriteStartObject();
                json.WriteString("name", fit.Name);
                json.WriteString("divergence", fit.IsForward ? "KL(p||q)" : "KL(q||p)");
                json.WriteString("method", fit.Method);
                json.WriteNumber("mu", fit.Mu);
                json.WriteNumber("sigma", fit.Sigma);
                json.WriteNumber("log_variance", 2 * Math.Log(fit.Sigma));
                json.WriteNumber("reverse_kl", fit.ReverseKl);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteStartArray("renyi_fits");
            foreach (var renyi in results.Renyi)
            {
                json.WriteStartObject();
                json.WriteString("name", renyi.Fit.Name);
                json.WriteString("divergence", $"D_alpha(q||p)");
                json.WriteNumber("alpha", renyi.Alpha);
                json.WriteNumber("k", renyi.K);
                json.WriteString("method", renyi.Fit.Method);
                json.WriteNumber("mu", renyi.Fit.Mu);
                json.WriteNumber("sigma", renyi.Fit.Sigma);
                json.WriteNumber("log_variance", 2 * Math.Log(renyi.Fit.Sigma));
                json.WriteNumber("reverse_kl", renyi.Fit.ReverseKl);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            var mixture = results.Mixture;
            json.WriteStartObject("mixture_fit");
            json.WriteString("name", mixture.Name);
            json.WriteString("divergence", "KL(q||p)");
            json.WriteString("method", mixture.Method);
            WriteArray(json, "weights", mixture.Weights);
            WriteArray(json, "means", mixture.Means);
            WriteArray(json, "sigmas", mixture.Sigmas);
            json.WriteNumber("reverse_kl", mixture.ReverseKl);
            json.WriteEndObject();
            json.WriteEndObject();
        });
    }

    static void WriteArray(Utf8JsonWriter json, string name, double[] values)
    {
        json.WriteStartArray(name);
        foreach (double value in values) json.WriteNumberValue(value);
        json.WriteEndArray();
    }
}
