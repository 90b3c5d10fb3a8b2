using System.Reflection;
using System.Reflection.Emit;
using VaeGpu.Host.Model;
using VaeGpu.Kernels;
using VaeGpu.Runtime;

namespace VaeGpu.Tests;

/// <summary>
/// The layers, asserted from the compiled assemblies so that breaking one fails the build's tests: Kernels knows
/// nothing of Runtime or the program; ILGPU's types stay inside Runtime; the program launches no kernel itself; the
/// double-precision oracles (*Reference) live in VaeGpu.References, which no production assembly uses, and none calls
/// the *Math it checks; no two namespaces use each other. Type uses are read from signatures and from every method
/// body's IL (calls, field accesses, type tokens), compiler-generated types included.
/// </summary>
public class ArchitectureTests
{
    static readonly Assembly Kernels = typeof(KernelAttribute).Assembly;
    static readonly Assembly Runtime = typeof(IBackend).Assembly;
    static readonly Assembly Library = typeof(VaeModel).Assembly;
    static readonly Assembly Program = typeof(VaeGpu.Cli.ResultFolder).Assembly;
    static readonly Assembly References = typeof(VaeGpu.References.OptimizerReference).Assembly;
    static readonly Assembly[] Production = [Kernels, Runtime, Library, Program];

    static readonly Assembly[] LibraryAndProgram = [Library, Program];

    static bool IsIlgpu(Type type) => type.Assembly.GetName().Name!.StartsWith("ILGPU", StringComparison.Ordinal);

    [Test]
    public void KernelsReferenceNeitherRuntimeNorTheProgram()
    {
        var names = Kernels.GetReferencedAssemblies().Select(a => a.Name).ToList();
        Assert.That(names, Has.None.EqualTo(Runtime.GetName().Name).And.None.EqualTo(Program.GetName().Name));
    }

    [Test]
    public void RuntimeReferencesNeitherTheLibraryNorTheProgram() =>
        Assert.That(Runtime.GetReferencedAssemblies().Select(a => a.Name),
            Has.None.EqualTo(Library.GetName().Name).And.None.EqualTo(Program.GetName().Name));

    /// <summary>The library is what a C# program references: no parser, no charts, nothing of the vaegpu program.</summary>
    [Test]
    public void TheLibraryReferencesNoCommandLineOrChartPackageAndNotTheProgram() =>
        Assert.That(Library.GetReferencedAssemblies().Select(a => a.Name!),
            Has.None.EqualTo(Program.GetName().Name).And.None.StartsWith("System.CommandLine").And.None.StartsWith("ScottPlot").And.None.StartsWith("SkiaSharp"));

    [TestCaseSource(nameof(LibraryAndProgram))]
    public void UsesNoIlgpuTypeAndNoKernelClass(Assembly assembly)
    {
        Assert.That(assembly.GetReferencedAssemblies().Select(a => a.Name!), Has.None.StartsWith("ILGPU"));
        var launchDetails = UsesByType(assembly)
            .SelectMany(use => use.Value.Where(used => used.Assembly == Kernels && used.Name.EndsWith("Kernels", StringComparison.Ordinal))
                .Select(used => $"{use.Key.FullName} uses {used.FullName}"))
            .ToList();
        Assert.That(launchDetails, Is.Empty, "kernel classes (and their launch geometry) belong to Runtime");
    }

