using VaeGpu.Host.Model;
using VaeGpu.Host.Names;
using VaeGpu.Kernels;
using VaeGpu.Runtime;

namespace VaeGpu.Host.Diagnostics;

/// <summary>
/// Every operation VaeGpu runs, at the canonical VAE's shapes (784-400-20, batch 128) and at awkward ones (1, 17 and
/// 1023 rows), as cases that `vaegpu check` runs on a device and on the host path. Tolerances are stated per case
/// from the arithmetic: float sums over K terms drift by ~K ulp, GPUs' approximate exp/log/sin/cos by a few ulp;
/// Philox integers (the uniform fills) and pure data movement must be bit-identical.
/// </summary>
public static class OperationChecks
{
    static readonly int[] AwkwardRows = [1, 17, 1023];

    public static IReadOnlyList<CheckCase> All() =>
        [.. Products(), .. DataMovement(), .. Reductions(), .. Random(), .. Vae(), .. ImportanceWeighted(), .. Optimizers(), .. Experiments(), .. ImplicitDraws(), .. ImplicitPosteriors()];

    static string ActivationSuffix(Activation activation) => activation == Activation.None ? "" : " " + ModelVocabulary.Activations.Name(activation);

    static IEnumerable<CheckCase> Products()
    {
        // The canonical step's layers: x W + b (ReLU), and the input gradient through the layer's ReLU; the same with tanh.
        foreach (var (rows, inputs, outputs, activation) in new[]
                 {
                     (128, 784, 400, Activation.Relu), (128, 400, 40, Activation.None), (128, 20, 400, Activation.Relu),
                     (128, 400, 784, Activation.None), (128, 784, 400, Activation.Tanh),
                 })
            yield return Product($"linear {rows}x{inputs}->{outputs}{ActivationSuffix(activation)}", inputs, ops =>
            {
                var (x, w, b, y) = (ops.Input(1, rows, inputs), ops.Input(2, inputs, outputs), ops.Input(3, 1, outputs), ops.Backend.Allocate(rows, outputs));
                ops.Backend.LinearForward(x, w, b, y, activation);
                return ops.Read(y);
            });
        foreach (var (activation, through) in new[] { (Activation.Relu, "relu mask"), (Activation.Tanh, "tanh derivative") })
            yield return Product($"input gradient 128x400<-784 {through}", 784, ops =>
            {
                var (dy, w, output, dx) = (ops.Input(4, 128, 784), ops.Input(5, 400, 784), ops.Input(6, 128, 400), ops.Backend.Allocate(128, 400));
                ops.Backend.LinearBackwardInput(dy, w, dx, activation, output);
                return ops.Read(dx);
            });
        yield return Product("weight gradient A^T 784x400x128", 128, ops =>
        {
            var (x, dy, dw) = (ops.Input(7, 128, 784), ops.Input(8, 128, 400), ops.Backend.Allocate(784, 400));
            ops.Backend.MatMul(x, true, dy, false, dw);
            return ops.Read(dw);
        });
        yield return Product("weight and bias gradients [dW; db] 785x400x128 (ones row)", 128, ops =>
        {
            var (x, dy, gradients) = (ops.Input(7, 128, 784), ops.Input(8, 128, 400), ops.Backend.Allocate(785, 400));
            ops.Backend.LinearBackwardWeights(x, dy, gradients);
            return ops.Read(gradients);
        });
        foreach (int m in AwkwardRows)
            foreach (var (n, k) in new[] { (17, 5), (20, 40) })
                foreach (bool transposeA in new[] { false, true })
                    foreach (bool transposeB in new[] { false, true })
                        yield return Product($"matmul {m}x{n}x{k}{(transposeA ? " A^T" : "")}{(transposeB ? " B^T" : "")} accumulate", k, ops =>
                        {
                            var a = transposeA ? ops.Input(9, k, m) : ops.Input(9, m, k);
                            var b = transposeB ? ops.Input(10, n, k) : ops.Input(10, k, n);
                            var c = ops.Input(11, m, n);
                            ops.Backend.MatMul(a, transposeA, b, transposeB, c, accumulate: true);
                            return ops.Read(c);
                        });
    }

