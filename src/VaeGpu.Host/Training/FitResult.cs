namespace VaeGpu.Host.Training;

/// <summary>
/// What one call of Vae.Fit did: the epochs it finished, in order, and whether it stopped early on cancellation (at a
/// step boundary, with the state ready for SaveCheckpoint, so that a resumed run continues with the same numbers).
/// </summary>
public sealed record FitResult(IReadOnlyList<EpochResult> Epochs, bool Cancelled);
