using System.Globalization;
using VaeGpu.Host.Model;
using VaeGpu.Host.SafeTensors;
using VaeGpu.Kernels;
using VaeGpu.Runtime;

namespace VaeGpu.Host.Training;

/// <summary>
/// A VAE as the state_dict of pytorch/examples vae/main.py, in a safetensors file that safetensors' load_file and
/// load_state_dict take unchanged. Weights are torch.nn.Linear's [outputs, inputs] (y = x W^T + b). The naming rule,
/// with L hidden layers: encoder layer i is fc{i} (i = 1..L), the head is fc{L+1}1 (mu) and fc{L+1}2 (log sigma^2),
/// and decoder layer j is fc{L+2+j} (j = 0..L, the last giving the logits or means). One hidden layer of 400 and a
/// latent of 20 gives the example's fc1, fc21, fc22, fc3, fc4.
/// The likelihood is not part of a state_dict: a file written by `vaegpu export` carries vaegpu's configuration in its
/// metadata (likelihood, sigma_x); one without it is the example's Bernoulli decoder. A Gamma posterior's head is
/// fc{L+1}1 (shapes) and fc{L+1}2 (rates), a Dirichlet posterior's fc{L+1}1 alone (concentrations), both before the
/// softplus, with "posterior" in the metadata; tanh hidden layers (torch.tanh where the example has relu) are
/// "activation" there.
/// </summary>
public static class PyTorchModelFile
{
    /// <summary>True for a file in this layout (it has fc layers and no native encoder head).</summary>
    public static bool Holds(SafeTensorsContent content) =>
        content.Tensors.All(tensor => tensor.Name != "encoder.head.weight")
        && content.Tensors.Any(tensor => tensor.Name.StartsWith("fc", StringComparison.Ordinal) && tensor.Name.EndsWith(".weight", StringComparison.Ordinal));

    /// <summary>The file's tensors in this layout for a model's flat parameters.</summary>
    public static IReadOnlyList<NamedTensor> Tensors(ParameterLayout layout, float[] parameters, Posterior posterior = Posterior.Gaussian)
    {
        var tensors = new List<NamedTensor>();
        int hiddenLayers = layout.Encoder.Count - 1;
        for (int i = 0; i < hiddenLayers; i++) tensors.AddRange(Linear($"fc{i + 1}", layout.Encoder[i], parameters, 0, layout.Encoder[i].Outputs));
        var head = layout.Encoder[^1];
        int columns = ImplicitPosteriorMath.HeadColumns(posterior), latent = head.Outputs / columns;
        tensors.AddRange(Linear($"fc{hiddenLayers + 1}1", head, parameters, 0, latent));
        if (columns == 2) tensors.AddRange(Linear($"fc{hiddenLayers + 1}2", head, parameters, latent, latent));
        for (int j = 0; j < layout.Decoder.Count; j++) tensors.AddRange(Linear($"fc{hiddenLayers + 2 + j}", layout.Decoder[j], parameters, 0, layout.Decoder[j].Outputs));
        return tensors;
    }

    /// <summary>Output columns [first, first + count) of a native layer as an nn.Linear's weight [count, inputs] and bias.</summary>
    static NamedTensor[] Linear(string name, LinearLayer layer, float[] parameters, int first, int count)
    {
        var weight = new float[count * layer.Inputs];
        for (int o = 0; o < count; o++)
            for (int i = 0; i < layer.Inputs; i++)
                weight[o * layer.Inputs + i] = parameters[layer.WeightOffset + i * layer.Outputs + first + o];
        return
        [
            new NamedTensor($"{name}.weight", [count, layer.Inputs], weight),
            new NamedTensor($"{name}.bias", [count], parameters[(layer.BiasOffset + first)..(layer.BiasOffset + first + count)]),
        ];
    }

    /// <summary>vaegpu's configuration as this layout's metadata: the native keys, with the weight layout it really has.</summary>
    public static Dictionary<string, string> Metadata(VaeConfig config)
    {
        var metadata = config.ToMetadata();
        metadata["weight_layout"] = "outputs x inputs (torch.nn.Linear, y = x W^T + b)";
        return metadata;
    }

