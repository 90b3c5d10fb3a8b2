using VaeGpu.Host.Names;
using VaeGpu.Kernels;
using VaeGpu.Runtime;
using VaeGpu.Runtime.Experiments.KlFit;

namespace VaeGpu.Host.Experiments.KlFit;

/// <summary>
/// Fits q = N(mu, e^r) by stochastic gradient descent with one of the KL gradients. Each step: one kernel writes the
/// minibatch's per-sample terms already divided by the batch size, IBackend.Sum reduces each row into the gradient,
/// and IBackend.AdamUpdate moves (mu, r) on the device, which also keeps the trajectory: one read-back per fit.
/// </summary>
public static class StochasticKlFit
{
    public const int MaxBatch = ClosedFormForwardFit.ChunkSize;

    /// <summary>
    /// Adam's step size at step <paramref name="step"/> (from 0): constant for the first half, then falling linearly
    /// towards zero. Adam's steps stay near the step size even when the gradient is mostly noise, so a constant one
    /// leaves the last iterate jittering by about that much; the decay averages the noise out and makes the final
    /// parameters settle (measured: within 0.02 of the optimum from every start tried, with the defaults).
    /// </summary>
    public static double StepSize(double learningRate, int step, int iterations) =>
        learningRate * Math.Min(1.0, 2.0 * (iterations - step) / iterations);

    public static FittedGaussian Fit(IBackend backend, IKlFitOperations operations, TargetMixture target, KlGradient klGradient,
        double initialMu, double initialSigma, int iterations, int batch, double learningRate, ulong seed)
    {
        var (mu, sigma) = Descend(backend, batch, initialMu, initialSigma, iterations, learningRate, (step, parameters, terms) =>
            operations.Terms(klGradient, target.Kernel, seed, KlFitRandomStreams.Step(klGradient, step), 0, parameters, 1f / batch, terms));
        return new FittedGaussian(Vocabulary.KlGradients.Name(klGradient), Method(klGradient, iterations, batch), mu[iterations], sigma[iterations],
            ReverseKlQuadrature.Gaussian(target, mu[iterations], sigma[iterations]), mu, sigma);
    }

    /// <summary>
    /// The SGD loop of every Gaussian fit: fill(step, parameters, terms) writes the step's 2 x <paramref name="columns"/>
    /// terms already scaled so that their row sums are the gradient in (mu, r). Returns mu and sigma after every iteration.
    /// </summary>
    internal static (double[] Mu, double[] Sigma) Descend(IBackend backend, int columns, double initialMu, double initialSigma, int iterations,
        double learningRate, Action<int, Tensor, Tensor> fill)
    {
        var parameters = backend.Allocate(1, 2);
        var gradient = backend.Allocate(1, 2);
        var (firstMoments, secondMoments) = (backend.Allocate(1, 2), backend.Allocate(1, 2));
        var terms = backend.Allocate(2, columns);
        var (muTerms, logVarianceTerms) = (backend.View(terms, 0, 1, columns), backend.View(terms, columns, 1, columns));
        var (muGradient, logVarianceGradient) = (backend.View(gradient, 0, 1, 1), backend.View(gradient, 1, 1, 1));

        var trajectory = backend.Allocate(iterations + 1, 2);
        backend.Upload([(float)initialMu, (float)(2 * Math.Log(initialSigma))], parameters);
        backend.Copy(parameters, backend.View(trajectory, 0, 1, 2));
        for (int step = 0; step < iterations; step++)
        {
            fill(step, parameters, terms);
            backend.Sum(muTerms, muGradient);
            backend.Sum(logVarianceTerms, logVarianceGradient);
            backend.AdamUpdate(parameters, gradient, firstMoments, secondMoments, AdamStep.Create((float)StepSize(learningRate, step, iterations), step + 1));
            backend.Copy(parameters, backend.View(trajectory, 2 * (step + 1), 1, 2));
        }
        float[] path = backend.Download(trajectory);
        double[] mu = new double[iterations + 1], sigma = new double[iterations + 1];
        for (int index = 0; index <= iterations; index++) (mu[index], sigma[index]) = (path[2 * index], Math.Exp(0.5 * path[2 * index + 1]));
        return (mu, sigma);
    }

    static string Method(KlGradient gradient, int iterations, int batch) =>
        (gradient.Direction == KlDirection.Forward ? "Adam on -grad log q at samples of p"
            : gradient.Estimator == GradientEstimator.Score ? "Adam on the score-function gradient grad log q (log q - log p + 1)"
            : "Adam on the path-wise gradient through x = mu + sigma eps") + $", {iterations} iterations of {batch} samples";
}
