using VaeGpu.Host.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace VaeGpu.Cli.Check;

/// <summary>`vaegpu check`'s output: a PASS/FAIL line per case, or one JSON object.</summary>
public static class CheckReport
{
    public static string Line(CheckResult result) => string.Create(CultureInfo.InvariantCulture,
        $"{(result.Passed ? "PASS" : "FAIL")}  {result.Family,-19} {result.Name,-52} max abs {Number(result.MaxAbsoluteError)}  max rel {Number(result.MaxRelativeError)}  " +
        $"tolerance {Tolerance(result)}{(result.Problem is null ? "" : $"  ({result.Problem})")}");

    static string Tolerance(CheckResult result) => (result.AbsoluteTolerance, result.RelativeTolerance) switch
    {
        (0, 0) => "bit-identical",
        (0, var relative) => $"{relative:0.#e0} relative",
        var (absolute, relative) => string.Create(CultureInfo.InvariantCulture, $"{absolute:0.#e0} + {relative:0.#e0} |host|"),
    };

    static string Number(double value) => double.IsNaN(value) ? "    -   " : value.ToString("0.00e+00", CultureInfo.InvariantCulture);

    public static string Json(string device, IReadOnlyList<CheckResult> results) => JsonSerializer.Serialize(new
    {
        device,
        passed = results.All(result => result.Passed),
        cases = results.Count,
        failed = results.Count(result => !result.Passed),
        results = results.Select(result => new
        {
            family = result.Family, name = result.Name, passed = result.Passed,
            max_absolute_error = Finite(result.MaxAbsoluteError), max_relative_error = Finite(result.MaxRelativeError),
            absolute_tolerance = result.AbsoluteTolerance, relative_tolerance = result.RelativeTolerance, problem = result.Problem,
        }),
    });

    /// <summary>JSON has no NaN or infinity: not measured is null, and an infinite error is the largest double.</summary>
    static double? Finite(double value) => double.IsNaN(value) ? null : double.IsInfinity(value) ? double.MaxValue : value;
}
