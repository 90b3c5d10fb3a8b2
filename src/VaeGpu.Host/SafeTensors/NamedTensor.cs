namespace VaeGpu.Host.SafeTensors;

/// <summary>
/// One tensor of a safetensors file: row-major float32 values, as many as the product of Shape (an empty shape is a
/// scalar).
/// </summary>
public sealed record NamedTensor(string Name, int[] Shape, float[] Values);
