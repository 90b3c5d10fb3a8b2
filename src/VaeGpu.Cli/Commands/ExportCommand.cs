using System.CommandLine;
using VaeGpu.Host.Files;
using VaeGpu.Host.Model;
using VaeGpu.Host.SafeTensors;
using VaeGpu.Host.Training;
using VaeGpu.Runtime;

namespace VaeGpu.Cli.Commands;

/// <summary>
/// `vaegpu export`: a model file in another layout, PyTorch's (the state_dict of pytorch/examples vae/main.py) or
/// vaegpu's own; either is read. Native -> pytorch -> native gives back the same bytes.
/// </summary>
static class ExportCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "a model.safetensors written by vaegpu train, or one in PyTorch's layout", Required = true };
        var format = new Option<string>("--format") { Description = "pytorch (fc1, fc21, fc22, fc3, fc4...; weights [out, in]) or native", DefaultValueFactory = _ => "pytorch" };
        var output = new Option<string>("--out") { Description = "the safetensors file to write", Required = true };
        var command = new Command("export", "Write a model in PyTorch's state_dict layout (or back in vaegpu's).") { model, format, output };
        command.SetAction(parsed =>
        {
            string layout = parsed.GetValue(format)!;
            if (layout is not ("pytorch" or "native")) throw new UserErrorException($"--format {layout}: use pytorch or native.");
            string path = parsed.GetValue(model)!, target = OutputFile.Check("--out", parsed.GetValue(output), ModelFile.Kind, ("--model", path));
            var (config, parameters) = ModelFile.Load(path);
            var parameterLayout = new ParameterLayout(config);
            if (layout == "pytorch")
                SafeTensorsFile.Write(target, PyTorchModelFile.Tensors(parameterLayout, parameters, config.Posterior), PyTorchModelFile.Metadata(config));
            else
                SafeTensorsFile.Write(target, ModelFile.Tensors(parameterLayout, parameters), config.ToMetadata());
            Console.Error.WriteLine($"wrote the {config.Inputs}-{config.HiddenText}-{config.Latent} model in {layout} layout to {target}");
            return 0;
        });
        return command;
    }
}
