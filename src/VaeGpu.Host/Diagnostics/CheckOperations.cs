using VaeGpu.Kernels;
using VaeGpu.Runtime;
using VaeGpu.Runtime.Experiments.ElboGap;
using VaeGpu.Runtime.Experiments.GaussianMixture;
using VaeGpu.Runtime.Experiments.GradientEstimators;
using VaeGpu.Runtime.Experiments.KlFit;
using VaeGpu.Runtime.Experiments.MonteCarlo;
using VaeGpu.Runtime.ImplicitDraws;
using VaeGpu.Runtime.ImplicitPosterior;
using VaeGpu.Runtime.ImportanceWeighted;
using VaeGpu.Runtime.Likelihood;
using VaeGpu.Runtime.Reparameterization;

namespace VaeGpu.Host.Diagnostics;

/// <summary>
/// A backend with its families, each created once (the ILGPU ones compile their kernels then), and inputs made the
/// same way on every backend: element e of Input(stream, ...) is Philox uniform e of (seed 7, stream) mapped to a range.
/// </summary>
public sealed class CheckOperations(IBackend backend)
{
    public IBackend Backend { get; } = backend;
    readonly Lazy<IReparameterizationOperations> reparameterization = new(() => ReparameterizationOperations.For(backend));
    readonly Lazy<ILikelihoodOperations> likelihood = new(() => LikelihoodOperations.For(backend));
    readonly Lazy<IImportanceWeightedOperations> importanceWeighted = new(() => ImportanceWeightedOperations.For(backend));
    readonly Lazy<IMonteCarloOperations> monteCarlo = new(() => MonteCarloOperations.For(backend));
    readonly Lazy<IElboGapOperations> elboGap = new(() => ElboGapOperations.For(backend));
    readonly Lazy<IKlFitOperations> klFit = new(() => KlFitOperations.For(backend));
    readonly Lazy<IGaussianMixtureOperations> gaussianMixture = new(() => GaussianMixtureOperations.For(backend));
    readonly Lazy<IGradientEstimatorOperations> gradientEstimators = new(() => GradientEstimatorOperations.For(backend));
    readonly Lazy<IImplicitDrawOperations> implicitDraws = new(() => ImplicitDrawOperations.For(backend));
    readonly Lazy<IImplicitPosteriorOperations> implicitPosterior = new(() => ImplicitPosteriorOperations.For(backend));

    public IReparameterizationOperations Reparameterization => reparameterization.Value;
    public ILikelihoodOperations Likelihood => likelihood.Value;
    public IImportanceWeightedOperations ImportanceWeighted => importanceWeighted.Value;
    public IMonteCarloOperations MonteCarlo => monteCarlo.Value;
    public IElboGapOperations ElboGap => elboGap.Value;
    public IKlFitOperations KlFit => klFit.Value;
    public IGaussianMixtureOperations GaussianMixture => gaussianMixture.Value;
    public IGradientEstimatorOperations GradientEstimators => gradientEstimators.Value;
    public IImplicitDrawOperations ImplicitDraws => implicitDraws.Value;
    public IImplicitPosteriorOperations ImplicitPosterior => implicitPosterior.Value;

    /// <summary>A rows x columns tensor of uniforms in [low, high) from (seed 7, stream).</summary>
    public Tensor Input(ulong stream, int rows, int columns, float low = -1f, float high = 1f)
    {
        var values = new float[rows * columns];
        for (int e = 0; e < values.Length; e++) values[e] = low + (high - low) * (RandomMath.UniformAt(7, stream, e) - 1f / (1 << 24));
        var tensor = Backend.Allocate(rows, columns);
        Backend.Upload(values, tensor);
        return tensor;
    }

    /// <summary>Downloads and concatenates tensors, the outputs a case compares.</summary>
    public float[] Read(params Tensor[] tensors) => [.. tensors.SelectMany(tensor => Backend.Download(tensor))];
}
