namespace VaeGpu.Tests.Commands;

/// <summary>The arguments of a `vaegpu train` run from defaults, where each (option, value) pair given replaces the default of that option.</summary>
public static class TrainArguments
{
    public static string[] With(Dictionary<string, string> defaults, params string[] overrides)
    {
        var options = new Dictionary<string, string>(defaults);
        for (int i = 0; i < overrides.Length; i += 2) options[overrides[i]] = overrides[i + 1];
        return ["train", .. options.SelectMany(option => new[] { option.Key, option.Value })];
    }
}
