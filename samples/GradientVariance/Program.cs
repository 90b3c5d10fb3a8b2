using VaeGpu.Kernels;
using VaeGpu.Runtime;
using VaeGpu.Runtime.Devices;
using VaeGpu.Runtime.Experiments.GradientEstimators;

// Which gradient estimator should I use for d/dmu and d/dsigma of E[(x - k)^2], x ~ N(mu, sigma^2)? Draws 2^20
// single-sample gradients of each estimator on the best device VaeGpu finds, and prints their means against the exact
// gradient (2 (mu - k), 2 sigma) and their variances: the score function is unbiased too, but far noisier.
//   dotnet run -- [mu] [sigma] [k] [device]
double Argument(int index, double fallback) => args.Length > index ? double.Parse(args[index], System.Globalization.CultureInfo.InvariantCulture) : fallback;
float mu = (float)Argument(0, 0.5), sigma = (float)Argument(1, 1.5), k = (float)Argument(2, 1);
string device = args.Length > 3 ? args[3] : "auto";
const int Samples = 1 << 20;

try
{
    using var backend = DeviceCatalog.Open(DeviceRequest.Parse(device));
    var operations = GradientEstimatorOperations.For(backend);
    var terms = backend.Allocate(2, Samples);
    var sums = backend.Allocate(1, 4);
    var problem = new GradientEstimatorProblem(GradientEstimatorCost.Quadratic, k, mu, sigma);
    Console.WriteLine($"E[(x - {k})^2] under N({mu}, {sigma}^2) on {backend.Name}: exact gradient d/dmu {2 * (mu - k):F4}, d/dsigma {2 * sigma:F4}");
    foreach (var estimator in new[] { GradientEstimator.Pathwise, GradientEstimator.Score })
    {
        operations.Terms(estimator, problem, 0f, 0f, 0f, 0f, seed: 1, stream: (ulong)estimator, first: 0, terms);
        var (dMu, dSigma) = (backend.View(terms, 0, 1, Samples), backend.View(terms, Samples, 1, Samples));
        backend.Sum(dMu, backend.View(sums, 0, 1, 1));
        backend.SumOfSquares(dMu, backend.View(sums, 1, 1, 1));
        backend.Sum(dSigma, backend.View(sums, 2, 1, 1));
        backend.SumOfSquares(dSigma, backend.View(sums, 3, 1, 1));
        var values = new float[4];
        backend.Download(sums, values);
        double meanMu = values[0] / (double)Samples, meanSigma = values[2] / (double)Samples;
        double varianceMu = values[1] / (double)Samples - meanMu * meanMu, varianceSigma = values[3] / (double)Samples - meanSigma * meanSigma;
        Console.WriteLine($"{estimator,-9} mean d/dmu {meanMu,8:F4} (variance {varianceMu,9:F3})   mean d/dsigma {meanSigma,8:F4} (variance {varianceSigma,9:F3})");
    }
    return 0;
}
catch (UserErrorException error)
{
    Console.Error.WriteLine($"GradientVariance: {error.Message}");
    return 2;
}