    /// <summary>
    /// The program holds no model, training, data or file-format logic: it drives the library's Vae, trainer, evaluator
    /// and file classes, but touches no tensor or batch buffer, calls no backend operation (only its name and disposal)
    /// and encodes or parses no binary or JSON format itself.
    /// </summary>
    [Test]
    public void TheProgramHoldsNoModelTrainingDataOrFileFormatLogic()
    {
        Type[] formatTypes = [typeof(System.Buffers.Binary.BinaryPrimitives), typeof(System.Runtime.InteropServices.MemoryMarshal), typeof(BinaryReader),
            typeof(BinaryWriter), typeof(System.IO.Compression.GZipStream), typeof(System.Text.Json.JsonDocument), typeof(System.Text.Json.Utf8JsonReader)];
        Type[] modelTypes = [typeof(Tensor), typeof(IndexBuffer), typeof(BatchBuffers)];
        string[] backendMembersAllowed = [nameof(IBackend.Name), nameof(IDisposable.Dispose)];
        var logic = new List<string>();
        // The compiler's own helpers (collection expressions, u8 literals) are no logic of the program's.
        foreach (var (user, members) in MemberUsesByType(Program).Where(use => use.Key.Name != "<PrivateImplementationDetails>"))
            foreach (var member in members)
            {
                var owner = member as Type ?? member.DeclaringType!;
                if (formatTypes.Contains(owner) || modelTypes.Contains(owner))
                    logic.Add($"{user.FullName} uses {owner.Name}");
                else if (owner == typeof(IBackend) && member is not Type && !backendMembersAllowed.Contains(member.Name.Replace("get_", "")))
                    logic.Add($"{user.FullName} calls IBackend.{member.Name}");
            }
        Assert.That(logic.Distinct(), Is.Empty);
    }

    [Test]
    public void RuntimesPublicSurfaceExposesNoIlgpuType()
    {
        var exposed = new List<string>();
        foreach (var type in Runtime.GetExportedTypes())
        {
            foreach (var used in SurfaceTypes(type).SelectMany(Flatten).Where(IsIlgpu).Distinct())
                exposed.Add($"{type.FullName} exposes {used.FullName}");
        }
        Assert.That(exposed, Is.Empty);
    }

    /// <summary>The oracles ship in no package: Kernels holds none, and no production assembly references VaeGpu.References.</summary>
    [Test]
    public void OnlyTestsUseTheReferenceOracles()
    {
        Assert.That(Kernels.GetTypes().Where(IsNamedReference).Select(type => type.FullName), Is.Empty);
        Assert.That(Production.SelectMany(assembly => assembly.GetReferencedAssemblies()).Select(a => a.Name),
            Has.None.EqualTo(References.GetName().Name));
    }

    /// <summary>
    /// A reference that calls its kernel's own formula compares the formula with itself, so no *Reference calls a *Math
    /// of the Kernels assembly beyond MathAReferenceMayCall.
    /// </summary>
    [Test]
    public void NoReferenceCallsTheMathItChecks() =>
        Assert.That(MathCalls(References.GetTypes()), Is.Empty,
            "allowed only: " + string.Join("; ", MathAReferenceMayCall.Select(allowed => $"{allowed.Math.Name}.{allowed.Member ?? "*"} ({allowed.Reason})")));

    /// <summary>
    /// The *Math members a reference may call, and why. A whole-type entry never covers its own family's reference
    /// (RandomReference turns the integers into numbers itself); a member entry allows that one member, own family included.
    /// </summary>
    static readonly (Type Math, string? Member, string Reason)[] MathAReferenceMayCall =
    [
        (typeof(RandomMath), null, "the shared counter-based noise, an input to both"),
        (typeof(SamplingMath), nameof(SamplingMath.LaineKarras),
            "Burley's integer hash has one definition, nothing to derive it from; SobolTests check the stratification its scramble keeps"),
    ];

    /// <summary>"XReference calls YMath.Member" for each call of a Kernels *Math member, from the types' bodies, that MathAReferenceMayCall does not allow.</summary>
    static List<string> MathCalls(IEnumerable<Type> types) =>
        types.Select(type => (Type: type, Reference: OwningReference(type)))
            .Where(owned => owned.Reference is not null)
            .SelectMany(owned => Methods(owned.Type).SelectMany(BodyMembers)
                .Where(member => IsKernelsMath(DeclaringType(member)) && !MayCall(owned.Reference!, member))
                .Select(member => $"{owned.Reference!.Name} calls {DeclaringType(member).Name}.{member.Name}"))
            .Distinct()
            .ToList();

