using SkiaSharp;

namespace VaeGpu.Cli.Plots;

/// <summary>
/// The font for chart text. SkiaSharp's dependency-free Linux build finds fonts by scanning /usr/share/fonts (no
/// fontconfig), and ScottPlot's default then resolves to DejaVu Serif on Debian; DejaVu Sans (Debian's fonts-dejavu-core,
/// which also provides the serif) reads better at small sizes. Without any font file, text is silently not drawn.
/// </summary>
static class ChartFont
{
    const string PreferredSans = "DejaVu Sans";

    public static readonly string Name =
        SKFontManager.Default.FontFamilies.Contains(PreferredSans) ? PreferredSans : ScottPlot.Fonts.Default;
}
