using System.CommandLine;
using System.CommandLine.Parsing;
using VaeGpu.Cli;
using VaeGpu.Cli.Bench;
using VaeGpu.Cli.Check;
using VaeGpu.Cli.Experiments;
using VaeGpu.Runtime;
using VaeGpu.Cli.Commands;
using VaeGpu.Host.Files;

var root = new RootCommand("vaegpu: variational inference on GPUs (ILGPU) and on a fast host path.");
root.Subcommands.Add(DevicesCommand.Create());
root.Subcommands.Add(CheckCommand.Create());
root.Subcommands.Add(BenchCommand.Create());
root.Subcommands.Add(TrainCommand.Create());
root.Subcommands.Add(EvalCommand.Create());
root.Subcommands.Add(SampleCommand.Create());
root.Subcommands.Add(EncodeCommand.Create());
root.Subcommands.Add(DecodeCommand.Create());
root.Subcommands.Add(ScoreCommand.Create());
root.Subcommands.Add(ExportCommand.Create());
root.Subcommands.Add(VarianceCommand.Create(VaeVarianceCommand.Create()));
root.Subcommands.Add(MergeCommand.Create());
root.Subcommands.Add(MonteCarloCommand.Create());
root.Subcommands.Add(ElboGapCommand.Create());
root.Subcommands.Add(KlFitCommand.Create());
root.Subcommands.Add(EmCommand.Create());

var parsed = root.Parse(args);
if (parsed.Errors.Count > 0)
{
    // "Required command was not provided" for a misspelt command helps nobody: name it and the commands there are.
    if (args.Length > 0 && !args[0].StartsWith('-') && root.Subcommands.All(command => command.Name != args[0]))
    {
        Console.Error.WriteLine($"vaegpu: error: unknown command '{args[0]}': use one of {string.Join(", ", root.Subcommands.Select(command => command.Name))} (see vaegpu --help)");
        return 2;
    }
    // System.CommandLine's messages can span lines (suggestions); a user error is one line. A refused value whose
    // message does not name its option ("Argument 'cubic' not recognized") is prefixed by it, as the commands' own
    // refusals are.
    string message = string.Join(' ', parsed.Errors[0].Message.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));
    string option = parsed.Errors[0].SymbolResult is OptionResult refusing && !message.Contains(refusing.Option.Name, StringComparison.Ordinal) ? $"{refusing.Option.Name}: " : "";
    Console.Error.WriteLine($"vaegpu: error: {option}{message} (see vaegpu --help)");
    return 2;
}

StopSignals.Install();
try
{
    return parsed.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
}
catch (InvalidSettingException error)
{
    ResultFolder.RemoveEmptyCreated();
    Console.Error.WriteLine($"vaegpu: error: {SettingFlags.Describe(error, CommandPath(parsed.CommandResult))}");
    return 2;
}
catch (UserErrorException error)
{
    ResultFolder.RemoveEmptyCreated();
    Console.Error.WriteLine($"vaegpu: error: {error.Message}");
    return 2;
}

// "variance gaussian": the words after vaegpu that chose the command.
static string CommandPath(CommandResult command) =>
    command.Parent is CommandResult parent && parent.Parent is not null ? $"{CommandPath(parent)} {command.Command.Name}" : command.Command.Name;
