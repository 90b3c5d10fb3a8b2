using VaeGpu.Host.Diagnostics;
using System.CommandLine;
using System.Diagnostics;
using VaeGpu.Host.Files;
using VaeGpu.Runtime;
using VaeGpu.Runtime.HostPath;
using VaeGpu.Runtime.Devices;

namespace VaeGpu.Cli.Check;

/// <summary>
/// `vaegpu check --device D`: every operation on D against the host path (OperationChecks), then full canonical
/// training steps (TrainingStepCheck), in the manner of llm.c's validate_result. Exit code 0 only when every case
/// passes, 1 when one fails, 2 for a user error (an absent device).
/// </summary>
static class CheckCommand
{
    /// <summary>Training steps by default: many where a step takes microseconds, a few on the simulators.</summary>
    static int DefaultSteps(DeviceRequest request) => request.Kind == DeviceKind.Cuda ? 200 : 3;

    public static Command Create()
    {
        var device = CommonOptions.Device();
        var json = new Option<bool>("--json") { Description = "print the results as one JSON object" };
        var steps = new Option<int?>("--steps") { Description = "canonical training steps compared with the host (default: 200 on CUDA, 3 elsewhere)" };
        var gemm = CommonOptions.Gemm();
        var command = new Command("check", "Run every operation and full training steps on a device and compare them with the host path.") { device, gemm, json, steps };
        command.SetAction(parsed =>
        {
            var request = DeviceRequest.Parse(parsed.GetValue(device)!);
            int stepCount = parsed.GetValue(steps) ?? DefaultSteps(request);
            if (stepCount is < 1 or > 100_000) throw new UserErrorException($"--steps {stepCount}: use 1 to 100000 training steps.");
            using var deviceBackend = CommonOptions.OpenDevice(parsed.GetValue(device)!, parsed.GetValue(gemm)!);
            using var hostBackend = new HostBackend();
            var (onDevice, onHost) = (new CheckOperations(deviceBackend), new CheckOperations(hostBackend));
            bool asJson = parsed.GetValue(json);
            var clock = Stopwatch.StartNew();
            var results = new List<CheckResult>();
            foreach (var check in OperationChecks.All())
            {
                var result = CheckResult.Compare(check, check.Run(onDevice), check.Run(onHost));
                results.Add(result);
                if (!asJson) Console.WriteLine(CheckReport.Line(result));
            }
            foreach (var result in TrainingStepCheck.Run(onDevice, onHost, stepCount))
            {
                results.Add(result);
                if (!asJson) Console.WriteLine(CheckReport.Line(result));
            }
            int failed = results.Count(result => !result.Passed);
            if (asJson) Console.WriteLine(CheckReport.Json(deviceBackend.Name, results));
            else Console.WriteLine($"{results.Count - failed} of {results.Count} checks passed on {deviceBackend.Name} in {clock.Elapsed.TotalSeconds:F1} s");
            return failed == 0 ? 0 : 1;
        });
        return command;
    }
}
