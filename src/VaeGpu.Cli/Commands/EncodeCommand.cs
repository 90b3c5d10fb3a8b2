using System.CommandLine;
using VaeGpu.Host;
using VaeGpu.Host.Data;
using VaeGpu.Host.Model;
using VaeGpu.Host.Training;
using VaeGpu.Kernels;
using VaeGpu.Runtime;

namespace VaeGpu.Cli.Commands;

/// <summary>`vaegpu encode`: the parameters of q(z|x) for each image, as a float32 .npy of [N, 2 latent].</summary>
static class EncodeCommand
{
    public static Command Create()
    {
        var model = ModelOptions.Model();
        var data = CommonOptions.Data();
        var testFraction = CommonOptions.TestFraction();
        var split = CommonOptions.Split();
        var batch = ModelOptions.Batch();
        var device = CommonOptions.Device();
        var output = new Option<string>("--out") { Description = "the .npy file to write: float32 [N, 2 latent], per image the latent means, then the log-variances (gamma: the shapes, then the rates; dirichlet: [N, latent] concentrations)", Required = true };
        var command = new Command("encode", "Encode images with a trained model: the means and log-variances of q(z|x), as a NumPy file.")
        {
            model, data, testFraction, split, batch, device, output,
        };
        command.SetAction(parsed =>
        {
            string path = parsed.GetValue(model)!, outPath = parsed.GetValue(output)!;
            int batchSize = ModelOptions.CheckBatch(parsed.GetValue(batch));
            ModelOptions.CheckNpyOut(outPath, ("--model", path), ("--data", parsed.GetValue(data)!));
            var (config, _) = ModelFile.Load(path); // a bad file fails before the data and the device are touched
            var images = ModelOptions.Images(parsed.GetValue(data)!, parsed.GetValue(testFraction), parsed.GetValue(split)!, config, path);
            using var backend = CommonOptions.OpenDevice(parsed.GetValue(device)!);
            var vae = Vae.Load(backend, path, TrainingOptions.Default with { BatchSize = batchSize });
            var codes = vae.Encode(images.Pixels());
            NpyFile.WriteFloats(outPath, codes, images.Count, config.HeadWidth);
            string layout = config.Posterior switch
            {
                Posterior.Gaussian => "latent means, then log-variances",
                Posterior.Gamma => "Gamma shapes, then rates",
                _ => "Dirichlet concentrations",
            };
            Console.Error.WriteLine($"wrote {images.Count} codes [{images.Count}, {config.HeadWidth}] ({layout}) to {outPath}");
            return 0;
        });
        return command;
    }
}
