using VaeGpu.Kernels;
using VaeGpu.Runtime;

namespace VaeGpu.Host.Training;

/// <summary>
/// Adam (Kingma and Ba 2015) with PyTorch's defaults (beta1 0.9, beta2 0.999, eps 1e-8: OptimizerMath): its first and
/// second moments live on the backend beside the parameters, and the update is one launch.
/// </summary>
public sealed class Adam : IOptimizer
{
    readonly IBackend backend;

    public Adam(IBackend backend, int parameterCount, float learningRate)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(parameterCount, 1);
        if (!(learningRate > 0) || float.IsInfinity(learningRate)) throw new ArgumentOutOfRangeException(nameof(learningRate), learningRate, "the learning rate must be a positive number.");
        this.backend = backend;
        LearningRate = learningRate;
        FirstMoments = backend.Allocate(1, parameterCount);
        SecondMoments = backend.Allocate(1, parameterCount);
        State = [("adam.first_moments", FirstMoments), ("adam.second_moments", SecondMoments)];
    }

    public OptimizerKind Kind => OptimizerKind.Adam;
    public float LearningRate { get; }
    public int Steps { get; set; }
    public Tensor FirstMoments { get; }
    public Tensor SecondMoments { get; }
    public IReadOnlyList<(string Name, Tensor Values)> State { get; }

    public void Update(Tensor parameters, Tensor gradients) =>
        backend.AdamUpdate(parameters, gradients, FirstMoments, SecondMoments, AdamStep.Create(LearningRate, ++Steps));
}
