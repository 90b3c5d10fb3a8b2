using System.Globalization;
using System.Text.RegularExpressions;
using VaeGpu.Host.Files;
using VaeGpu.Runtime;

namespace VaeGpu.Host.Experiments.GaussianMixture;

/// <summary>
/// Reads `vaegpu em --data FILE`: one point per line, its coordinates separated by commas, whitespace or both
/// ("1.5, -2" and "1.5 -2" and "1.5,-2" are the same point). `#` starts a comment to the end of the line; blank
/// lines are skipped. The first non-blank line is a header, and skipped, when none of its fields is a number
/// (e.g. "x,y"); a line that mixes numbers and words is an error rather than a header. Every row must have the same
/// number of coordinates, and every coordinate must be a finite number in float range. Any defect is a one-line
/// UserErrorException naming the file and line.
/// </summary>
public static partial class PointFile
{
    [GeneratedRegex(@"\s*,\s*|\s+")]
    private static partial Regex Separators();

    /// <summary>Longest field quoted back in a message; a longer one is cut, so the message stays one readable line.</summary>
    const int QuotedFieldLength = 40;

    /// <summary>The longest line and the most coordinates read: bounds on what a file (or /dev/zero) can make us hold.</summary>
    public const int MaxLineCharacters = 1 << 20, MaxCoordinates = 1 << 27;

    /// <summary>The file's lines, refusing one longer than MaxLineCharacters before it is held whole.</summary>
    static IEnumerable<string> BoundedLines(string path)
    {
        using var reader = new StreamReader(path);
        var line = new System.Text.StringBuilder();
        int lineNumber = 1;
        for (int next; (next = reader.Read()) >= 0;)
        {
            if (next == '\n')
            {
                yield return line.ToString().TrimEnd('\r');
                line.Clear();
                lineNumber++;
                continue;
            }
            if (line.Length == MaxLineCharacters)
                throw new UserErrorException($"{path}:{lineNumber}: a line longer than {MaxLineCharacters} characters: not a file of points, one per line.");
            line.Append((char)next);
        }
        if (line.Length > 0) yield return line.ToString().TrimEnd('\r');
    }

    public static PointSet Read(string path)
    {
        if (!File.Exists(path)) throw new UserErrorException($"{path}: no such file (points come as a text file with one point per line).");
        InputFile.RequireRegular(path);
        var values = new List<float>();
        int dimension = 0, firstRowLine = 0, lineNumber = 0, count = 0;
        bool headerPossible = true;
        try
        {
            foreach (string raw in BoundedLines(path))
            {
                lineNumber++;
                int comment = raw.IndexOf('#');
                string line = (comment >= 0 ? raw[..comment] : raw).Trim();
                if (line.Length == 0) continue;
                string[] fields = Separators().Split(line);
                if (fields.Contains(""))
                    throw new UserErrorException($"{path}:{lineNumber}: an empty field (two commas in a row, or a comma at the start or end of the line): remove it or fill in the number.");
                if (headerPossible && fields.All(field => !double.TryParse(field, NumberStyles.Float, CultureInfo.InvariantCulture, out _)))
                {
                    headerPossible = false;
                    continue;
                }
                headerPossible = false;
                if (dimension == 0) (dimension, firstRowLine) = (fields.Length, lineNumber);
                else if (fields.Length != dimension)
                    throw new UserErrorException($"{path}:{lineNumber}: {fields.Length} numbers, but the first row (line {firstRowLine}) has {dimension}: every point needs the same number of coordinates.");
                foreach (string field in fields) values.Add(Coordinate(field, path, lineNumber));
                count++;
                if (values.Count > MaxCoordinates)
                    throw new UserErrorException($"{path}: more than {MaxCoordinates} coordinates (by line {lineNumber}): EM here takes at most that many; subsample the points.");
            }
        }
        catch (IOException error)
        {
            throw new UserErrorException($"{path}: cannot read it: {error.Message.ReplaceLineEndings(" ")}");
        }
        if (count == 0) throw new UserErrorException($"{path}: no points in this file: write one point per line, coordinates separated by commas or spaces.");
        return new PointSet(path, [.. values], count, dimension);
    }

    static float Coordinate(string field, string path, int lineNumber)
    {
        string quoted = field.Length > QuotedFieldLength ? field[..QuotedFieldLength] + "..." : field;
        if (!double.TryParse(field, NumberStyles.Float, CultureInfo.InvariantCulture, out double value))
            throw new UserErrorException($"{path}:{lineNumber}: '{quoted}' is not a number (use '.' for decimals; only the first line may be a header).");
        if (!double.IsFinite(value))
            throw new UserErrorException($"{path}:{lineNumber}: '{quoted}' is not a finite number: remove or impute the points with NaN or infinite coordinates.");
        if (Math.Abs(value) > float.MaxValue)
            throw new UserErrorException($"{path}:{lineNumber}: '{quoted}' is beyond float range (about 3.4e38): rescale the data.");
        return (float)value;
    }
}
