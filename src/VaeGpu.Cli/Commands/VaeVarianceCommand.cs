using VaeGpu.Host.Names;
using System.CommandLine;
using VaeGpu.Kernels;
using VaeGpu.Host.Data;
using VaeGpu.Host.Model;
using VaeGpu.Host.Evaluation;
using VaeGpu.Host.Training;
using VaeGpu.Runtime;
using VaeGpu.Host.Files;

namespace VaeGpu.Cli.Commands;

/// <summary>
/// `vaegpu variance vae`: how noisy each encoder-gradient estimator is inside a trained VAE, under the ELBO or under the
/// importance-weighted bound for each K of a list.
/// </summary>
static class VaeVarianceCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "a model.safetensors written by vaegpu train, or one in PyTorch's layout (see vaegpu export)", Required = true };
        var data = CommonOptions.Data();
        var testFraction = CommonOptions.TestFraction();
        var images = new Option<int>("--images") { Description = "test images in the batch whose gradient is estimated", DefaultValueFactory = _ => 128 };
        var samples = new Option<int>("--samples") { Description = "independent single-sample gradients per estimator (M)", DefaultValueFactory = _ => 100 };
        var estimators = new Option<string>("--estimators") { Description = $"comma-separated subset of {string.Join(",", Vocabulary.Estimators.NamesOf(EstimatorChoice.Encoder))} (default: every estimator of the objective)" };
        var objective = new Option<string>("--objective") { Description = "elbo, or a multi-draw bound (iwae, miwae, ciwae, piwae, renyi, rws) for each K of --k", DefaultValueFactory = _ => "elbo" };
        objective.AcceptOnlyFromAmong(ModelVocabulary.Objectives.Names);
        var samplesPerImage = new Option<string>("--k") { Description = "comma-separated draws per image for a multi-draw --objective, e.g. 1,5,50", DefaultValueFactory = _ => "1,5,50" };
        var groups = new Option<int>("--groups") { Description = "miwae and piwae: groups of each K's draws", DefaultValueFactory = _ => 1 };
        var elboWeight = new Option<float>("--elbo-weight") { Description = "ciwae: the weight of the ELBO", DefaultValueFactory = _ => 0f };
        var alpha = new Option<float>("--alpha") { Description = "renyi: alpha in [0, 1)", DefaultValueFactory = _ => 0f };
        var sampler = new Option<string>("--sampler") { Description = CommonOptions.SamplerDescription, DefaultValueFactory = _ => "mc" };
        sampler.AcceptOnlyFromAmong(Vocabulary.Samplers.Names);
        var binarize = new Option<string>("--binarize") { Description = "none, or static: measure on a Bernoulli draw of each test pixel (drawn once from --seed, as train and eval draw the test set)", DefaultValueFactory = _ => "none" };
        binarize.AcceptOnlyFromAmong(TrainingVocabulary.Binarizations.NamesOf([Binarization.None, Binarization.Static]));
        var json = new Option<bool>("--json") { Description = "print the table as one JSON object" };
        var output = new Option<string>("--out") { Description = "folder for variance.csv and variance.png", DefaultValueFactory = _ => "runs/variance-vae" };
        var seed = CommonOptions.Seed();
        var device = CommonOptions.Device();
        var command = new Command("vae", "Variance and signal-to-noise ratio of the encoder gradient under each estimator, for the ELBO or the IWAE bound as K grows.")
        {
            model, data, testFraction, images, samples, estimators, objective, samplesPerImage, groups, elboWeight, alpha, sampler, binarize, json, output, seed, device,
        };
        command.SetAction(parsed =>
        {
            int count = parsed.GetValue(images), m = parsed.GetValue(samples);
            if (count < 1 || count > 4096) throw new UserErrorException($"--images {count}: use 1 to 4096 test images.");
            if (m < 2) throw new UserErrorException($"--samples {m}: a variance needs at least 2 samples.");
            var kind = ModelVocabulary.Objectives.Parse(parsed.GetValue(objective)!);
            if (kind == ObjectiveKind.Elbo && parsed.GetResult(samplesPerImage) is { Implicit: false })
                throw new UserErrorException($"--k {parsed.GetValue(samplesPerImage)} with --objective elbo: the ELBO draws one z per image; add --objective iwae.");
            var objectives = kind != ObjectiveKind.Elbo
                ? ParseSamples(parsed.GetValue(samplesPerImage)!).Select(k => new Objective(kind, k)
                {
                    Groups = parsed.GetValue(groups), ElboWeight = parsed.GetValue(elboWeight), Alpha = parsed.GetValue(alpha),
                }.Validated()).ToList()
                : [new Objective(ObjectiveKind.Elbo, 1) { Groups = parsed.GetValue(groups), ElboWeight = parsed.GetValue(elboWeight), Alpha = parsed.GetValue(alpha) }.Validated()];
            var draws = Vocabulary.Samplers.Parse(parsed.GetValue(sampler)!);
            var chosen = parsed.GetValue(estimators) is { } names
                ? names.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(name => Vocabulary.Estimators.Parse(name)).Distinct().ToList()
                : draws != Sampler.Mc ? [GradientEstimator.Pathwise] : [.. objectives[0].Estimators];
            // VIMCO's leave-one-out baselines need two draws: left out of the default where a K is 1, refused where named.
            if (chosen.Contains(GradientEstimator.Vimco) && objectives.Min(o => o.Samples) < 2)
            {
                if (parsed.GetValue(estimators) is not null)
                    throw new UserErrorException($"--estimators vimco with --k {parsed.GetValue(samplesPerImage)}: VIMCO's leave-one-out baselines need at least 2 draws per image.");
                chosen.Remove(GradientEstimator.Vimco);
            }
            if (chosen.Count == 0) throw new UserErrorException($"--estimators: name at least one of {string.Join(", ", objectives[0].Estimators.Select(Vocabulary.Estimators.Name))}.");
            foreach (var estimator in chosen) EstimatorChoice.RequireFor(objectives[0], estimator);
            foreach (var bound in objectives) DrawSamplers.Require(draws, bound, chosen);
            string path = parsed.GetValue(model)!;
            var (config, _) = ModelFile.Load(path); // a bad file fails before the data and the device are touched
            if (config.Posterior != Posterior.Gaussian)
                throw new UserErrorException($"{path} has a {ModelVocabulary.Posteriors.Name(config.Posterior)} posterior; variance vae compares the estimators of the Gaussian encoder (its z = mu + sigma eps).");
            DrawSamplers.RequireDimensions(draws, config.Latent);
            var test = ImageDataset.Load(parsed.GetValue(data)!, parsed.GetValue(testFraction)).Test;
            test.RequireValues(config.Likelihood == Likelihood.Bernoulli, ModelVocabulary.Likelihoods.Name(config.Likelihood));
            if (TrainingVocabulary.Binarizations.Parse(parsed.GetValue(binarize)!) == Binarization.Static)
            {
                if (config.Likelihood != Likelihood.Bernoulli) throw new UserErrorException($"--binarize static: {path} has a gaussian decoder; binary pixels call for a Bernoulli one.");
                // The first --images of the set drawn as train and eval draw the whole set: a prefix's pixels keep their elements.
                test = test.Select([.. Enumerable.Range(0, Math.Min(count, test.Count))]).Binarized(parsed.GetValue(seed), RandomStreams.TestSetBinarization);
            }
            count = Math.Min(count, test.Count);
            using var backend = CommonOptions.OpenDevice(parsed.GetValue(device)!);
            if (config.Inputs != test.PixelsPerImage)
                throw new UserErrorException($"{path} takes {config.Inputs} pixels per image but the test images have {test.PixelsPerImage}.");
            // Every model is sized (and refused, if it does not fit) before anything is measured or written.
            var models = objectives.Select(o => ModelFile.Open(path, backend, batchSize: count, o, draws)).ToList();
            // The output folder is made before the seconds of measuring, so a bad --out fails at once.
            string folder = ResultFolder.Create(parsed.GetValue(output)!, "variance vae");
            var pixels = test.Pixels(0, count);
            var rows = models.SelectMany(vae => new EncoderGradientVariance(backend, vae).Measure(pixels, m, parsed.GetValue(seed), chosen)).ToList();
            GradientVarianceReport.Write(folder, "variance", rows);
            Console.WriteLine(parsed.GetValue(json) ? GradientVarianceReport.Json(rows) : GradientVarianceReport.Table(rows));
            Console.Error.WriteLine($"wrote variance.csv and variance.png to {folder}");
            return 0;
        });
        return command;
    }

    /// <summary>"1,5,50": the K of each bound, in the order given, each once.</summary>
    static List<int> ParseSamples(string text)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var values = new List<int>();
        foreach (var part in parts)
            values.Add(int.TryParse(part, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int k)
                ? k
                : throw new UserErrorException($"--k {text}: give draws per image as whole numbers separated by commas, e.g. 1,5,50."));
        return values.Count > 0 ? [.. values.Distinct()] : throw new UserErrorException($"--k {text}: name at least one K.");
    }
}
