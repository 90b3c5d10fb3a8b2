using System.Text.RegularExpressions;

namespace VaeGpu.Tests.Ptx;

/// <summary>
/// A loop in SASS: the instructions from a branch-target label <c>.L_x_N:</c> to the last <c>BRA .L_x_N</c> below it
/// that jumps back there, both included.
/// </summary>
public sealed record SassLoop(string Label, int Instructions, int Ffma, int Loads)
{
    /// <summary>FFMA per load instruction (infinite when the loop loads nothing).</summary>
    public double FfmaPerLoad => Loads == 0 ? double.PositiveInfinity : (double)Ffma / Loads;

    /// <summary>The share of the loop's instructions that are FFMA.</summary>
    public double FfmaFraction => Instructions == 0 ? 0 : (double)Ffma / Instructions;

    public override string ToString() =>
        $"loop {Label}: {Instructions} instructions, {Ffma} FFMA, {Loads} loads, " +
        $"{FfmaPerLoad:0.##} FFMA per load, {FfmaFraction:P1} FFMA";
}

/// <summary>
/// Finds loops in the SASS that <c>nvdisasm -c file.cubin</c> prints (CUDA 11.8): instruction lines look like
/// <c>/*0570*/ @!P0 BRA `(.L_x_4) ;</c> and branch targets are lines <c>.L_x_4:</c>.
/// </summary>
public static partial class SassLoops
{
    /// <summary>Memory loads counted against the FFMA: generic, shared, global and local loads, the shared-memory matrix
    /// load and the asynchronous global-to-shared copy (LDC, a constant-bank load, is not counted).</summary>
    static readonly HashSet<string> LoadOpcodes = new(StringComparer.Ordinal) { "LD", "LDS", "LDG", "LDL", "LDSM", "LDGSTS" };

    [GeneratedRegex(@"^\s*(\.L_x_\d+):\s*$")]
    private static partial Regex LabelLine();

    [GeneratedRegex(@"^\s*/\*[0-9a-fA-F]+\*/\s*(.*?)\s*;")]
    private static partial Regex InstructionLine();

    [GeneratedRegex(@"\.L_x_\d+")]
    private static partial Regex LabelReference();

    /// <summary>Every loop, in the order of their labels.</summary>
    public static IReadOnlyList<SassLoop> Find(string disassembly)
    {
        var opcodes = new List<string>();
        var labelAt = new Dictionary<string, int>(StringComparer.Ordinal);
        var lastBackBranch = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (string line in disassembly.Split('\n'))
        {
            if (LabelLine().Match(line) is { Success: true } label)
            {
                labelAt[label.Groups[1].Value] = opcodes.Count;
                continue;
            }
            if (InstructionLine().Match(line) is not { Success: true } instruction) continue;
            string text = instruction.Groups[1].Value;
            string opcode = Opcode(text);
            opcodes.Add(opcode);
            if (opcode == "BRA" && LabelReference().Match(text) is { Success: true } target
                && labelAt.TryGetValue(target.Value, out int start) && start < opcodes.Count)
                lastBackBranch[target.Value] = opcodes.Count - 1;
        }

        return lastBackBranch
            .Select(loop => (Label: loop.Key, Start: labelAt[loop.Key], End: loop.Value))
            .OrderBy(loop => loop.Start)
            .Select(loop =>
            {
                var body = opcodes.GetRange(loop.Start, loop.End - loop.Start + 1);
                return new SassLoop(loop.Label, body.Count, body.Count(IsFfma), body.Count(LoadOpcodes.Contains));
            })
            .ToList();
    }

    /// <summary>
    /// The innermost loop that holds the most FFMA: the loop with the most FFMA, and among those the one with the fewest
    /// instructions (an outer loop holds at least its inner loops' FFMA, so a tie goes to the inner one). Null when no loop
    /// holds an FFMA.
    /// </summary>
    public static SassLoop? InnermostFfmaLoop(string disassembly) =>
        Find(disassembly).Where(loop => loop.Ffma > 0)
            .OrderByDescending(loop => loop.Ffma).ThenBy(loop => loop.Instructions)
            .FirstOrDefault();

    /// <summary>A single-precision fused multiply-add (with a register or an immediate operand).</summary>
    public static bool IsFfma(string opcode) => opcode is "FFMA" or "FFMA32I";

    /// <summary>An instruction's base opcode: without its predicate (<c>@!P0</c>) and modifiers (<c>FFMA.FTZ</c> is FFMA,
    /// <c>LDS.128</c> is LDS).</summary>
    public static string Opcode(string instruction)
    {
        string text = instruction.Trim();
        if (text.StartsWith('@'))
        {
            int space = text.IndexOfAny([' ', '\t']);
            text = space < 0 ? "" : text[(space + 1)..].TrimStart();
        }
        int end = text.IndexOfAny([' ', '\t', '.']);
        return end < 0 ? text : text[..end];
    }
}