    static bool MayCall(Type reference, MemberInfo member)
    {
        var math = DeclaringType(member);
        return MathAReferenceMayCall.Any(allowed => allowed.Math == math
            && (allowed.Member is null ? Family(reference, "Reference") != Family(math, "Math") : allowed.Member == member.Name));
    }

    static bool IsNamedReference(Type type) => type.Name.EndsWith("Reference", StringComparison.Ordinal);

    static bool IsKernelsMath(Type type) => type.Assembly == Kernels && type.Name.EndsWith("Math", StringComparison.Ordinal);

    static string Family(Type type, string suffix) => type.Name[..^suffix.Length];

    /// <summary>The *Reference type a type belongs to: itself, or the nearest enclosing one (lambdas' closure classes are nested in their method's type).</summary>
    static Type? OwningReference(Type type) => IsNamedReference(type) ? type : type.DeclaringType is { } outer ? OwningReference(outer) : null;

    static Type DeclaringType(MemberInfo member) => member as Type ?? member.DeclaringType!;

    [Test]
    public void NoTwoNamespacesUseEachOther()
    {
        var edges = new Dictionary<string, HashSet<string>>();
        foreach (var (user, usedTypes) in Production.SelectMany(UsesByType))
        {
            if (user.Namespace is not { } from) continue;
            foreach (var to in usedTypes.Select(t => t.Namespace).OfType<string>())
                if (to != from && to.StartsWith("VaeGpu", StringComparison.Ordinal))
                    (edges.TryGetValue(from, out var set) ? set : edges[from] = []).Add(to);
        }
        var cycles = Cycles(edges).Select(cycle => string.Join(" <-> ", cycle)).ToList();
        Assert.That(cycles, Is.Empty);
    }

    static readonly Assembly[] BelowTheProgram = [Kernels, Runtime, Library];

    /// <summary>
    /// A C# caller of the library has no flags: the library and what it builds on name their settings (InvalidSettingException)
    /// and only the program spells them as --flags.
    /// </summary>
    [Test]
    public void NoCommandLineFlagTextBelowTheProgram() =>
        Assert.That(FlagTexts(BelowTheProgram.SelectMany(assembly => assembly.GetTypes())), Is.Empty);

    static readonly System.Text.RegularExpressions.Regex Flag = new(@"(^|[\s(`'""/,\[])--[a-z][a-z0-9-]*");

    /// <summary>"Type.Method: \"literal\"" for every string literal of the types' method bodies that holds a --flag.</summary>
    static IEnumerable<string> FlagTexts(IEnumerable<Type> types) =>
        from type in types
        from method in Methods(type)
        from text in BodyStrings(method)
        where Flag.IsMatch(text)
        select $"{type.FullName}.{method.Name}: \"{text}\"";

    /// <summary>A second run of the scan finds a planted cycle, a planted ILGPU use, planted Math calls and planted flag text, so the tests above can fail.</summary>
    [Test]
    public void TheScanSeesBodiesAndCycles()
    {
        var uses = UsesByType(typeof(ArchitectureTests).Assembly);
        Assert.That(uses[typeof(PlantedUser)], Does.Contain(typeof(ILGPU.Index1D)));
        var planted = new Dictionary<string, HashSet<string>> { ["A"] = ["B"], ["B"] = ["C"], ["C"] = ["A"], ["D"] = ["A"] };
        Assert.That(Cycles(planted).Single(), Is.EquivalentTo(new[] { "A", "B", "C" }));
        Assert.That(MathCalls(typeof(PlantedReferences).GetNestedTypes()), Is.EquivalentTo(new[]
        {
            "OptimizerReference calls OptimizerMath.AdamDelta",
            "RandomReference calls RandomMath.Uniform",
            "SamplingReference calls SamplingMath.ReplicateSeed",
        }));
        Assert.That(FlagTexts([typeof(PlantedUser)]), Is.EquivalentTo(new[]
        {
            $"{typeof(PlantedUser).FullName}.{nameof(PlantedUser.Refuse)}: \"use a smaller --batch\"",
            $"{typeof(PlantedUser).FullName}.{nameof(PlantedUser.Advise)}: \" images (or pass --data DIR)\"",
        }));
    }

