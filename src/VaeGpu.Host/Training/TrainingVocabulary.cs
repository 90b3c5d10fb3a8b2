using VaeGpu.Host.Names;

namespace VaeGpu.Host.Training;

/// <summary>The name tables of the training options' enums (the others: Names.Vocabulary).</summary>
public static class TrainingVocabulary
{
    /// <summary>`--optimizer` of train, and the checkpoint's "optimizer".</summary>
    public static readonly NameTable<OptimizerKind> Optimizers = new("optimizer",
        (OptimizerKind.Adam, "adam"),
        (OptimizerKind.Sgd, "sgd"));

    /// <summary>`--binarize` of train, eval and variance vae (the last two take none and static), and the checkpoint's and shards' "binarize".</summary>
    public static readonly NameTable<Binarization> Binarizations = new("binarization",
        (Binarization.None, "none"),
        (Binarization.Dynamic, "dynamic"),
        (Binarization.Static, "static"));
}
