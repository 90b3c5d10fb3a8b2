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

    /// <summary>Three steps, so the moments and the step-dependent bias corrections are exercised.</summary>
    [TestCaseSource(typeof(Backends), nameof(Backends.All))]
    public void AdamMatchesReferenceOverSeveralSteps(string backendName)
    {
        var backend = Backends.Get(backendName);
        float[] parameters = RandomArrays.Uniform(Length, 3);
        float[] m = new float[Length], v = new float[Length];
        var (tensor, tensorM, tensorV) = (backend.Upload(parameters, 1, Length), backend.Allocate(1, Length), backend.Allocate(1, Length));

        for (int step = 1; step <= 3; step++)
        {
            float[] gradients = RandomArrays.Uniform(Length, 10 + step);
            var adamStep = AdamStep.Create(1e-2f, step);
            backend.AdamUpdate(tensor, backend.Upload(gradients, 1, Length), tensorM, tensorV, adamStep);
            OptimizerReference.Adam(parameters, gradients, m, v, adamStep);
        }

        Assert.That(backend.Download(tensor), Is.EqualTo(parameters).Within(1e-6f));
        Assert.That(backend.Download(tensorM), Is.EqualTo(m).Within(1e-7f));
        Assert.That(backend.Download(tensorV), Is.EqualTo(v).Within(1e-7f));
    }

    /// <summary>Adam's first step moves every parameter by the learning rate against the gradient's sign (m_hat / sqrt(v_hat) = sign(g)).</summary>
    [Test]
    public void AdamFirstStepMovesByTheLearningRate()
    {
        float[] parameters = [1f, 1f, 1f], gradients = [0.5f, -3f, 1e-3f], m = new float[3], v = new float[3];
        OptimizerReference.Adam(parameters, gradients, m, v, AdamStep.Create(0.1f, 1));
        Assert.That(parameters, Is.EqualTo(new[] { 0.9f, 1.1f, 0.9f }).Within(1e-4f));
    }
}
