namespace VaeGpu.Tests.Ptx;

/// <summary>The readers of ptxas -v reports and nvdisasm SASS, on canned outputs of CUDA 11.8's tools.</summary>
public class PtxToolReportTests
{
    // nvdisasm -c output, shortened from MatMulKernels.Tiled for sm_90: an outer loop (.L_x_5, with a global load and a
    // forward branch inside) around an inner loop (.L_x_4: 8 LDS, 4 FFMA and 19 other instructions, its branch included).
    const string TiledSass = """
        Kernel_Tiled:
        .text.Kernel_Tiled:
                /*0000*/                   LDC R1, c[0x0][0x28] ;
                /*0100*/               @P0 BRA `(.L_x_0) ;
                /*0110*/                   UMOV UR4, URZ ;
        .L_x_5:
                /*0120*/                   ULDC UR7, c[0x0][0x260] ;
                /*0130*/                   BSSY B0, `(.L_x_1) ;
                /*0150*/               @P0 BRA `(.L_x_2) ;
                /*0200*/                   LDG.E R8, [R6.64] ;
                /*0210*/                   BRA `(.L_x_3) ;
        .L_x_2:
                /*0220*/                   IMAD.MOV.U32 R8, RZ, RZ, RZ ;
        .L_x_3:
                /*0230*/                   BSYNC B0 ;
        .L_x_1:
                /*0240*/                   LDC R4, c[0x0][0x268] ;
                /*0340*/                   STS [R9], R8 ;
                /*0380*/                   BAR.SYNC 0x0 ;
        .L_x_4:
                /*0390*/                   IMAD R8, R0, 0x10, R3 ;
                /*03a0*/                   IMAD R6, R2, 0x10, R0 ;
                /*03b0*/                   IADD3 R0, R0, 0x4, RZ ;
                /*03c0*/                   LEA R9, R8.reuse, UR6, 0x2 ;
                /*03d0*/                   IADD3 R11, R8, 0x10, RZ ;
                /*03e0*/                   LEA R7, R6.reuse, UR5, 0x2 ;
                /*03f0*/                   IADD3 R10, R6, 0x1, RZ ;
                /*0400*/                   LDS R9, [R9] ;
                /*0410*/                   IADD3 R13, R8, 0x20, RZ ;
                /*0420*/                   IADD3 R16, R8, 0x30, RZ ;
                /*0430*/                   LEA R8, R11, UR6, 0x2 ;
                /*0440*/                   IADD3 R12, R6.reuse, 0x2, RZ ;
                /*0450*/                   IADD3 R15, R6, 0x3, RZ ;
                /*0460*/                   LEA R10, R10, UR5, 0x2 ;
                /*0470*/                   LDS R6, [R7] ;
                /*0480*/                   LEA R14, R13, UR6, 0x2 ;
                /*0490*/                   LEA R12, R12, UR5, 0x2 ;
                /*04a0*/                   LDS R11, [R10] ;
                /*04b0*/                   LEA R15, R15, UR5, 0x2 ;
                /*04c0*/                   LEA R16, R16, UR6, 0x2 ;
                /*04d0*/                   LDS R8, [R8] ;
                /*04e0*/                   ISETP.GE.AND P0, PT, R0, 0x10, PT ;
                /*04f0*/                   LDS R13, [R12] ;
                /*0500*/                   LDS R14, [R14] ;
                /*0510*/                   LDS R15, [R15] ;
                /*0520*/                   LDS R16, [R16] ;
                /*0530*/                   FFMA.FTZ R6, R6, R9, R5 ;
                /*0540*/                   FFMA.FTZ R6, R11, R8, R6 ;
                /*0550*/                   FFMA.FTZ R6, R13, R14, R6 ;
                /*0560*/                   FFMA.FTZ R5, R15, R16, R6 ;
                /*0570*/              @!P0 BRA `(.L_x_4) ;
                /*0580*/                   S2R R7, SR_CTAID.Y ;
                /*05c0*/                   BAR.SYNC 0x0 ;
                /*0620*/              @!P0 BRA `(.L_x_5) ;
        .L_x_0:
                /*0630*/                   ULDC UR7, c[0x0][0x264] ;
                /*0640*/                   EXIT ;
        .L_x_6:
                /*0650*/                   BRA `(.L_x_6);
        """;

