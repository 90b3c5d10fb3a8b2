using VaeGpu.Host.Files;
using VaeGpu.Runtime;
using VaeGpu.Tests.Data;
using VaeGpu.Tests.Model;

namespace VaeGpu.Tests.Commands;

/// <summary>
/// `eval --shard` on job arrays: deploy/slurm-array.sh run as Slurm would run its tasks, and a Kubernetes Indexed
/// Job's index, give shards whose `vaegpu merge` prints exactly the unsharded eval's line; bad arrays and bad merges
/// are one-line errors.
/// </summary>
public class EvalShardTests
{
    static string[] EvalArguments(string data) => ["--data", data, "--batch", "8", "--device", "host"];

    static (int ExitCode, string Output, string Error) Script(string script, string[] arguments, Dictionary<string, string> environment) =>
        VaegpuProcess.RunProgram("bash", [script, .. arguments], environment);

    /// <summary>--k is draws per image in every command: eval takes it as its --iw, with the same numbers and no warning.</summary>
    [Test]
    public void KIsTheSameAsIw()
    {
        using var folder = new TemporaryFolder();
        string data = IdxWriter.WriteDataSet(folder.File("data"), 16, 40, 8, 8);
        string model = TestModels.Save(folder.File("model.safetensors"), [16]);
        var iw = VaegpuProcess.Run(["eval", "--model", model, "--iw", "7", .. EvalArguments(data)]);
        Assert.That(iw.ExitCode, Is.Zero, iw.Error);
        var k = VaegpuProcess.Run(["eval", "--model", model, "--k", "7", .. EvalArguments(data)]);
        Assert.That(k.ExitCode, Is.Zero, k.Error);
        Assert.That(k.Output, Is.EqualTo(iw.Output).And.Contain("K = 7"));
        Assert.That(k.Error, Does.Not.Contain("warning"));
    }

    [Test]
    public void ASlurmArrayAndAnIndexedJobMergeToTheUnshardedResult()
    {
        using var folder = new TemporaryFolder();
        string data = IdxWriter.WriteDataSet(folder.File("data"), 16, 40, 8, 8);
        string model = TestModels.Save(folder.File("model.safetensors"), [16]);
        var (exitCode, whole, error) = VaegpuProcess.Run(["eval", "--model", model, "--iw", "20", .. EvalArguments(data)]);
        Assert.That(exitCode, Is.Zero, error);

        // The Slurm array as `sbatch --array=1-3` numbers it: SLURM_ARRAY_TASK_MIN is 1.
        string slurm = folder.File("slurm");
        for (int task = 1; task <= 3; task++)
        {
            (exitCode, _, error) = Script(Path.Combine(VaegpuProcess.RepositoryRoot(), "deploy", "slurm-array.sh"), [model, slurm], new()
            {
                ["VAEGPU"] = VaegpuProcess.Command, ["IW"] = "20", ["EVAL_ARGS"] = string.Join(' ', EvalArguments(data)),
                ["SLURM_ARRAY_TASK_ID"] = $"{task}", ["SLURM_ARRAY_TASK_MIN"] = "1", ["SLURM_ARRAY_TASK_COUNT"] = "3",
            });
            Assert.That(exitCode, Is.Zero, error);
        }
        var slurmShards = Directory.GetFiles(slurm).Order().ToArray();
        Assert.That(slurmShards.Select(Path.GetFileName), Is.EqualTo(new[] { "eval-1.json", "eval-2.json", "eval-3.json" }));
        var (mergeCode, merged, mergeError) = VaegpuProcess.Run(["merge", .. slurmShards.Reverse()]);
        Assert.That(mergeCode, Is.Zero, mergeError);
        Assert.That(merged, Is.EqualTo(whole));

        var kubernetes = Enumerable.Range(0, 4).Select(index =>
        {
            string file = folder.File($"k8s-{index}.json");
            var (code, _, stderr) = VaegpuProcess.RunWith(new Dictionary<string, string> { ["JOB_COMPLETION_INDEX"] = $"{index}" },
                ["eval", "--model", model, "--iw", "20", "--shard", "auto/4", "--out", file, .. EvalArguments(data)]);
            Assert.That(code, Is.Zero, stderr);
            return file;
        }).ToArray();
        (mergeCode, merged, mergeError) = VaegpuProcess.Run(["merge", .. kubernetes]);
        Assert.That(mergeCode, Is.Zero, mergeError);
        Assert.That(merged, Is.EqualTo(whole));

        Assert.That(VaegpuProcess.RunExpectingUserError(["merge", .. kubernetes[..3]]), Does.Contain("shard 3/4 is missing"));
        Assert.That(VaegpuProcess.RunExpectingUserError(["merge", .. kubernetes, kubernetes[0]]), Does.Contain("given more than once"));
        Assert.That(VaegpuProcess.RunExpectingUserError(["merge", kubernetes[0], slurmShards[0]]), Does.Contain("shard 0/3").Or.Contain("another evaluation"));

        string other = TestModels.Save(folder.File("other.safetensors"), [16], seed: 5), otherShard = folder.File("other-0.json");
        (exitCode, _, error) = VaegpuProcess.RunWith(new Dictionary<string, string> { ["JOB_COMPLETION_INDEX"] = "0" },
            ["eval", "--model", other, "--iw", "20", "--shard", "auto/4", "--out", otherShard, .. EvalArguments(data)]);
        Assert.That(exitCode, Is.Zero, error);
        Assert.That(VaegpuProcess.RunExpectingUserError(["merge", otherShard, .. kubernetes[1..]]), Does.Contain("another evaluation"));
    }

