using VaeGpu.Kernels;
using VaeGpu.Runtime.Devices;
namespace VaeGpu.Runtime.Experiments.KlFit;

/// <summary>Picks the KL-fit operations for a backend. The ILGPU implementation compiles its kernels when created: create it once per backend.</summary>
public static class KlFitOperations
{
    public static IKlFitOperations For(IBackend backend) =>
        FamilyImplementation.For<IKlFitOperations>(backend, host => new HostKlFitOperations(host), ilgpu => new IlgpuKlFitOperations(ilgpu), "KL-fit");

    /// <summary>The row count of a terms tensor (2: mu and r) and the parameters' length (mu, r).</summary>
    internal static int CheckShapes(Tensor parameters, Tensor terms)
    {
        ShapeCheck.Length(parameters, 2, nameof(parameters));
        if (terms.Rows != 2) throw new ArgumentException($"terms is {terms.Rows}x{terms.Columns}, expected 2 rows (d/dmu, d/dr).", nameof(terms));
        return terms.Columns;
    }

    /// <summary>A Rényi group holds at least one draw (with one, every alpha gives the reverse-KL gradient).</summary>
    internal static void CheckGroupSize(int k)
    {
        if (k < 1) throw new ArgumentOutOfRangeException(nameof(k), k, "a group needs at least one draw.");
    }

    /// <summary>The draw count (rows) of a mixture q's draws or terms tensor of <paramref name="columns"/> columns, the parameters being q's five.</summary>
    internal static int CheckMixtureQShapes(Tensor parameters, Tensor output, int columns, string outputName)
    {
        ShapeCheck.Length(parameters, MixtureQParameters.Count, nameof(parameters));
        if (output.Columns != columns) throw new ArgumentException($"{outputName} is {output.Rows}x{output.Columns}, expected {columns} columns.", outputName);
        return output.Rows;
    }
}
