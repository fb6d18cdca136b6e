using System.Text.Encodings.Web;
using System.Text.Json;

namespace DataCentric.Edge.Cli.Commands.Prelabels;

/// <summary>Shared JSON writing for the label files: indented for review, relaxed escaping so paths and URLs stay readable.</summary>
internal static class PrelabelJson
{
    public static readonly JsonWriterOptions Indented = new() { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static readonly JsonWriterOptions Line = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Pixel and percent values to 1/1000: far below a pixel, and stable in diffs.</summary>
    public static double Round(double value) => Math.Round(value, 3, MidpointRounding.AwayFromZero);
}
