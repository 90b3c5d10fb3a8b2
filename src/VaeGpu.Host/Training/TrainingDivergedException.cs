namespace VaeGpu.Host.Training;

/// <summary>The loss became NaN or infinite: the parameters are no longer usable, so training stops.</summary>
public sealed class TrainingDivergedException(int epoch, long step)
    : Exception($"training diverged at epoch {epoch}, step {step}: the loss is NaN or infinite")
{
    public int Epoch { get; } = epoch;
}
