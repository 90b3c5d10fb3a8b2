namespace VaeGpu.Host.Diagnostics;

/// <summary>
/// One operation at one shape: Run computes it on a backend from inputs it makes itself (the same on every backend)
/// and returns what it wrote. A device passes when every element d of its result is within
/// AbsoluteTolerance + RelativeTolerance |h| of the host path's h; both zero means bit-identical.
/// </summary>
public sealed record CheckCase(string Family, string Name, double AbsoluteTolerance, double RelativeTolerance, Func<CheckOperations, float[]> Run);

/// <summary>A case's outcome: the largest absolute and relative error against the host path, and whether it passed.</summary>
public sealed record CheckResult(string Family, string Name, double MaxAbsoluteError, double MaxRelativeError,
    double AbsoluteTolerance, double RelativeTolerance, bool Passed, string? Problem = null)
{
    /// <summary>Compares the device's values with the host path's; NaN or a length mismatch fails.</summary>
    public static CheckResult Compare(CheckCase check, float[] device, float[] host)
    {
        if (device.Length != host.Length)
            return new(check.Family, check.Name, double.NaN, double.NaN, check.AbsoluteTolerance, check.RelativeTolerance, false,
                $"{device.Length} values where the host has {host.Length}");
        double maxAbsolute = 0, maxRelative = 0;
        bool passed = true;
        for (int i = 0; i < host.Length; i++)
        {
            double error = Math.Abs((double)device[i] - host[i]);
            if (!double.IsFinite(error)) error = device[i].Equals(host[i]) ? 0 : double.PositiveInfinity;
            maxAbsolute = Math.Max(maxAbsolute, error);
            if (host[i] != 0) maxRelative = Math.Max(maxRelative, error / Math.Abs(host[i]));
            if (error > check.AbsoluteTolerance + check.RelativeTolerance * Math.Abs(host[i])) passed = false;
        }
        return new(check.Family, check.Name, maxAbsolute, maxRelative, check.AbsoluteTolerance, check.RelativeTolerance, passed);
    }
}
