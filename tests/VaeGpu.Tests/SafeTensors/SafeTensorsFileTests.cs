using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using VaeGpu.Host.SafeTensors;
using VaeGpu.Runtime;

namespace VaeGpu.Tests.SafeTensors;

/// <summary>Writing and reading well-formed files, and the exact bytes the format prescribes.</summary>
public class SafeTensorsFileTests
{
    string folder = "";

    [SetUp]
    public void CreateFolder() => folder = Directory.CreateTempSubdirectory("vaegpu-safetensors-").FullName;

    [TearDown]
    public void DeleteFolder() => Directory.Delete(folder, recursive: true);

    /// <summary>
    /// Special values (a NaN with a payload, -0, the smallest subnormal, infinities) and odd shapes (a scalar, an empty
    /// tensor) come back bit for bit, in the order written, with metadata that needs JSON escaping.
    /// </summary>
    [Test]
    public void ARoundTripKeepsNamesShapesValuesAndMetadataExactly()
    {
        var random = new Random(5);
        NamedTensor[] tensors =
        [
            new("encoder.0.weight", [3, 5], Enumerable.Range(0, 15).Select(_ => random.NextSingle() * 2 - 1).ToArray()),
            new("special", [7], [BitConverter.Int32BitsToSingle(0x7fc00001), -0f, float.Epsilon, float.PositiveInfinity, float.NegativeInfinity, float.MaxValue, 1f / 3]),
            new("scalar", [], [42f]),
            new("empty", [0, 4], []),
            new("a", [2, 1, 2], [1, 2, 3, 4]),
        ];
        var metadata = new Dictionary<string, string>
        {
            ["format"] = "vaegpu-vae-1",
            ["quoted"] = "a \"quoted\" {\"json\": [1]} with a \\ and a\nnewline",
            ["unicode"] = "σ_x = 0.6 ✓",
            [""] = "an empty key",
        };
        string path = Path.Combine(folder, "model.safetensors");

        SafeTensorsFile.Write(path, tensors, metadata);
        var content = SafeTensorsFile.Read(path);

        Assert.That(content.Path, Is.EqualTo(path));
        Assert.That(content.Tensors.Select(t => t.Name), Is.EqualTo(tensors.Select(t => t.Name)));
        foreach (var (read, written) in content.Tensors.Zip(tensors))
        {
            Assert.That(read.Shape, Is.EqualTo(written.Shape), read.Name);
            Assert.That(read.Values.Select(BitConverter.SingleToInt32Bits), Is.EqualTo(written.Values.Select(BitConverter.SingleToInt32Bits)), read.Name);
        }
        Assert.That(content.Metadata, Is.EquivalentTo(metadata));
        Assert.That(content.Get("scalar").Values, Is.EqualTo(new[] { 42f }));
        Assert.That(Directory.GetFiles(folder), Is.EqualTo(new[] { path }));
    }

    [Test]
    public void AFileWithoutTensorsOrMetadataRoundTrips()
    {
        string path = Path.Combine(folder, "empty.safetensors");
        SafeTensorsFile.Write(path, [], new Dictionary<string, string>());
        var content = SafeTensorsFile.Read(path);
        Assert.That(content.Tensors, Is.Empty);
        Assert.That(content.Metadata, Is.Empty);
    }

