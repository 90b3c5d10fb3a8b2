using System.Diagnostics;
using System.Text;
using VaeGpu.Host.Files;
using VaeGpu.Host.Data;
using VaeGpu.Host.Evaluation;
using VaeGpu.Host.Experiments.GaussianMixture;
using VaeGpu.Host.Experiments.GradientEstimators;
using VaeGpu.Host.Model;
using VaeGpu.Host.SafeTensors;
using VaeGpu.Host.Training;
using VaeGpu.Runtime;
using VaeGpu.Runtime.HostPath;
using VaeGpu.Tests.Data;

namespace VaeGpu.Tests.Hardening;

/// <summary>
/// Seeded mutation fuzzing of every reader of untrusted files: models, checkpoints, IDX sets (raw and gzip), variance
/// and evaluation shards (as bytes, and as contents: mutants that still parse are re-signed with their digest so that
/// the checks behind it and merge see them), EM point files, .npy image files and .npy headers of generated shapes. Each mutant must be read or refused with a UserErrorException (one line, exit code 2
/// in the program); any other exception, more than 256 MiB allocated, or more than 5 s is a failure, reported with
/// the mutant's seed. VAEGPU_FUZZ_MUTANTS sets the count per reader (default 2000, sized for CI; docs/reliability.md gives a
/// larger run).
/// </summary>
[NonParallelizable]
public class FuzzTests
{
    static int Mutants => int.TryParse(Environment.GetEnvironmentVariable("VAEGPU_FUZZ_MUTANTS"), out int count) && count > 0 ? count : 2000;
    const long AllocationLimit = 256L << 20;
    static readonly TimeSpan TimeLimit = TimeSpan.FromSeconds(5);

    TemporaryFolder folder = null!;

    [OneTimeSetUp]
    public void CreateFolder() => folder = new TemporaryFolder();

    [OneTimeTearDown]
    public void RemoveFolder() => folder.Dispose();

    [Test]
    public void Models() => Fuzz("model", SmallModelFile(), path => ModelFile.Load(path));

    [Test]
    public void Checkpoints()
    {
        using var backend = new HostBackend();
        Fuzz("checkpoint", SmallCheckpointFile(backend), path => Checkpoint.Load(path, backend));
    }

    [TestCase(false)]
    [TestCase(true)]
    public void IdxImageSets(bool gzip) =>
        Fuzz($"idx{(gzip ? "-gz" : "")}", File.ReadAllBytes(IdxWriter.WriteImages(folder.File("seed.idx"), 20, 8, 8, gzip, IdxWriter.Pattern(20 * 64))),
            path => IdxFile.ReadImages(path));

    [Test]
    public void NpyImageSets()
    {
        var random = new Random(5);
        float[] values = [.. Enumerable.Range(0, 6 * 16).Select(_ => random.NextSingle())];
        Fuzz("npy", File.ReadAllBytes(NpyWriter.Floats(folder.File("seed.npy"), [6, 4, 4], values)), path => NpyFile.ReadImages(path));
    }

    [Test]
    public void VarianceShards() => Fuzz("shard", Encoding.UTF8.GetBytes(ShardJson()), path => VarianceShardFile.Read(path));

    [Test]
    public void VarianceShardContents()
    {
        string sibling = folder.File("sibling-shard.json");
        File.WriteAllText(sibling, ShardJson(1));
        Fuzz("shard-contents", Encoding.UTF8.GetBytes(ShardJson()), path => VarianceShardMerge.Merge([(path, VarianceShardFile.Read(path)), (sibling, VarianceShardFile.Read(sibling))]), Resign);
    }

    [Test]
    public void EvaluationShards() => Fuzz("eval-shard", EvaluationShardBytes(0), path => EvaluationShardFile.Read(path));

    [Test]
    public void EvaluationShardContents()
    {
        string sibling = folder.File("sibling-eval.json");
        File.WriteAllBytes(sibling, EvaluationShardBytes(1));
        Fuzz("eval-shard-contents", EvaluationShardBytes(0), path => EvaluationShardFile.Merge([(path, EvaluationShardFile.Read(path)), (sibling, EvaluationShardFile.Read(sibling))]), Resign);
    }

