using VaeGpu.Host.Data;

namespace VaeGpu.Tests.Data;

/// <summary>NumPy .npy images: the layouts numpy writes, the splits ImageDataset makes of them, and one-line refusals.</summary>
public class NpyFileTests
{
    [Test]
    public void BytesOfShapeNHWReadAsScaledPixels()
    {
        using var folder = new TemporaryFolder();
        byte[] pixels = [.. Enumerable.Range(0, 2 * 3 * 4).Select(i => (byte)(i * 10))];
        var images = NpyFile.ReadImages(NpyWriter.UnsignedBytes(folder.File("a.npy"), [2, 3, 4], pixels));
        Assert.That((images.Count, images.Rows, images.Columns), Is.EqualTo((2, 3, 4)));
        Assert.That(images.Pixels(), Is.EqualTo(pixels.Select(p => p / 255f).ToArray()));
    }

    [TestCase(1)]
    [TestCase(2)]
    public void FloatsOfShapeNDReadAsTheyAreAndASquareIsAPicture(int version)
    {
        using var folder = new TemporaryFolder();
        float[] values = [.. Enumerable.Range(0, 3 * 16).Select(i => i / 64f)];
        var data = new byte[4 * values.Length];
        Buffer.BlockCopy(values, 0, data, 0, data.Length);
        string path = folder.File("f.npy");
        File.WriteAllBytes(path, NpyWriter.Bytes("<f4", [3, 16], data, version));
        var images = NpyFile.ReadImages(path);
        Assert.That((images.Count, images.Rows, images.Columns), Is.EqualTo((3, 4, 4)));
        Assert.That(images.Pixels(), Is.EqualTo(values));
        Assert.That(NpyFile.ReadImages(NpyWriter.Floats(folder.File("g.npy"), [2, 5], new float[10])).Columns, Is.EqualTo(5), "5 pixels: one row");
    }

    static IEnumerable<TestCaseData> BadFiles()
    {
        byte[] eight = new byte[8];
        yield return new TestCaseData(NpyWriter.Bytes("<f8", [1, 1], eight), "dtype '<f8'").SetName("AnotherDtype");
        yield return new TestCaseData(NpyWriter.Bytes("<f4", [2, 1], eight, fortranOrder: true), "Fortran order").SetName("FortranOrder");
        yield return new TestCaseData(NpyWriter.Bytes("|u1", [8], eight), "not [N, D] or [N, H, W]").SetName("OneDimension");
        yield return new TestCaseData(NpyWriter.Bytes("|u1", [0, 4], []), "empty dimension").SetName("NoImages");
        yield return new TestCaseData(NpyWriter.Bytes("|u1", [3, 4], eight), "needs 12 data bytes but the file holds 8").SetName("Truncated");
        yield return new TestCaseData(NpyWriter.Bytes("|u1", [1, 4], eight), "needs 4 data bytes but the file holds 8").SetName("TrailingBytes");
        yield return new TestCaseData(NpyWriter.Bytes("|u1", [65536, 65536], []), "more elements than an array can hold").SetName("HugeShape");
        yield return new TestCaseData(NpyWriter.Bytes("<f4", [60000, 784], []), "needs 188160000 data bytes but the file holds 0").SetName("LargeShapeEmptyFile");
        yield return new TestCaseData("PK\u0003\u0004 not numpy"u8.ToArray(), "not a NumPy .npy file").SetName("NotNpy");
        var badHeader = NpyWriter.Bytes("|u1", [1, 1], [0]);
        badHeader[12] = (byte)'!';
        yield return new TestCaseData(badHeader, "not the dictionary numpy writes").SetName("MangledHeader");
    }

    [TestCaseSource(nameof(BadFiles))]
    public void ABadFileIsRefusedInOneLine(byte[] content, string fragment)
    {
        using var folder = new TemporaryFolder();
        string path = folder.File("bad.npy");
        File.WriteAllBytes(path, content);
        UserErrorAssert.Throws(() => NpyFile.ReadImages(path), path, fragment);
    }

