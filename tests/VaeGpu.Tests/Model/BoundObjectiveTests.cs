using VaeGpu.Host.Model;
using VaeGpu.Kernels;
using VaeGpu.References;

namespace VaeGpu.Tests.Model;

/// <summary>
/// The objectives beyond IWAE in the model, on the host path and every kernel backend: every gradient against central
/// differences of its double surrogate (the log weights from IwaeLossReference, the bounds from BoundReference):
/// MIWAE, CIWAE and the Rényi bound differentiate their bound; PIWAE's decoder IWAE_K and its encoder MIWAE; RWS's
/// decoder IWAE_K and its encoder (wake-phi) and VIMCO's encoder the scores of q at the draws held, each draw's
/// coefficient held too (BoundReference.ScoreCoefficients).
/// </summary>
public class BoundObjectiveTests
{
    const int Rows = 3, Samples = 4;
    const ulong Seed = 5, Stream = 13;

    static readonly (string Name, Objective Objective, GradientEstimator Estimator)[] Objectives =
    [
        ("miwae 2 groups", new Objective(ObjectiveKind.Miwae, Samples) { Groups = 2 }, GradientEstimator.Pathwise),
        ("ciwae 0.3", new Objective(ObjectiveKind.Ciwae, Samples) { ElboWeight = 0.3f }, GradientEstimator.Pathwise),
        ("renyi 0.5", new Objective(ObjectiveKind.Renyi, Samples) { Alpha = 0.5f }, GradientEstimator.Pathwise),
        ("piwae 2 groups", new Objective(ObjectiveKind.Piwae, Samples) { Groups = 2 }, GradientEstimator.Pathwise),
        ("rws", new Objective(ObjectiveKind.Rws, Samples), GradientEstimator.WakePhi),
        ("iwae vimco", Objective.Iwae(Samples), GradientEstimator.Vimco),
    ];

    static IEnumerable<TestCaseData> Cases() =>
        from backend in (string[])["host", .. Backends.Kernels]
        from objective in Objectives
        select new TestCaseData(backend, objective.Name, objective.Objective, objective.Estimator);

    [TestCaseSource(nameof(Cases))]
    public void EveryGradientMatchesFiniteDifferencesOfItsSurrogate(string backendName, string name, Objective objective, GradientEstimator estimator)
    {
        var config = new VaeConfig(Inputs: 6, Hidden: [5], Latent: 3, Likelihood.Bernoulli, SigmaX: 1f);
        var backend = Backends.Get(backendName);
        var model = new VaeModel(backend, config, Rows, objective);
        model.Initialise(seed: 9);
        float[] x = RandomArrays.Uniform(Rows * config.Inputs, 22, 0f, 1f);
        var b = model.Buffers(Rows);
        backend.Upload(x, b.X);
        model.Forward(b, Seed, Stream);
        model.Backward(b, Seed, Stream, klWeight: 1f, estimator);

        double[] at = backend.Download(model.Parameters).Select(v => (double)v).ToArray();
        int encoderEnd = model.Layout.Encoder[^1].End;
        FiniteDifferences.AssertGradient(backend.Download(model.Gradients), at, (i, moved) => Surrogate(objective, estimator, i < encoderEnd, config, moved, at, x));
    }

    /// <summary>The loss whose derivative in the parameters moved is the estimator's gradient there (its encoder's part, or its decoder's).</summary>
    static double Surrogate(Objective objective, GradientEstimator estimator, bool encoder, VaeConfig config, double[] moved, double[] at, float[] x)
    {
        if (encoder && EncoderEstimators.ScoreOfQ.Contains(estimator)) return ScoreSurrogate(estimator, config, moved, at, x);
        var weighting = encoder && objective.EncoderWeighting is { } own ? own : objective.Weighting;
        var logWeights = IwaeLossReference.LogWeights(config, moved, moved, x, Rows, Samples, Seed, Stream);
        return -logWeights.Average(w => BoundReference.Bound(w, weighting.Groups, weighting.ElboWeight, weighting.Alpha));
    }

    /// <summary>(1/B) sum_ik c_ik log q(z_ik | x_i) with the draws z_ik and coefficients c_ik held at <paramref name="at"/>, q's parameters moved.</summary>
    static double ScoreSurrogate(GradientEstimator estimator, VaeConfig config, double[] moved, double[] at, float[] x)
    {
        int d = config.Latent;
        var logWeights = IwaeLossReference.LogWeights(config, at, at, x, Rows, Samples, Seed, Stream);
        double total = 0;
        for (int i = 0; i < Rows; i++)
        {
            double[] coefficients = BoundReference.ScoreCoefficients(logWeights[i], leaveOneOut: estimator == GradientEstimator.Vimco);
            double[] heldHead = VaeLossReference.Head(config, at, x, i), head = VaeLossReference.Head(config, moved, x, i);
            for (int k = 0; k < Samples; k++)
            {
                double logQ = 0;
                for (int j = 0; j < d; j++)
                {
                    double z = heldHead[j] + Math.Exp(0.5 * heldHead[d + j]) * RandomMath.NormalAt(Seed, Stream, (long)(i * Samples + k) * d + j);
                    logQ += -0.5 * (z - head[j]) * (z - head[j]) / Math.Exp(head[d + j]) - 0.5 * head[d + j];
                }
                total += coefficients[k] * logQ;
            }
        }
        return total / Rows;
    }
}
