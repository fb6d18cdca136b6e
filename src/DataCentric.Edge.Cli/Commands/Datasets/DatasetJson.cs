using System.Text.Encodings.Web;
using System.Text.Json;

namespace DataCentric.Edge.Cli.Commands.Datasets;

/// <summary>How the dataset commands write their reports: indented, relaxed escaping so paths stay readable.</summary>
internal static class DatasetJson
{
    public static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
