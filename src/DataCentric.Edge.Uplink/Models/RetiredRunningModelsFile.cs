using System.Globalization;
using DataCentric.Edge.Core.Contracts;
using Microsoft.Extensions.Logging;

namespace DataCentric.Edge.Uplink.Models;

/// <summary>
/// Agents before the one record of what runs kept their own copy beside the activator's state, in
/// <c>active-models.tsv</c> ("&lt;version&gt;\t&lt;sha256&gt;\t&lt;previous version&gt;\t&lt;previous sha256&gt;\t&lt;name&gt;").
/// An existing data directory is taken over once: each line is compared with what the activator says
/// runs (the activator wins; a difference is logged as the drift it was), then the file is removed.
/// A damaged file is removed too: it never decided what runs.
/// </summary>
internal static partial class RetiredRunningModelsFile
{
    public const string FileName = "active-models.tsv";

    public static void Retire(string stateDirectory, IModelActivator? activator, ILogger logger)
    {
        var path = Path.Combine(stateDirectory, FileName);
        if (!File.Exists(path))
        {
            return;
        }

        string[] lines;
        try
        {
            lines = File.ReadAllLines(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            LogUnreadable(logger, path, e.Message);
            lines = [];
        }

        for (var i = 0; i < lines.Length; i++)
        {
            var f = lines[i].Split('\t', 5);
            if (f.Length != 5 || !int.TryParse(f[0], NumberStyles.None, CultureInfo.InvariantCulture, out var version))
            {
                LogDamagedLine(logger, path, i + 1);
                continue;
            }

            var running = activator?.RunningOf(f[4]);
            var said = $"version {version} ({f[1]})";
            var runs = running is null ? "its configured file" : $"version {running.Version} ({running.Sha256})";
            if (running is not null && running.Version == version && string.Equals(running.Sha256, f[1], StringComparison.OrdinalIgnoreCase))
            {
                LogAgreed(logger, path, i + 1, f[4], said);
            }
            else
            {
                LogDrifted(logger, path, i + 1, f[4], said, runs);
            }
        }

        try
        {
            File.Delete(path);
            LogRemoved(logger, path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            LogUnreadable(logger, path, e.Message); // Left behind, it is ignored: nothing reads it any more.
        }
    }

    [LoggerMessage(EventId = 1319, Level = LogLevel.Information, Message = "{Path}:{Line}: the old record said model {ModelName} runs {Said}, as the activator's state does")]
    private static partial void LogAgreed(ILogger logger, string path, int line, string modelName, string said);

    [LoggerMessage(EventId = 1320, Level = LogLevel.Warning, Message = "{Path}:{Line}: the old record said model {ModelName} runs {Said}, but the activator's state says {Runs}; acks follow the activator's state, the one record")]
    private static partial void LogDrifted(ILogger logger, string path, int line, string modelName, string said, string runs);

    [LoggerMessage(EventId = 1321, Level = LogLevel.Warning, Message = "{Path}:{Line}: not '<version><tab><sha256><tab><previous version><tab><previous sha256><tab><name>'; skipped")]
    private static partial void LogDamagedLine(ILogger logger, string path, int line);

    [LoggerMessage(EventId = 1322, Level = LogLevel.Warning, Message = "{Path} cannot be read or removed ({Reason}); it is ignored")]
    private static partial void LogUnreadable(ILogger logger, string path, string reason);

    [LoggerMessage(EventId = 1323, Level = LogLevel.Information, Message = "{Path} removed: what runs is the activator's state alone now")]
    private static partial void LogRemoved(ILogger logger, string path);
}