    [Test]
    public void OneFileIsSplitTheSameWayEveryTimeIntoDisjointParts()
    {
        using var folder = new TemporaryFolder();
        byte[] pixels = [.. Enumerable.Range(0, 50).Select(i => (byte)i)];
        string path = NpyWriter.UnsignedBytes(folder.File("all.npy"), [50, 1], pixels);
        var dataset = ImageDataset.Load(path, 0.2);
        Assert.That((dataset.Train.Count, dataset.Test.Count), Is.EqualTo((40, 10)));
        var train = dataset.Train.Bytes.Select(b => (int)b).ToArray();
        var test = dataset.Test.Bytes.Select(b => (int)b).ToArray();
        Assert.That(train.Concat(test).Order(), Is.EqualTo(Enumerable.Range(0, 50)), "every image once");
        Assert.That(train, Is.Ordered, "the file's order kept");
        Assert.That(test, Is.Not.EqualTo(Enumerable.Range(40, 10)), "shuffled, not the last images");
        Assert.That(ImageDataset.Load(path, 0.2).Test.Bytes, Is.EqualTo(dataset.Test.Bytes), "the same split again");
        Assert.That(ImageDataset.Load(path).Test.Count, Is.EqualTo(5), "default fraction 0.1");
        SettingErrorAssert.Throws(() => ImageDataset.Load(path, 1.5), "testFraction", "testFraction 1.5");
        SettingErrorAssert.Throws(() => ImageDataset.Load(NpyWriter.UnsignedBytes(folder.File("one.npy"), [1, 1], [3]), 0.5), "testFraction", "has 1 images, too few");
    }

    [Test]
    public void AFolderOfTrainAndTestNpyFilesIsADataset()
    {
        using var folder = new TemporaryFolder();
        NpyWriter.UnsignedBytes(folder.File("train.npy"), [6, 2, 2], new byte[24]);
        UserErrorAssert.Throws(() => ImageDataset.Load(folder.Path), "train.npy but no test.npy");
        NpyWriter.Floats(folder.File("test.npy"), [3, 4], new float[12]);
        var dataset = ImageDataset.Load(folder.Path);
        Assert.That((dataset.Train.Count, dataset.Test.Count, dataset.Test.Rows), Is.EqualTo((6, 3, 2)));
        SettingErrorAssert.Throws(() => ImageDataset.Load(folder.Path, 0.1), "testFraction", "a test fraction is for a single .npy file", "give no testFraction");
    }

    [Test]
    public void PixelsADecoderCannotScoreAreRefusedNamingTheImageAndPixel()
    {
        using var folder = new TemporaryFolder();
        float[] values = [0f, 0.5f, 1f, 1.5f, 0f, 0f, 0f, float.NaN];
        var images = NpyFile.ReadImages(NpyWriter.Floats(folder.File("v.npy"), [2, 4], values));
        UserErrorAssert.Throws(() => images.RequireValues(true, "bernoulli"), "v.npy", "image 0, pixel 3", "1.5", "[0, 1]");
        UserErrorAssert.Throws(() => images.RequireValues(false, "gaussian"), "v.npy", "image 1, pixel 3", "NaN", "finite");
    }

    [Test]
    public void TrainRunsOnAnNpyFileAndRefusesNaNInOneLineWritingNothing()
    {
        using var folder = new TemporaryFolder();
        var random = new Random(3);
        float[] values = [.. Enumerable.Range(0, 40 * 64).Select(_ => random.NextSingle())];
        string good = NpyWriter.Floats(folder.File("good.npy"), [40, 8, 8], values);
        var (exitCode, _, error) = VaegpuProcess.Run("train", "--data", good, "--test-fraction", "0.25", "--epochs", "1", "--hidden", "16", "--latent", "2",
            "--device", "host", "--out", folder.File("run"));
        Assert.That(exitCode, Is.Zero, error);
        Assert.That(error, Does.Contain("30 train and 10 test images"));
        values[17 * 64 + 5] = float.NaN;
        string bad = NpyWriter.Floats(folder.File("bad.npy"), [40, 64], values);
        string line = VaegpuProcess.RunExpectingUserError("train", "--data", bad, "--likelihood", "gaussian", "--epochs", "1", "--device", "host", "--out", folder.File("bad-run"));
        Assert.That(line, Does.Contain("bad.npy").And.Contain("pixel 5").And.Contain("NaN"));
        Assert.That(Directory.Exists(folder.File("bad-run")), Is.False);
    }
}