    static class PlantedUser
    {
        public static int Length() => new ILGPU.Index1D(3).X;

        public static string Refuse() => "use a smaller --batch";

        public static string Advise(int seen) => $"{seen} images (or pass --data DIR)";

        /// <summary>Dashes that are no flag: a range, an em-dash stand-in, a negative number.</summary>
        public static string NoFlag(int seen) => $"{seen}--{seen + 1} images -- x-2 --3";
    }

    /// <summary>
    /// Oracles that break the Math rule (a formula of their own family; the noise in the noise's own reference; a
    /// SamplingMath member no entry names) beside calls it allows (the noise elsewhere; the named hash).
    /// </summary>
    static class PlantedReferences
    {
        public static class OptimizerReference
        {
            public static float Step() => OptimizerMath.AdamDelta(1f, 1f, AdamStep.Create(0.1f, 1));
        }

        public static class RandomReference
        {
            public static float Draw() => RandomMath.Uniform(7u);
        }

        public static class SamplingReference
        {
            public static uint Scramble() => SamplingMath.LaineKarras(SamplingMath.ReplicateSeed(1, 2, 3), 4u);
        }

        public static class GatherReference
        {
            public static float Noise() => RandomMath.NormalAt(1, 2, 3);
        }
    }

    static IEnumerable<Type> SurfaceTypes(Type type)
    {
        const BindingFlags Visible = BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        if (type.BaseType is { } baseType) yield return baseType;
        foreach (var contract in type.GetInterfaces()) yield return contract;
        foreach (var field in type.GetFields(Visible)) yield return field.FieldType;
        foreach (var property in type.GetProperties(Visible)) yield return property.PropertyType;
        foreach (var method in type.GetMethods(Visible).Cast<MethodBase>().Concat(type.GetConstructors(Visible)))
        {
            if (method is MethodInfo info) yield return info.ReturnType;
            foreach (var parameter in method.GetParameters()) yield return parameter.ParameterType;
        }
    }

    /// <summary>A type with its element type and generic arguments, recursively.</summary>
    static IEnumerable<Type> Flatten(Type type)
    {
        if (type.IsGenericParameter) yield break;
        if (type.HasElementType)
        {
            foreach (var inner in Flatten(type.GetElementType()!)) yield return inner;
            yield break;
        }
        yield return type;
        if (type.IsGenericType)
            foreach (var argument in type.GetGenericArguments())
                foreach (var inner in Flatten(argument)) yield return inner;
    }

    /// <summary>The type's own methods and constructors, of any visibility.</summary>
    static IEnumerable<MethodBase> Methods(Type type)
    {
        const BindingFlags All = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        return type.GetMethods(All).Cast<MethodBase>().Concat(type.GetConstructors(All));
    }

    /// <summary>For every type of the assembly (nested and compiler-generated ones too): the types its signatures and method bodies use.</summary>
    static Dictionary<Type, HashSet<Type>> UsesByType(Assembly assembly)
    {
        const BindingFlags All = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        var uses = new Dictionary<Type, HashSet<Type>>();
        foreach (var type in assembly.GetTypes())
        {
            var used = new HashSet<Type>();
            foreach (var t in SurfaceTypes(type)) used.UnionWith(Flatten(t));
            foreach (var field in type.GetFields(All)) used.UnionWith(Flatten(field.FieldType));
            foreach (var method in Methods(type))
            {
                foreach (var parameter in method.GetParameters()) used.UnionWith(Flatten(parameter.ParameterType));
                if (method is MethodInfo info) used.UnionWith(Flatten(info.ReturnType));
                foreach (var t in BodyMembers(method).Select(DeclaringType)) used.UnionWith(Flatten(t));
            }
            uses[type] = used;
        }
        return uses;
    }

