namespace VaeGpu.References;

/// <summary>
/// A forward-mode dual number v + d e with e^2 = 0. Carried through a formula from a variable seeded with d = 1, d comes
/// out as the formula's derivative in that variable, exact to rounding: a reference that differentiates this way states
/// only the function, not a gradient derived by hand as its kernel's is.
/// </summary>
readonly record struct Dual(double Value, double Derivative)
{
    public static Dual Variable(double value) => new(value, 1);

    public static implicit operator Dual(double constant) => new(constant, 0);

    public static Dual operator +(Dual a, Dual b) => new(a.Value + b.Value, a.Derivative + b.Derivative);

    public static Dual operator -(Dual a, Dual b) => new(a.Value - b.Value, a.Derivative - b.Derivative);

    public static Dual operator *(Dual a, Dual b) => new(a.Value * b.Value, a.Derivative * b.Value + a.Value * b.Derivative);

    public static Dual operator /(Dual a, Dual b) => new(a.Value / b.Value, (a.Derivative * b.Value - a.Value * b.Derivative) / (b.Value * b.Value));

    public static Dual Exp(Dual a)
    {
        double value = Math.Exp(a.Value);
        return new(value, value * a.Derivative);
    }
}
