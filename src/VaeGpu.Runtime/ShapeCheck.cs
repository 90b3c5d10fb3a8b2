using VaeGpu.Kernels;

namespace VaeGpu.Runtime;

/// <summary>Argument checks shared by both backends, so a shape bug fails the same way on each.</summary>
static class ShapeCheck
{
    public static void SameShape(Tensor expected, Tensor actual, string name)
    {
        if (expected.Rows != actual.Rows || expected.Columns != actual.Columns)
            throw new ArgumentException($"{name} is {actual.Rows}x{actual.Columns}, expected {expected.Rows}x{expected.Columns}.", name);
    }

    public static void Shape(Tensor tensor, int rows, int columns, string name)
    {
        if (tensor.Rows != rows || tensor.Columns != columns)
            throw new ArgumentException($"{name} is {tensor.Rows}x{tensor.Columns}, expected {rows}x{columns}.", name);
    }

    public static void Length(Tensor tensor, int length, string name)
    {
        if (tensor.Length != length)
            throw new ArgumentException($"{name} has {tensor.Length} elements where {length} were expected.", name);
    }

    public static void View(Tensor parent, int offset, int rows, int columns)
    {
        if (rows <= 0 || columns <= 0 || offset < 0 || (long)offset + (long)rows * columns > parent.Length)
            throw new ArgumentOutOfRangeException(nameof(offset), $"a {rows}x{columns} view at {offset} does not fit in {parent}.");
    }

    /// <summary>Returns (M, N, K) of c = op(a) op(b) after checking that the three shapes agree.</summary>
    public static (int M, int N, int K) MatMul(Tensor a, bool transposeA, Tensor b, bool transposeB, Tensor c)
    {
        int m = transposeA ? a.Columns : a.Rows, k = transposeA ? a.Rows : a.Columns;
        int kb = transposeB ? b.Columns : b.Rows, n = transposeB ? b.Rows : b.Columns;
        if (k != kb || c.Rows != m || c.Columns != n)
            throw new ArgumentException(
                $"cannot multiply op(a) {m}x{k} by op(b) {kb}x{n} into c {c.Rows}x{c.Columns}.");
        return (m, n, k);
    }

    /// <summary>x is rows x inputs, dy rows x outputs, the gradients (inputs + 1) x outputs; returns the product's (m, n, k) without the ones row.</summary>
    public static (int M, int N, int K) LinearBackwardWeights(Tensor x, Tensor dy, Tensor weightAndBiasGradients)
    {
        if (x.Rows != dy.Rows || weightAndBiasGradients.Rows != x.Columns + 1 || weightAndBiasGradients.Columns != dy.Columns)
            throw new ArgumentException(
                $"cannot take the weight and bias gradients of x {x.Rows}x{x.Columns} and dy {dy.Rows}x{dy.Columns} into {weightAndBiasGradients.Rows}x{weightAndBiasGradients.Columns}.");
        return (x.Columns, dy.Columns, x.Rows);
    }

    /// <summary>The activated layer's output an input gradient reads: needed unless the activation is None, and dx's shape.</summary>
    public static void ActivationOutput(Tensor dx, Activation activation, Tensor? activationOutput)
    {
        if (activation == Activation.None) return;
        if (activationOutput is null)
            throw new ArgumentNullException(nameof(activationOutput), $"the {activation} activation's gradient is read from the layer's output.");
        SameShape(dx, activationOutput, nameof(activationOutput));
    }

    public static void Gather(Tensor source, IndexBuffer indices, int first, Tensor destination)
    {
        if (source.Columns != destination.Columns || first < 0 || first + destination.Rows > indices.Length)
            throw new ArgumentException($"cannot gather {destination.Rows} rows from index {first} of {indices.Length} out of {source} into {destination}.");
    }
}