    /// <summary>
    /// .npy files of generated shapes and types: 0 to 4 dimensions of sizes from 0 to past 2^31, a supported or
    /// unsupported dtype, and data of the exact length the header states (where that is at most 64 KiB), a byte more
    /// or less, or none; each is read, and where it reads, split as --data FILE.npy splits it.
    /// </summary>
    [Test]
    public void NpyShapes() => FuzzWith("npy-shapes", NpyOfRandomShape, path => ImageDataset.Load(path));

    [Test]
    public void EmPointFiles() => Fuzz("points", Encoding.UTF8.GetBytes("x,y\n# a comment\n1.5, 2\n-3 4e-1\n0.25,7\n1e3,-2.5\n"), path => PointFile.Read(path));

    void Fuzz(string name, byte[] valid, Action<string> read, Func<byte[], byte[]>? rewrite = null) =>
        FuzzWith(name, random => rewrite is null ? Mutate(valid, random) : rewrite(Mutate(valid, random)), read);

    void FuzzWith(string name, Func<Random, byte[]> mutant, Action<string> read)
    {
        string path = folder.File(name.StartsWith("npy-", StringComparison.Ordinal) ? $"mutant-{name}.npy" : $"mutant-{name}");
        var failures = new List<string>();
        int refused = 0;
        for (int seed = 0; seed < Mutants && failures.Count < 5; seed++)
        {
            File.WriteAllBytes(path, mutant(new Random(seed)));
            long allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
            var clock = Stopwatch.StartNew();
            try
            {
                read(path);
            }
            catch (UserErrorException)
            {
                refused++;
            }
            catch (Exception error)
            {
                failures.Add($"seed {seed}: {error.GetType().Name}: {error.Message}");
            }
            long allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
            if (allocated > AllocationLimit) failures.Add($"seed {seed}: allocated {allocated >> 20} MiB");
            if (clock.Elapsed > TimeLimit) failures.Add($"seed {seed}: took {clock.Elapsed.TotalSeconds:F1} s");
        }
        TestContext.Out.WriteLine($"{name}: {Mutants} mutants, {refused} refused with one line, {failures.Count} failures");
        Assert.That(failures, Is.Empty);
    }

    /// <summary>One to four of: flip bits, overwrite a 4-byte field with an extreme value, truncate, insert, duplicate, or replace a digit run.</summary>
    static byte[] Mutate(byte[] valid, Random random)
    {
        var bytes = new List<byte>(valid);
        for (int change = random.Next(1, 5); change > 0 && bytes.Count > 0; change--)
        {
            int at = random.Next(bytes.Count);
            switch (random.Next(6))
            {
                case 0:
                    bytes[at] ^= (byte)(1 << random.Next(8));
                    break;
                case 1:
                    uint[] extremes = [0, 1, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFF, 0x00010000];
                    var field = BitConverter.GetBytes(extremes[random.Next(extremes.Length)]);
                    if (random.Next(2) == 0) Array.Reverse(field);
                    for (int i = 0; i < 4 && at + i < bytes.Count; i++) bytes[at + i] = field[i];
                    break;
                case 2:
                    bytes.RemoveRange(at, bytes.Count - at);
                    break;
                case 3:
                    bytes.InsertRange(at, Enumerable.Range(0, random.Next(1, 16)).Select(_ => (byte)random.Next(256)));
                    break;
                case 4:
                    int length = Math.Min(random.Next(1, 64), bytes.Count - at);
                    bytes.InsertRange(at, bytes.GetRange(at, length));
                    break;
                default:
                    // Numbers in headers and text: a digit becomes a long run of digits, a sign, a dot or a letter.
                    int digit = bytes.FindIndex(at, b => b is >= (byte)'0' and <= (byte)'9');
                    if (digit < 0) break;
                    string[] replacements = ["99999999999", "-1", "0", "1e309", "NaN", ".", "x", "2147483648"];
                    bytes.RemoveAt(digit);
                    bytes.InsertRange(digit, Encoding.ASCII.GetBytes(replacements[random.Next(replacements.Length)]));
                    break;
            }
        }
        return [.. bytes];
    }

    static readonly VaeConfig Small = new(64, [16], 2, Likelihood.Bernoulli, 1f);

    byte[] SmallModelFile()
    {
        using var backend = new HostBackend();
        var model = new VaeModel(backend, Small, 4);
        model.Initialise(1);
        string path = folder.File("seed-model.safetensors");
        ModelFile.Save(path, model, backend);
        return File.ReadAllBytes(path);
    }

