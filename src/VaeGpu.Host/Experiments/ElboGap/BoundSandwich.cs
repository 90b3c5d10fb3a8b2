namespace VaeGpu.Host.Experiments.ElboGap;

/// <summary>
/// The bounds of one q, from the same groups of K draws, ordered by alpha from the ELBO (alpha = 1) down to CUBO_2
/// (alpha = -1) and any lower alpha, against the exact log p(x): ELBO &lt;= IWAE_K &lt;= log p(x) &lt;= CUBO_2 in
/// expectation as K grows, with every L_alpha in between in alpha's order.
/// </summary>
public sealed record BoundSandwich(string Name, double LogMarginal, IReadOnlyList<BoundEstimate> Bounds)
{
    /// <summary>How many standard errors a comparison allows before it calls a bound violated.</summary>
    public const double Tolerance = 3;

    public BoundEstimate Elbo => Bound(RenyiBound.Elbo);
    public BoundEstimate Iwae => Bound(RenyiBound.Iwae);
    public BoundEstimate Cubo2 => Bound(RenyiBound.Cubo2);

    public BoundEstimate Bound(double alpha) => Bounds.Single(b => b.Alpha == alpha);

    /// <summary>Tolerance standard errors plus the float rounding of the terms (all the error there is where q = p(z|x)).</summary>
    double Allowance(BoundEstimate bound) => Tolerance * bound.StandardError + ElboEstimate.FloatRounding * Math.Abs(LogMarginal);

    /// <summary>ELBO &lt;= IWAE_K &lt;= log p(x): a lower bound for every K, so only sampling error can break it.</summary>
    public bool LowerHalfHolds => Elbo.Value <= Iwae.Value + Allowance(Iwae) && Iwae.Value <= LogMarginal + Allowance(Iwae);

    /// <summary>log p(x) &lt;= CUBO_2,K: an upper bound only as K grows; a finite K's estimate is biased low.</summary>
    public bool UpperHalfHolds => LogMarginal <= Cubo2.Value + Allowance(Cubo2);

    public bool Holds => LowerHalfHolds && UpperHalfHolds;

    /// <summary>Whether every bound is at most the one of the next lower alpha (a power mean inequality in each group, so exact up to rounding).</summary>
    public bool MonotoneInAlpha => Bounds.Zip(Bounds.Skip(1)).All(pair => pair.First.Value <= pair.Second.Value + 1e-12 * (1 + Math.Abs(LogMarginal)));

    /// <summary>(CUBO_2,K - log p(x)) in its standard errors: negative where the finite-K bias shows.</summary>
    public double CuboMarginInStandardErrors => (Cubo2.Value - LogMarginal) / Cubo2.StandardError;
}
