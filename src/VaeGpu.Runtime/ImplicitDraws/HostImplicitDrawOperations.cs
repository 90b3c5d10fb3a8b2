using VaeGpu.Kernels;
using VaeGpu.Runtime.HostPath;

namespace VaeGpu.Runtime.ImplicitDraws;

/// <summary>The kernels' own bodies (GammaMath, DirichletMath, VonMisesMath) over slices of the draws across the backend's team.</summary>
sealed class HostImplicitDrawOperations(HostBackend backend) : IImplicitDrawOperations
{
    const int DrawsPerSlice = 1 << 10;

    public void Gamma(Tensor alpha, ulong seed, ulong stream, long first, Tensor logZ, Tensor logDerivative)
    {
        ImplicitDrawOperations.Check(alpha, first, logZ, logDerivative);
        ForSlices(alpha.Length, (start, end) =>
        {
            Span<float> shapes = backend.Span(alpha), draws = backend.Span(logZ), derivatives = backend.Span(logDerivative);
            for (int e = start; e < end; e++)
            {
                draws[e] = GammaMath.SampleLog(shapes[e], seed, stream, first + e);
                derivatives[e] = GammaMath.LogDerivative(shapes[e], draws[e]);
            }
        });
    }

    public void Dirichlet(Tensor alpha, ulong seed, ulong stream, long firstRow, Tensor logZ, Tensor logGammaDerivative)
    {
        ImplicitDrawOperations.Check(alpha, firstRow * alpha.Columns, logZ, logGammaDerivative);
        int coordinates = alpha.Columns;
        ForSlices(alpha.Rows, (start, end) =>
        {
            Span<float> shapes = backend.Span(alpha), draws = backend.Span(logZ), derivatives = backend.Span(logGammaDerivative);
            for (int row = start; row < end; row++)
            {
                int offset = row * coordinates;
                float largest = float.NegativeInfinity;
                for (int j = 0; j < coordinates; j++)
                {
                    float logGamma = GammaMath.SampleLog(shapes[offset + j], seed, stream, DirichletMath.GammaElement(firstRow + row, coordinates, j));
                    draws[offset + j] = logGamma;
                    derivatives[offset + j] = GammaMath.LogDerivative(shapes[offset + j], logGamma);
                    largest = MathF.Max(largest, logGamma);
                }
                float scaledSum = 0f;
                for (int j = 0; j < coordinates; j++) scaledSum += MathF.Exp(draws[offset + j] - largest);
                for (int j = 0; j < coordinates; j++) draws[offset + j] = DirichletMath.LogCoordinate(draws[offset + j], largest, scaledSum);
            }
        });
    }

    public void VonMises(Tensor kappa, ulong seed, ulong stream, long first, Tensor theta, Tensor derivative)
    {
        ImplicitDrawOperations.Check(kappa, first, theta, derivative);
        ForSlices(kappa.Length, (start, end) =>
        {
            Span<float> concentrations = backend.Span(kappa), draws = backend.Span(theta), derivatives = backend.Span(derivative);
            for (int e = start; e < end; e++)
            {
                draws[e] = VonMisesMath.Sample(concentrations[e], seed, stream, first + e);
                derivatives[e] = VonMisesMath.Derivative(concentrations[e], draws[e]);
            }
        });
    }

    void ForSlices(int count, Action<int, int> body) =>
        backend.Team.For((count + DrawsPerSlice - 1) / DrawsPerSlice, slice => body(slice * DrawsPerSlice, Math.Min(count, (slice + 1) * DrawsPerSlice)));
}
