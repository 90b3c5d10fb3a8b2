using VaeGpu.Runtime;

namespace VaeGpu.Host.Model;

/// <summary>
/// What the pictures and evaluations need besides training: posterior means, decoding chosen z, reconstructions.
/// Works batch by batch through the model's buffers; off the training hot path, so it reads results back freely.
/// </summary>
public sealed class VaeInference(IBackend backend, VaeModel model)
{
    int Inputs => model.Config.Inputs;
    int Latent => model.Config.Latent;

    /// <summary>The means of q(z|x) for every image (count x latent).</summary>
    public float[] PosteriorMeans(float[] images)
    {
        var heads = PosteriorParameters(images);
        int count = heads.Length / (2 * Latent);
        var means = new float[count * Latent];
        for (int row = 0; row < count; row++) heads.AsSpan(row * 2 * Latent, Latent).CopyTo(means.AsSpan(row * Latent, Latent));
        return means;
    }

    /// <summary>
    /// The parameters of q(z|x) for every image (count x 2 latent): per image the latent means, then the log-variances
    /// (the encoder's head as it is).
    /// </summary>
    public float[] PosteriorParameters(float[] images)
    {
        int count = images.Length / Inputs;
        var heads = new float[count * 2 * Latent];
        for (int first = 0; first < count; first += model.BatchSize)
        {
            var b = model.Buffers(Math.Min(model.BatchSize, count - first));
            backend.Upload(images.AsSpan(first * Inputs, b.Rows * Inputs), b.X);
            model.Encode(b);
            backend.Download(b.Head, heads.AsSpan(first * 2 * Latent, b.Rows * 2 * Latent));
        }
        return heads;
    }

    /// <summary>The decoder's mean image for each z (count x latent): sigmoid of the logits, or the Gaussian mean.</summary>
    public float[] Decode(float[] z)
    {
        int count = z.Length / Latent;
        var images = new float[count * Inputs];
        for (int first = 0; first < count; first += model.BatchSize)
        {
            var b = model.Buffers(Math.Min(model.BatchSize, count - first));
            // One z per image: the first rows of the draw buffers, which hold K per image under the importance-weighted objective.
            var draws = b.Z.FirstRows(b.Rows);
            backend.Upload(z.AsSpan(first * Latent, b.Rows * Latent), draws);
            model.Decode(b, draws);
            backend.Download(b.Output.FirstRows(b.Rows), images.AsSpan(first * Inputs, b.Rows * Inputs));
        }
        if (model.Config.Likelihood == Likelihood.Bernoulli)
            System.Numerics.Tensors.TensorPrimitives.Sigmoid(images, images);
        return images;
    }

    /// <summary>Each image decoded from its posterior mean.</summary>
    public float[] Reconstruct(float[] images) => Decode(PosteriorMeans(images));

    /// <summary>Decoded draws z ~ N(0, I), from Philox (seed, stream) like every other draw.</summary>
    public float[] SamplePrior(int count, ulong seed, ulong stream)
    {
        var draws = backend.Allocate(count, Latent);
        backend.FillNormal(draws, seed, stream);
        return Decode(backend.Download(draws));
    }
}
