using VaeGpu.Kernels;
using VaeGpu.Runtime;
using VaeGpu.Runtime.Likelihood;
using VaeGpu.Runtime.Reparameterization;

namespace VaeGpu.Host.Model;

/// <summary>
/// The VAE on a backend: parameters, gradients and Adam moments in flat buffers; activations for up to BatchSize
/// rows. A training step is gather, forward, likelihood, backward and one optimiser update, all queued on the backend
/// with nothing read back; the loss accumulates in RunningSums (per row: NLL, KL) until the caller reads it.
/// </summary>
public sealed class VaeModel
{
    readonly IBackend backend;
    readonly IReparameterizationOperations reparameterization;
    readonly ILikelihoodOperations likelihood;
    readonly Dictionary<int, BatchBuffers> buffersByRows = [];
    readonly LayerViews[] encoder, decoder;

    public VaeConfig Config { get; }
    public ParameterLayout Layout { get; }
    public int BatchSize { get; }
    public Tensor Parameters { get; }
    public Tensor Gradients { get; }
    public Tensor FirstMoments { get; }
    public Tensor SecondMoments { get; }

    /// <summary>Per row of the batch: the summed NLL and KL of every step since the caller last zeroed it.</summary>
    public Tensor RunningSums { get; }

    /// <summary>Independent draws per image behind the ScoreBaseline estimator's baseline b(x), the mean of their NLL.</summary>
    public const int BaselineDraws = 8;

    /// <summary>Where the baseline draws' likelihood kernels add their sums, so the loss in RunningSums stays the step's own.</summary>
    readonly Tensor baselineScratchSums;

    public VaeModel(IBackend backend, VaeConfig config, int batchSize)
    {
        if (batchSize < 1) throw new ArgumentOutOfRangeException(nameof(batchSize));
        MemoryBudget.Require(backend, RequiredBytes(config, batchSize), $"a {config.Inputs}-{config.HiddenText}-{config.Latent} model at batch {batchSize}",
            "use a smaller --hidden, --latent or --batch");
        this.backend = backend;
        reparameterization = ReparameterizationOperations.For(backend);
        likelihood = LikelihoodOperations.For(backend);
        Config = config;
        Layout = new ParameterLayout(config);
        BatchSize = batchSize;
        Parameters = backend.Allocate(1, Layout.Count);
        Gradients = backend.Allocate(1, Layout.Count);
        FirstMoments = backend.Allocate(1, Layout.Count);
        SecondMoments = backend.Allocate(1, Layout.Count);
        RunningSums = backend.Allocate(batchSize, 2);
        baselineScratchSums = backend.Allocate(batchSize, 2);
        encoder = Layout.Encoder.Select(layer => new LayerViews(backend, layer, Parameters, Gradients)).ToArray();
        decoder = Layout.Decoder.Select(layer => new LayerViews(backend, layer, Parameters, Gradients)).ToArray();
    }

