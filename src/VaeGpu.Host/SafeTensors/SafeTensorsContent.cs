using VaeGpu.Runtime;

namespace VaeGpu.Host.SafeTensors;

/// <summary>What SafeTensorsFile.Read found in Path: the tensors in the header's order, and the header's metadata.</summary>
public sealed record SafeTensorsContent(string Path, IReadOnlyList<NamedTensor> Tensors, IReadOnlyDictionary<string, string> Metadata)
{
    /// <summary>The tensor called name. Its absence is the user's problem: the file was made by another model or program.</summary>
    public NamedTensor Get(string name) =>
        Tensors.FirstOrDefault(tensor => tensor.Name == name)
        ?? throw new UserErrorException($"{Path}: no tensor named '{name}' (it has {(Tensors.Count == 0 ? "none" : string.Join(", ", Tensors.Select(tensor => $"'{tensor.Name}'")))}).");
}
