using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Jobs;
using Perfolizer.Horology;

namespace VaeGpu.Bench;

/// <summary>
/// The job for fast operations: a fixed count of short iterations instead of BenchmarkDotNet's adaptive default,
/// which on this noisy 2-core machine can run to 100 iterations per case. 15 x 250 ms gives a usable median and
/// keeps the whole suite to a few minutes.
/// </summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class SteadyJobAttribute() : JobConfigBaseAttribute(Job.Default
    .WithId("Steady")
    .WithLaunchCount(1)
    .WithWarmupCount(3)
    .WithIterationCount(15)
    .WithIterationTime(TimeInterval.FromMilliseconds(250)));

/// <summary>
/// The job for ILGPU's CPU accelerator, where one call can take ~0.4 s: one warmup and three measured iterations
/// are enough to tell its (very large) distance from the host path without spending minutes per case.
/// </summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class SimulatorJobAttribute() : JobConfigBaseAttribute(Job.Default
    .WithId("Simulator")
    .WithLaunchCount(1)
    .WithWarmupCount(1)
    .WithIterationCount(3)
    .WithIterationTime(TimeInterval.FromMilliseconds(250)));