    /// <summary>
    /// Under --sampler rqmc each image's K draws are one scrambled Sobol set: shards still merge to the whole run's line,
    /// a shard drawn with another sampler is another evaluation, and antithetic pairs need an even K.
    /// </summary>
    [Test]
    public void CoupledDrawsShardAndMergeLikeIndependentOnes()
    {
        using var folder = new TemporaryFolder();
        string data = IdxWriter.WriteDataSet(folder.File("data"), 16, 40, 8, 8);
        string model = TestModels.Save(folder.File("model.safetensors"), [16]);
        var (exitCode, whole, error) = VaegpuProcess.Run(["eval", "--model", model, "--iw", "20", "--sampler", "rqmc", .. EvalArguments(data)]);
        Assert.That(exitCode, Is.Zero, error);
        Assert.That(whole, Does.Contain("K = 20, rqmc draws"));
        var (_, independent, _) = VaegpuProcess.Run(["eval", "--model", model, "--iw", "20", .. EvalArguments(data)]);
        Assert.That(whole, Is.Not.EqualTo(independent));

        string Shard(int index, string sampler)
        {
            string file = folder.File($"{sampler}-{index}.json");
            var (code, _, stderr) = VaegpuProcess.Run(["eval", "--model", model, "--iw", "20", "--sampler", sampler, "--shard", $"{index}/2", "--out", file, .. EvalArguments(data)]);
            Assert.That(code, Is.Zero, stderr);
            return file;
        }
        var (mergeCode, merged, mergeError) = VaegpuProcess.Run("merge", Shard(0, "rqmc"), Shard(1, "rqmc"));
        Assert.That(mergeCode, Is.Zero, mergeError);
        Assert.That(merged, Is.EqualTo(whole));
        Assert.That(VaegpuProcess.RunExpectingUserError("merge", Shard(0, "rqmc"), Shard(1, "stratified")), Does.Contain("sampler"));
        Assert.That(VaegpuProcess.RunExpectingUserError(["eval", "--model", model, "--iw", "5", "--sampler", "antithetic", .. EvalArguments(data)]), Does.Contain("even --iw"));
    }

    [Test]
    public void ATaskOutsideTheArrayOrWithoutOneIsRefusedInOneLine()
    {
        using var folder = new TemporaryFolder();
        string model = TestModels.Save(folder.File("model.safetensors"), [16]), file = folder.File("shard.json");
        string[] Eval(string shard) => ["eval", "--model", model, "--shard", shard, "--out", file];
        string Refused(Dictionary<string, string> environment, string shard)
        {
            var (exitCode, _, error) = VaegpuProcess.RunWith(environment, Eval(shard));
            Assert.That(exitCode, Is.EqualTo(2), error);
            Assert.That(error.Trim().Split('\n'), Has.Length.EqualTo(1), error);
            return error;
        }
        Assert.That(Refused(new() { ["SLURM_ARRAY_TASK_ID"] = "3", ["SLURM_ARRAY_TASK_COUNT"] = "3" }, "auto"), Does.Contain("task index 3 is outside an array of 3"));
        Assert.That(Refused(new() { ["JOB_COMPLETION_INDEX"] = "5" }, "auto/4"), Does.Contain("task index 5 is outside an array of 4"));
        Assert.That(Refused(new() { ["JOB_COMPLETION_INDEX"] = "1" }, "auto"), Does.Contain("--shard auto/N"));
        Assert.That(Refused(new(), "auto"), Does.Contain("SLURM_ARRAY_TASK_ID is not set"));
        Assert.That(Refused(new() { ["SLURM_ARRAY_TASK_ID"] = "x1", ["SLURM_ARRAY_TASK_COUNT"] = "3" }, "auto"), Does.Contain("'x1'"));
        Assert.That(VaegpuProcess.RunExpectingUserError("eval", "--model", model, "--shard", "0/2"), Does.Contain("--shard needs --out"));
        Assert.That(File.Exists(file), Is.False);
    }

    [Test]
    public void ShardOptionsReadTheArraysOwnNumbering()
    {
        Dictionary<string, string> Env(params (string, string)[] pairs) => pairs.ToDictionary(p => p.Item1, p => p.Item2);
        ShardSlice From(string text, Dictionary<string, string> environment) => ShardSlice.FromOption(text, name => environment.GetValueOrDefault(name));
        Assert.That(From("2/5", Env()), Is.EqualTo(new ShardSlice(2, 5)));
        Assert.That(From("auto", Env(("SLURM_ARRAY_TASK_ID", "7"), ("SLURM_ARRAY_TASK_MIN", "4"), ("SLURM_ARRAY_TASK_COUNT", "4"))), Is.EqualTo(new ShardSlice(3, 4)));
        Assert.That(From("auto/6", Env(("JOB_COMPLETION_INDEX", "5"))), Is.EqualTo(new ShardSlice(5, 6)));
        Assert.That(From("auto/6", Env(("SLURM_ARRAY_TASK_ID", "2"))), Is.EqualTo(new ShardSlice(2, 6)));
        Assert.Throws<InvalidSettingException>(() => From("auto/0", Env(("JOB_COMPLETION_INDEX", "0"))));
    }
}
