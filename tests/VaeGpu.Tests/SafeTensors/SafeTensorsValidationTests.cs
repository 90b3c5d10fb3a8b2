using System.Buffers.Binary;
using System.Text;
using VaeGpu.Host.SafeTensors;
using VaeGpu.Runtime;

namespace VaeGpu.Tests.SafeTensors;

/// <summary>
/// Every way a file can be malformed, after the reference implementation's checks: each is refused with one line that
/// names the file and the problem.
/// </summary>
public class SafeTensorsValidationTests
{
    string folder = "";

    [SetUp]
    public void CreateFolder() => folder = Directory.CreateTempSubdirectory("vaegpu-safetensors-").FullName;

    [TearDown]
    public void DeleteFolder() => Directory.Delete(folder, recursive: true);

    /// <summary>An 8-byte size field, the header bytes unpadded, then dataBytes zero bytes.</summary>
    static byte[] FileWith(string header, int dataBytes) => FileWith(Encoding.UTF8.GetBytes(header), dataBytes);

    static byte[] FileWith(byte[] header, int dataBytes)
    {
        var bytes = new byte[8 + header.Length + dataBytes];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)header.Length);
        header.CopyTo(bytes, 8);
        return bytes;
    }

    static byte[] SizeField(ulong headerBytes, int followingBytes)
    {
        var bytes = new byte[8 + followingBytes];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, headerBytes);
        return bytes;
    }

    const string W = """{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}""";

    static IEnumerable<TestCaseData> MalformedFiles()
    {
        TestCaseData Case(string name, byte[] bytes, string problem) => new TestCaseData(bytes, problem).SetName($"{{m}}({name})");

        yield return Case("empty", [], "it is 0 bytes long, too short for the 8-byte header size");
        yield return Case("short", [1, 2, 3], "it is 3 bytes long");
        yield return Case("huge header size", SizeField(100_000_001, 16), "its header size, 100000001 bytes, is over the 100 MB limit");
        yield return Case("header past the end", SizeField(1000, 12), "its header size, 1000 bytes, is more than the 12 bytes after the size field");
        yield return Case("not JSON", FileWith("{not json", 0), "its header is not valid JSON");
        yield return Case("invalid UTF-8", FileWith([.. "{\""u8, 0xff, .. "\":1}"u8], 0), "its header is not valid UTF-8");
        yield return Case("trailing text", FileWith(W + " x", 8), "its header is not valid JSON");
        yield return Case("array", FileWith("[1,2]", 0), "its header is a JSON array, not an object");
        yield return Case("entry not an object", FileWith("""{"w":[0,8]}""", 8), "tensor 'w' is a JSON array, not an object");
        yield return Case("no dtype", FileWith("""{"w":{"shape":[2],"data_offsets":[0,8]}}""", 8), "tensor 'w' has no dtype");
        yield return Case("no shape", FileWith("""{"w":{"dtype":"F32","data_offsets":[0,8]}}""", 8), "tensor 'w' has no shape");
        yield return Case("no offsets", FileWith("""{"w":{"dtype":"F32","shape":[2]}}""", 8), "tensor 'w' has no data_offsets");
        yield return Case("F16", FileWith("""{"w":{"dtype":"F16","shape":[4],"data_offsets":[0,8]}}""", 8), "tensor 'w' has dtype F16; only F32 tensors can be read");
        yield return Case("dtype number", FileWith("""{"w":{"dtype":4,"shape":[2],"data_offsets":[0,8]}}""", 8), "tensor 'w' has a dtype that is not a string");
        yield return Case("negative dimension", FileWith("""{"w":{"dtype":"F32","shape":[-2],"data_offsets":[0,8]}}""", 8), "tensor 'w' has a shape that is not a list of integers");
        yield return Case("fractional dimension", FileWith("""{"w":{"dtype":"F32","shape":[2.5],"data_offsets":[0,8]}}""", 8), "tensor 'w' has a shape that is not a list of integers");
        yield return Case("huge dimension", FileWith("""{"w":{"dtype":"F32","shape":[3000000000],"data_offsets":[0,8]}}""", 8), "tensor 'w' has a shape that is not a list of integers from 0 to 2147483647");
        yield return Case("shape not a list", FileWith("""{"w":{"dtype":"F32","shape":"2","data_offsets":[0,8]}}""", 8), "tensor 'w' has a shape that is not a list");
        yield return Case("one offset", FileWith("""{"w":{"dtype":"F32","shape":[2],"data_offsets":[8]}}""", 8), "tensor 'w' has data_offsets that are not two non-negative integers");
        yield return Case("negative offset", FileWith("""{"w":{"dtype":"F32","shape":[2],"data_offsets":[-8,0]}}""", 8), "tensor 'w' has data_offsets that are not two non-negative integers");
        yield return Case("gap at the start", FileWith("""{"w":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}""", 12), "tensor 'w' has data_offsets [4, 12] where [0, ...] comes next; tensors must be contiguous");
        yield return Case("gap between", FileWith("""{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"b":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}}""", 12), "tensor 'b' has data_offsets [8, 12] where [4, ...] comes next");
        yield return Case("overlap", FileWith("""{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}""", 8), "tensor 'b' has data_offsets [4, 8] where [8, ...] comes next");
        yield return Case("end before begin", FileWith("""{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"b":{"dtype":"F32","shape":[0],"data_offsets":[4,0]}}""", 4), "tensor 'b' has data_offsets [4, 0]");
        yield return Case("shape and size disagree", FileWith("""{"w":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}""", 8), "tensor 'w' has shape [3] but data_offsets [0, 8] hold 8 bytes, not 4 per value");
        yield return Case("size not whole floats", FileWith("""{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,6]}}""", 6), "tensor 'w' has shape [1] but data_offsets [0, 6] hold 6 bytes");
        yield return Case("truncated", FileWith(W, 4), "its tensors take 8 bytes but 4 bytes follow the header (truncated)");
        yield return Case("trailing bytes", FileWith(W, 12), "its tensors take 8 bytes but 12 bytes follow the header (trailing bytes)");
        yield return Case("metadata not an object", FileWith("""{"__metadata__":["a"]}""", 0), "its __metadata__ is a JSON array, not an object of strings");
        yield return Case("metadata number", FileWith("""{"__metadata__":{"epochs":3}}""", 0), "its __metadata__ entry 'epochs' is a JSON number, not a string");
        yield return Case("repeated metadata key", FileWith("""{"__metadata__":{"k":"1","k":"2"}}""", 0), "its __metadata__ has 'k' twice");
        yield return Case("repeated tensor", FileWith("""{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"w":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}""", 8), "'w' appears twice in its header");
    }

    [TestCaseSource(nameof(MalformedFiles))]
    public void AMalformedFileIsAOneLineUserErrorNamingIt(byte[] bytes, string problem)
    {
        string path = Path.Combine(folder, "bad.safetensors");
        File.WriteAllBytes(path, bytes);
        AssertOneLineUserError(path, $"{path}: not a valid safetensors file: {problem}");
    }

    [Test]
    public void AMissingFileSaysSoAndHowToMakeOne()
    {
        string path = Path.Combine(folder, "absent", "model.safetensors");
        AssertOneLineUserError(path, $"{path}: no such file; check the path.");
    }

    [Test]
    public void AFolderIsAOneLineUserError()
    {
        AssertOneLineUserError(folder, $"{folder} is a folder: give the path of a .safetensors file in it");
    }

    static void AssertOneLineUserError(string path, string expectedStart)
    {
        var error = Assert.Throws<UserErrorException>(() => SafeTensorsFile.Read(path))!;
        Assert.That(error.Message, Does.StartWith(expectedStart));
        Assert.That(error.Message, Does.Not.Contain('\n').And.Not.Contain('\r'));
    }
}
