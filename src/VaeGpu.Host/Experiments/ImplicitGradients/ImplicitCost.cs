namespace VaeGpu.Host.Experiments.ImplicitGradients;

/// <summary>The costs f whose expectation E[f(z)] the implicit testbeds differentiate (formulas: ImplicitVarianceVocabulary.Formula).</summary>
public enum ImplicitCost
{
    Z,
    Square,
    Log,
    Cos,
    Exp,
}
