using VaeGpu.Host.Names;
using VaeGpu.Kernels;

namespace VaeGpu.Host.Model;

/// <summary>The name tables of the model's enums (the others: Names.Vocabulary).</summary>
public static class ModelVocabulary
{
    /// <summary>`--likelihood` of train, and the model file's "likelihood".</summary>
    public static readonly NameTable<Likelihood> Likelihoods = new("likelihood",
        (Likelihood.Bernoulli, "bernoulli"),
        (Likelihood.Gaussian, "gaussian"));

    /// <summary>`--posterior` of train, and the model file's "posterior".</summary>
    public static readonly NameTable<Posterior> Posteriors = new("posterior",
        (Posterior.Gaussian, "gaussian"),
        (Posterior.Gamma, "gamma"),
        (Posterior.Dirichlet, "dirichlet"));

    /// <summary>`--activation` of train, and the model file's "activation" (the hidden layers'; None is no choice there).</summary>
    public static readonly NameTable<Activation> Activations = new("activation",
        (Activation.Relu, "relu"),
        (Activation.Tanh, "tanh"));

    /// <summary>`--objective` of train and variance vae, the checkpoint's "objective" and the variance CSV's column.</summary>
    public static readonly NameTable<ObjectiveKind> Objectives = new("objective",
        (ObjectiveKind.Elbo, "elbo"),
        (ObjectiveKind.Iwae, "iwae"),
        (ObjectiveKind.Miwae, "miwae"),
        (ObjectiveKind.Ciwae, "ciwae"),
        (ObjectiveKind.Piwae, "piwae"),
        (ObjectiveKind.Renyi, "renyi"),
        (ObjectiveKind.Rws, "rws"));
}
