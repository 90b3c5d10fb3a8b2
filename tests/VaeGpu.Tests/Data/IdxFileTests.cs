using VaeGpu.Host.Data;

namespace VaeGpu.Tests.Data;

public class IdxFileTests
{
    TemporaryFolder folder = null!;

    [SetUp]
    public void CreateFolder() => folder = new TemporaryFolder();

    [TearDown]
    public void DeleteFolder() => folder.Dispose();

    [Test]
    public void ImagesReadBackAsBytesOver255RowMajor([Values] bool gzip)
    {
        byte[] bytes = IdxWriter.Pattern(3 * 2 * 5);
        string path = IdxWriter.WriteImages(folder.File("images"), count: 3, rows: 2, columns: 5, gzip, bytes);

        var images = IdxFile.ReadImages(path);

        Assert.That((images.Count, images.Rows, images.Columns, images.PixelsPerImage), Is.EqualTo((3, 2, 5, 10)));
        Assert.That(images.Pixels(), Is.EqualTo(bytes.Select(value => value / 255f).ToArray()));
        Assert.That(images.Pixels(), Does.Contain(0f).And.Contain(1f));
        Assert.That(images.Labels, Is.Null);
    }

    [Test]
    public void LabelsReadBackAsTheyWereWritten([Values] bool gzip)
    {
        byte[] labels = [3, 0, 9, 9, 255, 1];
        string path = IdxWriter.WriteLabels(folder.File("labels"), labels, gzip);

        Assert.That(IdxFile.ReadLabels(path), Is.EqualTo(labels));
    }

    /// <summary>Gzip is told by the magic bytes 1f 8b: a gzip file without .gz and a raw file named .gz both read.</summary>
    [Test]
    public void CompressionIsToldByContentNotByName()
    {
        byte[] labels = [4, 2];
        string gzipWithoutSuffix = IdxWriter.WriteLabels(folder.File("labels-idx1-ubyte"), labels, gzip: true);
        string rawWithSuffix = IdxWriter.WriteLabels(folder.File("labels-idx1-ubyte.gz"), labels, gzip: false);

        Assert.That(File.ReadAllBytes(gzipWithoutSuffix)[..2], Is.EqualTo(new byte[] { 0x1f, 0x8b }));
        Assert.That(IdxFile.ReadLabels(gzipWithoutSuffix), Is.EqualTo(labels));
        Assert.That(IdxFile.ReadLabels(rawWithSuffix), Is.EqualTo(labels));
    }

    [Test]
    public void MissingFileIsNamed()
    {
        string path = folder.File("absent-idx3-ubyte.gz");
        UserErrorAssert.Throws(() => IdxFile.ReadImages(path), path, "no such file");
    }

    [Test]
    public void WrongMagicSaysWhatWasFoundAndWhatWasExpected([Values] bool gzip)
    {
        string labels = IdxWriter.WriteLabels(folder.File("labels"), [1, 2, 3], gzip);
        string images = IdxWriter.WriteImages(folder.File("images"), 1, 2, 2, gzip);

        UserErrorAssert.Throws(() => IdxFile.ReadImages(labels), labels, "wrong magic number 0x00000801, expected 0x00000803");
        UserErrorAssert.Throws(() => IdxFile.ReadLabels(images), images, "wrong magic number 0x00000803, expected 0x00000801");
    }

    [Test]
    public void TextFileHasWrongMagic()
    {
        string path = folder.File("notes.txt");
        File.WriteAllText(path, "hello, world");
        UserErrorAssert.Throws(() => IdxFile.ReadImages(path), path, "wrong magic number 0x68656C6C, expected 0x00000803");
    }

    [Test]
    public void TruncatedDataSaysHowManyBytesWereExpectedAndFound([Values] bool gzip)
    {
        byte[] whole = IdxWriter.Bytes(0x00000803, [3, 2, 3], IdxWriter.Pattern(18));
        string path = IdxWriter.Write(folder.File("images"), whole[..^8], gzip);

        UserErrorAssert.Throws(() => IdxFile.ReadImages(path), path, "truncated: expected 18 bytes of pixel data, found 10");
    }

    [Test]
    public void TruncatedLabelsSayLabelData()
    {
        byte[] whole = IdxWriter.Bytes(0x00000801, [5], [1, 2, 3, 4, 5]);
        string path = IdxWriter.Write(folder.File("labels"), whole[..^1], gzip: false);

        UserErrorAssert.Throws(() => IdxFile.ReadLabels(path), path, "truncated: expected 5 bytes of label data, found 4");
    }

