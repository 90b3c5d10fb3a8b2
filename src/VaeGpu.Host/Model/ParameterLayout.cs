using VaeGpu.Kernels;

namespace VaeGpu.Host.Model;

/// <summary>
/// One linear layer y = activation(x W + b): W is Inputs x Outputs at WeightOffset, b is 1 x Outputs right after it;
/// the hidden layers have the model's activation, the head and the output none.
/// </summary>
public sealed record LinearLayer(string Name, int Inputs, int Outputs, Activation Activation, int WeightOffset)
{
    public int BiasOffset => WeightOffset + Inputs * Outputs;
    public int End => BiasOffset + Outputs;
}

/// <summary>
/// Where every parameter lives in the model's single flat buffer. One buffer means one optimiser launch per step
/// and one copy per checkpoint; each layer reads its own views of it.
/// </summary>
public sealed class ParameterLayout
{
    public IReadOnlyList<LinearLayer> Encoder { get; }
    public IReadOnlyList<LinearLayer> Decoder { get; }
    public int Count { get; }

    public ParameterLayout(VaeConfig config)
    {
        int offset = 0;
        LinearLayer Next(string name, int inputs, int outputs, Activation activation)
        {
            var layer = new LinearLayer(name, inputs, outputs, activation, offset);
            offset = layer.End;
            return layer;
        }

        var encoder = new List<LinearLayer>();
        int width = config.Inputs;
        for (int i = 0; i < config.Hidden.Length; i++)
        {
            encoder.Add(Next($"encoder.{i}", width, config.Hidden[i], config.Activation));
            width = config.Hidden[i];
        }
        encoder.Add(Next("encoder.head", width, config.HeadWidth, Activation.None));

        var decoder = new List<LinearLayer>();
        width = config.Latent;
        for (int i = config.Hidden.Length - 1; i >= 0; i--)
        {
            decoder.Add(Next($"decoder.{config.Hidden.Length - 1 - i}", width, config.Hidden[i], config.Activation));
            width = config.Hidden[i];
        }
        decoder.Add(Next("decoder.output", width, config.Inputs, Activation.None));

        Encoder = encoder;
        Decoder = decoder;
        Count = offset;
    }

    public IEnumerable<LinearLayer> Layers => Encoder.Concat(Decoder);
}
