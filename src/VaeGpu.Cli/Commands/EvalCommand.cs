using VaeGpu.Host.Names;
using System.CommandLine;
using VaeGpu.Host.Data;
using VaeGpu.Host.Model;
using VaeGpu.Host.Evaluation;
using VaeGpu.Host.Training;
using VaeGpu.Runtime;
using VaeGpu.Host.Files;

namespace VaeGpu.Cli.Commands;

/// <summary>`vaegpu eval`: test -ELBO and the importance-weighted log p(x) of a saved model.</summary>
static class EvalCommand
{
    public const int MaxImportanceSamples = 5000;

    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "a model.safetensors written by vaegpu train, or one in PyTorch's layout (see vaegpu export)", Required = true };
        var data = CommonOptions.Data();
        var testFraction = CommonOptions.TestFraction();
        var importanceSamples = new Option<int>("--iw", "--k") { Description = $"importance samples per image for log p(x), 1 to {MaxImportanceSamples}", DefaultValueFactory = _ => 100 };
        var limit = new Option<int?>("--limit") { Description = "evaluate only the first N test images" };
        var batch = new Option<int>("--batch") { Description = "images per batch", DefaultValueFactory = _ => 128 };
        var binarize = new Option<string>("--binarize") { Description = "none, or static: score a Bernoulli draw of each test pixel (drawn once from --seed, as train draws its test set)", DefaultValueFactory = _ => "none" };
        binarize.AcceptOnlyFromAmong(TrainingVocabulary.Binarizations.NamesOf([Binarization.None, Binarization.Static]));
        var sampler = new Option<string>("--sampler") { Description = "how each image's --iw draws are made: mc (independent), or one point set per image: antithetic pairs (even --iw), a Latin hypercube (stratified) or a scrambled Sobol set (rqmc, latent <= 1024)", DefaultValueFactory = _ => "mc" };
        sampler.AcceptOnlyFromAmong(Vocabulary.Samplers.Names);
        var seed = CommonOptions.Seed();
        var device = CommonOptions.Device();
        var shard = new Option<string?>("--shard") { Description = "score shard i of n (i/n; auto: a Slurm array task; auto/N: a Kubernetes Indexed Job of N) of the test images, whole batches, into --out FILE for `vaegpu merge`" };
        var output = new Option<string?>("--out") { Description = "with --shard: the JSON file for the shard's per-image scores" };
        var command = new Command("eval", "Test -ELBO and the importance-weighted estimate of log p(x) (Burda et al.) of a trained model.")
        {
            model, data, testFraction, importanceSamples, limit, batch, binarize, sampler, seed, device, shard, output,
        };
        command.SetAction(parsed =>
        {
            int k = parsed.GetValue(importanceSamples), batchSize = parsed.GetValue(batch);
            if (k < 1 || k > MaxImportanceSamples) throw new UserErrorException($"--iw {k}: use 1 to {MaxImportanceSamples} importance samples.");
            if (batchSize < 1) throw new UserErrorException($"--batch {batchSize}: the batch size must be at least 1.");
            if (parsed.GetValue(limit) is < 1) throw new UserErrorException($"--limit {parsed.GetValue(limit)}: evaluate at least 1 image.");
            string path = parsed.GetValue(model)!;
            var slice = parsed.GetValue(shard) is { } shardText ? ShardSlice.FromOption(shardText, Environment.GetEnvironmentVariable) : (ShardSlice?)null;
            string? shardFile = parsed.GetValue(output);
            if (slice is not null && shardFile is null) throw new UserErrorException("--shard needs --out FILE, the JSON file for the shard's scores.");
            if (slice is null && shardFile is not null) throw new UserErrorException("--out is for --shard; a whole evaluation prints its result.");
            if (shardFile is not null) OutputFile.Check("--out", shardFile, EvaluationShardFile.Kind, ("--model", path), ("--data", parsed.GetValue(data)!));
            var draws = Vocabulary.Samplers.Parse(parsed.GetValue(sampler)!);
            if (draws == Kernels.Sampler.Antithetic && k % 2 != 0) throw new UserErrorException($"--sampler antithetic --iw {k}: antithetic draws come in pairs; use an even --iw.");
            var (config, _) = ModelFile.Load(path); // a bad file fails before the data and the device are touched
            DrawSamplers.RequireDimensions(draws, config.Latent);
            ModelOptions.RequireDrawsFor(config, draws, path);
            var test = ImageDataset.Load(parsed.GetValue(data)!, parsed.GetValue(testFraction)).Test;
            bool binarized = TrainingVocabulary.Binarizations.Parse(parsed.GetValue(binarize)!) == Binarization.Static;
            if (binarized && config.Likelihood != Likelihood.Bernoulli) throw new UserErrorException($"--binarize static: {path} has a gaussian decoder; binary pixels call for a Bernoulli one.");
            test.RequireValues(config.Likelihood == Likelihood.Bernoulli, ModelVocabulary.Likelihoods.Name(config.Likelihood));
            string? testData = slice is null ? null : DataDigest.Of(parsed.GetValue(binarize)!, test);
            if (binarized) test = test.Binarized(parsed.GetValue(seed), RandomStreams.TestSetBinarization);
            int count = Math.Min(parsed.GetValue(limit) ?? test.Count, test.Count);
            using var backend = CommonOptions.OpenDevice(parsed.GetValue(device)!);
            var vae = ModelFile.Open(path, backend, batchSize);
            if (vae.Config.Inputs != test.PixelsPerImage)
                throw new UserErrorException($"{path} takes {vae.Config.Inputs} pixels per image but the test images have {test.PixelsPerImage}.");
            var (first, images) = slice is { } part ? EvaluationShardFile.Range(part, count, batchSize) : (0, count);
            var progress = new ProgressLine("eval", (images + batchSize - 1) / batchSize);
            var scores = new Evaluator(backend, vae).Score(test.Pixels(first, images), k, parsed.GetValue(seed), first / batchSize, (done, _) => progress.Update(done, ""), draws);
            progress.Clear();
            if (slice is { } written)
            {
                var settings = new EvaluationSettings(EvaluationSettings.Sha256Of(path), testData!, count, k, batchSize, parsed.GetValue(seed), parsed.GetValue(binarize)!, Vocabulary.Samplers.Name(draws));
                new EvaluationShardFile(settings, written, scores)
                {
                    Data = parsed.GetValue(data)!,
                    TestFraction = parsed.GetValue(testFraction)?.ToString("R", System.Globalization.CultureInfo.InvariantCulture) ?? "",
                }.Write(shardFile!);
                Console.Error.WriteLine($"shard {written}: test images {first} to {first + images - 1} of {count} scored into {shardFile}; `vaegpu merge` the {written.Count} shard files");
                return 0;
            }
            Console.WriteLine(EvaluationResult.Of(scores, k).Line(parsed.GetValue(binarize)!, Vocabulary.Samplers.Name(draws)));
            return 0;
        });
        return command;
    }
}