    [TestCase(0, "found 0 bytes")]
    [TestCase(3, "found 3 bytes")]
    [TestCase(11, "found 11 bytes")]
    public void TruncatedHeaderIsReported(int length, string found)
    {
        byte[] whole = IdxWriter.Bytes(0x00000803, [1, 1, 1], [7]);
        string path = IdxWriter.Write(folder.File("images"), whole[..length], gzip: false);

        UserErrorAssert.Throws(() => IdxFile.ReadImages(path), path, "truncated: expected a 16-byte IDX header", found);
    }

    [Test]
    public void TrailingGarbageIsCounted([Values] bool gzip)
    {
        byte[] bytes = [.. IdxWriter.Bytes(0x00000803, [1, 2, 2], IdxWriter.Pattern(4)), 1, 2, 3];
        string path = IdxWriter.Write(folder.File("images"), bytes, gzip);

        UserErrorAssert.Throws(() => IdxFile.ReadImages(path), path, "3 bytes of trailing garbage after the 4 bytes of pixel data");
    }

    [TestCase(0, 28, 28, "the image count in the IDX header is 0")]
    [TestCase(10, 0, 28, "the rows in the IDX header is 0")]
    [TestCase(10, 28, 0, "the columns in the IDX header is 0")]
    public void ZeroSizesAreRejected(int count, int rows, int columns, string message)
    {
        string path = IdxWriter.Write(folder.File("images"), IdxWriter.Bytes(0x00000803, [count, rows, columns], []), gzip: false);
        UserErrorAssert.Throws(() => IdxFile.ReadImages(path), path, message);
    }

    [Test]
    public void ZeroLabelCountIsRejected()
    {
        string path = IdxWriter.Write(folder.File("labels"), IdxWriter.Bytes(0x00000801, [0], []), gzip: false);
        UserErrorAssert.Throws(() => IdxFile.ReadLabels(path), path, "the label count in the IDX header is 0");
    }

    /// <summary>Sizes from a damaged header are refused before anything that large is allocated.</summary>
    [Test]
    public void ImpossibleSizesAreRejected()
    {
        string negative = IdxWriter.Write(folder.File("negative"), IdxWriter.Bytes(0x00000803, [unchecked((int)0x80000000), 1, 1], []), gzip: false);
        string huge = IdxWriter.Write(folder.File("huge"), IdxWriter.Bytes(0x00000803, [65536, 65536, 1], []), gzip: false);

        UserErrorAssert.Throws(() => IdxFile.ReadImages(negative), negative, "the image count in the IDX header, 2147483648, is too large");
        UserErrorAssert.Throws(() => IdxFile.ReadImages(huge), huge, "65536 x 65536 x 1 pixel bytes are more than an array can hold");
    }

    [Test]
    public void GzipMagicFollowedByGarbageIsACorruptGzipStream()
    {
        string path = IdxWriter.Write(folder.File("images.gz"), [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff], gzip: false);
        UserErrorAssert.Throws(() => IdxFile.ReadImages(path), path, "corrupt gzip stream");
    }

    /// <summary>The gzip trailer's CRC-32 covers the decompressed bytes: a wrong one means the data cannot be trusted.</summary>
    [Test]
    public void WrongGzipChecksumIsACorruptGzipStream()
    {
        byte[] compressed = IdxWriter.Gzip(IdxWriter.Bytes(0x00000803, [2, 3, 3], IdxWriter.Pattern(18)));
        compressed[^8] ^= 0xff;
        string path = IdxWriter.Write(folder.File("images.gz"), compressed, gzip: false);

        UserErrorAssert.Throws(() => IdxFile.ReadImages(path), path, "corrupt gzip stream");
    }

    /// <summary>A gzip stream that ends early reads as short data, so it is reported as truncated.</summary>
    [Test]
    public void CutGzipFileIsTruncated()
    {
        byte[] compressed = IdxWriter.Gzip(IdxWriter.Bytes(0x00000803, [20, 10, 10], IdxWriter.Pattern(2000)));
        string path = IdxWriter.Write(folder.File("images.gz"), compressed[..(compressed.Length / 2)], gzip: false);

        UserErrorAssert.Throws(() => IdxFile.ReadImages(path), path, "truncated: expected 2000 bytes of pixel data, found");
    }
}
