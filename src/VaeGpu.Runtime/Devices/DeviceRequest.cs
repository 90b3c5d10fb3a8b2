namespace VaeGpu.Runtime.Devices;

public enum DeviceKind { Auto, Cuda, OpenCL, Cpu, Host }

/// <summary>What the user asked for with --device: auto | cuda[:N] | opencl[:N] | cpu | host.</summary>
public readonly record struct DeviceRequest(DeviceKind Kind, int Index = 0)
{
    public const string Syntax = "auto, cuda[:N], opencl[:N], cpu or host";

    public static DeviceRequest Parse(string text)
    {
        var parts = text.Trim().ToLowerInvariant().Split(':');
        var kind = parts[0] switch
        {
            "auto" => DeviceKind.Auto,
            "cuda" => DeviceKind.Cuda,
            "opencl" => DeviceKind.OpenCL,
            "cpu" => DeviceKind.Cpu,
            "host" => DeviceKind.Host,
            _ => throw new UserErrorException($"unknown device '{text}': use {Syntax}."),
        };
        if (parts.Length == 1) return new DeviceRequest(kind);
        bool indexed = kind is DeviceKind.Cuda or DeviceKind.OpenCL;
        if (!indexed || parts.Length != 2 || !int.TryParse(parts[1], out int index) || index < 0)
            throw new UserErrorException($"bad device '{text}': use {Syntax} (only cuda and opencl take an index N >= 0).");
        return new DeviceRequest(kind, index);
    }

    public override string ToString() => Kind switch
    {
        DeviceKind.Cuda or DeviceKind.OpenCL => $"{Kind.ToString().ToLowerInvariant()}:{Index}",
        _ => Kind.ToString().ToLowerInvariant(),
    };
}
