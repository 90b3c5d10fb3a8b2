namespace VaeGpu.Kernels;

/// <summary>
/// Which multi-draw bound an image's K draws are weighted for: the mean over Groups groups of K / Groups draws of
/// the Rényi bound L_alpha = 1/(1 - alpha) log (1/K_g) sum w_k^(1 - alpha) (alpha = 0: the importance-weighted bound),
/// mixed with the sampled ELBO mean(log w) at weight ElboWeight:
/// bound = ElboWeight mean_k log w_k + (1 - ElboWeight) mean_groups L_alpha(group).
/// IWAE (Burda et al. 2016) is (1, 0, 0); MIWAE (Rainforth et al. 2018) is (M, 0, 0); CIWAE is (1, beta, 0); the Rényi
/// bound (Li and Turner 2016) is (1, 0, alpha). A draw's gradient weight is d bound / d log w_k:
/// ElboWeight / K + (1 - ElboWeight) / Groups w_k^(1 - alpha) / sum_(j in its group) w_j^(1 - alpha).
/// </summary>
public struct BoundWeighting
{
    public int Groups;
    public float ElboWeight;
    public float Alpha;

    public static BoundWeighting Iwae => new() { Groups = 1 };
}
