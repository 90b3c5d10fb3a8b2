namespace VaeGpu.Host.Experiments.ElboGap;

/// <summary>
/// One Rényi bound of q by Monte Carlo: the mean over <paramref name="Groups"/> groups of K draws of the group's
/// L_alpha,K (RenyiBound.OfGroup), its standard error from the spread of the group values, and the bound's limit as K
/// grows, log p(x) - D_alpha(q || p(z|x)) in closed form (positive infinity where E_q[w^(1 - alpha)] diverges). For
/// alpha &lt; 1 the estimate of a finite K is biased low against that limit (Jensen: log of a mean is concave), which
/// is why CUBO_2's estimate can fall below log p(x) although the bound itself never does.
/// </summary>
public sealed record BoundEstimate(double Alpha, int K, long Groups, double Value, double StandardError, double Limit)
{
    public string Name => RenyiBound.Name(Alpha, K);
}
