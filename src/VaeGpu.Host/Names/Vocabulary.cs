using VaeGpu.Kernels;

namespace VaeGpu.Host.Names;

/// <summary>
/// The name tables of the kernels' enums. The library's own enums have theirs beside them, so that no two namespaces
/// use each other: ModelVocabulary (likelihoods, objectives), TrainingVocabulary (optimizers, binarizations) and
/// VarianceVocabulary (the testbed's parameters).
/// </summary>
public static class Vocabulary
{
    /// <summary>
    /// `--estimator` of train, `--estimators` of variance vae, the checkpoint's "estimator", and the estimator keys and
    /// columns of every variance file.
    /// </summary>
    public static readonly NameTable<GradientEstimator> Estimators = new("estimator",
        (GradientEstimator.Pathwise, "pathwise"),
        (GradientEstimator.Stl, "stl"),
        (GradientEstimator.Score, "score"),
        (GradientEstimator.ScoreBaseline, "score_baseline"),
        (GradientEstimator.DeltaPathwise, "pathwise_delta"),
        (GradientEstimator.MeasureValued, "measure_valued"),
        (GradientEstimator.Dreg, "dreg"),
        (GradientEstimator.Implicit, "implicit"),
        (GradientEstimator.Vimco, "vimco"),
        (GradientEstimator.WakePhi, "wake"));

    /// <summary>`--sampler` of every command that draws normals, the checkpoint's and the shards' "sampler".</summary>
    public static readonly NameTable<Sampler> Samplers = new("sampler",
        (Sampler.Mc, "mc"),
        (Sampler.Antithetic, "antithetic"),
        (Sampler.Stratified, "stratified"),
        (Sampler.Rqmc, "rqmc"));

    /// <summary>`--cost` of variance gaussian, and the cost in its JSON, CSV and PNG names.</summary>
    public static readonly NameTable<GradientEstimatorCost> Costs = new("cost",
        (GradientEstimatorCost.Quadratic, "quadratic"),
        (GradientEstimatorCost.Exp, "exp"),
        (GradientEstimatorCost.Cos, "cos"));

    /// <summary>The SGD fits of kl-fit, as its table, kl-fit.json and the charts' legends label them.</summary>
    public static readonly NameTable<KlGradient> KlGradients = new("KL gradient",
        (KlGradient.Forward, "forward-sgd"),
        (KlGradient.ReverseScore, "reverse-score-function"),
        (KlGradient.ReversePathwise, "reverse-pathwise"));
}