    /// <summary>
    /// The layout by hand: an 8-byte little-endian header size; JSON with __metadata__ first and the tensors in the
    /// order given, padded with spaces so the data starts 8-byte aligned; the float32 values packed at their offsets.
    /// </summary>
    [Test]
    public void TheBytesFollowTheSafetensorsLayout()
    {
        string path = Path.Combine(folder, "tiny.safetensors");
        SafeTensorsFile.Write(path, [new("weight", [2, 1], [1.5f, -2f]), new("bias", [1], [0.25f])], new Dictionary<string, string> { ["k"] = "v" });
        byte[] bytes = File.ReadAllBytes(path);

        long headerBytes = (long)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        long dataStart = 8 + headerBytes;
        Assert.That(dataStart % 8, Is.Zero);
        Assert.That(bytes, Has.Length.EqualTo(dataStart + 12));

        string header = Encoding.UTF8.GetString(bytes, 8, (int)headerBytes);
        string json = header.TrimEnd(' ');
        Assert.That(header.Length - json.Length, Is.LessThan(8), "padding only up to the next multiple of 8");
        Assert.That(json, Does.EndWith("}"));
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        Assert.That(root.EnumerateObject().Select(p => p.Name), Is.EqualTo(new[] { "__metadata__", "weight", "bias" }));
        Assert.That(root.GetProperty("__metadata__").GetProperty("k").GetString(), Is.EqualTo("v"));
        AssertEntry(root.GetProperty("weight"), [2, 1], [0, 8]);
        AssertEntry(root.GetProperty("bias"), [1], [8, 12]);

        float At(long offset) => BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan((int)(dataStart + offset)));
        Assert.That(new[] { At(0), At(4), At(8) }, Is.EqualTo(new[] { 1.5f, -2f, 0.25f }));
    }

    static void AssertEntry(JsonElement entry, int[] shape, long[] offsets)
    {
        Assert.That(entry.GetProperty("dtype").GetString(), Is.EqualTo("F32"));
        Assert.That(entry.GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()), Is.EqualTo(shape));
        Assert.That(entry.GetProperty("data_offsets").EnumerateArray().Select(e => e.GetInt64()), Is.EqualTo(offsets));
    }

    /// <summary>
    /// A file as other writers may make it: no metadata, no padding, tensors listed in another order than their data
    /// (the reference writer orders data by dtype, then name). The header's order is kept.
    /// </summary>
    [Test]
    public void ReadsAnUnpaddedFileWhoseHeaderOrderDiffersFromTheDataOrder()
    {
        byte[] header = """{"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]},"a":{"dtype":"F32","shape":[],"data_offsets":[0,4]}}"""u8.ToArray();
        var bytes = new byte[8 + header.Length + 12];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)header.Length);
        header.CopyTo(bytes, 8);
        float[] data = [7f, 8f, 9f];
        for (int i = 0; i < data.Length; i++) BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(8 + header.Length + 4 * i), data[i]);
        string path = Path.Combine(folder, "other.safetensors");
        File.WriteAllBytes(path, bytes);

        var content = SafeTensorsFile.Read(path);

        Assert.That(content.Tensors.Select(t => t.Name), Is.EqualTo(new[] { "b", "a" }));
        Assert.That(content.Get("a").Values, Is.EqualTo(new[] { 7f }));
        Assert.That(content.Get("b").Values, Is.EqualTo(new[] { 8f, 9f }));
        Assert.That(content.Metadata, Is.Empty);
    }

    [Test]
    public void WritingOverAFileReplacesIt()
    {
        string path = Path.Combine(folder, "model.safetensors");
        SafeTensorsFile.Write(path, [new("w", [1000], new float[1000])], new Dictionary<string, string> { ["epoch"] = "1" });
        SafeTensorsFile.Write(path, [new("w", [2], [1f, 2f])], new Dictionary<string, string> { ["epoch"] = "2" });

        var content = SafeTensorsFile.Read(path);
        Assert.That(content.Get("w").Values, Is.EqualTo(new[] { 1f, 2f }));
        Assert.That(content.Metadata["epoch"], Is.EqualTo("2"));
        Assert.That(Directory.GetFiles(folder), Is.EqualTo(new[] { path }));
    }

    [Test]
    public void AnAbsentTensorIsAUserErrorNamingTheFile()
    {
        string path = Path.Combine(folder, "model.safetensors");
        SafeTensorsFile.Write(path, [new("w", [1], [1f]), new("b", [1], [2f])], new Dictionary<string, string>());
        var error = Assert.Throws<UserErrorException>(() => SafeTensorsFile.Read(path).Get("decoder.weight"))!;
        Assert.That(error.Message, Is.EqualTo($"{path}: no tensor named 'decoder.weight' (it has 'w', 'b')."));
    }

    /// <summary>Tensors the program makes wrongly are bugs: refused before anything is written.</summary>
    [TestCase("w", new[] { 2, 3 }, 5, "shape [2, 3] but 5 values")]
    [TestCase("w", new[] { -1 }, 0, "negative dimension")]
    [TestCase("__metadata__", new[] { 1 }, 1, "cannot be called __metadata__")]
    public void MalformedTensorsAreRefusedBeforeWriting(string name, int[] shape, int values, string problem)
    {
        string path = Path.Combine(folder, "model.safetensors");
        var error = Assert.Throws<ArgumentException>(() => SafeTensorsFile.Write(path, [new(name, shape, new float[values])], new Dictionary<string, string>()))!;
        Assert.That(error.Message, Does.Contain(problem));
        Assert.That(Directory.GetFileSystemEntries(folder), Is.Empty);
    }

    [Test]
    public void TwoTensorsWithOneNameAreRefused()
    {
        string path = Path.Combine(folder, "model.safetensors");
        var error = Assert.Throws<ArgumentException>(() =>
            SafeTensorsFile.Write(path, [new("w", [1], [1f]), new("w", [1], [2f])], new Dictionary<string, string>()))!;
        Assert.That(error.Message, Does.Contain("two tensors are called 'w'"));
        Assert.That(Directory.GetFileSystemEntries(folder), Is.Empty);
    }
}
