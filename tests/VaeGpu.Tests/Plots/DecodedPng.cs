using SkiaSharp;

namespace VaeGpu.Tests.Plots;

/// <summary>Reads back a PNG a plot writer produced, checking that it is one.</summary>
static class DecodedPng
{
    static readonly byte[] Signature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    public static SKBitmap Read(string path)
    {
        byte[] bytes = File.ReadAllBytes(path);
        Assert.That(bytes.Take(Signature.Length), Is.EqualTo(Signature), $"{path} does not start with the PNG signature");
        var bitmap = SKBitmap.Decode(bytes);
        Assert.That(bitmap, Is.Not.Null, $"SkiaSharp cannot decode {path}");
        return bitmap;
    }

    /// <summary>Every file in the folder, so a test can check that no temporary file was left beside the output.</summary>
    public static string[] FilesIn(string folder) => [.. Directory.GetFiles(folder).Select(Path.GetFileName).Order()!];
}
