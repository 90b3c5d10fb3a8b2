namespace VaeGpu.Host.Experiments.ImplicitGradients;

/// <summary>
/// A testbed's distribution in its working variable u, where draws, quadrature and gradients meet: Gamma in u = log z
/// (tiny shapes put draws far below double's range, not their logarithms), Beta in u = logit z (both ends stay
/// resolved), von Mises in u = z. The Jacobian dz/du does not depend on the parameters, so the score of z's density is
/// the score of u's, and du/dtheta = -(dF(u)/dtheta) / p(u) turns into dz/dtheta = dz/du du/dtheta. In double.
/// </summary>
public abstract class ImplicitDensity
{
    /// <summary>The parameters, in the order of every table and file.</summary>
    public abstract IReadOnlyList<ImplicitParameter> Parameters { get; }

    /// <summary>Where the density of u peaks: the quadrature walks outwards from here.</summary>
    public abstract double Mode { get; }

    /// <summary>The interval u lives on.</summary>
    public virtual (double Low, double High) Support => (double.NegativeInfinity, double.PositiveInfinity);

    /// <summary>log p(u) less its value at the mode (0 there, negative elsewhere).</summary>
    public abstract double LogDensity(double u);

    /// <summary>
    /// The length over which log p(u) changes by about one (from its slope and curvature): the quadrature's panels are
    /// half of it, at most MaxPanelWidth.
    /// </summary>
    public abstract double Scale(double u);

    /// <summary>The widest panel at u, where features that the density's scale does not show (softplus's bend near 0) need it.</summary>
    public virtual double MaxPanelWidth(double u) => double.PositiveInfinity;

    /// <summary>d/dtheta log p(u).</summary>
    public abstract double Score(ImplicitParameter parameter, double u);

    /// <summary>The draw z at u.</summary>
    public abstract double Z(double u);

    /// <summary>log z at u (Gamma and Beta, whose draws are positive).</summary>
    public abstract double LogZ(double u);

    /// <summary>dz/du.</summary>
    public abstract double ZSlope(double u);

    /// <summary>d log z / du.</summary>
    public abstract double LogZSlope(double u);
}
