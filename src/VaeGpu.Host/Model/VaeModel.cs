using VaeGpu.Kernels;
using VaeGpu.Runtime;
using VaeGpu.Runtime.ImplicitPosterior;
using VaeGpu.Runtime.ImportanceWeighted;
using VaeGpu.Runtime.Likelihood;
using VaeGpu.Runtime.Reparameterization;

namespace VaeGpu.Host.Model;

/// <summary>
/// The VAE on a backend: parameters and gradients in flat buffers (the optimiser owns its own state: IOptimizer); activations for up to BatchSize
/// images. A training step is gather, forward, likelihood, backward and one optimiser update, all queued on the backend
/// with nothing read back; the loss accumulates in RunningSums (per image: NLL, KL) until the caller reads it.
/// Under the importance-weighted objective each image has K draws, so the decoder runs on B K rows (image i's draws in
/// rows iK .. iK + K - 1), and RunningSums holds [-L_K - KL, KL] per image instead.
/// </summary>
public sealed class VaeModel
{
    readonly IBackend backend;
    readonly IReparameterizationOperations reparameterization;
    readonly ILikelihoodOperations likelihood;
    readonly Dictionary<int, BatchBuffers> buffersByRows = [];
    readonly LayerViews[] encoder, decoder;

    readonly IImportanceWeightedOperations? importanceWeighted;

    /// <summary>The Gamma or Dirichlet encoder's step; null for the Gaussian posterior, whose step is <c>reparameterization</c>.</summary>
    readonly IImplicitPosteriorOperations? implicitPosterior;

    public VaeConfig Config { get; }
    public Objective Objective { get; }

    /// <summary>How the draws of z are made (DrawSamplers): Mc (FillNormal's), or an image's K draws coupled under the importance-weighted objective.</summary>
    public Sampler Sampler { get; }
    public ParameterLayout Layout { get; }
    public int BatchSize { get; }
    public Tensor Parameters { get; }
    public Tensor Gradients { get; }

    /// <summary>Per row of the batch: the summed NLL and KL of every step since the caller last zeroed it.</summary>
    public Tensor RunningSums { get; }

    /// <summary>Independent draws per image behind the ScoreBaseline estimator's baseline b(x), the mean of their NLL.</summary>
    public const int BaselineDraws = 8;

    /// <summary>
    /// Where likelihood kernels add sums that are not the step's loss: the baseline draws', and each of the K draws'
    /// under the importance-weighted objective (whose loss the weights kernel adds per image).
    /// </summary>
    readonly Tensor scratchSums;