    /// <summary>A product's tolerance: K float additions of terms below 1 in size.</summary>
    static CheckCase Product(string name, int k, Func<CheckOperations, float[]> run) => new("matmul", name, 2e-7 * k, 1e-5, run);

    static IEnumerable<CheckCase> DataMovement()
    {
        foreach (int rows in AwkwardRows)
        {
            yield return new("gather", $"gather {rows} of 1100 rows x 784", 0, 0, ops =>
            {
                var source = ops.Input(12, 1100, 784);
                var indices = ops.Backend.AllocateIndices(rows);
                ops.Backend.Upload([.. Enumerable.Range(0, rows).Select(r => (r * 37 + 5) % 1100)], indices);
                var destination = ops.Backend.Allocate(rows, 784);
                ops.Backend.GatherRows(source, indices, 0, destination);
                return ops.Read(destination);
            });
            yield return new("gather", $"gather and binarize {rows} of 1100 rows x 784 (Philox integers bit-identical)", 0, 0, ops =>
            {
                var source = ops.Input(12, 1100, 784, 0f, 1f);
                var indices = ops.Backend.AllocateIndices(rows);
                ops.Backend.Upload([.. Enumerable.Range(0, rows).Select(r => (r * 37 + 5) % 1100)], indices);
                var destination = ops.Backend.Allocate(rows, 784);
                ops.Backend.GatherRowsBinarized(source, indices, 0, destination, 11, 14);
                return ops.Read(destination);
            });
            yield return new("elementwise", $"row bias {rows}x784", 0, 0, ops =>
            {
                var x = ops.Input(13, rows, 784);
                ops.Backend.AddRowBias(x, ops.Input(14, 1, 784));
                return ops.Read(x);
            });
            yield return new("elementwise", $"fill, copy, scale and shift {rows}x33", 1e-7, 1e-6, ops =>
            {
                var (x, copy) = (ops.Input(15, rows, 33), ops.Backend.Allocate(rows, 33));
                ops.Backend.Copy(x, copy);
                ops.Backend.ScaleAndShift(copy, 2f, -1f);
                var filled = ops.Input(16, rows, 3);
                ops.Backend.Fill(filled, -0.25f);
                return ops.Read(x, copy, filled);
            });
        }
    }

    static IEnumerable<CheckCase> Reductions()
    {
        foreach (int rows in (int[])[.. AwkwardRows, 128])
            yield return new("reduction", $"column sums {rows}x784", 2e-7 * rows, 1e-5, ops =>
            {
                var sums = ops.Backend.Allocate(1, 784);
                ops.Backend.SumColumns(ops.Input(17, rows, 784), sums);
                return ops.Read(sums);
            });
        foreach (int length in new[] { 1, 17, 1023, 100_003 })
            yield return new("reduction", $"sum and sum of squares of {length}", 2e-7 * length, 1e-5, ops =>
            {
                var (x, total, squares) = (ops.Input(18, length, 1), ops.Backend.Allocate(1, 1), ops.Backend.Allocate(1, 1));
                ops.Backend.Sum(x, total);
                ops.Backend.SumOfSquares(x, squares);
                return ops.Read(total, squares);
            });
    }

    static IEnumerable<CheckCase> Random()
    {
        foreach (int length in new[] { 1, 17, 1023, 1 << 20 })
        {
            // Uniforms carry 24 bits of the Philox integers exactly: any difference is a different integer.
            yield return new("random", $"uniform fill {length} (Philox integers bit-identical)", 0, 0, ops =>
            {
                var x = ops.Backend.Allocate(length, 1);
                ops.Backend.FillUniform(x, 11, 12);
                return ops.Read(x);
            });
            yield return new("random", $"binarize {length} (Philox integers bit-identical)", 0, 0, ops =>
            {
                var x = ops.Input(20, length, 1, 0f, 1f);
                ops.Backend.Binarize(x, 11, 13);
                return ops.Read(x);
            });
            yield return new("random", $"normal fill {length}", 2e-5, 1e-5, ops =>
            {
                var x = ops.Backend.Allocate(length, 1);
                ops.Backend.FillNormal(x, 11, 12);
                return ops.Read(x);
            });
        }
    }

