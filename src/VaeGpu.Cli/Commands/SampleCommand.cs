using System.CommandLine;
using VaeGpu.Host.Model;
using VaeGpu.Cli.Plots;
using VaeGpu.Host.Training;
using VaeGpu.Runtime;
using VaeGpu.Host.Files;

namespace VaeGpu.Cli.Commands;

/// <summary>`vaegpu sample`: decoded draws from the prior of a saved model, as a PNG grid.</summary>
static class SampleCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "a model.safetensors written by vaegpu train, or one in PyTorch's layout (see vaegpu export)", Required = true };
        var count = new Option<int>("--n") { Description = "how many samples (1 to 10000)", DefaultValueFactory = _ => 64 };
        var output = new Option<string>("--out") { Description = "the PNG to write", DefaultValueFactory = _ => "samples.png" };
        var seed = CommonOptions.Seed();
        var device = CommonOptions.Device();
        var command = new Command("sample", "Decode draws z ~ N(0, I) of a trained model into a PNG grid.") { model, count, output, seed, device };
        command.SetAction(parsed =>
        {
            int n = parsed.GetValue(count);
            if (n < 1 || n > 10000) throw new UserErrorException($"--n {n}: draw 1 to 10000 samples.");
            string path = parsed.GetValue(model)!;
            OutputFile.Check("--out", parsed.GetValue(output), OutputKind.Png, ("--model", path));
            var (config, _) = ModelFile.Load(path);
            int side = (int)Math.Round(Math.Sqrt(config.Inputs));
            if (side * side != config.Inputs) throw new UserErrorException($"{path}: {config.Inputs} pixels per image is not a square picture.");
            int gridColumns = (int)Math.Ceiling(Math.Sqrt(n));
            int scale = ImageGrid.FittingScale(n, side, side, gridColumns, 2);
            if (scale == 0)
                throw new UserErrorException($"--n {n}: {n} samples of {side}x{side} pixels make a grid of more than {ImageGrid.MaxCanvasPixels} pixels, larger than vaegpu draws: draw fewer.");
            using var backend = CommonOptions.OpenDevice(parsed.GetValue(device)!);
            var vae = ModelFile.Open(path, backend, batchSize: 128);
            var images = new VaeInference(backend, vae).SamplePrior(n, parsed.GetValue(seed), RandomStreams.PriorSamples(0));
            ImageGrid.WritePng(parsed.GetValue(output)!, images, n, side, side, gridColumns, scale);
            Console.Error.WriteLine($"wrote {n} samples to {parsed.GetValue(output)}");
            return 0;
        });
        return command;
    }
}
