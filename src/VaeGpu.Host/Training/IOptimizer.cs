using VaeGpu.Runtime;

namespace VaeGpu.Host.Training;

/// <summary>
/// An optimiser that owns its state on the backend (Adam's two moments; nothing for SGD) and its update count, so a
/// model carries only parameters and gradients and a checkpoint saves whatever state the optimiser has.
/// </summary>
public interface IOptimizer
{
    /// <summary>"adam" or "sgd": the word of `train --optimizer` and of a checkpoint's metadata.</summary>
    OptimizerKind Kind { get; }

    float LearningRate { get; }

    /// <summary>Updates applied so far (Adam's t); restored from a checkpoint so a resumed run continues its bias correction.</summary>
    int Steps { get; set; }

    /// <summary>The state tensors by their checkpoint names, in a fixed order; empty for SGD.</summary>
    IReadOnlyList<(string Name, Tensor Values)> State { get; }

    /// <summary>parameters -= the update from gradients, queued on the backend; counts one step.</summary>
    void Update(Tensor parameters, Tensor gradients);
}

public enum OptimizerKind { Adam, Sgd }