    /// <summary>For every type of the assembly: the members (and types) its method bodies name.</summary>
    static Dictionary<Type, HashSet<MemberInfo>> MemberUsesByType(Assembly assembly)
    {
        const BindingFlags All = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        var uses = new Dictionary<Type, HashSet<MemberInfo>>();
        foreach (var type in assembly.GetTypes())
            uses[type] = [.. type.GetMethods(All).Cast<MethodBase>().Concat(type.GetConstructors(All)).SelectMany(BodyMembers)];
        return uses;
    }

    static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(field => (OpCode)field.GetValue(null)!)
        .ToDictionary(code => code.Value);

    /// <summary>The members and types named by the method body's tokens.</summary>
    static IEnumerable<MemberInfo> BodyMembers(MethodBase method)
    {
        var typeArguments = method.DeclaringType is { IsGenericType: true } declaring ? declaring.GetGenericArguments() : null;
        var methodArguments = method.IsGenericMethod ? method.GetGenericArguments() : null;
        foreach (var (code, token) in Instructions(method))
            if (code.OperandType is OperandType.InlineMethod or OperandType.InlineField or OperandType.InlineType or OperandType.InlineTok
                && Resolve(method.Module, token, typeArguments, methodArguments) is { } resolved)
                yield return resolved;
    }

    /// <summary>The string literals the method body loads (ldstr).</summary>
    static IEnumerable<string> BodyStrings(MethodBase method) =>
        Instructions(method).Where(instruction => instruction.Code == OpCodes.Ldstr).Select(instruction => method.Module.ResolveString(instruction.Token));

    /// <summary>The body's instructions, each with its 4-byte operand where it has one (a token for the kinds that name something).</summary>
    static IEnumerable<(OpCode Code, int Token)> Instructions(MethodBase method)
    {
        byte[]? il;
        try { il = method.GetMethodBody()?.GetILAsByteArray(); }
        catch (InvalidOperationException) { yield break; }
        if (il is null) yield break;
        for (int at = 0; at < il.Length;)
        {
            short value = il[at] == 0xFE ? (short)(0xFE00 | il[at + 1]) : il[at];
            at += il[at] == 0xFE ? 2 : 1;
            var code = OpCodesByValue[value];
            int size = code.OperandType switch
            {
                OperandType.InlineNone => 0,
                OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
                OperandType.InlineVar => 2,
                OperandType.InlineI8 or OperandType.InlineR => 8,
                OperandType.InlineSwitch => 4 + 4 * BitConverter.ToInt32(il, at),
                _ => 4,
            };
            yield return (code, size == 4 ? BitConverter.ToInt32(il, at) : 0);
            at += size;
        }
    }

    static MemberInfo? Resolve(Module module, int token, Type[]? typeArguments, Type[]? methodArguments)
    {
        try
        {
            return module.ResolveMember(token, typeArguments, methodArguments) switch
            {
                Type type => type,
                { DeclaringType: not null } member => member,
                _ => null,
            };
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    /// <summary>The strongly connected groups of more than one namespace (Tarjan's algorithm), each sorted.</summary>
    static List<List<string>> Cycles(Dictionary<string, HashSet<string>> edges)
    {
        var index = new Dictionary<string, int>();
        var low = new Dictionary<string, int>();
        var stack = new Stack<string>();
        var cycles = new List<List<string>>();
        void Visit(string node)
        {
            index[node] = low[node] = index.Count;
            stack.Push(node);
            foreach (var next in edges.GetValueOrDefault(node) ?? [])
            {
                if (!index.ContainsKey(next)) { Visit(next); low[node] = Math.Min(low[node], low[next]); }
                else if (stack.Contains(next)) low[node] = Math.Min(low[node], index[next]);
            }
            if (low[node] != index[node]) return;
            var group = new List<string>();
            string member;
            do { member = stack.Pop(); group.Add(member); } while (member != node);
            if (group.Count > 1) cycles.Add([.. group.Order()]);
        }
        foreach (var node in edges.Keys.ToList()) if (!index.ContainsKey(node)) Visit(node);
        return cycles;
    }
}
