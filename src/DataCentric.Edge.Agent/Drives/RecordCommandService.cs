using System.Globalization;
using DataCentric.Edge.Uplink.Commands;
using Microsoft.Extensions.Hosting;

namespace DataCentric.Edge.Agent.Drives;

/// <summary>
/// <c>dce-agent record</c>: once the agent runs, records one drive as the command line asks, prints
/// where it went and why it ended, and stops the agent. A refused recording (no disk budget, too
/// long) stops it at once with <see cref="ExitCode"/> 2.
/// </summary>
internal sealed class RecordCommandService(
    AgentCommandLine commandLine, DriveRecorder recorder, IHostApplicationLifetime lifetime, TextWriter output) : BackgroundService
{
    /// <summary>0 when the drive was written; 1 when it could not be; 2 when the recording was refused.</summary>
    public int ExitCode { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            // After every other service has started: the sources are publishing.
            await Task.Yield();
            var started = recorder.Start(commandLine.Duration, commandLine.KeepFrames, commandLine.OutputDirectory is { Length: > 0 } path ? path : null);
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"record: {started.DriveId} for {commandLine.Duration.TotalMinutes:0.##} min{(started.Frames ? " with frames" : string.Empty)}, up to {started.BudgetBytes / (1024.0 * 1024):0.#} MiB -> {started.Path}")).ConfigureAwait(false);
            var outcome = await recorder.Completion!.WaitAsync(stoppingToken).ConfigureAwait(false);
            ExitCode = outcome.Path is null ? 1 : 0;
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"drive: {outcome.Samples} samples, {outcome.FramesKept} frames, {outcome.Bytes} bytes, {outcome.Reason} -> {outcome.Path ?? "not written"}")).ConfigureAwait(false);
        }
        catch (DriveRefusedException e)
        {
            ExitCode = 2;
            await Console.Error.WriteLineAsync($"dce-agent: record refused: {e.Message}").ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Ctrl+C: the recorder finishes the file as it stops; its outcome is logged.
            return;
        }

        lifetime.StopApplication();
    }
}