    static IEnumerable<CheckCase> Vae()
    {
        foreach (int rows in (int[])[.. AwkwardRows, 128])
        {
            yield return new("reparameterization", $"forward {rows}x20", 1e-4, 1e-5, ops =>
            {
                var (head, z, kl, ratio) = (ops.Input(19, rows, 40, -2f, 2f), ops.Backend.Allocate(rows, 20), ops.Backend.Allocate(rows, 1), ops.Backend.Allocate(rows, 1));
                ops.Reparameterization.Forward(head, 3, 4, z, kl, ratio);
                return ops.Read(z, kl, ratio);
            });
            foreach (var estimator in EncoderEstimators.All)
                yield return new("reparameterization", $"backward {rows}x20 {estimator}", 1e-4, 1e-4, ops =>
                {
                    var head = ops.Input(19, rows, 40, -2f, 2f);
                    var (dz, nll, baseline, dHead) = (ops.Input(20, rows, 20), ops.Input(21, rows, 1, 100f, 300f), ops.Input(22, rows, 1, 800f, 2400f), ops.Backend.Allocate(rows, 40));
                    var scalars = new EncoderEstimatorScalars
                    {
                        Kind = estimator, KlWeight = 1f / rows, SignalScale = 1f / rows,
                        BaselineScale = estimator == GradientEstimator.ScoreBaseline ? 0.125f : 0f,
                    };
                    ops.Reparameterization.Backward(head, 3, 4, dz, dHead, scalars, nll, baseline);
                    return ops.Read(dHead);
                });
            yield return new("likelihood", $"bernoulli {rows}x784", 1e-3, 1e-5, ops =>
            {
                var (logits, x, kl) = (ops.Input(23, rows, 784, -20f, 20f), ops.Input(24, rows, 784, 0f, 1f), ops.Input(25, rows, 1, 0f, 30f));
                var (gradient, nll, sums) = (ops.Backend.Allocate(rows, 784), ops.Backend.Allocate(rows, 1), ops.Input(26, rows, 2, 0f, 100f));
                ops.Likelihood.Bernoulli(logits, x, 1f / rows, gradient, nll, kl, sums);
                return ops.Read(gradient, nll, sums);
            });
            yield return new("likelihood", $"gaussian {rows}x784", 1e-3, 1e-5, ops =>
            {
                var (mean, x, kl) = (ops.Input(27, rows, 784), ops.Input(24, rows, 784, 0f, 1f), ops.Input(25, rows, 1, 0f, 30f));
                var (gradient, nll, sums) = (ops.Backend.Allocate(rows, 784), ops.Backend.Allocate(rows, 1), ops.Input(26, rows, 2, 0f, 100f));
                ops.Likelihood.Gaussian(mean, x, 0.1f, 1f / rows, gradient, nll, kl, sums);
                return ops.Read(gradient, nll, sums);
            });
        }
    }

