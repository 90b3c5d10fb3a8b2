using MathNet.Numerics.LinearAlgebra;
using VaeGpu.Kernels;

namespace VaeGpu.Host.Experiments.ElboGap;

/// <summary>
/// z ~ N(0, I_k), x | z ~ N(W z + b, sigma^2 I_d): a latent-variable model in which everything variational inference
/// approximates is exact. The marginal is p(x) = N(b, W W^T + sigma^2 I) and the posterior is p(z|x) = N(m, S) with
/// S = (I + W^T W / sigma^2)^-1 and m = S W^T (x - b) / sigma^2. W, b and x hold float values, as the kernels see them.
/// </summary>
public sealed class LinearGaussianModel
{
    LinearGaussianModel(Matrix<double> weights, Vector<double> bias, float noiseSigma)
    {
        Weights = weights;
        Bias = bias;
        NoiseSigma = noiseSigma;
    }

    public Matrix<double> Weights { get; }
    public Vector<double> Bias { get; }
    public float NoiseSigma { get; }
    public double NoiseVariance => (double)NoiseSigma * NoiseSigma;
    public int Observed => Weights.RowCount;
    public int Latent => Weights.ColumnCount;

    /// <summary>W and b with independent standard normal entries from Philox (ElboGapStreams), so a seed names a model.</summary>
    public static LinearGaussianModel Draw(int observed, int latent, float noiseSigma, ulong seed) => new(
        Matrix<double>.Build.Dense(observed, latent, (i, j) => RandomMath.NormalAt(seed, ElboGapStreams.Weights, (long)i * latent + j)),
        Vector<double>.Build.Dense(observed, i => RandomMath.NormalAt(seed, ElboGapStreams.Bias, i)),
        noiseSigma);

    /// <summary>x = W z + b + sigma noise for a z drawn from the prior, rounded to float.</summary>
    public Vector<double> DrawObservation(ulong seed)
    {
        var z = Vector<double>.Build.Dense(Latent, j => RandomMath.NormalAt(seed, ElboGapStreams.Observation, j));
        var noise = Vector<double>.Build.Dense(Observed, i => RandomMath.NormalAt(seed, ElboGapStreams.Observation, Latent + i));
        return (Weights * z + Bias + NoiseSigma * noise).Map(v => (double)(float)v);
    }

    /// <summary>log p(x) = log N(x; b, W W^T + sigma^2 I), through the Cholesky factor of the covariance.</summary>
    public double LogMarginal(Vector<double> x)
    {
        var covariance = Weights * Weights.Transpose() + NoiseVariance * Matrix<double>.Build.DenseIdentity(Observed);
        var factor = covariance.Cholesky().Factor;
        var standardised = factor.SolveLower(x - Bias);
        double logDeterminant = 2 * Enumerable.Range(0, Observed).Sum(i => Math.Log(factor[i, i]));
        return -0.5 * (Observed * Math.Log(2 * Math.PI) + logDeterminant + standardised.DotProduct(standardised));
    }

    /// <summary>p(z|x) = N(m, S), S = (I + W^T W / sigma^2)^-1, m = S W^T (x - b) / sigma^2; the posterior's mean and covariance.</summary>
    public (Vector<double> Mean, Matrix<double> Covariance) Posterior(Vector<double> x)
    {
        var covariance = (Matrix<double>.Build.DenseIdentity(Latent) + Weights.Transpose() * Weights / NoiseVariance).Inverse();
        return (covariance * Weights.Transpose() * (x - Bias) / NoiseVariance, covariance);
    }

    /// <summary>log p(x, z) = log N(x; W z + b, sigma^2 I) + log N(z; 0, I).</summary>
    public double LogJoint(Vector<double> x, Vector<double> z)
    {
        var residual = x - Weights * z - Bias;
        return -0.5 * (Observed * Math.Log(2 * Math.PI * NoiseVariance) + residual.DotProduct(residual) / NoiseVariance
            + Latent * Math.Log(2 * Math.PI) + z.DotProduct(z));
    }
}
