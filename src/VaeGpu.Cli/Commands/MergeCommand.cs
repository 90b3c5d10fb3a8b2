using System.CommandLine;
using VaeGpu.Host.Evaluation;
using VaeGpu.Host.Experiments.GradientEstimators;
using VaeGpu.Host.Experiments.ImplicitGradients;
using VaeGpu.Host.Files;
using VaeGpu.Runtime;

namespace VaeGpu.Cli.Commands;

/// <summary>
/// `vaegpu merge SHARD_FILES...`: combines the shard files of one sharded run and prints what the unsharded run prints.
/// Evaluation shards (`eval --shard`) give the same bits as the whole evaluation; variance shards (`variance gaussian|gamma|beta|vonmises
/// --shard`) the same numbers up to the rounding of the double combination. The first file's format says which.
/// </summary>
static class MergeCommand
{
    public static Command Create()
    {
        var files = new Argument<string[]>("SHARD_FILES") { Description = "the JSON files written by `vaegpu eval --shard` or `vaegpu variance gaussian|gamma|beta|vonmises --shard` with --out FILE", Arity = ArgumentArity.OneOrMore };
        var json = new Option<bool>("--json") { Description = "variance shards: print the result as one JSON object" };
        var command = new Command("merge", "Merge the shard files of a sharded `vaegpu eval` or `vaegpu variance` run into the run's result.") { files, json };
        command.SetAction(parsed =>
        {
            var paths = parsed.GetValue(files)!;
            foreach (var path in paths)
            {
                InputFile.RequireRegular(path);
                if (!File.Exists(path)) throw new UserErrorException($"merge: {path}: no such file.");
            }
            if (EvaluationShardFile.Is(paths[0]))
            {
                var shards = paths.Select(path => (path, EvaluationShardFile.Read(path))).ToList();
                Console.WriteLine(EvaluationShardFile.Merge(shards).Line(shards[0].Item2.Settings.Binarize, shards[0].Item2.Settings.Sampler));
                return 0;
            }
            if (ImplicitVarianceShardFile.Is(paths[0]))
            {
                var result = ImplicitVarianceShardMerge.Merge([.. paths.Select(path => (path, ImplicitVarianceShardFile.Read(path)))]);
                Console.WriteLine(parsed.GetValue(json) ? ImplicitVarianceReport.Json(result) : ImplicitVarianceReport.Table(result));
                return 0;
            }
            var variance = paths.Select(path => (path, VarianceShardFile.Read(path))).ToList();
            var (settings, estimators) = VarianceShardMerge.Merge(variance);
            var gaussian = new GaussianVarianceResult(settings, GradientQuadrature.Solve(settings.Cost, settings.K, settings.Mu, settings.Sigma), estimators);
            Console.WriteLine(parsed.GetValue(json) ? GaussianVarianceReport.Json(gaussian) : GaussianVarianceReport.Table(gaussian));
            return 0;
        });
        return command;
    }
}
