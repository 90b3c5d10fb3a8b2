using System.CommandLine;
using VaeGpu.Host;
using VaeGpu.Runtime;

var root = new RootCommand("vaegpu: variational inference on GPUs (ILGPU) and on a fast host path.");
root.Subcommands.Add(DevicesCommand.Create());

try
{
    return root.Parse(args).Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
}
catch (UserErrorException error)
{
    Console.Error.WriteLine($"vaegpu: error: {error.Message}");
    return 2;
}
