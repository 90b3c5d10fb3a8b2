using System.Text.Json;

namespace VaeGpu.Tests.Bench;

/// <summary>`vaegpu bench`: every field on the host path (with a real epoch) and on the CPU accelerator, and its errors.</summary>
public class BenchCommandTests
{
    static readonly string[] OperationNames =
    [
        "gather 128 rows", "encoder 784->400 + bias + relu", "bernoulli likelihood + gradient", "reparameterisation backward",
        "dW+db encoder 785x400x128 (A^T)", "adam over all parameters",
    ];

    static JsonElement Bench(params string[] arguments)
    {
        var (exitCode, output, error) = VaegpuProcess.Run(["bench", "--json", .. arguments]);
        Assert.That(exitCode, Is.Zero, error);
        return JsonDocument.Parse(output).RootElement.Clone();
    }

    [Test]
    public void OnTheHostPathItTimesEveryOperationAStepAnEpochAndTheLab()
    {
        var report = Bench("--device", "host", "--repeats", "2", "--epochs", "2");

        Assert.That(report.GetProperty("timing").GetString(), Does.Contain("Synchronize"));
        var operations = report.GetProperty("operations").EnumerateArray().ToList();
        Assert.That(operations, Has.Count.EqualTo(16), "every call of a canonical step");
        Assert.That(operations.Select(o => o.GetProperty("name").GetString()), Is.SupersetOf(OperationNames));
        Assert.That(operations.All(o => o.GetProperty("median_us").GetDouble() > 0));
        Assert.That(report.GetProperty("step").GetProperty("wall_us").GetDouble(), Is.GreaterThan(0));
        var epoch = report.GetProperty("epoch");
        Assert.That(epoch.GetProperty("measured").GetBoolean(), Is.True);
        Assert.That(epoch.GetProperty("test_elbo").GetDouble(), Is.InRange(200, 400), "one epoch of the canonical VAE on Fashion-MNIST");
        var lab = report.GetProperty("estimator_lab").GetProperty("samples_per_second");
        Assert.That(lab.EnumerateObject().Select(p => p.Name), Is.EquivalentTo(new[] { "score", "score_baseline", "pathwise" }));

        // Issue 14's figures: each operation in the step with its share, products beside raw sgemm, epochs against probes.
        Assert.That(operations.Sum(o => o.GetProperty("share").GetDouble()), Is.EqualTo(1).Within(1e-9));
        Assert.That(operations.All(o => o.GetProperty("in_step_us").GetDouble() > 0));
        string[] productPrefixes = ["encoder ", "head ", "decoder ", "output ", "dW+db ", "dX ", "dz "];
        var products = operations.Where(o => productPrefixes.Any(o.GetProperty("name").GetString()!.StartsWith)).ToList();
        Assert.That(products, Has.Count.EqualTo(11), "4 forward products, 4 weight-and-bias gradients, 3 input gradients");
        if (report.GetProperty("device").GetString()!.Contains("OpenBLAS"))
        {
            Assert.That(products.All(o => o.GetProperty("sgemm_gflops").GetDouble() > 0));
            Assert.That(report.GetProperty("step").GetProperty("products_at_sgemm_us").GetDouble(), Is.GreaterThan(0));
            // A share, not a speed target: on a shared machine the sgemm probe itself can be slowed, so only its sign is checked.
            Assert.That(epoch.GetProperty("rounds").EnumerateArray().Select(r => r.GetProperty("share_of_sgemm").GetDouble()),
                Has.All.Matches<double>(share => share > 0 && double.IsFinite(share)));
        }
        Assert.That(epoch.GetProperty("rounds").GetArrayLength(), Is.EqualTo(2));
        Assert.That(epoch.GetProperty("gigaflop").GetDouble(), Is.EqualTo(197.0).Within(0.1), "the epoch's products, their bias rows included");
        Assert.That(report.GetProperty("peak_resident_bytes").GetInt64(), Is.GreaterThan(1L << 20));
        Assert.That(report.GetProperty("threads").GetInt32(), Is.EqualTo(Environment.ProcessorCount));
        var samplers = report.GetProperty("samplers").GetProperty("normals_per_second");
        Assert.That(samplers.EnumerateObject().Select(p => p.Name), Is.EquivalentTo(new[] { "mc", "antithetic", "stratified", "rqmc" }));
    }

    [Test]
    public void OnTheCpuAcceleratorItCountsLaunchesAndReadBacksAndEstimatesTheEpoch()
    {
        var report = Bench("--device", "cpu", "--repeats", "1");

        var step = report.GetProperty("step");
        Assert.That(step.GetProperty("launches").GetInt64(), Is.EqualTo(16));
        Assert.That(step.GetProperty("bytes_read_back").GetInt64(), Is.Zero);
        var operations = report.GetProperty("operations").EnumerateArray().ToList();
        Assert.That(operations.Sum(o => o.GetProperty("launches").GetInt64()), Is.EqualTo(16));
        Assert.That(operations.Sum(o => o.GetProperty("launch_log").GetArrayLength()), Is.EqualTo(16), "every launch logged");
        Assert.That(operations.Single(o => o.GetProperty("name").GetString()!.StartsWith("bernoulli")).GetProperty("launch_log")[0].GetProperty("groups").GetInt64(),
            Is.EqualTo(128), "the likelihood: a group per row");
        // The modelled H100 step is a model, labelled so; bounded here only for being a sum of 16 launches' models.
        Assert.That(report.GetProperty("model_h100_step_us").GetDouble(), Is.GreaterThan(16 * 2).And.LessThan(1e4));
        Assert.That(report.GetProperty("model_h100_note").GetString(), Does.Contain("MODEL"));
        Assert.That(report.GetProperty("gemm").GetString(), Does.StartWith("ilgpu: not a CUDA device"));
        var epoch = report.GetProperty("epoch");
        Assert.That(epoch.GetProperty("measured").GetBoolean(), Is.False);
        Assert.That(epoch.GetProperty("note").GetString(), Does.Contain("estimate"));
    }

    [Test]
    public void AMissingDataSetOrDeviceIsOneLineAndExitCode2()
    {
        Assert.That(VaegpuProcess.RunExpectingUserError("bench", "--device", "cuda:5", "--no-epoch"), Does.Contain("no device cuda:5"));
        Assert.That(VaegpuProcess.RunExpectingUserError("bench", "--device", "host", "--gemm", "cublas"), Does.Contain("--gemm cublas needs a CUDA device"));
        Assert.That(VaegpuProcess.RunExpectingUserError("bench", "--device", "host", "--repeats", "0"), Does.Contain("--repeats 0"));
    }

    /// <summary>A GPU machine may have no data set: bench then measures everything else and says the epochs were skipped.</summary>
    [Test]
    public void AMissingDataSetSkipsTheEpochsAlone()
    {
        var (exitCode, output, error) = VaegpuProcess.Run(["bench", "--json", "--device", "host", "--repeats", "1", "--data", "/nonexistent/fashion"]);

        Assert.That(exitCode, Is.Zero, error);
        Assert.That(error, Does.Contain("epochs skipped, no data set").And.Contain("/nonexistent/fashion"));
        var report = JsonDocument.Parse(output).RootElement;
        Assert.That(report.GetProperty("epoch").GetProperty("measured").GetBoolean(), Is.False);
        Assert.That(report.GetProperty("epoch").GetProperty("note").GetString(), Does.Contain("no data set"));
        Assert.That(report.GetProperty("operations").GetArrayLength(), Is.EqualTo(16));
    }
}
