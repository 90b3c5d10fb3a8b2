using System.Globalization;
using ScottPlot.TickGenerators;

namespace VaeGpu.Cli.Plots;

/// <summary>
/// Ticks for a logarithmic axis. ScottPlot 5 has no log scale: a chart plots log10 of its values and labels the axis
/// with ticks placed at log10 of round numbers. The ticks are fixed from the data's range rather than left to
/// ScottPlot's NumericAutomatic with LogDecadeMinorTickGenerator (the cookbook idiom), because that labels only whole
/// decades and so leaves an axis spanning less than one decade with no label at all.
/// </summary>
static class LogAxis
{
    /// <summary>Whole decades labelled at most; wider ranges label every second, third, ... decade.</summary>
    const int MaxLabelledDecades = 10;

    /// <summary>Ticks covering log10 values from <paramref name="minExponent"/> to <paramref name="maxExponent"/>.</summary>
    public static NumericManual Ticks(double minExponent, double maxExponent)
    {
        double span = maxExponent - minExponent;
        int[] labelledMantissas = span > 2 ? [1] : span > 0.7 ? [1, 2, 5] : [1, 2, 3, 4, 5, 6, 7, 8, 9];
        int decadeStep = Math.Max(1, (int)Math.Ceiling(span / MaxLabelledDecades));

        var ticks = new NumericManual();
        // One decade of margin each side: ScottPlot pads the data range, and ticks outside the view are not drawn.
        for (int decade = (int)Math.Floor(minExponent) - 1; decade <= (int)Math.Ceiling(maxExponent) + 1; decade++)
        {
            bool labelledDecade = decade % decadeStep == 0;
            if (labelledDecade)
                ticks.AddMajor(decade, Label(1, decade));
            else
                ticks.AddMinor(decade);
            if (decadeStep > 1)
                continue;
            for (int mantissa = 2; mantissa <= 9; mantissa++)
            {
                double position = decade + Math.Log10(mantissa);
                if (labelledMantissas.Contains(mantissa))
                    ticks.AddMajor(position, Label(mantissa, decade));
                else
                    ticks.AddMinor(position);
            }
        }
        return ticks;
    }

    /// <summary>mantissa x 10^decade: plain from 0.001 to 10000, exponent notation (2e-5, 1e6) beyond.</summary>
    static string Label(int mantissa, int decade) =>
        (mantissa * Math.Pow(10, decade)).ToString(decade is >= -3 and <= 4 ? "0.###" : "0e0", CultureInfo.InvariantCulture);
}
