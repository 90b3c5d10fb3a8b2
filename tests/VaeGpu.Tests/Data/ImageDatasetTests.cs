using VaeGpu.Host.Data;

namespace VaeGpu.Tests.Data;

public class ImageDatasetTests
{
    TemporaryFolder folder = null!;

    [SetUp]
    public void CreateFolder() => folder = new TemporaryFolder();

    [TearDown]
    public void DeleteFolder() => folder.Dispose();

    [Test]
    public void FolderWithImagesAndLabelsLoads([Values] bool gzip)
    {
        string suffix = gzip ? ".gz" : "";
        byte[] trainPixels = IdxWriter.Pattern(3 * 4 * 2), testPixels = IdxWriter.Pattern(2 * 4 * 2).Reverse().ToArray();
        IdxWriter.WriteImages(folder.File("train-images-idx3-ubyte" + suffix), 3, 4, 2, gzip, trainPixels);
        IdxWriter.WriteImages(folder.File("t10k-images-idx3-ubyte" + suffix), 2, 4, 2, gzip, testPixels);
        IdxWriter.WriteLabels(folder.File("train-labels-idx1-ubyte" + suffix), [7, 0, 3], gzip);
        IdxWriter.WriteLabels(folder.File("t10k-labels-idx1-ubyte" + suffix), [9, 1], gzip);

        var dataset = ImageDataset.Load(folder.Path);

        Assert.That((dataset.Train.Count, dataset.Train.Rows, dataset.Train.Columns), Is.EqualTo((3, 4, 2)));
        Assert.That((dataset.Test.Count, dataset.Test.Rows, dataset.Test.Columns), Is.EqualTo((2, 4, 2)));
        Assert.That(dataset.Train.Pixels(), Is.EqualTo(trainPixels.Select(value => value / 255f).ToArray()));
        Assert.That(dataset.Test.Pixels(), Is.EqualTo(testPixels.Select(value => value / 255f).ToArray()));
        Assert.That(dataset.Train.Labels, Is.EqualTo(new byte[] { 7, 0, 3 }));
        Assert.That(dataset.Test.Labels, Is.EqualTo(new byte[] { 9, 1 }));
    }

    [Test]
    public void LabelsAreOptionalForEachSplit()
    {
        IdxWriter.WriteImages(folder.File("train-images-idx3-ubyte.gz"), 2, 3, 3, gzip: true);
        IdxWriter.WriteImages(folder.File("t10k-images-idx3-ubyte"), 1, 3, 3, gzip: false);
        IdxWriter.WriteLabels(folder.File("t10k-labels-idx1-ubyte"), [5], gzip: false);

        var dataset = ImageDataset.Load(folder.Path);

        Assert.That(dataset.Train.Labels, Is.Null);
        Assert.That(dataset.Test.Labels, Is.EqualTo(new byte[] { 5 }));
    }

    /// <summary>Where a file is there both raw and as .gz, the raw one is read (the same data, without decompressing).</summary>
    [Test]
    public void RawFileIsPreferredToItsGzipCopy()
    {
        IdxWriter.WriteImages(folder.File("train-images-idx3-ubyte"), 1, 1, 2, gzip: false, [0, 255]);
        IdxWriter.WriteImages(folder.File("train-images-idx3-ubyte.gz"), 1, 1, 2, gzip: true, [255, 0]);
        IdxWriter.WriteImages(folder.File("t10k-images-idx3-ubyte"), 1, 1, 2, gzip: false);

        Assert.That(ImageDataset.Load(folder.Path).Train.Pixels(), Is.EqualTo(new[] { 0f, 1f }));
    }

    [Test]
    public void MissingFolderIsNamed()
    {
        string absent = folder.File("absent");
        UserErrorAssert.Throws(() => ImageDataset.Load(absent), absent, "no such folder");
    }

    [Test]
    public void MissingImageFilesAreNamed()
    {
        UserErrorAssert.Throws(() => ImageDataset.Load(folder.Path), folder.Path, "no train-images-idx3-ubyte[.gz] and no t10k-images-idx3-ubyte[.gz]");

        IdxWriter.WriteImages(folder.File("train-images-idx3-ubyte.gz"), 1, 2, 2, gzip: true);
        string message = UserErrorAssert.Throws(() => ImageDataset.Load(folder.Path), folder.Path, "no t10k-images-idx3-ubyte[.gz]");
        Assert.That(message, Does.Not.Contain("train-images"));
    }

    [Test]
    public void LabelCountMustEqualImageCount()
    {
        IdxWriter.WriteImages(folder.File("train-images-idx3-ubyte"), 3, 2, 2, gzip: false);
        IdxWriter.WriteImages(folder.File("t10k-images-idx3-ubyte"), 1, 2, 2, gzip: false);
        string labels = IdxWriter.WriteLabels(folder.File("train-labels-idx1-ubyte.gz"), [1, 2], gzip: true);

        UserErrorAssert.Throws(() => ImageDataset.Load(folder.Path), labels, "has 2 labels but", folder.File("train-images-idx3-ubyte"), "has 3 images");
    }

    [Test]
    public void TrainAndTestImagesMustHaveTheSameSize()
    {
        string train = IdxWriter.WriteImages(folder.File("train-images-idx3-ubyte"), 2, 28, 28, gzip: false);
        string test = IdxWriter.WriteImages(folder.File("t10k-images-idx3-ubyte"), 2, 32, 28, gzip: false);

        UserErrorAssert.Throws(() => ImageDataset.Load(folder.Path), "train images are 28x28", train, "test images are 32x28", test);
    }

    /// <summary>A broken file inside the folder is reported by IdxFile, naming that file.</summary>
    [Test]
    public void BrokenFileInTheFolderIsNamed()
    {
        IdxWriter.WriteImages(folder.File("train-images-idx3-ubyte"), 2, 2, 2, gzip: false);
        IdxWriter.WriteImages(folder.File("t10k-images-idx3-ubyte"), 2, 2, 2, gzip: false);
        string labels = IdxWriter.WriteImages(folder.File("t10k-labels-idx1-ubyte"), 2, 2, 2, gzip: false);

        UserErrorAssert.Throws(() => ImageDataset.Load(folder.Path), labels, "wrong magic number");
    }
}
