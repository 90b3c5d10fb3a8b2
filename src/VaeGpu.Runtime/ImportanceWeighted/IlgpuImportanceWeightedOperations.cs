using ILGPU;
using ILGPU.Runtime;
using VaeGpu.Kernels;
using VaeGpu.Runtime.Ilgpu;

namespace VaeGpu.Runtime.ImportanceWeighted;

/// <summary>Each operation as one launch: a thread per image, per element, and per latent element of an image.</summary>
sealed class IlgpuImportanceWeightedOperations : IImportanceWeightedOperations
{
    readonly IlgpuBackend backend;
    readonly Action<Index1D, int, ArrayView<float>, ArrayView<float>> scaleRows;
    readonly Action<Index1D, int, ArrayView<float>, ArrayView<float>, ArrayView<float>, float, BoundWeighting, ArrayView<float>, ArrayView<float>, ArrayView<float>> weigh;
    readonly Action<Index1D, int, ArrayView<float>, ArrayView<float>, float, BoundWeighting, ArrayView<float>> drawWeights;
    readonly Action<Index1D, int, ArrayView<float>, ArrayView<float>, float, int, ArrayView<float>> scoreCoefficients;
    readonly Action<Index1D, ArrayView<float>, int, int, int, ulong, ulong, ArrayView<uint>, ArrayView<float>, ArrayView<float>> scoreEncoderBackward;
    readonly Action<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>> ratio;
    readonly Action<Index1D, ArrayView<float>, int, int, int, ulong, ulong, ArrayView<uint>, ArrayView<float>, ArrayView<float>, GradientEstimator, ArrayView<float>> encoderBackward;

    public IlgpuImportanceWeightedOperations(IlgpuBackend backend)
    {
        this.backend = backend;
        var accelerator = backend.Accelerator;
        weigh = accelerator.LoadAutoGroupedStreamKernel<Index1D, int, ArrayView<float>, ArrayView<float>, ArrayView<float>, float, BoundWeighting, ArrayView<float>, ArrayView<float>, ArrayView<float>>(ImportanceWeightedKernels.Weigh);
        drawWeights = accelerator.LoadAutoGroupedStreamKernel<Index1D, int, ArrayView<float>, ArrayView<float>, float, BoundWeighting, ArrayView<float>>(ImportanceWeightedKernels.DrawWeights);
        scoreCoefficients = accelerator.LoadAutoGroupedStreamKernel<Index1D, int, ArrayView<float>, ArrayView<float>, float, int, ArrayView<float>>(ImportanceWeightedKernels.ScoreCoefficients);
        scoreEncoderBackward = accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, int, int, int, ulong, ulong, ArrayView<uint>, ArrayView<float>, ArrayView<float>>(ImportanceWeightedKernels.ScoreEncoderBackward);
        ratio = accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>>(ImportanceWeightedKernels.Ratio);
        scaleRows = backend.Accelerator.LoadAutoGroupedStreamKernel<Index1D, int, ArrayView<float>, ArrayView<float>>(ImportanceWeightedKernels.ScaleRows);
        encoderBackward = backend.Accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, int, int, int, ulong, ulong, ArrayView<uint>, ArrayView<float>, ArrayView<float>, GradientEstimator, ArrayView<float>>(ImportanceWeightedKernels.EncoderBackward);
    }

    public void Weigh(Tensor nllPerRow, Tensor logDensityRatioPerRow, Tensor klPerRow, float gradientScale, BoundWeighting weighting, Tensor rowScale, Tensor boundPerImage, Tensor runningSums)
    {
        int samples = ImportanceWeightedShapes.Weigh(nllPerRow, logDensityRatioPerRow, klPerRow, rowScale, boundPerImage, runningSums);
        ImportanceWeightedShapes.DrawWeights(nllPerRow, logDensityRatioPerRow, rowScale, samples, weighting);
        weigh(boundPerImage.Rows, samples, backend.ViewOf(nllPerRow), backend.ViewOf(logDensityRatioPerRow), backend.ViewOf(klPerRow), gradientScale, weighting,
            backend.ViewOf(rowScale), backend.ViewOf(boundPerImage), backend.ViewOf(runningSums));
        backend.RecordLaunch();
    }

    public void DrawWeights(Tensor nllPerRow, Tensor logDensityRatioPerRow, int samplesPerImage, float gradientScale, BoundWeighting weighting, Tensor rowScale)
    {
        int images = ImportanceWeightedShapes.DrawWeights(nllPerRow, logDensityRatioPerRow, rowScale, samplesPerImage, weighting);
        drawWeights(images, samplesPerImage, backend.ViewOf(nllPerRow), backend.ViewOf(logDensityRatioPerRow), gradientScale, weighting, backend.ViewOf(rowScale));
        backend.RecordLaunch();
    }

    public void ScoreCoefficients(Tensor nllPerRow, Tensor logDensityRatioPerRow, int samplesPerImage, float gradientScale, bool leaveOneOut, Tensor coefficients)
    {
        int images = ImportanceWeightedShapes.PerDraw(nllPerRow, logDensityRatioPerRow, coefficients, samplesPerImage);
        if (leaveOneOut && samplesPerImage < 2) throw new ArgumentException("leave-one-out baselines need at least 2 draws per image.", nameof(samplesPerImage));
        scoreCoefficients(images, samplesPerImage, backend.ViewOf(nllPerRow), backend.ViewOf(logDensityRatioPerRow), gradientScale, leaveOneOut ? 1 : 0, backend.ViewOf(coefficients));
        backend.RecordLaunch();
    }

    public void ScoreEncoderBackward(Tensor head, ulong seed, ulong stream, Tensor coefficients, Tensor dHead, Sampler sampler = Sampler.Mc)
    {
        var (latent, samples) = ImportanceWeightedShapes.ScoreEncoderBackward(head, coefficients, dHead, sampler);
        scoreEncoderBackward(head.Rows * latent, backend.ViewOf(head), latent, samples, (int)sampler, seed, stream, backend.SobolDirections, backend.ViewOf(coefficients), backend.ViewOf(dHead));
        backend.RecordLaunch();
    }

    public void Ratio(Tensor numerator, Tensor denominator, Tensor result)
    {
        ShapeCheck.SameShape(numerator, denominator, nameof(denominator));
        ShapeCheck.SameShape(numerator, result, nameof(result));
        ratio(result.Length, backend.ViewOf(numerator), backend.ViewOf(denominator), backend.ViewOf(result));
        backend.RecordLaunch();
    }

    public void ScaleRows(Tensor values, Tensor rowScale)
    {
        ImportanceWeightedShapes.ScaleRows(values, rowScale);
        scaleRows(values.Length, values.Columns, backend.ViewOf(rowScale), backend.ViewOf(values));
        backend.RecordLaunch();
    }

    public void EncoderBackward(Tensor head, ulong seed, ulong stream, Tensor dz, Tensor rowScale, GradientEstimator estimator, Tensor dHead, Sampler sampler = Sampler.Mc)
    {
        var (latent, samples) = ImportanceWeightedShapes.EncoderBackward(head, dz, rowScale, estimator, dHead, sampler);
        encoderBackward(head.Rows * latent, backend.ViewOf(head), latent, samples, (int)sampler, seed, stream, backend.SobolDirections, backend.ViewOf(dz), backend.ViewOf(rowScale), estimator, backend.ViewOf(dHead));
        backend.RecordLaunch();
    }
}
