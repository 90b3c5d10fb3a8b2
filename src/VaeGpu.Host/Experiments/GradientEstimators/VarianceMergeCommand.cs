using System.CommandLine;

namespace VaeGpu.Host.Experiments.GradientEstimators;

/// <summary>
/// `vaegpu merge SHARD_FILES...`: combines the shard files of one `vaegpu variance gaussian --shard` run and prints what
/// the unsharded run prints (the same numbers up to the rounding of the double combination).
/// </summary>
public static class VarianceMergeCommand
{
    public static Command Create()
    {
        var files = new Argument<string[]>("SHARD_FILES") { Description = "the JSON files written by `vaegpu variance gaussian --shard i/n --out FILE`", Arity = ArgumentArity.OneOrMore };
        var json = new Option<bool>("--json") { Description = "print the result as one JSON object" };
        var command = new Command("merge", "Merge the shard files of a `vaegpu variance gaussian --shard` run into the run's result.") { files, json };
        command.SetAction(parsed =>
        {
            var shards = parsed.GetValue(files)!.Select(path => (path, VarianceShardFile.Read(path))).ToList();
            var (settings, estimators) = VarianceShardMerge.Merge(shards);
            var result = new GaussianVarianceResult(settings, GradientQuadrature.Solve(settings.Cost, settings.K, settings.Mu, settings.Sigma), estimators);
            Console.WriteLine(parsed.GetValue(json) ? GaussianVarianceReport.Json(result) : GaussianVarianceReport.Table(result));
            return 0;
        });
        return command;
    }
}
