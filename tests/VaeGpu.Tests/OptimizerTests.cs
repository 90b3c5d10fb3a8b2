using VaeGpu.Kernels;

namespace VaeGpu.Tests;

public class OptimizerTests
{
    const int Length = 1000;

    [TestCaseSource(typeof(Backends), nameof(Backends.All))]
    public void SgdMatchesReference(string backendName)
    {
        var backend = Backends.Get(backendName);
        float[] parameters = RandomArrays.Uniform(Length, 1), gradients = RandomArrays.Uniform(Length, 2);
        var tensor = backend.Upload(parameters, 1, Length);

        backend.SgdUpdate(tensor, backend.Upload(gradients, 1, Length), 0.1f);

        OptimizerReference.Sgd(parameters, gradients, 0.1f);
        Assert.That(backend.Download(tensor), Is.EqualTo(parameters).Within(1e-7f));
    }

    /// <summary>
    /// Three steps, so the moments and the step-dependent bias corrections are exercised; AdamStep.Create's defaults are
    /// checked against the reference's (PyTorch's).
    /// </summary>
    [TestCaseSource(typeof(Backends), nameof(Backends.All))]
    public void AdamMatchesReferenceOverSeveralSteps(string backendName)
    {
        const float LearningRate = 1e-2f;
        var backend = Backends.Get(backendName);
        float[] initial = RandomArrays.Uniform(Length, 3);
        double[] parameters = [.. initial.Select(p => (double)p)], m = new double[Length], v = new double[Length];
        var (tensor, tensorM, tensorV) = (backend.Upload(initial, 1, Length), backend.Allocate(1, Length), backend.Allocate(1, Length));

        for (int step = 1; step <= 3; step++)
        {
            float[] gradients = RandomArrays.Uniform(Length, 10 + step);
            backend.AdamUpdate(tensor, backend.Upload(gradients, 1, Length), tensorM, tensorV, AdamStep.Create(LearningRate, step));
            OptimizerReference.Adam(parameters, gradients, m, v, step, LearningRate);
        }

        Assert.That(backend.Download(tensor), Is.EqualTo(parameters).Within(1e-6));
        Assert.That(backend.Download(tensorM), Is.EqualTo(m).Within(1e-7));
        Assert.That(backend.Download(tensorV), Is.EqualTo(v).Within(1e-7));
    }

    /// <summary>Adam's first step moves every parameter by the learning rate against the gradient's sign (m_hat / sqrt(v_hat) = sign(g)).</summary>
    [Test]
    public void AdamFirstStepMovesByTheLearningRate()
    {
        double[] parameters = [1, 1, 1], m = new double[3], v = new double[3];
        OptimizerReference.Adam(parameters, [0.5f, -3f, 1e-3f], m, v, step: 1, learningRate: 0.1);
        Assert.That(parameters, Is.EqualTo(new[] { 0.9, 1.1, 0.9 }).Within(1e-4));
    }
}
