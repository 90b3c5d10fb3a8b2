using VaeGpu.Kernels;
using VaeGpu.Runtime;
using VaeGpu.Runtime.Experiments.KlFit;

namespace VaeGpu.Host.Experiments.KlFit;

/// <summary>
/// Fits the two-component mixture q (MixtureQParameters) to p by reverse KL(q || p), with draws z = F_q^{-1}(u) and
/// their implicit gradients (KlFitMath.ReverseKlMixtureQTerms). The loop is StochasticKlFit's with five parameters:
/// one kernel writes the minibatch's terms divided by the batch size (a row per draw), IBackend.SumColumns reduces them
/// to the gradient in one launch, IBackend.AdamUpdate moves the parameters on the device under the same step-size
/// schedule, and the trajectory is read back once.
/// </summary>
public static class MixtureKlFit
{
    public const string Name = "reverse-mixture-implicit";

    /// <summary>
    /// Starts with equal weights, both components of width <paramref name="initialSigma"/>, at <paramref name="initialMu"/>
    /// -+ <paramref name="initialSigma"/>: components that start at one point get identical gradients and never part.
    /// </summary>
    public static FittedMixture Fit(IBackend backend, IKlFitOperations operations, TargetMixture target,
        double initialMu, double initialSigma, int iterations, int batch, double learningRate, ulong seed)
    {
        const int count = MixtureQParameters.Count;
        var parameters = backend.Allocate(1, count);
        var gradient = backend.Allocate(1, count);
        var (firstMoments, secondMoments) = (backend.Allocate(1, count), backend.Allocate(1, count));
        var terms = backend.Allocate(batch, count);

        var trajectory = backend.Allocate(iterations + 1, count);
        float logSigma = (float)Math.Log(initialSigma);
        backend.Upload([0f, (float)(initialMu - initialSigma), (float)(initialMu + initialSigma), logSigma, logSigma], parameters);
        backend.Copy(parameters, backend.View(trajectory, 0, 1, count));
        for (int step = 0; step < iterations; step++)
        {
            operations.ReverseKlMixtureQTerms(target.Kernel, seed, KlFitRandomStreams.MixtureQStep(step), 0, parameters, 1f / batch, terms);
            backend.SumColumns(terms, gradient);
            backend.AdamUpdate(parameters, gradient, firstMoments, secondMoments,
                AdamStep.Create((float)StochasticKlFit.StepSize(learningRate, step, iterations), step + 1));
            backend.Copy(parameters, backend.View(trajectory, count * (step + 1), 1, count));
        }

        float[] path = backend.Download(trajectory);
        double Value(int index, int parameter) => path[count * index + parameter];
        double[] weight = [.. Enumerable.Range(0, iterations + 1).Select(i => 1 / (1 + Math.Exp(-Value(i, 0))))];
        double[][] means = [[.. Enumerable.Range(0, iterations + 1).Select(i => Value(i, 1))], [.. Enumerable.Range(0, iterations + 1).Select(i => Value(i, 2))]];
        double[][] sigmas = [[.. Enumerable.Range(0, iterations + 1).Select(i => Math.Exp(Value(i, 3)))], [.. Enumerable.Range(0, iterations + 1).Select(i => Math.Exp(Value(i, 4)))]];
        double finalWeight = weight[iterations];
        double[] finalMeans = [means[0][iterations], means[1][iterations]], finalSigmas = [sigmas[0][iterations], sigmas[1][iterations]];
        return new FittedMixture(Name,
            $"Adam on the implicit reparameterisation gradient through z = F_q^-1(u), {iterations} iterations of {batch} samples",
            finalWeight, finalMeans, finalSigmas, ReverseKlQuadrature.Mixture(target, [finalWeight, 1 - finalWeight], finalMeans, finalSigmas),
            weight, means, sigmas);
    }
}