    /// <summary>The IWAE step's own operations at K = 5 draws per image: the K-row reparameterisation and likelihood, the weights, the row scaling and the encoder gradient.</summary>
    static IEnumerable<CheckCase> ImportanceWeighted()
    {
        const int K = 5;
        foreach (int images in new[] { 1, 17, 128 })
        {
            int draws = images * K;
            yield return new("importance-weighted", $"reparameterization forward {images}x{K}x20", 1e-4, 1e-5, ops =>
            {
                var (head, z, kl, ratio) = (ops.Input(19, images, 40, -2f, 2f), ops.Backend.Allocate(draws, 20), ops.Backend.Allocate(draws, 1), ops.Backend.Allocate(draws, 1));
                ops.Reparameterization.Forward(head, 3, 4, z, kl, ratio);
                return ops.Read(z, kl, ratio);
            });
            yield return new("importance-weighted", $"bernoulli {images}x{K}x784", 1e-3, 1e-5, ops =>
            {
                var (logits, x, kl) = (ops.Input(23, draws, 784, -20f, 20f), ops.Input(24, images, 784, 0f, 1f), ops.Input(25, draws, 1, 0f, 30f));
                var (gradient, nll, sums) = (ops.Backend.Allocate(draws, 784), ops.Backend.Allocate(draws, 1), ops.Input(26, draws, 2, 0f, 100f));
                ops.Likelihood.Bernoulli(logits, x, 1f, gradient, nll, kl, sums);
                return ops.Read(gradient, nll, sums);
            });
            // Log weights spread over 20 nats: normalised weights from 1 down to e^-20, none below the negligible 2^-60.
            yield return new("importance-weighted", $"weigh {images}x{K}", 1e-4, 1e-5, ops =>
            {
                var (nll, ratio, kl) = (ops.Input(40, draws, 1, 100f, 120f), ops.Input(41, draws, 1, -5f, 5f), ops.Input(42, draws, 1, 0f, 30f));
                var (scale, bound, sums) = (ops.Backend.Allocate(draws, 1), ops.Backend.Allocate(images, 1), ops.Input(26, images, 2, 0f, 100f));
                ops.ImportanceWeighted.Weigh(nll, ratio, kl, 1f / images, scale, bound, sums);
                return ops.Read(scale, bound, sums);
            });
            yield return new("importance-weighted", $"scale rows {images}x{K}x784", 0, 1e-6, ops =>
            {
                var (values, scale) = (ops.Input(43, draws, 784), ops.Input(44, draws, 1, 0f, 1f));
                ops.ImportanceWeighted.ScaleRows(values, scale);
                return ops.Read(values);
            });
            foreach (var sampler in new[] { Sampler.Antithetic, Sampler.Stratified, Sampler.Rqmc })
            {
                // Antithetic draws come in pairs, so they are checked at the even K + 1.
                string name = Vocabulary.Samplers.Name(sampler);
                int k = sampler == Sampler.Antithetic ? K + 1 : K, rows = images * k;
                yield return new("importance-weighted", $"reparameterization forward {images}x{k}x20 {name}", 1e-4, 1e-5, ops =>
                {
                    var (head, z, kl, ratio) = (ops.Input(19, images, 40, -2f, 2f), ops.Backend.Allocate(rows, 20), ops.Backend.Allocate(rows, 1), ops.Backend.Allocate(rows, 1));
                    ops.Reparameterization.Forward(head, 3, 4, z, kl, ratio, sampler);
                    return ops.Read(z, kl, ratio);
                });
                yield return new("importance-weighted", $"encoder backward {images}x{k}x20 Pathwise {name}", 1e-4, 1e-4, ops =>
                {
                    var (head, dz, scale, dHead) = (ops.Input(19, images, 40, -2f, 2f), ops.Input(20, rows, 20, -0.1f, 0.1f), ops.Input(45, rows, 1, 0f, 0.2f), ops.Backend.Allocate(images, 40));
                    ops.ImportanceWeighted.EncoderBackward(head, 3, 4, dz, scale, GradientEstimator.Pathwise, dHead, sampler);
                    return ops.Read(dHead);
                });
            }
            foreach (var estimator in EncoderEstimators.ImportanceWeighted)
                yield return new("importance-weighted", $"encoder backward {images}x{K}x20 {estimator}", 1e-4, 1e-4, ops =>
                {
                    var (head, dz, scale, dHead) = (ops.Input(19, images, 40, -2f, 2f), ops.Input(20, draws, 20, -0.1f, 0.1f), ops.Input(45, draws, 1, 0f, 0.2f), ops.Backend.Allocate(images, 40));
                    ops.ImportanceWeighted.EncoderBackward(head, 3, 4, dz, scale, estimator, dHead);
                    return ops.Read(dHead);
                });
            foreach (var bound in BoundsBeyondIwae(images, draws))
                yield return bound;
        }
    }