    public VaeModel(IBackend backend, VaeConfig config, int batchSize, Objective? objective = null, Sampler sampler = Sampler.Mc)
    {
        if (batchSize < 1) throw new ArgumentOutOfRangeException(nameof(batchSize));
        Objective = (objective ?? Objective.Elbo).Validated();
        if (sampler != Sampler.Mc && !Objective.ImportanceWeighted)
            throw new ArgumentOutOfRangeException(nameof(sampler), sampler, "coupled draws need the importance-weighted objective (DrawSamplers).");
        Sampler = sampler;
        PosteriorChoice.Require(config.Posterior, Objective, GradientEstimator.Pathwise, sampler);
        int samples = Objective.Samples;
        MemoryBudget.Require(backend, RequiredBytes(config, batchSize, samples), $"a {config.Inputs}-{config.HiddenText}-{config.Latent} model at batch {batchSize}{(samples > 1 ? $" with {samples} draws per image" : "")}",
            samples > 1 ? [nameof(Objective.Samples), nameof(Training.TrainingOptions.BatchSize), nameof(VaeConfig.Hidden), nameof(VaeConfig.Latent)] : [nameof(VaeConfig.Hidden), nameof(VaeConfig.Latent), nameof(Training.TrainingOptions.BatchSize)]);
        long widest = new[] { config.Inputs, config.HeadWidth }.Concat(config.Hidden).Max();
        var batch = new SettingValue(nameof(Training.TrainingOptions.BatchSize), InvalidSettingException.Text(batchSize));
        if ((long)batchSize * samples * widest > int.MaxValue)
            throw samples > 1
                ? new InvalidSettingException([batch, new(nameof(Objective.Samples), InvalidSettingException.Text(samples))],
                    $"{(long)batchSize * samples} draws of up to {widest} values each are more than one tensor holds; use a smaller {{Samples}} or {{BatchSize}}.")
                : new InvalidSettingException([batch], $"{batchSize} rows of up to {widest} values each are more than one tensor holds; use a smaller {{BatchSize}}.");
        this.backend = backend;
        reparameterization = ReparameterizationOperations.For(backend);
        likelihood = LikelihoodOperations.For(backend);
        if (Objective.ImportanceWeighted) importanceWeighted = ImportanceWeightedOperations.For(backend);
        if (config.Posterior != Posterior.Gaussian) implicitPosterior = ImplicitPosteriorOperations.For(backend);
        Config = config;
        Layout = new ParameterLayout(config);
        BatchSize = batchSize;
        Parameters = backend.Allocate(1, Layout.Count);
        Gradients = backend.Allocate(1, Layout.Count);
        RunningSums = backend.Allocate(batchSize, 2);
        scratchSums = backend.Allocate(batchSize * samples, 2);
        encoder = Layout.Encoder.Select(layer => new LayerViews(backend, layer, Parameters, Gradients)).ToArray();
        decoder = Layout.Decoder.Select(layer => new LayerViews(backend, layer, Parameters, Gradients)).ToArray();
    }

    /// <summary>
    /// The bytes a model and its optimiser take: parameters, gradients and the two moments of Adam (the most state an
    /// optimiser here keeps); per image the input, the
    /// encoder's outputs and gradients, the baseline, the bound and the running sums; per draw (K per image) z and dz,
    /// the decoder's outputs and gradients, six per-draw scalars and the scratch sums.
    /// </summary>
    public static long RequiredBytes(VaeConfig config, int batchSize, int samplesPerImage = 1)
    {
        long hidden = config.Hidden.Sum(width => (long)width);
        long perImage = config.Inputs + 2 * (hidden + 2L * config.Latent) + 2 + 2;
        long perDraw = 2L * config.Latent + 2 * (hidden + config.Inputs) + 6 + 2;
        return 4 * (4 * config.ParameterCount + batchSize * (perImage + (long)samplesPerImage * perDraw));
    }

    /// <summary>
    /// PyTorch's default for linear layers: weights and biases uniform in +-1/sqrt(fan_in), drawn on the device from
    /// Philox (seed, RandomStreams.Initialisation). u in (0, 1] is a multiple of 2^-24, so 2u - 1 is exact and the one
    /// rounding is the product with the bound: every device starts from the same bits.
    /// </summary>
    public void Initialise(ulong seed)
    {
        backend.FillUniform(Parameters, seed, RandomStreams.Initialisation);
        foreach (var layer in Layout.Layers)
        {
            var values = backend.View(Parameters, layer.WeightOffset, 1, layer.End - layer.WeightOffset);
            backend.ScaleAndShift(values, 2f, -1f);
            backend.ScaleAndShift(values, 1f / MathF.Sqrt(layer.Inputs), 0f);
        }
    }

    /// <summary>The activations and their gradients for a batch of the given number of rows (views of full-size buffers).</summary>
    public BatchBuffers Buffers(int rows)
    {
        if (rows < 1 || rows > BatchSize) throw new ArgumentOutOfRangeException(nameof(rows));
        if (!buffersByRows.TryGetValue(rows, out var buffers))
        {
            buffers = new BatchBuffers(backend, Layout, rows, Objective.Samples, rows == BatchSize ? null : Buffers(BatchSize));
            buffersByRows[rows] = buffers;
        }
        return buffers;
    }

