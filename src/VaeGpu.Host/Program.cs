using System.CommandLine;
using VaeGpu.Host;
using VaeGpu.Runtime;

var root = new RootCommand("vaegpu: variational inference on GPUs (ILGPU) and on a fast host path.");
root.Subcommands.Add(DevicesCommand.Create());

var parsed = root.Parse(args);
if (parsed.Errors.Count > 0)
{
    Console.Error.WriteLine($"vaegpu: error: {parsed.Errors[0].Message} (see vaegpu --help)");
    return 2;
}

try
{
    return parsed.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
}
catch (UserErrorException error)
{
    Console.Error.WriteLine($"vaegpu: error: {error.Message}");
    return 2;
}
