namespace VaeGpu.Kernels;

/// <summary>
/// The nonlinearity of a VAE's hidden layers, applied in the forward product's epilogue; its gradient is taken from
/// the layer's stored output, so the pre-activation values are never kept.
/// </summary>
public enum Activation
{
    /// <summary>y = x: the head and output layers.</summary>
    None,
    /// <summary>y = max(x, 0); dy/dx = 1 where y > 0, else 0.</summary>
    Relu,
    /// <summary>y = tanh(x); dy/dx = 1 - y^2 (Burda et al.'s IWAE architecture).</summary>
    Tanh,
}