    /// <summary>
    /// Encoder, z = mu + sigma eps with eps from (seed, stream), decoder, and the likelihood: fills b.Output, b.NllPerRow,
    /// b.KlPerRow, b.LogDensityRatioPerRow and b.DOutput (scaled for a mean over the batch), and adds to RunningSums.
    /// Under the importance-weighted objective also b.RowScale and b.BoundPerImage; b.DOutput is then each draw's own
    /// gradient, which Backward weights.
    /// </summary>
    public void Forward(BatchBuffers b, ulong seed, ulong stream)
    {
        Encode(b);
        SampleAndDecode(b, seed, stream);
    }

    /// <summary>Forward after the encoder: draws z from the q(z|x) that b.Head holds, decodes it and scores it.</summary>
    public void SampleAndDecode(BatchBuffers b, ulong seed, ulong stream) => SampleAndDecode(b, seed, stream, RunningSums);

    /// <summary>
    /// SampleAndDecode with z draw number <paramref name="draw"/> of <paramref name="drawsPerImage"/> coupled draws per
    /// image under <paramref name="sampler"/> (one draw per image per call, the same stream for all of an image's
    /// draws): how `eval` makes its K importance samples a scrambled Sobol set or a Latin hypercube, a draw at a time.
    /// </summary>
    public void SampleAndDecode(BatchBuffers b, ulong seed, ulong stream, Sampler sampler, int draw, int drawsPerImage)
    {
        if (importanceWeighted is not null) throw new InvalidOperationException("a window of draws is for the one-draw-per-image model that eval scores with.");
        if (implicitPosterior is not null) throw new InvalidOperationException("coupled draws are the Gaussian posterior's (PosteriorChoice).");
        reparameterization.Forward(b.Head, seed, stream, b.Z, b.KlPerRow, b.LogDensityRatioPerRow, sampler, draw, drawsPerImage);
        Decode(b, b.Z);
        Score(b, 1f / b.Rows, RunningSums.FirstRows(b.Rows));
    }

    /// <summary>
    /// The ScoreBaseline estimator's baseline: b.BaselineSumPerRow = the summed NLL of BaselineDraws draws of z per image,
    /// independent of the step's own draw. Needs Encode first; overwrites b's decoder buffers, so run it before the
    /// step's SampleAndDecode. Leaves RunningSums alone.
    /// </summary>
    public void EstimateBaseline(BatchBuffers b, ulong seed, ulong stream)
    {
        if (importanceWeighted is not null) throw new InvalidOperationException("the baseline belongs to the ELBO's score estimators.");
        backend.Fill(b.BaselineSumPerRow, 0f);
        // Viewed as 1 x rows, "add the NLL row as a bias" is an elementwise sum.
        var sumAsRow = backend.View(b.BaselineSumPerRow, 0, 1, b.Rows);
        var nllAsRow = backend.View(b.NllPerRow, 0, 1, b.Rows);
        for (int draw = 0; draw < BaselineDraws; draw++)
        {
            SampleAndDecode(b, seed, RandomStreams.BaselineDraw(stream, draw), scratchSums);
            backend.AddRowBias(sumAsRow, nllAsRow);
        }
    }

    void SampleAndDecode(BatchBuffers b, ulong seed, ulong stream, Tensor runningSums)
    {
        if (implicitPosterior is not null) implicitPosterior.Forward(Config.Posterior, b.Head, seed, stream, b.Z, b.KlPerRow, b.LogDensityRatioPerRow);
        else reparameterization.Forward(b.Head, seed, stream, b.Z, b.KlPerRow, b.LogDensityRatioPerRow, Sampler);
        Decode(b, b.Z);
        float gradientScale = 1f / b.Rows;
        if (importanceWeighted is null)
        {
            Score(b, gradientScale, runningSums.FirstRows(b.Rows));
            return;
        }
        Score(b, 1f, scratchSums.FirstRows(b.Draws));
        importanceWeighted.Weigh(b.NllPerRow, b.LogDensityRatioPerRow, b.KlPerRow, gradientScale, Objective.Weighting, b.RowScale, b.BoundPerImage, runningSums.FirstRows(b.Rows));
    }