    /// <summary>
    /// The bounds beyond IWAE: weights and bound under MIWAE, CIWAE and the Rényi bound (8 draws: groups of 4), the
    /// weights alone (PIWAE's encoder), VIMCO's and wake-phi's coefficients and their score-of-q encoder gradient, the ratio.
    /// </summary>
    static IEnumerable<CheckCase> BoundsBeyondIwae(int images, int fiveDraws)
    {
        const int K = 8;
        int draws = images * K;
        (string Name, BoundWeighting Weighting)[] weightings =
            [("miwae 2x4", new() { Groups = 2 }), ("ciwae 0.5", new() { Groups = 1, ElboWeight = 0.5f }), ("renyi 0.5", new() { Groups = 1, Alpha = 0.5f })];
        foreach (var (name, weighting) in weightings)
        {
            yield return new("importance-weighted", $"weigh {name} {images}x{K}", 1e-4, 1e-5, ops =>
            {
                var (nll, ratio, kl) = (ops.Input(40, draws, 1, 100f, 120f), ops.Input(41, draws, 1, -5f, 5f), ops.Input(42, draws, 1, 0f, 30f));
                var (scale, bound, sums) = (ops.Backend.Allocate(draws, 1), ops.Backend.Allocate(images, 1), ops.Input(26, images, 2, 0f, 100f));
                ops.ImportanceWeighted.Weigh(nll, ratio, kl, 1f / images, weighting, scale, bound, sums);
                return ops.Read(scale, bound, sums);
            });
            yield return new("importance-weighted", $"draw weights {name} {images}x{K}", 1e-4, 1e-5, ops =>
            {
                var scale = ops.Backend.Allocate(draws, 1);
                ops.ImportanceWeighted.DrawWeights(ops.Input(40, draws, 1, 100f, 120f), ops.Input(41, draws, 1, -5f, 5f), K, 1f / images, weighting, scale);
                return ops.Read(scale);
            });
        }
        foreach (bool leaveOneOut in new[] { true, false })
            yield return new("importance-weighted", $"{(leaveOneOut ? "vimco" : "wake-phi")} coefficients and score backward {images}x{fiveDraws / images}x20", 1e-4, 1e-4, ops =>
            {
                var (coefficients, dHead) = (ops.Backend.Allocate(fiveDraws, 1), ops.Backend.Allocate(images, 40));
                ops.ImportanceWeighted.ScoreCoefficients(ops.Input(40, fiveDraws, 1, 100f, 120f), ops.Input(41, fiveDraws, 1, -5f, 5f), fiveDraws / images, 1f / images, leaveOneOut, coefficients);
                ops.ImportanceWeighted.ScoreEncoderBackward(ops.Input(19, images, 40, -2f, 2f), 3, 4, coefficients, dHead);
                return ops.Read(coefficients, dHead);
            });
        yield return new("importance-weighted", $"ratio {draws}", 1e-6, 1e-6, ops =>
        {
            var result = ops.Backend.Allocate(draws, 1);
            ops.ImportanceWeighted.Ratio(ops.Input(46, draws, 1, 0f, 1f), ops.Input(47, draws, 1, 0.5f, 1f), result);
            return ops.Read(result);
        });
    }

    static IEnumerable<CheckCase> Optimizers()
    {
        foreach (int length in new[] { 1, 1023, 652_824 })
        {
            yield return new("optimizer", $"sgd over {length}", 1e-7, 1e-6, ops =>
            {
                var parameters = ops.Input(28, length, 1);
                ops.Backend.SgdUpdate(parameters, ops.Input(29, length, 1), 0.01f);
                return ops.Read(parameters);
            });
            yield return new("optimizer", $"adam step 3 over {length}", 1e-6, 1e-5, ops =>
            {
                var (parameters, first, second) = (ops.Input(28, length, 1), ops.Input(30, length, 1, -0.01f, 0.01f), ops.Input(31, length, 1, 0f, 1e-4f));
                ops.Backend.AdamUpdate(parameters, ops.Input(29, length, 1), first, second, AdamStep.Create(1e-3f, 3));
                return ops.Read(parameters, first, second);
            });
        }
    }

