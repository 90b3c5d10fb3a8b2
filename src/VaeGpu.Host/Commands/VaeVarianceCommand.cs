using System.CommandLine;
using VaeGpu.Host.Data;
using VaeGpu.Host.Model;
using VaeGpu.Host.Evaluation;
using VaeGpu.Host.Training;
using VaeGpu.Runtime;
using VaeGpu.Host.Cli;

namespace VaeGpu.Host.Commands;

/// <summary>`vaegpu variance vae`: how noisy each encoder-gradient estimator is inside a trained VAE.</summary>
static class VaeVarianceCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "a model.safetensors written by vaegpu train, or one in PyTorch's layout (see vaegpu export)", Required = true };
        var data = CommonOptions.Data();
        var testFraction = CommonOptions.TestFraction();
        var images = new Option<int>("--images") { Description = "test images in the batch whose gradient is estimated", DefaultValueFactory = _ => 128 };
        var samples = new Option<int>("--samples") { Description = "independent single-sample gradients per estimator (M)", DefaultValueFactory = _ => 100 };
        var estimators = new Option<string>("--estimators") { Description = $"comma-separated subset of {string.Join(",", EstimatorNames.All)}", DefaultValueFactory = _ => string.Join(",", EstimatorNames.All) };
        var json = new Option<bool>("--json") { Description = "print the table as one JSON object" };
        var output = new Option<string>("--out") { Description = "folder for variance.csv and variance.png", DefaultValueFactory = _ => "runs/variance-vae" };
        var seed = CommonOptions.Seed();
        var device = CommonOptions.Device();
        var command = new Command("vae", "Variance and signal-to-noise ratio of the encoder gradient under pathwise, stl, score and score_baseline.")
        {
            model, data, testFraction, images, samples, estimators, json, output, seed, device,
        };
        command.SetAction(parsed =>
        {
            int count = parsed.GetValue(images), m = parsed.GetValue(samples);
            if (count < 1 || count > 4096) throw new UserErrorException($"--images {count}: use 1 to 4096 test images.");
            if (m < 2) throw new UserErrorException($"--samples {m}: a variance needs at least 2 samples.");
            var chosen = parsed.GetValue(estimators)!.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(EstimatorNames.Parse).Distinct().ToList();
            if (chosen.Count == 0) throw new UserErrorException($"--estimators: name at least one of {string.Join(", ", EstimatorNames.All)}.");
            string path = parsed.GetValue(model)!;
            var (config, _) = ModelFile.Load(path); // a bad file fails before the data and the device are touched
            var test = ImageDataset.Load(parsed.GetValue(data)!, parsed.GetValue(testFraction)).Test;
            test.RequireValues(config.Likelihood == Likelihood.Bernoulli, config.Likelihood.ToString().ToLowerInvariant());
            count = Math.Min(count, test.Count);
            using var backend = CommonOptions.OpenDevice(parsed.GetValue(device)!);
            var vae = ModelFile.Open(path, backend, batchSize: count);
            if (vae.Config.Inputs != test.PixelsPerImage)
                throw new UserErrorException($"{path} takes {vae.Config.Inputs} pixels per image but the test images have {test.PixelsPerImage}.");
            // The output folder is made before the seconds of measuring, so a bad --out fails at once.
            string folder = ResultFolder.Create(parsed.GetValue(output)!);
            var rows = new EncoderGradientVariance(backend, vae).Measure(test.Pixels(0, count), m, parsed.GetValue(seed), chosen);
            GradientVarianceReport.Write(folder, "variance", rows);
            Console.WriteLine(parsed.GetValue(json) ? GradientVarianceReport.Json(rows) : GradientVarianceReport.Table(rows));
            Console.Error.WriteLine($"wrote variance.csv and variance.png to {folder}");
            return 0;
        });
        return command;
    }
}