    void Score(BatchBuffers b, float gradientScale, Tensor sums)
    {
        if (Config.Likelihood == Likelihood.Bernoulli)
            likelihood.Bernoulli(b.Output, b.X, gradientScale, b.DOutput, b.NllPerRow, b.KlPerRow, sums);
        else
            likelihood.Gaussian(b.Output, b.X, Config.SigmaX, gradientScale, b.DOutput, b.NllPerRow, b.KlPerRow, sums);
    }

    /// <summary>
    /// One step's gradients into Gradients: encoder, the baseline draws when the estimator needs them, z, decoder,
    /// likelihood (adding to RunningSums) and backward. The caller applies the optimiser.
    /// </summary>
    public void ComputeGradients(BatchBuffers b, ulong seed, ulong stream, float klWeight, GradientEstimator estimator)
    {
        Encode(b);
        if (estimator == GradientEstimator.ScoreBaseline) EstimateBaseline(b, seed, stream);
        SampleAndDecode(b, seed, stream);
        Backward(b, seed, stream, klWeight, estimator);
    }

    /// <summary>The encoder alone, from b.X to b.Head ([mu | log sigma^2] for the Gaussian posterior: VaeConfig.HeadWidth).</summary>
    public void Encode(BatchBuffers b)
    {
        Tensor input = b.X;
        for (int i = 0; i < encoder.Length; i++)
        {
            backend.LinearForward(input, encoder[i].Weights, encoder[i].Bias, b.Encoder[i], encoder[i].Layer.Activation);
            input = b.Encoder[i];
        }
    }

    /// <summary>
    /// The decoder alone, from z (up to b.Draws rows x latent) into the first z.Rows rows of b.Output: logits
    /// (Bernoulli) or means (Gaussian).
    /// </summary>
    public void Decode(BatchBuffers b, Tensor z)
    {
        Tensor input = z;
        for (int i = 0; i < decoder.Length; i++)
        {
            var output = z.Rows == b.Draws ? b.Decoder[i] : b.Decoder[i].FirstRows(z.Rows);
            backend.LinearForward(input, decoder[i].Weights, decoder[i].Bias, output, decoder[i].Layer.Activation);
            input = output;
        }
    }

    /// <summary>
    /// Gradients of the mean loss over the batch, NLL + klWeight * KL (or -L_K, where klWeight is 1), into Gradients:
    /// path-wise for the decoder, by the chosen estimator for the encoder. Needs Forward first (and EstimateBaseline
    /// before it for ScoreBaseline).
    /// </summary>
    public void Backward(BatchBuffers b, ulong seed, ulong stream, float klWeight, GradientEstimator estimator = GradientEstimator.Pathwise)
    {
        if (!Objective.Estimators.Contains(estimator)) throw new ArgumentException($"{estimator} is no estimator of the {Objective}.", nameof(estimator));
        PosteriorChoice.Require(Config.Posterior, Objective, estimator, Sampler);
        if (importanceWeighted is not null)
        {
            if (klWeight != 1f) throw new ArgumentOutOfRangeException(nameof(klWeight), "the importance-weighted bound has no KL term to weight.");
            importanceWeighted.ScaleRows(b.DOutput, b.RowScale);
        }
        DecoderBackward(b);
        if (importanceWeighted is not null)
            ImportanceWeightedEncoderBackward(importanceWeighted, b, seed, stream, estimator);
        else if (implicitPosterior is not null)
            implicitPosterior.Backward(Config.Posterior, b.Head, seed, stream, b.Z, b.DZ, klWeight / b.Rows, b.DHead);
        else
            ReparameterizationBackward(b, seed, stream, klWeight, estimator);
        EncoderBackward(b);
    }

