using System.CommandLine;
using VaeGpu.Cli.Plots;
using VaeGpu.Host;
using VaeGpu.Host.Data;
using VaeGpu.Host.Training;
using VaeGpu.Kernels;
using VaeGpu.Runtime;

namespace VaeGpu.Cli.Commands;

/// <summary>`vaegpu decode`: the decoder's mean image for each latent code of a .npy file, as a .npy or a PNG grid.</summary>
static class DecodeCommand
{
    /// <summary>Codes per call: a million images of 784 pixels are 3 GB of floats, as far as a grid or an array here goes.</summary>
    const int MaxCodes = 1 << 20;

    public static Command Create()
    {
        var model = ModelOptions.Model();
        var latent = new Option<string>("--latent")
        {
            Description = "a float32 .npy of latent codes: [N, latent], or encode's [N, 2 latent], whose means are decoded",
            Required = true,
        };
        var batch = ModelOptions.Batch();
        var device = CommonOptions.Device();
        var output = new Option<string>("--out") { Description = "X.npy (float32 [N, pixels]) or X.png (a grid of the images)", Required = true };
        var command = new Command("decode", "Decode latent codes with a trained model: the decoder's mean images (Bernoulli means or Gaussian means).")
        {
            model, latent, batch, device, output,
        };
        command.SetAction(parsed =>
        {
            string path = parsed.GetValue(model)!, latentPath = parsed.GetValue(latent)!, outPath = parsed.GetValue(output)!;
            int batchSize = ModelOptions.CheckBatch(parsed.GetValue(batch));
            bool png = outPath.EndsWith(".png", StringComparison.OrdinalIgnoreCase);
            if (!png && !outPath.EndsWith(".npy", StringComparison.OrdinalIgnoreCase))
                throw new UserErrorException($"--out {outPath}: name a .npy file (the images as an array) or a .png file (a grid of them).");
            OutputFile.Check("--out", outPath, png ? OutputKind.Png : NpyFile.Kind, ("--model", path), ("--latent", latentPath));
            var (config, _) = ModelFile.Load(path);
            var codes = NpyFile.ReadImages(latentPath);
            if (codes.Floats is null) throw new UserErrorException($"--latent {latentPath}: the codes are bytes; latent codes are float32 (numpy: z.astype(np.float32)).");
            // Encode's [N, 2 latent] is accepted where it names the posterior's means: mu (Gaussian), shape / rate (Gamma).
            bool encoded = config.Posterior != Posterior.Dirichlet && codes.PixelsPerImage == 2 * config.Latent;
            if (codes.PixelsPerImage != config.Latent && !encoded)
                throw new UserErrorException($"--latent {latentPath}: {codes.PixelsPerImage} values per code, but {path} has {config.Latent} latent dimensions (give [N, {config.Latent}]" +
                    (config.Posterior == Posterior.Dirichlet ? ", points of the simplex)." : $", or encode's [N, {2 * config.Latent}])."));
            if (codes.Count > MaxCodes) throw new UserErrorException($"--latent {latentPath}: {codes.Count} codes, more than the {MaxCodes} one call decodes: split the file.");
            if (codes.Floats.Any(value => !float.IsFinite(value))) throw new UserErrorException($"--latent {latentPath}: the codes contain NaN or infinite values.");
            var z = encoded ? Means(codes.Floats, codes.Count, config.Latent, config.Posterior) : codes.Floats;
            if (z.Any(value => !float.IsFinite(value))) throw new UserErrorException($"--latent {latentPath}: a rate of 0 gives an infinite mean; give positive rates, or the codes z themselves.");
            int side = (int)Math.Round(Math.Sqrt(config.Inputs)), gridColumns = (int)Math.Ceiling(Math.Sqrt(codes.Count));
            int scale = png ? ImageGrid.FittingScale(codes.Count, side, side, gridColumns, 2) : 1;
            if (png && side * side != config.Inputs) throw new UserErrorException($"--out {outPath}: {config.Inputs} pixels per image is not a square picture; write a .npy instead.");
            if (png && scale == 0) throw new UserErrorException($"--out {outPath}: {codes.Count} images make a grid larger than vaegpu draws; decode fewer, or write a .npy.");
            using var backend = CommonOptions.OpenDevice(parsed.GetValue(device)!);
            var vae = Vae.Load(backend, path, TrainingOptions.Default with { BatchSize = batchSize });
            var images = vae.Decode(z);
            if (png) ImageGrid.WritePng(outPath, images, codes.Count, side, side, gridColumns, scale);
            else NpyFile.WriteFloats(outPath, images, codes.Count, config.Inputs);
            Console.Error.WriteLine($"wrote {codes.Count} decoded images to {outPath}");
            return 0;
        });
        return command;
    }

    /// <summary>The codes as [N, latent]: encode's [N, 2 latent] rows give their first half, the means.</summary>
    /// <summary>The posterior means of encode's codes: the first half of each (Gaussian), or shape / rate (Gamma).</summary>
    static float[] Means(float[] values, int count, int latent, Posterior posterior)
    {
        var means = new float[count * latent];
        for (int row = 0; row < count; row++)
            for (int j = 0; j < latent; j++)
                means[row * latent + j] = posterior == Posterior.Gamma
                    ? values[row * 2 * latent + j] / values[row * 2 * latent + latent + j]
                    : values[row * 2 * latent + j];
        return means;
    }
}
