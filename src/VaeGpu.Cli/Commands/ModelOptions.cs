using System.CommandLine;
using VaeGpu.Host.Data;
using VaeGpu.Host.Model;
using VaeGpu.Host.Names;
using VaeGpu.Kernels;
using VaeGpu.Runtime;

namespace VaeGpu.Cli.Commands;

/// <summary>The options and checks that the commands over a saved model (encode, decode, score) share.</summary>
static class ModelOptions
{
    public static Option<string> Model() => new("--model")
    {
        Description = "a model.safetensors written by vaegpu train, or one in PyTorch's layout (see vaegpu export)",
        Required = true,
    };

    public static Option<int> Batch() => new("--batch") { Description = "images per batch on the device", DefaultValueFactory = _ => CanonicalVae.Batch };

    public static int CheckBatch(int batch) => batch is >= 1 and <= 1 << 16
        ? batch
        : throw new UserErrorException($"--batch {batch}: the batch size must be 1 to {1 << 16}.");

    /// <summary>Refuses an --out that is not a .npy path the command may write.</summary>
    public static void CheckNpyOut(string path, params (string Option, string Path)[] inputs)
    {
        if (!path.EndsWith(".npy", StringComparison.OrdinalIgnoreCase))
            throw new UserErrorException($"--out {path}: name a .npy file (the codes are written as a NumPy array).");
        OutputFile.Check("--out", path, NpyFile.Kind, inputs);
    }

    /// <summary>Refuses coupled draws for a model whose posterior draws plain Monte Carlo samples (Gamma, Dirichlet).</summary>
    public static void RequireDrawsFor(VaeConfig config, Sampler sampler, string modelPath)
    {
        if (config.Posterior != Posterior.Gaussian && sampler != Sampler.Mc)
            throw new UserErrorException($"--sampler {Vocabulary.Samplers.Name(sampler)}: {modelPath} has a {ModelVocabulary.Posteriors.Name(config.Posterior)} posterior, whose draws are plain Monte Carlo; use --sampler mc.");
    }

    /// <summary>The images of one split of --data, refused when they do not fit the model.</summary>
    public static ImageSet Images(string data, double? testFraction, string split, VaeConfig config, string modelPath)
    {
        var images = ImageDataset.LoadImages(data, testFraction, CommonOptions.ParseSplit(split));
        if (images.PixelsPerImage != config.Inputs)
            throw new UserErrorException($"{modelPath} takes {config.Inputs} pixels per image but the images of --data {data} have {images.PixelsPerImage}.");
        images.RequireValues(config.Likelihood == Likelihood.Bernoulli, ModelVocabulary.Likelihoods.Name(config.Likelihood));
        return images;
    }
}