    /// <summary>
    /// The encoder's gradient under a multi-draw bound: from the scores of q at fixed draws (VIMCO, wake-phi), through z
    /// with the draws reweighted for the encoder's own bound (PIWAE: dz, scaled by the decoder's weights, rescaled by the
    /// ratio of the two), or through z with the decoder's weights.
    /// </summary>
    void ImportanceWeightedEncoderBackward(IImportanceWeightedOperations operations, BatchBuffers b, ulong seed, ulong stream, GradientEstimator estimator)
    {
        float gradientScale = 1f / b.Rows;
        if (EncoderEstimators.ScoreOfQ.Contains(estimator))
        {
            operations.ScoreCoefficients(b.NllPerRow, b.LogDensityRatioPerRow, Objective.Samples, gradientScale, estimator == GradientEstimator.Vimco, b.EncoderRowScale);
            operations.ScoreEncoderBackward(b.Head, seed, stream, b.EncoderRowScale, b.DHead, Sampler);
            return;
        }
        if (Objective.EncoderWeighting is { } encoderWeighting)
        {
            operations.DrawWeights(b.NllPerRow, b.LogDensityRatioPerRow, Objective.Samples, gradientScale, encoderWeighting, b.EncoderRowScale);
            operations.Ratio(b.EncoderRowScale, b.RowScale, b.RowRatio);
            operations.ScaleRows(b.DZ, b.RowRatio);
            operations.EncoderBackward(b.Head, seed, stream, b.DZ, b.EncoderRowScale, estimator, b.DHead, Sampler);
            return;
        }
        operations.EncoderBackward(b.Head, seed, stream, b.DZ, b.RowScale, estimator, b.DHead, Sampler);
    }

    void DecoderBackward(BatchBuffers b)
    {
        for (int i = decoder.Length - 1; i >= 0; i--)
        {
            Tensor input = i == 0 ? b.Z : b.Decoder[i - 1];
            backend.LinearBackwardWeights(input, b.DDecoder[i], decoder[i].WeightAndBiasGradient);
            if (i == 0) backend.LinearBackwardInput(b.DDecoder[i], decoder[i].Weights, b.DZ, Activation.None, null);
            else backend.LinearBackwardInput(b.DDecoder[i], decoder[i].Weights, b.DDecoder[i - 1], decoder[i - 1].Layer.Activation, b.Decoder[i - 1]);
        }
    }

    void ReparameterizationBackward(BatchBuffers b, ulong seed, ulong stream, float klWeight, GradientEstimator estimator)
    {
        var scalars = new EncoderEstimatorScalars
        {
            Kind = estimator, KlWeight = klWeight / b.Rows, SignalScale = 1f / b.Rows,
            BaselineScale = estimator == GradientEstimator.ScoreBaseline ? 1f / BaselineDraws : 0f,
        };
        reparameterization.Backward(b.Head, seed, stream, b.DZ, b.DHead, scalars, b.NllPerRow,
            estimator == GradientEstimator.ScoreBaseline ? b.BaselineSumPerRow : null);
    }

    void EncoderBackward(BatchBuffers b)
    {
        for (int i = encoder.Length - 1; i >= 0; i--)
        {
            Tensor input = i == 0 ? b.X : b.Encoder[i - 1];
            backend.LinearBackwardWeights(input, b.DEncoder[i], encoder[i].WeightAndBiasGradient);
            if (i > 0) backend.LinearBackwardInput(b.DEncoder[i], encoder[i].Weights, b.DEncoder[i - 1], encoder[i - 1].Layer.Activation, b.Encoder[i - 1]);
        }
    }

    /// <summary>The views one layer reads: its weights and bias and their gradients.</summary>
    sealed class LayerViews(IBackend backend, LinearLayer layer, Tensor parameters, Tensor gradients)
    {
        public LinearLayer Layer { get; } = layer;
        public Tensor Weights { get; } = backend.View(parameters, layer.WeightOffset, layer.Inputs, layer.Outputs);
        public Tensor Bias { get; } = backend.View(parameters, layer.BiasOffset, 1, layer.Outputs);

        /// <summary>[dW; db]: the bias gradient is the row right after the weight gradient.</summary>
        public Tensor WeightAndBiasGradient { get; } = backend.View(gradients, layer.WeightOffset, layer.Inputs + 1, layer.Outputs);
    }
}