    /// <summary>
    /// The configuration from the tensors' names and shapes (and the likelihood from vaegpu metadata, where present),
    /// and the flat parameters; every tensor is checked before the parameters are allocated, and whatever does not fit
    /// is a one-line error naming the tensor.
    /// </summary>
    public static (VaeConfig Config, float[] Parameters) Load(SafeTensorsContent content)
    {
        int hiddenLayers = 0;
        while (Has(content, $"fc{hiddenLayers + 1}.weight")) hiddenLayers++;
        string mu = $"fc{hiddenLayers + 1}1", logVariance = $"fc{hiddenLayers + 1}2";
        var muWeight = content.Get($"{mu}.weight");
        if (muWeight.Shape.Length != 2)
            throw new UserErrorException($"{content.Path}: tensor '{mu}.weight' has shape [{string.Join(",", muWeight.Shape)}]; an nn.Linear weight is [outputs, inputs].");
        var hidden = new int[hiddenLayers];
        for (int i = 0; i < hiddenLayers; i++)
        {
            var shape = content.Get($"fc{i + 1}.weight").Shape;
            if (shape.Length != 2)
                throw new UserErrorException($"{content.Path}: tensor 'fc{i + 1}.weight' has shape [{string.Join(",", shape)}]; an nn.Linear weight is [outputs, inputs].");
            hidden[i] = shape[0];
        }
        int inputs = hiddenLayers > 0 ? content.Get("fc1.weight").Shape[1] : muWeight.Shape[1];
        var (likelihood, sigma, posterior, activation) = Stated(content);
        VaeConfig config;
        try
        {
            config = new VaeConfig(inputs, hidden, muWeight.Shape[0], likelihood, sigma, posterior, activation).Validated();
        }
        catch (Exception error) when (error is UserErrorException or InvalidSettingException)
        {
            throw new UserErrorException($"{content.Path}: its tensors describe an impossible model: {error.Message}");
        }
        var layout = new ParameterLayout(config);
        var expected = Tensors(layout, new float[layout.Count], posterior);
        foreach (var tensor in expected)
        {
            var stored = content.Get(tensor.Name);
            if (!stored.Shape.SequenceEqual(tensor.Shape))
                throw new UserErrorException($"{content.Path}: tensor '{tensor.Name}' has shape [{string.Join(",", stored.Shape)}] where a {config.Inputs}-{config.HiddenText}-{config.Latent} model needs [{string.Join(",", tensor.Shape)}].");
        }
        var parameters = new float[layout.Count];
        int hiddenCount = layout.Encoder.Count - 1;
        for (int i = 0; i < hiddenCount; i++) Place(content, $"fc{i + 1}", layout.Encoder[i], 0, parameters);
        Place(content, mu, layout.Encoder[^1], 0, parameters);
        if (ImplicitPosteriorMath.HeadColumns(posterior) == 2) Place(content, logVariance, layout.Encoder[^1], config.Latent, parameters);
        for (int j = 0; j < layout.Decoder.Count; j++) Place(content, $"fc{hiddenCount + 2 + j}", layout.Decoder[j], 0, parameters);
        if (parameters.Any(v => !float.IsFinite(v)))
            throw new UserErrorException($"{content.Path}: the parameters contain NaN or infinite values.");
        return (config, parameters);
    }

    static bool Has(SafeTensorsContent content, string name) => content.Tensors.Any(tensor => tensor.Name == name);

    /// <summary>An nn.Linear's weight [count, inputs] and bias into output columns [first, first + count) of a native layer.</summary>
    static void Place(SafeTensorsContent content, string name, LinearLayer layer, int first, float[] parameters)
    {
        var weight = content.Get($"{name}.weight");
        int count = weight.Shape[0];
        for (int o = 0; o < count; o++)
            for (int i = 0; i < layer.Inputs; i++)
                parameters[layer.WeightOffset + i * layer.Outputs + first + o] = weight.Values[o * layer.Inputs + i];
        content.Get($"{name}.bias").Values.CopyTo(parameters, layer.BiasOffset + first);
    }

    /// <summary>
    /// vaegpu's likelihood, sigma_x, posterior and activation where the metadata states them, else the example's
    /// Bernoulli decoder, Gaussian encoder and ReLU layers.
    /// </summary>
    static (Likelihood, float, Posterior, Activation) Stated(SafeTensorsContent content)
    {
        if (!content.Metadata.ContainsKey("likelihood")) return (Model.Likelihood.Bernoulli, 1f, Posterior.Gaussian, Activation.Relu);
        var metadata = new Dictionary<string, string>(content.Metadata);
        // Only the likelihood's keys are read from it; the shapes come from the tensors themselves.
        foreach (var (key, value) in new[] { ("inputs", "1"), ("hidden", ""), ("latent", "1") }) metadata.TryAdd(key, value);
        var stated = VaeConfig.FromMetadata(metadata, content.Path);
        return (stated.Likelihood, stated.SigmaX, stated.Posterior, stated.Activation);
    }
}
