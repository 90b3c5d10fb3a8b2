using VaeGpu.Kernels;
using VaeGpu.Runtime;
using VaeGpu.Runtime.ImplicitDraws;

namespace VaeGpu.Host.Model;

/// <summary>
/// What the pictures and evaluations need besides training: posterior means, decoding chosen z, reconstructions.
/// Works batch by batch through the model's buffers; off the training hot path, so it reads results back freely.
/// </summary>
public sealed class VaeInference(IBackend backend, VaeModel model)
{
    int Inputs => model.Config.Inputs;
    int Latent => model.Config.Latent;

    int HeadWidth => model.Config.HeadWidth;

    /// <summary>The means of q(z|x) for every image (count x latent): mu; a / b (Gamma); alpha_j / sum alpha (Dirichlet).</summary>
    public float[] PosteriorMeans(float[] images)
    {
        var heads = Heads(images);
        int count = heads.Length / HeadWidth;
        var means = new float[count * Latent];
        for (int row = 0; row < count; row++)
        {
            var head = heads.AsSpan(row * HeadWidth, HeadWidth);
            var mean = means.AsSpan(row * Latent, Latent);
            switch (model.Config.Posterior)
            {
                case Posterior.Gaussian:
                    head[..Latent].CopyTo(mean);
                    break;
                case Posterior.Gamma:
                    for (int j = 0; j < Latent; j++) mean[j] = ImplicitPosteriorMath.GammaMean(head[j], head[Latent + j]);
                    break;
                default:
                    float total = 0f;
                    for (int j = 0; j < Latent; j++) total += mean[j] = ImplicitPosteriorMath.Concentration(head[j]);
                    for (int j = 0; j < Latent; j++) mean[j] /= total;
                    break;
            }
        }
        return means;
    }

    /// <summary>
    /// The parameters of q(z|x) for every image (count x HeadWidth): per image the latent means, then the log-variances
    /// (Gaussian: the encoder's head as it is); the shapes, then the rates (Gamma); the concentrations (Dirichlet).
    /// </summary>
    public float[] PosteriorParameters(float[] images)
    {
        var heads = Heads(images);
        if (model.Config.Posterior == Posterior.Gamma)
            for (int i = 0; i < heads.Length; i++) heads[i] = ImplicitPosteriorMath.GammaShape(heads[i]); // shape and rate share the transform
        else if (model.Config.Posterior == Posterior.Dirichlet)
            for (int i = 0; i < heads.Length; i++) heads[i] = ImplicitPosteriorMath.Concentration(heads[i]);
        return heads;
    }

    /// <summary>The encoder's head for every image (count x HeadWidth).</summary>
    float[] Heads(float[] images)
    {
        int count = images.Length / Inputs;
        var heads = new float[count * HeadWidth];
        for (int first = 0; first < count; first += model.BatchSize)
        {
            var b = model.Buffers(Math.Min(model.BatchSize, count - first));
            backend.Upload(images.AsSpan(first * Inputs, b.Rows * Inputs), b.X);
            model.Encode(b);
            backend.Download(b.Head, heads.AsSpan(first * HeadWidth, b.Rows * HeadWidth));
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

    /// <summary>Decoded draws of z from the prior (N(0, I), Gamma(1, 1) per dimension or Dirichlet(1, ..., 1)), from Philox (seed, stream) like every other draw.</summary>
    public float[] SamplePrior(int count, ulong seed, ulong stream)
    {
        var draws = backend.Allocate(count, Latent);
        if (model.Config.Posterior == Posterior.Gaussian)
        {
            backend.FillNormal(draws, seed, stream);
            return Decode(backend.Download(draws));
        }
        var (parameters, derivatives) = (backend.Allocate(count, Latent), backend.Allocate(count, Latent));
        var implicitDraws = ImplicitDrawOperations.For(backend);
        if (model.Config.Posterior == Posterior.Gamma)
        {
            backend.Fill(parameters, ImplicitPosteriorMath.PriorShape);
            implicitDraws.Gamma(parameters, seed, stream, 0, draws, derivatives);
        }
        else
        {
            backend.Fill(parameters, ImplicitPosteriorMath.PriorConcentration);
            implicitDraws.Dirichlet(parameters, seed, stream, 0, draws, derivatives);
        }
        // The draws are logs (of the Gammas, or of the simplex coordinates); Gamma(1, b0) is Gamma(1, 1) / b0.
        float[] z = backend.Download(draws);
        float scale = model.Config.Posterior == Posterior.Gamma ? 1f / ImplicitPosteriorMath.PriorRate : 1f;
        for (int i = 0; i < z.Length; i++) z[i] = MathF.Exp(z[i]) * scale;
        return Decode(z);
    }
}
