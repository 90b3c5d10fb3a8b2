using System.Globalization;
using System.Text.RegularExpressions;

namespace VaeGpu.Tests.Ptx;

/// <summary>One function's resources as `ptxas -v` reports them. Registers is null for a non-entry function (ptxas
/// reports registers only for entries).</summary>
public sealed record PtxasFunction(string Name, bool IsEntry, int? Registers, int StackFrameBytes, int SpillStoreBytes, int SpillLoadBytes)
{
    public bool HasStackOrSpills => StackFrameBytes != 0 || SpillStoreBytes != 0 || SpillLoadBytes != 0;

    public override string ToString() =>
        $"{Name}: {(Registers is { } registers ? $"{registers} registers" : "no register count")}, {StackFrameBytes} bytes stack frame, " +
        $"{SpillStoreBytes} bytes spill stores, {SpillLoadBytes} bytes spill loads";
}

/// <summary>
/// Reads the report of `ptxas -v` (CUDA 11.8), which looks like
/// <code>
/// ptxas info    : Compiling entry function 'Kernel_Tiled' for 'sm_90'
/// ptxas info    : Function properties for Kernel_Tiled
///     0 bytes stack frame, 0 bytes spill stores, 0 bytes spill loads
/// ptxas info    : Used 19 registers, 2048 bytes smem
/// </code>
/// </summary>
public static partial class PtxasReport
{
    [GeneratedRegex(@"Compiling entry function '([^']+)'")]
    private static partial Regex EntryLine();

    [GeneratedRegex(@"Function properties for (\S+)")]
    private static partial Regex PropertiesLine();

    [GeneratedRegex(@"(\d+) bytes stack frame, (\d+) bytes spill stores, (\d+) bytes spill loads")]
    private static partial Regex StackLine();

    [GeneratedRegex(@"Used (\d+) registers")]
    private static partial Regex RegistersLine();

    /// <summary>Every function the report describes, in its order. Throws FormatException when a function lacks its stack
    /// line or an entry lacks its register count, so that a changed report format fails loudly rather than passing.</summary>
    public static IReadOnlyList<PtxasFunction> Parse(string output)
    {
        var names = new List<string>();
        var entries = new HashSet<string>(StringComparer.Ordinal);
        var stacks = new Dictionary<string, (int Stack, int Stores, int Loads)>(StringComparer.Ordinal);
        var registers = new Dictionary<string, int>(StringComparer.Ordinal);
        string? current = null;
        foreach (string line in output.Split('\n'))
        {
            if (EntryLine().Match(line) is { Success: true } entry)
            {
                current = entry.Groups[1].Value;
                entries.Add(current);
                if (!names.Contains(current)) names.Add(current);
            }
            else if (PropertiesLine().Match(line) is { Success: true } properties)
            {
                current = properties.Groups[1].Value;
                if (!names.Contains(current)) names.Add(current);
            }
            if (StackLine().Match(line) is { Success: true } stack)
            {
                if (current is null) throw new FormatException($"ptxas -v: a stack line before any function: {line.Trim()}");
                stacks[current] = (Int(stack, 1), Int(stack, 2), Int(stack, 3));
            }
            if (RegistersLine().Match(line) is { Success: true } used)
            {
                if (current is null) throw new FormatException($"ptxas -v: a register count before any function: {line.Trim()}");
                registers[current] = Int(used, 1);
            }
        }

        if (names.Count == 0) throw new FormatException("ptxas -v reported no function");
        return names.Select(name =>
        {
            if (!stacks.TryGetValue(name, out var stack))
                throw new FormatException($"ptxas -v: no stack frame / spill line for {name}");
            bool isEntry = entries.Contains(name);
            int? used = registers.TryGetValue(name, out int count) ? count : null;
            if (isEntry && used is null) throw new FormatException($"ptxas -v: no register count for entry {name}");
            return new PtxasFunction(name, isEntry, used, stack.Stack, stack.Stores, stack.Loads);
        }).ToList();
    }

    static int Int(Match match, int group) => int.Parse(match.Groups[group].Value, CultureInfo.InvariantCulture);
}
