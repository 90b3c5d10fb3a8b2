namespace VaeGpu.Kernels;

/// <summary>How the standard normals of an estimate are drawn (kernels receive the value as an int).</summary>
public enum Sampler
{
    /// <summary>Independent draws (Philox, Box-Muller): plain Monte Carlo.</summary>
    Mc,

    /// <summary>Pairs eps, -eps from one Philox draw; the pair's mean is the unit of the estimate.</summary>
    Antithetic,

    /// <summary>Point i of M in a replicate lies in stratum (i, i + 1) / M of the uniform (one jittered draw per stratum).</summary>
    Stratified,

    /// <summary>Randomised quasi-Monte Carlo: the base-2 van der Corput (1-D Sobol) points, Owen-scrambled per replicate.</summary>
    Rqmc,
}
