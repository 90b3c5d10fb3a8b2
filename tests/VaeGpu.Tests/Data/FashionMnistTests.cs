using System.Diagnostics;
using VaeGpu.Host.Data;

namespace VaeGpu.Tests.Data;

/// <summary>The real Fashion-MNIST from Debian's dataset-fashion-mnist, where it is installed (./test.sh installs it).</summary>
public class FashionMnistTests
{
    static void RequireInstalled()
    {
        if (!Directory.Exists(ImageDataset.FashionMnistFolder))
            Assert.Ignore($"Fashion-MNIST is not installed ({ImageDataset.FashionMnistFolder} is absent): apt-get install dataset-fashion-mnist");
    }

    /// <summary>60000 train and 10000 test images of 28x28, 6000 and 1000 of each of the ten classes. Prints the load time.</summary>
    [Test]
    public void FashionMnistLoads()
    {
        RequireInstalled();
        var stopwatch = Stopwatch.StartNew();
        var dataset = ImageDataset.Load(ImageDataset.FashionMnistName);
        stopwatch.Stop();
        TestContext.Out.WriteLine($"Fashion-MNIST loaded in {stopwatch.Elapsed.TotalMilliseconds:F0} ms");

        foreach (var (split, count) in new[] { (dataset.Train, 60000), (dataset.Test, 10000) })
        {
            Assert.That((split.Count, split.Rows, split.Columns), Is.EqualTo((count, 28, 28)));
            Assert.That(split.Pixels(), Has.Length.EqualTo(count * 28 * 28));
            Assert.That(split.Pixels().Min(), Is.EqualTo(0f));
            Assert.That(split.Pixels().Max(), Is.EqualTo(1f));
            Assert.That(split.Labels, Is.Not.Null);
            var perClass = split.Labels!.CountBy(label => label).OrderBy(pair => pair.Key).ToArray();
            Assert.That(perClass.Select(pair => (int)pair.Key), Is.EqualTo(Enumerable.Range(0, 10)));
            Assert.That(perClass.Select(pair => pair.Value), Has.All.EqualTo(count / 10));
        }
    }

    [Test]
    public void MissingFashionMnistSaysHowToInstallIt()
    {
        if (Directory.Exists(ImageDataset.FashionMnistFolder))
            Assert.Ignore($"Fashion-MNIST is installed ({ImageDataset.FashionMnistFolder}), so its absence cannot be checked here");

        UserErrorAssert.Throws(() => ImageDataset.Load(ImageDataset.FashionMnistName), "Fashion-MNIST is not installed", "apt-get install dataset-fashion-mnist", "another data set");
    }
}
