using System.Text.Json;

namespace DataCentric.Edge.Cli.Commands;

/// <summary>Lists for people (aligned columns) or for scripts (<c>--json</c>).</summary>
internal static class Table
{
    public static void Write<T>(TextWriter output, bool json, IReadOnlyList<T> rows, params (string Header, Func<T, string?> Cell)[] columns)
    {
        if (json)
        {
            output.WriteLine(JsonSerializer.Serialize(rows, CliJson.Indented));
            return;
        }

        if (rows.Count == 0)
        {
            output.WriteLine("(none)");
            return;
        }

        var cells = rows.Select(r => columns.Select(c => c.Cell(r) ?? "-").ToArray()).ToList();
        var widths = columns.Select((c, i) => Math.Max(c.Header.Length, cells.Max(row => row[i].Length))).ToArray();
        output.WriteLine(string.Join("  ", columns.Select((c, i) => c.Header.PadRight(widths[i]))).TrimEnd());
        foreach (var row in cells)
        {
            output.WriteLine(string.Join("  ", row.Select((cell, i) => cell.PadRight(widths[i]))).TrimEnd());
        }
    }

    public static void WriteJson<T>(TextWriter output, T value) => output.WriteLine(JsonSerializer.Serialize(value, CliJson.Indented));

    public static string Time(DateTimeOffset? value) => value?.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture) ?? "-";
}
