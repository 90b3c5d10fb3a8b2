using VaeGpu.Kernels;
using VaeGpu.Host.SafeTensors;
using VaeGpu.Host.Model;
using VaeGpu.Runtime;
using VaeGpu.Host.Files;

namespace VaeGpu.Host.Training;

/// <summary>
/// model.safetensors: each layer's weight (inputs x outputs) and bias as its own named tensor, and the model's
/// configuration in the header metadata, so Python's safetensors (or any reader of the format) can load it. Load also
/// reads PyTorch's layout (PyTorchModelFile), told apart by its tensor names.
/// </summary>
public static class ModelFile
{
    /// <summary>
    /// What `export` may replace: a safetensors file (an 8-byte header size, then the JSON header) that is no checkpoint,
    /// whose metadata, first in the header, names the optimizer.
    /// </summary>
    public static readonly OutputKind Kind = new("a model (safetensors)", path =>
    {
        byte[] start = OutputKind.Start(path, 4096);
        return start.Length > 8 && start[8] == (byte)'{' && !System.Text.Encoding.UTF8.GetString(start).Contains("\"optimizer\":", StringComparison.Ordinal);
    });

    public static void Save(string path, VaeModel model, IBackend backend) =>
        SafeTensorsFile.Write(path, Tensors(model.Layout, backend.Download(model.Parameters)), model.Config.ToMetadata());

    public static void Save(Stream stream, VaeModel model, IBackend backend) =>
        SafeTensorsFile.Write(stream, Tensors(model.Layout, backend.Download(model.Parameters)), model.Config.ToMetadata());

    public static IReadOnlyList<NamedTensor> Tensors(ParameterLayout layout, float[] parameters) =>
        layout.Layers.SelectMany(layer => new[]
        {
            new NamedTensor($"{layer.Name}.weight", [layer.Inputs, layer.Outputs], parameters[layer.WeightOffset..layer.BiasOffset]),
            new NamedTensor($"{layer.Name}.bias", [layer.Outputs], parameters[layer.BiasOffset..layer.End]),
        }).ToList();

    /// <summary>
    /// The configuration and the flat parameter vector of a native or PyTorch-layout file; a file of another shape is a
    /// one-line user error.
    /// </summary>
    public static (VaeConfig Config, float[] Parameters) Load(string path)
    {
        return Load(SafeTensorsFile.Read(path));
    }

    /// <summary>The configuration and flat parameters of safetensors content already read (from a file or a stream).</summary>
    public static (VaeConfig Config, float[] Parameters) Load(SafeTensorsContent content)
    {
        if (PyTorchModelFile.Holds(content)) return PyTorchModelFile.Load(content);
        var config = VaeConfig.FromMetadata(content.Metadata, content.Path);
        return (config, Parameters(content, new ParameterLayout(config)));
    }

    /// <summary>The flat parameters from the file's tensors; every shape is checked before the vector is allocated.</summary>
    public static float[] Parameters(SafeTensorsContent content, ParameterLayout layout)
    {
        var placed = layout.Layers.SelectMany(layer => new[]
        {
            (Name: $"{layer.Name}.weight", Shape: new[] { layer.Inputs, layer.Outputs }, Offset: layer.WeightOffset),
            (Name: $"{layer.Name}.bias", Shape: new[] { layer.Outputs }, Offset: layer.BiasOffset),
        }).ToList();
        foreach (var (name, shape, _) in placed)
        {
            var stored = content.Get(name);
            if (!stored.Shape.SequenceEqual(shape))
                throw new UserErrorException($"{content.Path}: tensor '{name}' has shape [{string.Join(",", stored.Shape)}] where the model needs [{string.Join(",", shape)}].");
        }
        var parameters = new float[layout.Count];
        foreach (var (name, _, offset) in placed) content.Get(name).Values.CopyTo(parameters, offset);
        if (parameters.Any(v => !float.IsFinite(v)))
            throw new UserErrorException($"{content.Path}: the parameters contain NaN or infinite values.");
        return parameters;
    }

    /// <summary>A model on the backend with the file's parameters, ready for evaluation or sampling (under the ELBO unless told).</summary>
    public static VaeModel Open(string path, IBackend backend, int batchSize, Objective? objective = null, Sampler sampler = Sampler.Mc)
    {
        var (config, parameters) = Load(path);
        var model = new VaeModel(backend, config, batchSize, objective, sampler);
        backend.Upload(parameters, model.Parameters);
        return model;
    }
}