    /// <summary>
    /// The bytes the constructor allocates: parameters, gradients and two Adam moments; per batch row the input, every
    /// layer's output and gradient, z and dz, four per-row scalars and two pairs of running sums.
    /// </summary>
    public static long RequiredBytes(VaeConfig config, int batchSize)
    {
        long layerOutputs = 2L * config.Hidden.Sum(width => (long)width) + 2L * config.Latent + config.Inputs;
        long perRow = config.Inputs + 2 * layerOutputs + 2L * config.Latent + 4 + 4;
        return 4 * (4 * config.ParameterCount + batchSize * perRow);
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
            buffers = rows == BatchSize ? new BatchBuffers(backend, Layout, rows, null) : new BatchBuffers(backend, Layout, rows, Buffers(BatchSize));
            buffersByRows[rows] = buffers;
        }
        return buffers;
    }

    /// <summary>
    /// Encoder, z = mu + sigma eps with eps from (seed, stream), decoder, and the likelihood: fills b.Output, b.NllPerRow,
    /// b.KlPerRow, b.LogDensityRatioPerRow and b.DOutput (scaled for a mean over the batch), and adds to RunningSums.
    /// </summary>
    public void Forward(BatchBuffers b, ulong seed, ulong stream)
    {
        Encode(b);
        SampleAndDecode(b, seed, stream);
    }

    /// <summary>Forward after the encoder: draws z from the q(z|x) that b.Head holds, decodes it and scores it.</summary>
    public void SampleAndDecode(BatchBuffers b, ulong seed, ulong stream) => SampleAndDecode(b, seed, stream, RunningSums);

    /// <summary>
    /// The ScoreBaseline estimator's baseline: b.BaselineSumPerRow = the summed NLL of BaselineDraws draws of z per image,
    /// independent of the step's own draw. Needs Encode first; overwrites b's decoder buffers, so run it before the
    /// step's SampleAndDecode. Leaves RunningSums alone.
    /// </summary>
    public void EstimateBaseline(BatchBuffers b, ulong seed, ulong stream)
    {
        backend.Fill(b.BaselineSumPerRow, 0f);
        // Viewed as 1 x rows, "add the NLL row as a bias" is an elementwise sum.
        var sumAsRow = backend.View(b.BaselineSumPerRow, 0, 1, b.Rows);
        var nllAsRow = backend.View(b.NllPerRow, 0, 1, b.Rows);
        for (int draw = 0; draw < BaselineDraws; draw++)
        {
            SampleAndDecode(b, seed, RandomStreams.BaselineDraw(stream, draw), baselineScratchSums);
            backend.AddRowBias(sumAsRow, nllAsRow);
        }
    }

    void SampleAndDecode(BatchBuffers b, ulong seed, ulong stream, Tensor runningSums)
    {
        reparameterization.Forward(b.Head, seed, stream, b.Z, b.KlPerRow, b.LogDensityRatioPerRow);
        Decode(b, b.Z);
        float gradientScale = 1f / b.Rows;
        var sums = runningSums.FirstRows(b.Rows);
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

    /// <summary>The encoder alone, from b.X to b.Head = [mu | log sigma^2].</summary>
    public void Encode(BatchBuffers b)
    {
        Tensor input = b.X;
        for (int i = 0; i < encoder.Length; i++)
        {
            backend.LinearForward(input, encoder[i].Weights, encoder[i].Bias, b.Encoder[i], encoder[i].Layer.Relu);
            input = b.Encoder[i];
        }
    }

    /// <summary>The decoder alone, from z (rows x latent) to b.Output: logits (Bernoulli) or means (Gaussian).</summary>
    public void Decode(BatchBuffers b, Tensor z)
    {
        Tensor input = z;
        for (int i = 0; i < decoder.Length; i++)
        {
            backend.LinearForward(input, decoder[i].Weights, decoder[i].Bias, b.Decoder[i], decoder[i].Layer.Relu);
            input = b.Decoder[i];
        }
    }

    /// <summary>
    /// Gradients of the mean loss over the batch, NLL + klWeight * KL, into Gradients: path-wise for the decoder, by the
    /// chosen estimator for the encoder. Needs Forward first (and EstimateBaseline before it for ScoreBaseline).
    /// </summary>
    public void Backward(BatchBuffers b, ulong seed, ulong stream, float klWeight, GradientEstimator estimator = GradientEstimator.Pathwise)
    {
        for (int i = decoder.Length - 1; i >= 0; i--)
        {
            Tensor input = i == 0 ? b.Z : b.Decoder[i - 1];
            backend.MatMul(input, true, b.DDecoder[i], false, decoder[i].WeightGradient);
            backend.SumColumns(b.DDecoder[i], decoder[i].BiasGradient);
            backend.LinearBackwardInput(b.DDecoder[i], decoder[i].Weights, i == 0 ? b.DZ : b.DDecoder[i - 1], i == 0 ? null : b.Decoder[i - 1]);
        }
        var scalars = new EncoderEstimatorScalars
        {
            Kind = estimator, KlWeight = klWeight / b.Rows, SignalScale = 1f / b.Rows,
            BaselineScale = estimator == GradientEstimator.ScoreBaseline ? 1f / BaselineDraws : 0f,
        };
        reparameterization.Backward(b.Head, seed, stream, b.DZ, b.DHead, scalars, b.NllPerRow,
            estimator == GradientEstimator.ScoreBaseline ? b.BaselineSumPerRow : null);
        for (int i = encoder.Length - 1; i >= 0; i--)
        {
            Tensor input = i == 0 ? b.X : b.Encoder[i - 1];
            backend.MatMul(input, true, b.DEncoder[i], false, encoder[i].WeightGradient);
            backend.SumColumns(b.DEncoder[i], encoder[i].BiasGradient);
            if (i > 0) backend.LinearBackwardInput(b.DEncoder[i], encoder[i].Weights, b.DEncoder[i - 1], b.Encoder[i - 1]);
        }
    }

    /// <summary>The views one layer reads: its weights and bias and their gradients.</summary>
    sealed class LayerViews(IBackend backend, LinearLayer layer, Tensor parameters, Tensor gradients)
    {
        public LinearLayer Layer { get; } = layer;
        public Tensor Weights { get; } = backend.View(parameters, layer.WeightOffset, layer.Inputs, layer.Outputs);
        public Tensor Bias { get; } = backend.View(parameters, layer.BiasOffset, 1, layer.Outputs);
        public Tensor WeightGradient { get; } = backend.View(gradients, layer.WeightOffset, layer.Inputs, layer.Outputs);
        public Tensor BiasGradient { get; } = backend.View(gradients, layer.BiasOffset, 1, layer.Outputs);
    }
}