/// <summary>
/// Activations and their gradients for one batch size: one tensor per layer output (the encoder's last is the head
/// [mu | log sigma^2], the decoder's last the output) and one gradient beside each. The encoder's have a row per image,
/// z, the decoder's and the per-draw scalars a row per draw (K per image). The full batch allocates; a shorter batch
/// takes the first rows of the full batch's buffers, so a short last batch costs no memory.
/// </summary>
public sealed class BatchBuffers
{
    /// <summary>Images in the batch.</summary>
    public int Rows { get; }

    /// <summary>Draw rows: Rows times the draws per image.</summary>
    public int Draws { get; }
    public Tensor X { get; }
    public Tensor[] Encoder { get; }
    public Tensor[] DEncoder { get; }
    public Tensor Z { get; }
    public Tensor DZ { get; }
    public Tensor[] Decoder { get; }
    public Tensor[] DDecoder { get; }
    public Tensor KlPerRow { get; }
    public Tensor LogDensityRatioPerRow { get; }
    public Tensor NllPerRow { get; }
    public Tensor BaselineSumPerRow { get; }

    /// <summary>Per draw: the factor its decoder gradient takes, 1 / Rows times its normalised weight (importance-weighted objective).</summary>
    public Tensor RowScale { get; }

    /// <summary>Per draw: the encoder's own factor (PIWAE's weights, or VIMCO's and wake-phi's score coefficients).</summary>
    public Tensor EncoderRowScale { get; }

    /// <summary>Per draw: EncoderRowScale / RowScale, which turns dz weighted for the decoder into dz weighted for the encoder (PIWAE).</summary>
    public Tensor RowRatio { get; }

    /// <summary>Per image: the importance-weighted bound L_K of its K draws.</summary>
    public Tensor BoundPerImage { get; }

    public Tensor Head => Encoder[^1];
    public Tensor DHead => DEncoder[^1];

    /// <summary>The decoder's last layer: logits or means.</summary>
    public Tensor Output => Decoder[^1];
    public Tensor DOutput => DDecoder[^1];

    internal BatchBuffers(IBackend backend, ParameterLayout layout, int rows, int samplesPerImage, BatchBuffers? full)
    {
        Rows = rows;
        Draws = rows * samplesPerImage;
        Tensor Make(Func<BatchBuffers, Tensor> fromFull, int count, int columns) =>
            full is null ? backend.Allocate(count, columns) : fromFull(full).FirstRows(count);
        Tensor[] MakeAll(Func<BatchBuffers, Tensor[]> fromFull, int count, IReadOnlyList<LinearLayer> layers) =>
            layers.Select((layer, i) => Make(f => fromFull(f)[i], count, layer.Outputs)).ToArray();

        X = Make(f => f.X, rows, layout.Encoder[0].Inputs);
        Encoder = MakeAll(f => f.Encoder, rows, layout.Encoder);
        DEncoder = MakeAll(f => f.DEncoder, rows, layout.Encoder);
        Z = Make(f => f.Z, Draws, layout.Decoder[0].Inputs);
        DZ = Make(f => f.DZ, Draws, layout.Decoder[0].Inputs);
        Decoder = MakeAll(f => f.Decoder, Draws, layout.Decoder);
        DDecoder = MakeAll(f => f.DDecoder, Draws, layout.Decoder);
        KlPerRow = Make(f => f.KlPerRow, Draws, 1);
        LogDensityRatioPerRow = Make(f => f.LogDensityRatioPerRow, Draws, 1);
        NllPerRow = Make(f => f.NllPerRow, Draws, 1);
        RowScale = Make(f => f.RowScale, Draws, 1);
        EncoderRowScale = Make(f => f.EncoderRowScale, Draws, 1);
        RowRatio = Make(f => f.RowRatio, Draws, 1);
        BaselineSumPerRow = Make(f => f.BaselineSumPerRow, rows, 1);
        BoundPerImage = Make(f => f.BoundPerImage, rows, 1);
    }
}
