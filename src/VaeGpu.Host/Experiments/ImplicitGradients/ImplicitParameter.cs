namespace VaeGpu.Host.Experiments.ImplicitGradients;

/// <summary>The parameters the implicit testbeds differentiate with respect to: Gamma's shape and rate, Beta's two concentrations, von Mises' kappa.</summary>
public enum ImplicitParameter
{
    Alpha,
    Beta,
    Kappa,
}