    static IEnumerable<CheckCase> Experiments()
    {
        foreach (var integrand in Enum.GetValues<GaussianIntegrand>())
            yield return new("monte carlo", $"integrand {integrand} 1023", 1e-4, 1e-5, ops =>
            {
                var values = ops.Backend.Allocate(1023, 1);
                ops.MonteCarlo.Integrand(integrand, 0.5f, 1.5f, 5, 6, values);
                return ops.Read(values);
            });
        foreach (var sampler in new[] { Sampler.Antithetic, Sampler.Stratified, Sampler.Rqmc })
            yield return new("monte carlo", $"{Vocabulary.Samplers.Name(sampler)} integrand Exp 1023 of replicate 3", 1e-4, 1e-5, ops =>
            {
                var values = ops.Backend.Allocate(1023, 1);
                ops.MonteCarlo.SampledIntegrand(GaussianIntegrand.Exp, sampler, 0.5f, 1.5f, 5, 6, 3, 4096, 1000, 1.5f, values);
                return ops.Read(values);
            });
        yield return new("monte carlo", "importance terms Above4 1023 from N(4.5, 1)", 1e-4, 1e-4, ops =>
        {
            var terms = ops.Backend.Allocate(3, 1023);
            ops.MonteCarlo.ImportanceTerms(GaussianIntegrand.Above4, 0f, 1f, 4.5f, 1f, 5, 6, 100, terms);
            return ops.Read(terms);
        });
        var shape = new ElboGapShape { Observed = 5, Latent = 2, InverseNoiseVariance = 1f, Offset = 0.5f };
        yield return new("elbo gap", "terms of 1023 samples, d 5, k 2", 1e-4, 1e-4, ops =>
        {
            var (z, terms) = (ops.Backend.Allocate(1023, shape.Latent), ops.Backend.Allocate(1023, 1));
            ops.ElboGap.Terms(ops.Input(32, shape.ParameterCount, 1, 0.2f, 0.9f), shape, 5, 6, z, terms);
            return ops.Read(z, terms);
        });
        foreach (var sampler in new[] { Sampler.Antithetic, Sampler.Stratified, Sampler.Rqmc })
            yield return new("elbo gap", $"{Vocabulary.Samplers.Name(sampler)} terms of rows 3000 .. 4022 of replicates of 2048, d 5, k 2", 1e-4, 1e-4, ops =>
            {
                var (z, terms) = (ops.Backend.Allocate(1023, shape.Latent), ops.Backend.Allocate(1023, 1));
                ops.ElboGap.SampledTerms(ops.Input(32, shape.ParameterCount, 1, 0.2f, 0.9f), shape, sampler, 5, 6, 3000, 2048, z, terms);
                return ops.Read(z, terms);
            });
        var mixture = UnivariateMixture.Create([0.3, 0.7], [-2, 2], [0.6, 1.1]);
        yield return new("kl fit", "mixture samples 1023", 1e-5, 1e-5, ops =>
        {
            var samples = ops.Backend.Allocate(1023, 1);
            ops.KlFit.SampleMixture(mixture, 5, 6, 100, samples);
            return ops.Read(samples);
        });
        foreach (var gradient in KlGradient.All)
            yield return new("kl fit", $"{Vocabulary.KlGradients.Name(gradient)} terms 1023", 1e-4, 1e-4, ops =>
            {
                var (parameters, terms) = (ops.Backend.Allocate(1, 2), ops.Backend.Allocate(2, 1023));
                ops.Backend.Upload([0.3f, -0.4f], parameters);
                ops.KlFit.Terms(gradient, mixture, 5, 6, 100, parameters, 1f / 1023, terms);
                return ops.Read(terms);
            });
        foreach (float alpha in new[] { 0.5f, -1f })
            yield return new("kl fit", $"renyi alpha {alpha} terms 32 groups of 32", 1e-4, 1e-4, ops =>
            {
                var (parameters, terms) = (ops.Backend.Allocate(1, 2), ops.Backend.Allocate(2, 32));
                ops.Backend.Upload([0.3f, -0.4f], parameters);
                ops.KlFit.RenyiTerms(mixture, 32, alpha, 5, 6, 3, parameters, 1f / 32, terms);
                return ops.Read(terms);
            });
        float[] mixtureQ = [0.4f, -2f, 1.5f, -0.6f, 0.2f]; // separated, unequal components: Newton's bisection fallback runs
        yield return new("kl fit", "mixture q draws and implicit gradients 1023", 1e-4, 1e-4, ops =>
        {
            var (parameters, draws) = (ops.Backend.Allocate(1, MixtureQParameters.Count), ops.Backend.Allocate(1023, MixtureQParameters.Count + 1));
            ops.Backend.Upload(mixtureQ, parameters);
            ops.KlFit.MixtureQDraws(5, 6, 100, parameters, draws);
            return ops.Read(draws);
        });
        yield return new("kl fit", "mixture q reverse-KL terms 1023", 1e-4, 1e-4, ops =>
        {
            var (parameters, terms) = (ops.Backend.Allocate(1, MixtureQParameters.Count), ops.Backend.Allocate(1023, MixtureQParameters.Count));
            ops.Backend.Upload(mixtureQ, parameters);
            ops.KlFit.ReverseKlMixtureQTerms(mixture, 5, 6, 100, parameters, 1f / 1023, terms);
            return ops.Read(terms);
        });
        foreach (int points in new[] { 17, 1023 })
        {
            const int dimension = 3, components = 4;
            int stride = GaussianMixtureLayout.Stride(dimension);
            yield return new("gaussian mixture", $"E-step and scatter, {points} points, d {dimension}, K {components}", 1e-4, 1e-4, ops =>
            {
                var (x, parameters) = (ops.Input(33, points, dimension, -2f, 2f), ops.Input(34, 1, components * stride, 0.3f, 1.2f));
                var (responsibilities, logDensity) = (ops.Backend.Allocate(points, components), ops.Backend.Allocate(points, 1));
                ops.GaussianMixture.Responsibilities(x, parameters, responsibilities, logDensity);
                var partials = ops.Backend.Allocate(ops.GaussianMixture.ScatterPartialRows(points), components * dimension * dimension);
                ops.GaussianMixture.WeightedScatterPartials(x, responsibilities, parameters, partials);
                return ops.Read(responsibilities, logDensity, partials);
            });
        }
        foreach (var cost in Enum.GetValues<GradientEstimatorCost>())
        {
            var problem = new GradientEstimatorProblem(cost, 1.5f, 0.5f, 1.25f);
            foreach (var estimator in new[] { GradientEstimator.Score, GradientEstimator.ScoreBaseline, GradientEstimator.Pathwise, GradientEstimator.DeltaPathwise, GradientEstimator.MeasureValued })
                yield return new("gradient estimators", $"{estimator} terms, {cost} cost, 1023", 1e-4, 1e-4, ops =>
                {
                    var terms = ops.Backend.Allocate(2, 1023);
                    ops.GradientEstimators.Terms(estimator, problem, 0.75f, -0.5f, 0.25f, 0.1f, 5, 6, 40, terms);
                    return ops.Read(terms);
                });
            foreach (var sampler in new[] { Sampler.Antithetic, Sampler.Stratified, Sampler.Rqmc })
                foreach (var estimator in new[] { GradientEstimator.ScoreBaseline, GradientEstimator.Pathwise, GradientEstimator.MeasureValued })
                    yield return new("gradient estimators", $"{estimator} terms under {sampler}, {cost} cost, 1023", 1e-4, 1e-4, ops =>
                    {
                        var terms = ops.Backend.Allocate(2, 1023);
                        ops.GradientEstimators.SampledTerms(estimator, sampler, problem, 0.75f, -0.5f, 0.25f, 0.1f, 5, 6, 3, 4096, 40, terms);
                        return ops.Read(terms);
                    });
            yield return new("gradient estimators", $"baseline terms, {cost} cost, 1023", 1e-4, 1e-4, ops =>
            {
                var terms = ops.Backend.Allocate(2, 1023);
                ops.GradientEstimators.BaselineTerms(problem, 5, 6, 40, terms);
                return ops.Read(terms);
            });
        }
    }

