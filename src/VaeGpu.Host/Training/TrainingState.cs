namespace VaeGpu.Host.Training;

/// <summary>
/// Where a run stands, besides the tensors: with the parameters, the optimiser (its state and step count) and the running loss sums this is
/// everything a resumed run needs to continue with exactly the numbers of an uninterrupted one.
/// </summary>
public sealed class TrainingState
{
    /// <summary>Epochs finished; the epoch in progress is EpochsCompleted + 1.</summary>
    public int EpochsCompleted { get; set; }

    /// <summary>Steps already taken in the epoch in progress (0 at an epoch boundary).</summary>
    public int StepInEpoch { get; set; }

    /// <summary>Steps taken over the whole run: names the noise stream of the next step.</summary>
    public long GlobalStep { get; set; }

    public List<EpochResult> History { get; } = [];

    /// <summary>
    /// DataDigest of the images the run trains on (train and test sets, as loaded) and its binarisation: --resume
    /// refuses other data. Null for a checkpoint written before the digest was recorded.
    /// </summary>
    public string? DataSha256 { get; set; }
}
