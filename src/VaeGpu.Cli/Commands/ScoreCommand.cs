using System.CommandLine;
using System.Globalization;
using System.Text;
using VaeGpu.Host.Data;
using VaeGpu.Host.Evaluation;
using VaeGpu.Host.Files;
using VaeGpu.Host.Model;
using VaeGpu.Host.Names;
using VaeGpu.Host.Training;
using VaeGpu.Kernels;
using VaeGpu.Runtime;

namespace VaeGpu.Cli.Commands;

/// <summary>
/// `vaegpu score`: one importance-weighted lower bound on log p(x) per image, the scores whose mean `vaegpu eval`
/// prints for the same --iw, --seed, --batch, --binarize and --sampler (for anomaly detection: low scores are unusual
/// images). Sharded like eval, a shard scores whole batches with the draws the whole run gives them.
/// </summary>
static class ScoreCommand
{
    public static readonly OutputKind CsvKind = new("a score table (CSV)", path =>
        Encoding.UTF8.GetString(OutputKind.Start(path, 32)).StartsWith(CsvHeader, StringComparison.Ordinal));

    const string CsvHeader = "image,log_likelihood";

    public static Command Create()
    {
        var model = ModelOptions.Model();
        var data = CommonOptions.Data();
        var testFraction = CommonOptions.TestFraction();
        var split = CommonOptions.Split();
        var draws = new Option<int>("--iw", "--k") { Description = $"importance samples (draws of z) per image, 1 to {EvalCommand.MaxImportanceSamples}", DefaultValueFactory = _ => 100 };
        var batch = ModelOptions.Batch();
        var binarize = new Option<string>("--binarize") { Description = "none, or static: score a Bernoulli draw of each pixel (drawn once from --seed, as eval draws its test set)", DefaultValueFactory = _ => "none" };
        binarize.AcceptOnlyFromAmong("none", "static");
        var sampler = new Option<string>("--sampler") { Description = "how each image's draws are made, as in eval", DefaultValueFactory = _ => "mc" };
        sampler.AcceptOnlyFromAmong(Vocabulary.Samplers.Names);
        var seed = CommonOptions.Seed();
        var device = CommonOptions.Device();
        var shard = new Option<string?>("--shard") { Description = "score shard i of n (i/n, auto, auto/N as eval takes it) of the images, whole batches; the file holds that shard's images" };
        var output = new Option<string>("--out") { Description = "S.npy (float64 [N, 1]) or S.csv (image,log_likelihood; image counts from 0 in the split)", Required = true };
        var command = new Command("score", "Score each image with a trained model: the importance-weighted lower bound on log p(x), one per image, as .npy or .csv.")
        {
            model, data, testFraction, split, draws, batch, binarize, sampler, seed, device, shard, output,
        };
        command.SetAction(parsed =>
        {
            string path = parsed.GetValue(model)!, outPath = parsed.GetValue(output)!;
            int k = parsed.GetValue(draws), batchSize = ModelOptions.CheckBatch(parsed.GetValue(batch));
            if (k < 1 || k > EvalCommand.MaxImportanceSamples) throw new UserErrorException($"--iw {k}: use 1 to {EvalCommand.MaxImportanceSamples} importance samples.");
            bool csv = outPath.EndsWith(".csv", StringComparison.OrdinalIgnoreCase);
            if (!csv && !outPath.EndsWith(".npy", StringComparison.OrdinalIgnoreCase))
                throw new UserErrorException($"--out {outPath}: name a .npy file (float64 scores) or a .csv file (image,log_likelihood).");
            OutputFile.Check("--out", outPath, csv ? CsvKind : NpyFile.Kind, ("--model", path), ("--data", parsed.GetValue(data)!));
            var slice = parsed.GetValue(shard) is { } shardText ? ShardSlice.FromOption(shardText, Environment.GetEnvironmentVariable) : ShardSlice.Whole;
            var drawSampler = Vocabulary.Samplers.Parse(parsed.GetValue(sampler)!);
            if (drawSampler == Sampler.Antithetic && k % 2 != 0) throw new UserErrorException($"--sampler antithetic --iw {k}: antithetic draws come in pairs; use an even --iw.");
            var (config, _) = ModelFile.Load(path);
            DrawSamplers.RequireDimensions(drawSampler, config.Latent);
            ModelOptions.RequireDrawsFor(config, drawSampler, path);
            bool binarized = parsed.GetValue(binarize) == "static";
            if (binarized && config.Likelihood != Likelihood.Bernoulli) throw new UserErrorException($"--binarize static: {path} has a gaussian decoder; binary pixels call for a Bernoulli one.");
            var images = ModelOptions.Images(parsed.GetValue(data)!, parsed.GetValue(testFraction), parsed.GetValue(split)!, config, path);
            ulong seedValue = parsed.GetValue(seed);
            if (binarized) images = images.Binarized(seedValue, RandomStreams.TestSetBinarization);
            var (first, count) = EvaluationShardFile.Range(slice, images.Count, batchSize);
            using var backend = CommonOptions.OpenDevice(parsed.GetValue(device)!);
            var vae = ModelFile.Open(path, backend, batchSize);
            var progress = new ProgressLine("score", (count + batchSize - 1) / batchSize);
            var scores = new Evaluator(backend, vae).Score(images.Pixels(first, count), k, seedValue, first / batchSize, (done, _) => progress.Update(done, ""), drawSampler).LogLikelihood;
            progress.Clear();
            if (csv) WriteCsv(outPath, scores, first);
            else NpyFile.WriteDoubles(outPath, scores, scores.Length, 1);
            Console.Error.WriteLine(count == 0
                ? $"shard {slice} holds none of the {images.Count} images' batches: {outPath} holds no scores"
                : $"scored images {first} to {first + count - 1} of {images.Count} (mean log p(x) >= {scores.Average():F2} nats/image, K = {k}) into {outPath}");
            return 0;
        });
        return command;
    }

    static void WriteCsv(string path, double[] scores, int firstImage)
    {
        var text = new StringBuilder(CsvHeader).Append('\n');
        for (int i = 0; i < scores.Length; i++)
            text.Append(CultureInfo.InvariantCulture, $"{firstImage + i},{scores[i].ToString("R", CultureInfo.InvariantCulture)}\n");
        AtomicFile.Write(path, stream => stream.Write(Encoding.UTF8.GetBytes(text.ToString())));
    }
}