    /// <summary>
    /// Gamma, Dirichlet and von Mises draws with their implicit gradients (ImplicitDrawKernels): the Philox integers
    /// are the same everywhere, so a device differs from the host only by its log/exp/sin/cos, which the rejection
    /// tests and the gradients' series and quadratures carry through a few dozen operations; the derivative's
    /// quadrature divides by a density, so its relative error may reach 1e-4. Parameters span the tested ranges.
    /// </summary>
    static IEnumerable<CheckCase> ImplicitDraws()
    {
        yield return new("implicit draws", "Gamma log z and d log z / d alpha 1023, alpha 1e-3 .. 1e4", 1e-4, 1e-4, ops =>
        {
            var alpha = Spread(ops, 1023, 1e-3, 1e4);
            var (logZ, derivative) = (ops.Backend.Allocate(1023, 1), ops.Backend.Allocate(1023, 1));
            ops.ImplicitDraws.Gamma(alpha, 5, 6, 100, logZ, derivative);
            return ops.Read(logZ, derivative);
        });
        yield return new("implicit draws", "Dirichlet log z and d log G / d alpha 341 rows of 3, alpha 1e-2 .. 1e3", 1e-4, 1e-4, ops =>
        {
            var alpha = Spread(ops, 1023, 1e-2, 1e3);
            var (shaped, logZ, derivative) = (ops.Backend.View(alpha, 0, 341, 3), ops.Backend.Allocate(341, 3), ops.Backend.Allocate(341, 3));
            ops.ImplicitDraws.Dirichlet(shaped, 5, 6, 40, logZ, derivative);
            return ops.Read(logZ, derivative);
        });
        yield return new("implicit draws", "von Mises theta and dtheta / dkappa 1023, kappa 1e-3 .. 1e3", 1e-4, 1e-4, ops =>
        {
            var kappa = Spread(ops, 1023, 1e-3, 1e3);
            var (theta, derivative) = (ops.Backend.Allocate(1023, 1), ops.Backend.Allocate(1023, 1));
            ops.ImplicitDraws.VonMises(kappa, 5, 6, 100, theta, derivative);
            return ops.Read(theta, derivative);
        });
    }

