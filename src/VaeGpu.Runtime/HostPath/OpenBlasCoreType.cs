using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;

namespace VaeGpu.Runtime.HostPath;

/// <summary>
/// Which of OpenBLAS's kernel sets a DYNAMIC_ARCH build (Debian's) runs, chosen before it loads. OpenBLAS picks the set
/// from the CPU's family and model numbers, and a CPU it does not know falls back to the oldest: on a cloud machine
/// reporting itself as a plain "Intel Xeon Processor" (AVX-512, FMA) Debian 12's OpenBLAS 0.3.21 chose Prescott (SSE3),
/// and the canonical epoch took 8.9 s instead of 2.25 s. So unless the user set OPENBLAS_CORETYPE, it is set here from
/// the instructions the runtime says this CPU and OS support (the test OpenBLAS's newer releases make for unknown
/// models): AVX-512 F/BW/DQ/VL -> SkylakeX, AVX2 and FMA -> Haswell; otherwise OpenBLAS detects as it would.
/// </summary>
static class OpenBlasCoreType
{
    const string Variable = "OPENBLAS_CORETYPE";

    /// <summary>Sets OPENBLAS_CORETYPE in the native environment, which OpenBLAS reads when it loads (OpenBlas reports what it then chose).</summary>
    public static void ChooseBeforeLoading()
    {
        if (Environment.GetEnvironmentVariable(Variable) is { Length: > 0 }) return;
        if (!(OperatingSystem.IsLinux() || OperatingSystem.IsMacOS())) return;
        string? coreType = Avx512F.IsSupported && Avx512BW.IsSupported && Avx512DQ.IsSupported && Avx512F.VL.IsSupported ? "SkylakeX"
            : Avx2.IsSupported && Fma.IsSupported ? "Haswell"
            : null;
        // .NET's Environment.SetEnvironmentVariable does not reach the C library's environment on Unix, which OpenBLAS
        // reads; a failed setenv leaves the choice to OpenBLAS, as without this class.
        if (coreType is not null) SetEnvironment(Variable, coreType, overwrite: 0);
    }

    [DllImport("libc", EntryPoint = "setenv")]
    static extern int SetEnvironment(string name, string value, int overwrite);
}
