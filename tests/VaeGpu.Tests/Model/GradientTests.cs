using VaeGpu.Host.Model;
using VaeGpu.Kernels;

namespace VaeGpu.Tests.Model;

/// <summary>
/// Every parameter's gradient from the backward kernels (float) against central differences of VaeLossReference
/// (FiniteDifferences), for both likelihoods, both hidden-layer activations and two hidden layers, on the host path and
/// the ILGPU backends.
/// </summary>
public class GradientTests
{
    const int Rows = 4;
    const ulong Seed = 3, Stream = 11;
    const float KlWeight = 0.7f;

    static IEnumerable<TestCaseData> Cases() =>
        from backend in (string[])["host", .. Backends.Kernels]
        from likelihood in new[] { Likelihood.Bernoulli, Likelihood.Gaussian }
        from activation in new[] { Activation.Relu, Activation.Tanh }
        select new TestCaseData(backend, likelihood, activation);

    [TestCaseSource(nameof(Cases))]
    public void EveryGradientMatchesFiniteDifferences(string backendName, Likelihood likelihood, Activation activation)
    {
        var backend = Backends.Get(backendName);
        var config = new VaeConfig(Inputs: 6, Hidden: [5, 4], Latent: 3, likelihood, SigmaX: 0.6f, Activation: activation);
        var model = new VaeModel(backend, config, batchSize: Rows + 2);
        model.Initialise(seed: 9);
        float[] x = RandomArrays.Uniform(Rows * config.Inputs, 21, 0f, 1f);
        var b = model.Buffers(Rows); // a short batch: exercises the views
        backend.Upload(x, b.X);

        model.Forward(b, Seed, Stream);
        model.Backward(b, Seed, Stream, KlWeight);

        double[] parameters = backend.Download(model.Parameters).Select(v => (double)v).ToArray();
        FiniteDifferences.AssertGradient(backend.Download(model.Gradients), parameters,
            (_, moved) => VaeLossReference.Loss(config, moved, x, Rows, Seed, Stream, KlWeight), i => $"parameter {i} ({NameOf(model.Layout, i)})");
    }

    [TestCaseSource(nameof(Cases))]
    public void ForwardLossMatchesTheReference(string backendName, Likelihood likelihood, Activation activation)
    {
        var backend = Backends.Get(backendName);
        var config = new VaeConfig(6, [5], 2, likelihood, 0.6f, Activation: activation);
        var model = new VaeModel(backend, config, Rows);
        model.Initialise(seed: 4);
        float[] x = RandomArrays.Uniform(Rows * config.Inputs, 22, 0f, 1f);
        var b = model.Buffers(Rows);
        backend.Upload(x, b.X);

        model.Forward(b, Seed, Stream);

        double[] parameters = backend.Download(model.Parameters).Select(v => (double)v).ToArray();
        double expected = VaeLossReference.Loss(config, parameters, x, Rows, Seed, Stream, klWeight: 1);
        double actual = backend.Download(b.NllPerRow).Zip(backend.Download(b.KlPerRow), (n, k) => (double)n + k).Average();
        Assert.That(actual, Is.EqualTo(expected).Within(1e-4 * Math.Abs(expected)));
    }

    static string NameOf(ParameterLayout layout, int index)
    {
        var layer = layout.Layers.First(l => index < l.End);
        return index < layer.BiasOffset ? $"{layer.Name}.weight[{(index - layer.WeightOffset) / layer.Outputs},{(index - layer.WeightOffset) % layer.Outputs}]" : $"{layer.Name}.bias[{index - layer.BiasOffset}]";
    }
}
