using VaeGpu.Host.Training;
using VaeGpu.Host.Model;
using VaeGpu.Kernels;
using VaeGpu.Runtime;
using VaeGpu.Runtime.HostPath;

namespace VaeGpu.Tests.HostPath;

/// <summary>
/// The host path's thread team: every item runs once, failures reach the caller, a second caller is not blocked, and
/// the numbers of a whole training step do not depend on the team's size.
/// </summary>
public class HostThreadsTests
{
    [TestCase(1, 0)]
    [TestCase(1, 7)]
    [TestCase(3, 1)]
    [TestCase(3, 1000)]
    public void EveryItemRunsExactlyOnce(int teamSize, int items)
    {
        var team = HostThreads.WithCount(teamSize);
        for (int round = 0; round < 50; round++)
        {
            var runs = new int[items];
            team.For(items, item => Interlocked.Increment(ref runs[item]));
            Assert.That(runs, Is.All.EqualTo(1), $"round {round}");
        }
    }

    [Test]
    public void AFailingItemReachesTheCallerAndTheTeamStillWorks()
    {
        var team = HostThreads.WithCount(3);
        var error = Assert.Throws<InvalidOperationException>(() => team.For(100, item =>
        {
            if (item == 37) throw new InvalidOperationException("item 37");
        }));
        Assert.That(error!.Message, Is.EqualTo("item 37"));
        int sum = 0;
        team.For(100, item => Interlocked.Add(ref sum, item));
        Assert.That(sum, Is.EqualTo(4950));
    }

    [Test]
    public void APassStartedFromAnItemRunsInsideIt()
    {
        var team = HostThreads.WithCount(3);
        var runs = new int[20 * 30];
        team.For(20, outer => team.For(30, inner => Interlocked.Increment(ref runs[outer * 30 + inner])));
        Assert.That(runs, Is.All.EqualTo(1));
    }

    [Test]
    public void TwoCallersAtOnceBothFinish()
    {
        var team = HostThreads.WithCount(2);
        long total = 0;
        Parallel.For(0, 8, _ =>
        {
            for (int round = 0; round < 200; round++) team.For(16, item => Interlocked.Add(ref total, item + 1));
        });
        Assert.That(total, Is.EqualTo(8L * 200 * 136));
    }

    /// <summary>
    /// A canonical-width step (784-400-20, Bernoulli, Adam, a full batch and the short one an epoch ends with) on teams
    /// of 1, 2 and 3: the same bits in every gradient, parameter, moment and loss. With OpenBLAS this holds because a
    /// product's blocks depend on its shape alone (OpenBLAS rounds a short block differently from a tall one).
    /// </summary>
    [TestCase(true)]
    [TestCase(false)]
    public void AStepGivesTheSameBitsOnEveryTeamSize(bool useOpenBlas)
    {
        if (useOpenBlas && OpenBlas.Instance is null) Assert.Ignore("no OpenBLAS here");
        var results = new[] { 1, 2, 3 }.Select(threads => Step(new HostBackend(useOpenBlas, threads))).ToList();
        for (int i = 1; i < results.Count; i++)
            for (int part = 0; part < results[0].Length; part++)
                Assert.That(results[i][part], Is.EqualTo(results[0][part]), $"team of {i + 1}, part {part}");
    }

    static float[][] Step(HostBackend backend)
    {
        var model = new VaeModel(backend, CanonicalVae.Config, CanonicalVae.Batch);
        model.Initialise(seed: 5);
        var adam = new Adam(backend, model.Layout.Count, 1e-3f);
        var step = new TrainingStep(backend, model, adam);
        var images = backend.Allocate(224, 784);
        backend.Upload(RandomArrays.Uniform(224 * 784, 8, 0f, 1f), images);
        var order = backend.AllocateIndices(224);
        backend.Upload([.. Enumerable.Range(0, 224)], order);
        foreach (int rows in new[] { 128, 96 })
            step.Run(model.Buffers(rows), images, order, adam.Steps * 128, seed: 1, stream: (ulong)adam.Steps);
        return [backend.Download(model.Gradients), backend.Download(model.Parameters), backend.Download(adam.FirstMoments),
            backend.Download(adam.SecondMoments), backend.Download(model.RunningSums)];
    }
}
