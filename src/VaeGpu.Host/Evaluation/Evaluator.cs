using VaeGpu.Host.Model;
using VaeGpu.Kernels;
using VaeGpu.Runtime;

namespace VaeGpu.Host.Evaluation;

/// <summary>Per image averages, in nats: -ELBO with one sampled z, and the importance-weighted estimate of log p(x).</summary>
public sealed record EvaluationResult(int Images, double NegativeElbo, double Kl, int ImportanceSamples, double LogLikelihood)
{
    /// <summary>
    /// The means of per-image scores, summed in image order in double: a sharded evaluation merged from its shards'
    /// scores gives the same bits as the whole one.
    /// </summary>
    public static EvaluationResult Of(ImageScores scores, int importanceSamples)
    {
        double negativeElbo = 0, kl = 0, logLikelihood = 0;
        for (int i = 0; i < scores.Count; i++)
        {
            negativeElbo += scores.NegativeElbo[i];
            kl += scores.Kl[i];
            logLikelihood += scores.LogLikelihood[i];
        }
        if (!double.IsFinite(negativeElbo + logLikelihood))
            throw new UserErrorException("the model produces NaN or infinite losses on this data: it is not usable (was its training diverging?).");
        int count = scores.Count;
        return new EvaluationResult(count, negativeElbo / count, kl / count, importanceSamples, logLikelihood / count);
    }

    /// <summary>What `vaegpu eval` and its merged shards print.</summary>
    public string Line(string binarize, string sampler = "mc") =>
        $"{Images} test images: -ELBO {NegativeElbo:F2} nats/image (KL {Kl:F2}); " +
        $"log p(x) >= {LogLikelihood:F2} nats/image (importance-weighted, K = {ImportanceSamples}{(sampler == "mc" ? "" : $", {sampler} draws")}; binarize {binarize})";
}

/// <summary>Per image, in nats: -ELBO with one sampled z, its KL part, and log p(x) >= the importance-weighted estimate.</summary>
public sealed record ImageScores(double[] NegativeElbo, double[] Kl, double[] LogLikelihood)
{
    public int Count => NegativeElbo.Length;

    public static ImageScores Concatenate(IEnumerable<ImageScores> parts)
    {
        var list = parts.ToList();
        return new([.. list.SelectMany(p => p.NegativeElbo)], [.. list.SelectMany(p => p.Kl)], [.. list.SelectMany(p => p.LogLikelihood)]);
    }
}

/// <summary>
/// Scores a trained model on a set of images. For each batch the encoder runs once; then K draws z_k ~ q(z|x) are
/// decoded and log w_k = log p(x|z_k) + log p(z_k) - log q(z_k|x) is folded into a running log-mean-exp per image
/// (Burda et al. 2016). The estimate is a lower bound on log p(x) that tightens as K grows, and is at least the ELBO
/// in expectation. The draws of batch b use streams of (b, k), b counted from <c>firstBatch</c>, so a shard that
/// starts at a whole batch draws what the whole run draws for those images. Under a coupled sampler an image's K draws
/// are one point set (antithetic pairs, a Latin hypercube, a scrambled Sobol set: VaeGpu.Kernels.ImageDraws) from
/// the stream of (b, 0), made a draw at a time; each is still exactly q(z|x), so the estimate stays a lower bound.
/// </summary>
public sealed class Evaluator(IBackend backend, VaeModel model)
{
    public EvaluationResult Evaluate(float[] images, int importanceSamples, ulong seed, Action<int, int>? progress = null) =>
        EvaluationResult.Of(Score(images, importanceSamples, seed, 0, progress), importanceSamples);

    public ImageScores Score(float[] images, int importanceSamples, ulong seed, int firstBatch, Action<int, int>? progress = null, Sampler sampler = Sampler.Mc)
    {
        int inputs = model.Config.Inputs, count = images.Length / inputs;
        float[] nll = new float[model.BatchSize], kl = new float[model.BatchSize], logRatio = new float[model.BatchSize];
        var scores = new ImageScores(new double[count], new double[count], new double[count]);
        var maxima = new double[model.BatchSize];
        var scaledSums = new double[model.BatchSize];
        int batches = (count + model.BatchSize - 1) / model.BatchSize;
        for (int batch = 0; batch < batches; batch++)
        {
            int first = batch * model.BatchSize;
            var b = model.Buffers(Math.Min(model.BatchSize, count - first));
            backend.Upload(images.AsSpan(first * inputs, b.Rows * inputs), b.X);
            model.Encode(b);
            Array.Fill(maxima, double.NegativeInfinity);
            Array.Clear(scaledSums);
            for (int k = 0; k < importanceSamples; k++)
            {
                if (sampler == Sampler.Mc) model.SampleAndDecode(b, seed, RandomStreams.ImportanceSamples(firstBatch + batch, k));
                else model.SampleAndDecode(b, seed, RandomStreams.ImportanceSamples(firstBatch + batch, 0), sampler, k, importanceSamples);
                backend.Download(b.NllPerRow, nll.AsSpan(0, b.Rows));
                backend.Download(b.LogDensityRatioPerRow, logRatio.AsSpan(0, b.Rows));
                if (k == 0) backend.Download(b.KlPerRow, kl.AsSpan(0, b.Rows));
                for (int row = 0; row < b.Rows; row++)
                {
                    if (k == 0)
                    {
                        scores.NegativeElbo[first + row] = nll[row] + kl[row];
                        scores.Kl[first + row] = kl[row];
                    }
                    AddToLogSumExp(ref maxima[row], ref scaledSums[row], -(double)nll[row] + logRatio[row]);
                }
            }
            for (int row = 0; row < b.Rows; row++)
                scores.LogLikelihood[first + row] = maxima[row] + Math.Log(scaledSums[row]) - Math.Log(importanceSamples);
            progress?.Invoke(batch + 1, batches);
        }
        return scores;
    }
    /// <summary>Keeps log(sum exp v) as max + log(scaledSum) so no term overflows, whatever the order of the values.</summary>
    static void AddToLogSumExp(ref double max, ref double scaledSum, double value)
    {
        if (value <= max)
        {
            scaledSum += Math.Exp(value - max);
            return;
        }
        scaledSum = scaledSum * Math.Exp(max - value) + 1;
        max = value;
    }
}
