using VaeGpu.Host.Diagnostics;
using System.Text.Json;
using VaeGpu.Cli.Check;
using VaeGpu.Runtime.Ilgpu;

namespace VaeGpu.Tests.Check;

/// <summary>`vaegpu check`: the comparison can fail, and the program passes on the CPU accelerator and on PoCL.</summary>
public class CheckCommandTests
{
    static readonly CheckCase Case = new("family", "case", AbsoluteTolerance: 1e-3, RelativeTolerance: 1e-2, _ => []);

    [Test]
    public void TheComparisonFailsBeyondTheToleranceAndOnNaN()
    {
        float[] host = [1f, -200f, 0f];
        Assert.That(CheckResult.Compare(Case, [1.0005f, -201.5f, 0.0009f], host).Passed, Is.True);
        Assert.That(CheckResult.Compare(Case, [1.02f, -200f, 0f], host).Passed, Is.False, "1e-3 + 1e-2 * 1 exceeded");
        Assert.That(CheckResult.Compare(Case, [1f, -200f, float.NaN], host).Passed, Is.False);
        Assert.That(CheckResult.Compare(Case, [1f, -200f], host), Has.Property("Passed").False.And.Property("Problem").Not.Null);
        var exact = Case with { AbsoluteTolerance = 0, RelativeTolerance = 0 };
        Assert.That(CheckResult.Compare(exact, [1f, -200f, 0f], host).Passed, Is.True);
        Assert.That(CheckResult.Compare(exact, [BitConverter.Int32BitsToSingle(BitConverter.SingleToInt32Bits(1f) + 1), -200f, 0f], host).Passed, Is.False);
    }

    [Test]
    public void EveryCheckPassesOnTheCpuAcceleratorAndTheJsonSaysSo()
    {
        var (exitCode, output, error) = VaegpuProcess.Run("check", "--device", "cpu", "--steps", "2", "--json");

        Assert.That(exitCode, Is.Zero, output + error);
        using var report = JsonDocument.Parse(output);
        Assert.That(report.RootElement.GetProperty("passed").GetBoolean(), Is.True);
        Assert.That(report.RootElement.GetProperty("failed").GetInt32(), Is.Zero);
        var families = report.RootElement.GetProperty("results").EnumerateArray().Select(result => result.GetProperty("family").GetString()).Distinct();
        Assert.That(families, Is.SupersetOf(new[]
        {
            "matmul", "gather", "elementwise", "reduction", "random", "reparameterization", "likelihood", "optimizer",
            "monte carlo", "elbo gap", "kl fit", "gaussian mixture", "gradient estimators", "training step",
        }));
    }

    [Test]
    public void EveryCheckPassesOnPoclWithTheOptIn()
    {
        if (!Backends.All.Contains("opencl")) Assert.Ignore("no OpenCL device here (test.sh installs Debian's PoCL)");
        var (exitCode, output, error) = VaegpuProcess.RunWith(new Dictionary<string, string> { [OpenClGenericOverride.Variable] = "1" },
            "check", "--device", "opencl:0");

        Assert.That(exitCode, Is.Zero, output + error);
        Assert.That(output, Does.Not.Contain("FAIL").And.Contain("checks passed on opencl:0"));
    }

    [Test]
    public void AnAbsentDeviceIsOneLineAndExitCode2() =>
        Assert.That(VaegpuProcess.RunExpectingUserError("check", "--device", "cuda:3"), Does.Contain("no device cuda:3"));
}