    byte[] SmallCheckpointFile(IBackend backend)
    {
        var model = new VaeModel(backend, Small, 4);
        model.Initialise(1);
        var options = new TrainingOptions(Epochs: 3, BatchSize: 4, LearningRate: 1e-3f, OptimizerKind.Adam, Seed: 1, Beta: 1f, KlWarmupEpochs: 0);
        var adam = new Adam(backend, model.Layout.Count, options.LearningRate) { Steps = 7 };
        var state = new TrainingState { EpochsCompleted = 1, StepInEpoch = 2, GlobalStep = 7, DataSha256 = new string('c', 64) };
        state.History.Add(new EpochResult(1, 250.5, 10.25, 248.75, 10.5, 1.5, 1000, 0.5));
        string path = folder.File("seed-checkpoint.safetensors");
        Checkpoint.Save(path, model, adam, backend, options, state);
        return File.ReadAllBytes(path);
    }

    string ShardJson(int index = 0)
    {
        string path = folder.File($"seed-shard-{index}.json");
        var (exitCode, _, error) = VaegpuProcess.Run("variance", "gaussian", "--shard", $"{index}/2", "--samples", "4096", "--out", path, "--device", "host");
        Assert.That(exitCode, Is.Zero, error);
        return File.ReadAllText(path);
    }

    /// <summary>Shard index/2 of 40 images in batches of 8 (24 and 16 images), as eval --shard writes it.</summary>
    byte[] EvaluationShardBytes(int index)
    {
        var shard = new ShardSlice(index, 2);
        int count = EvaluationShardFile.Range(shard, 40, 8).Count;
        double[] Scores(double offset) => [.. Enumerable.Range(0, count).Select(i => offset + 0.125 * i + index)];
        var settings = new EvaluationSettings(new string('a', 64), new string('b', 64), 40, 5, 8, 1, "none");
        string path = folder.File($"seed-eval-{index}.json");
        new EvaluationShardFile(settings, shard, new ImageScores(Scores(250), Scores(20), Scores(-240))) { Data = "data", TestFraction = "" }.Write(path);
        return File.ReadAllBytes(path);
    }

    /// <summary>A mutant that still parses as a JSON object, with its digest made right again; others as they are.</summary>
    static byte[] Resign(byte[] mutant)
    {
        try
        {
            if (System.Text.Json.Nodes.JsonNode.Parse(mutant) is System.Text.Json.Nodes.JsonObject root)
                return Encoding.UTF8.GetBytes(ShardDigest.Sign(root).ToJsonString());
        }
        catch (Exception error) when (error is System.Text.Json.JsonException or InvalidOperationException or ArgumentException)
        {
        }
        return mutant;
    }

    static byte[] NpyOfRandomShape(Random random)
    {
        long[] sizes = [0, 1, 2, 3, 4, 7, 28, 784, 1000, 65536, 1_000_000, int.MaxValue, 1L << 31, 1L << 40, -1];
        string[] types = ["|u1", "<u1", "<f4", "<f8", ">f4", "|b1", "<i4"];
        var shape = Enumerable.Range(0, random.Next(5)).Select(_ => sizes[random.Next(sizes.Length)]).ToArray();
        string descr = types[random.Next(types.Length)];
        string shapeText = shape.Length == 1 ? $"({shape[0]},)" : $"({string.Join(", ", shape)})";
        string header = $"{{'descr': '{descr}', 'fortran_order': {(random.Next(8) == 0 ? "True" : "False")}, 'shape': {shapeText}, }}";
        header = header.PadRight((10 + header.Length + 1 + 63) / 64 * 64 - 10 - 1) + "\n";
        var bytes = new List<byte> { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0, (byte)(header.Length & 0xFF), (byte)(header.Length >> 8) };
        bytes.AddRange(Encoding.ASCII.GetBytes(header));
        int itemBytes = descr is "<f4" or ">f4" or "<i4" ? 4 : descr == "<f8" ? 8 : 1;
        System.Numerics.BigInteger elements = shape.Aggregate(System.Numerics.BigInteger.One, (product, size) => product * size);
        long exact = elements * itemBytes <= 1 << 16 && elements >= 0 ? (long)(elements * itemBytes) : random.Next(1 << 16);
        long length = Math.Max(0, exact + random.Next(4) switch { 0 => 0, 1 => 1, 2 => -1, _ => -exact });
        var data = new byte[length];
        random.NextBytes(data);
        bytes.AddRange(data);
        return [.. bytes];
    }
}
