using System.CommandLine;
using VaeGpu.Host.Data;
using VaeGpu.Host.Model;
using VaeGpu.Host.Evaluation;
using VaeGpu.Host.Training;
using VaeGpu.Runtime;
using VaeGpu.Host.Cli;

namespace VaeGpu.Host.Commands;

/// <summary>`vaegpu eval`: test -ELBO and the importance-weighted log p(x) of a saved model.</summary>
static class EvalCommand
{
    public const int MaxImportanceSamples = 5000;

    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "a model.safetensors written by vaegpu train, or one in PyTorch's layout (see vaegpu export)", Required = true };
        var data = CommonOptions.Data();
        var testFraction = CommonOptions.TestFraction();
        var importanceSamples = new Option<int>("--iw") { Description = $"importance samples per image for log p(x), 1 to {MaxImportanceSamples}", DefaultValueFactory = _ => 100 };
        var limit = new Option<int?>("--limit") { Description = "evaluate only the first N test images" };
        var batch = new Option<int>("--batch") { Description = "images per batch", DefaultValueFactory = _ => 128 };
        var binarize = new Option<string>("--binarize") { Description = "none, or static: score a Bernoulli draw of each test pixel (drawn once from --seed, as train draws its test set)", DefaultValueFactory = _ => "none" };
        binarize.AcceptOnlyFromAmong("none", "static");
        var seed = CommonOptions.Seed();
        var device = CommonOptions.Device();
        var command = new Command("eval", "Test -ELBO and the importance-weighted estimate of log p(x) (Burda et al.) of a trained model.")
        {
            model, data, testFraction, importanceSamples, limit, batch, binarize, seed, device,
        };
        command.SetAction(parsed =>
        {
            int k = parsed.GetValue(importanceSamples), batchSize = parsed.GetValue(batch);
            if (k < 1 || k > MaxImportanceSamples) throw new UserErrorException($"--iw {k}: use 1 to {MaxImportanceSamples} importance samples.");
            if (batchSize < 1) throw new UserErrorException($"--batch {batchSize}: the batch size must be at least 1.");
            if (parsed.GetValue(limit) is < 1) throw new UserErrorException($"--limit {parsed.GetValue(limit)}: evaluate at least 1 image.");
            string path = parsed.GetValue(model)!;
            var (config, _) = ModelFile.Load(path); // a bad file fails before the data and the device are touched
            var test = ImageDataset.Load(parsed.GetValue(data)!, parsed.GetValue(testFraction)).Test;
            bool binarized = parsed.GetValue(binarize) == "static";
            if (binarized && config.Likelihood != Likelihood.Bernoulli) throw new UserErrorException($"--binarize static: {path} has a gaussian decoder; binary pixels call for a Bernoulli one.");
            test.RequireValues(config.Likelihood == Likelihood.Bernoulli, config.Likelihood.ToString().ToLowerInvariant());
            if (binarized) test = test.Binarized(parsed.GetValue(seed), RandomStreams.TestSetBinarization);
            int count = Math.Min(parsed.GetValue(limit) ?? test.Count, test.Count);
            using var backend = CommonOptions.OpenDevice(parsed.GetValue(device)!);
            var vae = ModelFile.Open(path, backend, batchSize);
            if (vae.Config.Inputs != test.PixelsPerImage)
                throw new UserErrorException($"{path} takes {vae.Config.Inputs} pixels per image but the test images have {test.PixelsPerImage}.");
            var progress = new ProgressLine("eval", (count + batchSize - 1) / batchSize);
            var result = new Evaluator(backend, vae).Evaluate(test.Pixels(0, count), k, parsed.GetValue(seed), (done, _) => progress.Update(done, ""));
            progress.Clear();
            Console.WriteLine($"{result.Images} test images: -ELBO {result.NegativeElbo:F2} nats/image (KL {result.Kl:F2}); " +
                $"log p(x) >= {result.LogLikelihood:F2} nats/image (importance-weighted, K = {result.ImportanceSamples}; binarize {parsed.GetValue(binarize)})");
            return 0;
        });
        return command;
    }
}