    /// <summary>
    /// The Gamma and Dirichlet encoders' step (ImplicitPosteriorKernels) at the canonical 128 x 20: forward (z, KL,
    /// log-ratio), then the implicit path-wise backward; the Gammas are the same integers everywhere.
    /// </summary>
    static IEnumerable<CheckCase> ImplicitPosteriors()
    {
        foreach (var posterior in (Posterior[])[Posterior.Gamma, Posterior.Dirichlet])
            yield return new("implicit posterior", $"{posterior} forward and backward 128x20", 1e-4, 1e-4, ops =>
            {
                int width = ImplicitPosteriorMath.HeadColumns(posterior) * 20;
                var head = ops.Input(27, 128, width, -1.5f, 2f);
                var (z, kl, ratio, dz, dHead) = (ops.Backend.Allocate(128, 20), ops.Backend.Allocate(128, 1), ops.Backend.Allocate(128, 1), ops.Input(28, 128, 20), ops.Backend.Allocate(128, width));
                ops.ImplicitPosterior.Forward(posterior, head, 3, 4, z, kl, ratio);
                ops.ImplicitPosterior.Backward(posterior, head, 3, 4, z, dz, 1f / 128, dHead);
                return ops.Read(z, kl, ratio, dHead);
            });
    }

    /// <summary>A rows x 1 tensor of parameters spread evenly in log from low to high.</summary>
    static Tensor Spread(CheckOperations ops, int rows, double low, double high)
    {
        var tensor = ops.Backend.Allocate(rows, 1);
        ops.Backend.Upload([.. Enumerable.Range(0, rows).Select(i => (float)(low * Math.Pow(high / low, i / (rows - 1.0))))], tensor);
        return tensor;
    }
}
