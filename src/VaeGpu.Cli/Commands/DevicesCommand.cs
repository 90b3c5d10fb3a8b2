using System.CommandLine;
using VaeGpu.Runtime;
using VaeGpu.Runtime.Devices;

namespace VaeGpu.Cli.Commands;

/// <summary>`vaegpu devices`: every device found, with what a kernel author needs to know about it.</summary>
static class DevicesCommand
{
    public static Command Create()
    {
        var command = new Command("devices", "List CUDA, OpenCL, ILGPU CPU-accelerator and host devices, and why any cannot be used.");
        command.SetAction(_ => Print(Console.Out));
        return command;
    }

    static void Print(TextWriter output)
    {
        var devices = DeviceCatalog.Discover();
        output.WriteLine($"cuda: {DeviceCatalog.CudaSummary(devices)}");
        output.WriteLine($"cublas: {DeviceCatalog.CuBlasSummary()}");
        output.WriteLine($"{"id",-9} {"memory",10} {"warp",5} {"group",6}  name");
        foreach (var device in devices)
        {
            output.WriteLine($"{device.Id,-9} {FormatBytes(device.MemoryBytes),10} {device.WarpSize,5} {device.MaxThreadsPerGroup,6}  {device.Name}");
            if (!device.Usable) output.WriteLine($"{"",9} unusable: {device.UnusableReason}");
        }
        output.WriteLine("--device auto picks the first CUDA device, else the first usable OpenCL device, else host.");
    }

    static string FormatBytes(long bytes) => bytes >= 1L << 30 ? $"{bytes / (double)(1L << 30):F1} GiB" : $"{bytes / (double)(1L << 20):F0} MiB";
}
