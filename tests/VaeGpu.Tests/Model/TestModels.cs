using VaeGpu.Host.Model;
using VaeGpu.Host.Training;
using VaeGpu.Runtime.HostPath;

namespace VaeGpu.Tests.Model;

/// <summary>Small model files with seeded weights, for the commands that read one.</summary>
public static class TestModels
{
    /// <summary>A native model.safetensors of a 64-input (8x8) Bernoulli VAE with these hidden widths and a latent of 3.</summary>
    public static string Save(string path, int[] hidden, ulong seed = 4)
    {
        using var backend = new HostBackend();
        var model = new VaeModel(backend, new VaeConfig(64, hidden, 3, Likelihood.Bernoulli, 1f), 8);
        model.Initialise(seed);
        ModelFile.Save(path, model, backend);
        return path;
    }
}