/// <summary>
/// Activations and their gradients for one batch size: one tensor per layer output (the encoder's last is the head
/// [mu | log sigma^2], the decoder's last the output) and one gradient beside each. The full batch allocates; a
/// shorter batch takes the first rows of the full batch's buffers, so a short last batch costs no memory.
/// </summary>
public sealed class BatchBuffers
{
    public int Rows { get; }
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

    public Tensor Head => Encoder[^1];
    public Tensor DHead => DEncoder[^1];

    /// <summary>The decoder's last layer: logits or means.</summary>
    public Tensor Output => Decoder[^1];
    public Tensor DOutput => DDecoder[^1];

    internal BatchBuffers(IBackend backend, ParameterLayout layout, int rows, BatchBuffers? full)
    {
        Rows = rows;
        Tensor Make(Func<BatchBuffers, Tensor> fromFull, int columns) =>
            full is null ? backend.Allocate(rows, columns) : fromFull(full).FirstRows(rows);
        Tensor[] MakeAll(Func<BatchBuffers, Tensor[]> fromFull, IReadOnlyList<LinearLayer> layers) =>
            layers.Select((layer, i) => Make(f => fromFull(f)[i], layer.Outputs)).ToArray();

        X = Make(f => f.X, layout.Encoder[0].Inputs);
        Encoder = MakeAll(f => f.Encoder, layout.Encoder);
        DEncoder = MakeAll(f => f.DEncoder, layout.Encoder);
        Z = Make(f => f.Z, layout.Decoder[0].Inputs);
        DZ = Make(f => f.DZ, layout.Decoder[0].Inputs);
        Decoder = MakeAll(f => f.Decoder, layout.Decoder);
        DDecoder = MakeAll(f => f.DDecoder, layout.Decoder);
        KlPerRow = Make(f => f.KlPerRow, 1);
        LogDensityRatioPerRow = Make(f => f.LogDensityRatioPerRow, 1);
        NllPerRow = Make(f => f.NllPerRow, 1);
        BaselineSumPerRow = Make(f => f.BaselineSumPerRow, 1);
    }
}
