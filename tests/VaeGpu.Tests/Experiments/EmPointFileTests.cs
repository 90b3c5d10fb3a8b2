using VaeGpu.Host.Experiments.GaussianMixture;
using VaeGpu.Tests.Data;

namespace VaeGpu.Tests.Experiments;

/// <summary>`vaegpu em --data FILE`: what is read, and what is refused with a one-line error naming the file and line.</summary>
public class EmPointFileTests : TemporaryFolderTests
{
    string Write(string content)
    {
        string path = Folder.File("points.csv");
        File.WriteAllText(path, content);
        return path;
    }

    [Test]
    public void ReadsCommasSpacesCommentsAndAHeader()
    {
        var points = PointFile.Read(Write("# two clusters\nx, y\n1.5,-2\n\n3 4e1   # a comment\n-0.25 ,\t7\n"));
        Assert.That((points.Count, points.Dimension), Is.EqualTo((3, 2)));
        Assert.That(points.Values, Is.EqualTo(new[] { 1.5f, -2f, 3f, 40f, -0.25f, 7f }));
    }

    [Test]
    public void RaggedRowsAreRefused() =>
        UserErrorAssert.Throws(() => PointFile.Read(Write("1,2\n3,4\n5,6,7\n")), "points.csv:3:", "3 numbers", "(line 1) has 2");

    [TestCase("1,2\nNaN,4\n", "points.csv:2:", "'NaN' is not a finite number")]
    [TestCase("1,2\n3,-Infinity\n", "points.csv:2:", "not a finite number")]
    [TestCase("1,2\n3,four\n", "points.csv:2:", "'four' is not a number")]
    [TestCase("1,2\n3,,4\n", "points.csv:2:", "empty field")]
    [TestCase("1,2\n3,1e39\n", "points.csv:2:", "beyond float range")]
    public void BadNumbersAreRefused(string content, string location, string problem) =>
        UserErrorAssert.Throws(() => PointFile.Read(Write(content)), location, problem);

    [TestCase("")]
    [TestCase("# only a comment\n\n")]
    [TestCase("x,y\n")]
    public void FilesWithoutPointsAreRefused(string content) =>
        UserErrorAssert.Throws(() => PointFile.Read(Write(content)), "points.csv", "no points");

    [Test]
    public void AMissingFileIsRefused() =>
        UserErrorAssert.Throws(() => PointFile.Read(Folder.File("absent.csv")), "absent.csv", "no such file");
}
