namespace VaeGpu.Runtime;

/// <summary>A setting as the library names it (the C# property or parameter, e.g. "Latent") and its value as text.</summary>
public readonly record struct SettingValue(string Name, string Value);
