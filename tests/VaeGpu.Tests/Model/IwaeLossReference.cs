using VaeGpu.Host.Model;
using VaeGpu.Kernels;

namespace VaeGpu.Tests.Model;

/// <summary>
/// The importance-weighted bound written out plainly in double, and for each IWAE estimator the surrogate loss whose
/// gradient is that estimator (the oracle for finite differences). Image i's draw k uses eps element (iK + k) d + j of
/// FillNormal(seed, stream), as the model does.
/// </summary>
public static class IwaeLossReference
{
    /// <summary>
    /// log w_ik = log p(x_i|z_ik) + log p(z_ik) - log q(z_ik|x_i) with z_ik from the encoder of <paramref name="parameters"/>,
    /// and q's density evaluated with the encoder of <paramref name="qParameters"/> (the same vector for the plain bound;
    /// the unperturbed one where an estimator holds q's parameters fixed). The 2 pi terms cancel and are left out.
    /// </summary>
    public static double[][] LogWeights(VaeConfig config, double[] parameters, double[] qParameters, float[] x, int rows, int samples, ulong seed, ulong stream,
        Func<long, double>? normals = null)
    {
        int d = config.Latent;
        normals ??= element => RandomMath.NormalAt(seed, stream, element);
        var logWeights = new double[rows][];
        for (int i = 0; i < rows; i++)
        {
            double[] head = VaeLossReference.Head(config, parameters, x, i), qHead = VaeLossReference.Head(config, qParameters, x, i);
            logWeights[i] = new double[samples];
            for (int k = 0; k < samples; k++)
            {
                var z = new double[d];
                double logRatio = 0;
                for (int j = 0; j < d; j++)
                {
                    double eps = normals((long)(i * samples + k) * d + j);
                    z[j] = head[j] + Math.Exp(0.5 * head[d + j]) * eps;
                    double qMu = qHead[j], qLogVariance = qHead[d + j];
                    logRatio += -0.5 * z[j] * z[j] + 0.5 * (z[j] - qMu) * (z[j] - qMu) / Math.Exp(qLogVariance) + 0.5 * qLogVariance;
                }
                logWeights[i][k] = logRatio - VaeLossReference.Nll(config, parameters, z, x, i);
            }
        }
        return logWeights;
    }

    /// <summary>log (1/K) sum_k e^(v_k), by log-sum-exp about the largest.</summary>
    public static double LogMeanExp(double[] values)
    {
        double largest = values.Max();
        return largest + Math.Log(values.Sum(v => Math.Exp(v - largest)) / values.Length);
    }

    /// <summary>-L_K, the mean over images of -log (1/K) sum_k w_ik.</summary>
    public static double Loss(VaeConfig config, double[] parameters, float[] x, int rows, int samples, ulong seed, ulong stream, Func<long, double>? normals = null) =>
        -LogWeights(config, parameters, parameters, x, rows, samples, seed, stream, normals).Average(LogMeanExp);

    /// <summary>
    /// The loss whose gradient at <paramref name="parameters"/> = <paramref name="at"/> is the estimator's: Pathwise, -L_K
    /// itself; Stl, -L_K with q's density held at <paramref name="at"/>; Dreg, -(1/B) sum_ik w~_ik^2 log w_ik with q held
    /// and the normalised weights w~ held at their values at <paramref name="at"/>. Dreg's surrogate is the encoder's
    /// only: its decoder gradient is the plain bound's.
    /// </summary>
    public static double Surrogate(GradientEstimator estimator, VaeConfig config, double[] parameters, double[] at, float[] x, int rows, int samples, ulong seed, ulong stream)
    {
        if (estimator == GradientEstimator.Pathwise) return Loss(config, parameters, x, rows, samples, seed, stream);
        var logWeights = LogWeights(config, parameters, at, x, rows, samples, seed, stream);
        if (estimator == GradientEstimator.Stl) return -logWeights.Average(LogMeanExp);
        var heldWeights = LogWeights(config, at, at, x, rows, samples, seed, stream).Select(Normalised).ToArray();
        return -Enumerable.Range(0, rows).Sum(i => Enumerable.Range(0, samples).Sum(k => heldWeights[i][k] * heldWeights[i][k] * logWeights[i][k])) / rows;
    }

    static double[] Normalised(double[] logWeights)
    {
        double largest = logWeights.Max();
        var weights = logWeights.Select(v => Math.Exp(v - largest)).ToArray();
        double sum = weights.Sum();
        return weights.Select(w => w / sum).ToArray();
    }
}