    [Test]
    public void FindsEveryBackwardBranchLoop()
    {
        var loops = SassLoops.Find(TiledSass);
        Assert.That(loops.Select(loop => loop.Label), Is.EqualTo(new[] { ".L_x_5", ".L_x_4", ".L_x_6" }),
            "forward branches (.L_x_0, .L_x_2, .L_x_3) and BSSY's label are no loops; the trailing self-branch is one");
        Assert.That(loops[0], Is.EqualTo(new SassLoop(".L_x_5", 10 + 31 + 3, 4, 9)));
        Assert.That(loops[1], Is.EqualTo(new SassLoop(".L_x_4", 31, 4, 8)));
        Assert.That(loops[2], Is.EqualTo(new SassLoop(".L_x_6", 1, 0, 0)));
    }

    [Test]
    public void TheInnermostLoopWithTheMostFfmaIsTheInnerOne()
    {
        var loop = SassLoops.InnermostFfmaLoop(TiledSass)!;
        Assert.That(loop.Label, Is.EqualTo(".L_x_4"));
        Assert.That(loop.FfmaPerLoad, Is.EqualTo(0.5));
        Assert.That(loop.FfmaFraction, Is.EqualTo(4.0 / 31).Within(1e-12));
    }

    [Test]
    public void AnOuterLoopWithMoreFfmaThanItsInnerLoopIsChosen()
    {
        const string sass = """
            .L_x_1:
                    /*0000*/                   LDS.128 R4, [R2] ;
            .L_x_2:
                    /*0010*/                   FFMA R8, R4, R5, R8 ;
                    /*0020*/              @P1 BRA `(.L_x_2) ;
                    /*0030*/                   FFMA R9, R6, R7, R9 ;
                    /*0040*/                   FFMA32I R10, R6, 1.5, R10 ;
                    /*0050*/              @!PT BRA `(.L_x_1) ;
            """;
        Assert.That(SassLoops.InnermostFfmaLoop(sass), Is.EqualTo(new SassLoop(".L_x_1", 6, 3, 1)));
        Assert.That(SassLoops.InnermostFfmaLoop("        /*0000*/                   EXIT ;"), Is.Null);
    }

    [TestCase("FFMA.FTZ R6, R6, R9, R5", "FFMA")]
    [TestCase("@!P0 BRA `(.L_x_4)", "BRA")]
    [TestCase("@P2   LDG.E.128 R4, [R2.64]", "LDG")]
    [TestCase("LDS.U.128 R8, [R3+0x40]", "LDS")]
    [TestCase("EXIT", "EXIT")]
    public void OpcodeDropsPredicateAndModifiers(string instruction, string opcode) =>
        Assert.That(SassLoops.Opcode(instruction), Is.EqualTo(opcode));

    [Test]
    public void ReadsPtxasVerboseReport()
    {
        const string report = """
            ptxas info    : 0 bytes gmem
            ptxas info    : Function properties for helper
                8 bytes stack frame, 4 bytes spill stores, 4 bytes spill loads
            ptxas info    : Compiling entry function 'Kernel_Tiled' for 'sm_90'
            ptxas info    : Function properties for Kernel_Tiled
                0 bytes stack frame, 0 bytes spill stores, 0 bytes spill loads
            ptxas info    : Used 19 registers, 2048 bytes smem
            """;
        var functions = PtxasReport.Parse(report);
        Assert.That(functions, Is.EqualTo(new[]
        {
            new PtxasFunction("helper", IsEntry: false, Registers: null, 8, 4, 4),
            new PtxasFunction("Kernel_Tiled", IsEntry: true, Registers: 19, 0, 0, 0),
        }));
        Assert.That(functions.Select(function => function.HasStackOrSpills), Is.EqualTo(new[] { true, false }));
    }

    [Test]
    public void AnIncompletePtxasReportIsRefused()
    {
        Assert.Throws<FormatException>(() => PtxasReport.Parse("ptxas info    : 0 bytes gmem"));
        Assert.Throws<FormatException>(() => PtxasReport.Parse("""
            ptxas info    : Compiling entry function 'k' for 'sm_80'
            ptxas info    : Function properties for k
                0 bytes stack frame, 0 bytes spill stores, 0 bytes spill loads
            """));
    }
}
