using VaeGpu.Runtime;

namespace VaeGpu.Host.Training;

/// <summary>Plain stochastic gradient descent, parameters -= lr * gradients: no state besides its step count.</summary>
public sealed class Sgd : IOptimizer
{
    readonly IBackend backend;

    public Sgd(IBackend backend, float learningRate)
    {
        if (!(learningRate > 0) || float.IsInfinity(learningRate)) throw new ArgumentOutOfRangeException(nameof(learningRate), learningRate, "the learning rate must be a positive number.");
        this.backend = backend;
        LearningRate = learningRate;
    }

    public OptimizerKind Kind => OptimizerKind.Sgd;
    public float LearningRate { get; }
    public int Steps { get; set; }
    public IReadOnlyList<(string Name, Tensor Values)> State => [];

    public void Update(Tensor parameters, Tensor gradients)
    {
        backend.SgdUpdate(parameters, gradients, LearningRate);
        Steps++;
    }
}
