using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.Extensions.Options;

namespace DataCentric.Edge.FleetService.WebConsole.Triggers;

/// <summary>
/// Backtests run off the request threads, one at a time, from a bounded queue: each token name may have
/// one queued or running (another is refused with the id of the one it has), and a full queue refuses
/// new ones. Finished jobs are kept for their pages to read (the newest <c>4 × capacity</c>).
/// </summary>
internal sealed class BacktestQueue(ClipBacktest backtest, IOptions<ConsoleTriggerOptions> options, ILogger<BacktestQueue> logger) : BackgroundService
{
    private readonly Channel<BacktestJob> _queue = Channel.CreateBounded<BacktestJob>(new BoundedChannelOptions(options.Value.BacktestQueueCapacity) { SingleReader = true });
    private readonly ConcurrentDictionary<string, BacktestJob> _jobs = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _finished = new();
    private readonly Lock _admit = new();

    public BacktestJob? Find(string id) => _jobs.GetValueOrDefault(id);

    /// <returns>The job, or why it was not admitted (the user has one waiting or running, or the queue is full) and the status to answer.</returns>
    public (BacktestJob? Job, int Status, string? Refusal) Enqueue(string user, BacktestPlan plan)
    {
        lock (_admit)
        {
            if (_jobs.Values.FirstOrDefault(j => j.User == user && !j.IsFinished) is { } mine)
            {
                return (null, StatusCodes.Status429TooManyRequests, $"backtest {mine.Id} of token '{user}' is still {mine.Status.State}; one at a time per user");
            }

            var job = new BacktestJob(Guid.NewGuid().ToString("N")[..12], user, plan);
            if (!_queue.Writer.TryWrite(job))
            {
                return (null, StatusCodes.Status503ServiceUnavailable, $"{options.Value.BacktestQueueCapacity} backtests are waiting ({ConsoleTriggerOptions.SectionName}:BacktestQueueCapacity); try again when one is done");
            }

            _jobs[job.Id] = job;
            return (job, StatusCodes.Status202Accepted, null);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var job in _queue.Reader.ReadAllAsync(stoppingToken).ConfigureAwait(false))
        {
            try
            {
                await backtest.RunAsync(job, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                job.Update(s => s with { State = BacktestStates.Failed, Detail = "the service is stopping" });
                throw;
            }
            catch (Exception e) when (e is IOException or InvalidDataException or ArgumentException or InvalidOperationException)
            {
                job.Update(s => s with { State = BacktestStates.Failed, Detail = e.Message });
            }

            TriggerConsoleLog.BacktestFinished(logger, job.Id, job.User, job.Status.ClipsDone, job.Status.State);
            Forget(job);
        }
    }

    private void Forget(BacktestJob job)
    {
        _finished.Enqueue(job.Id);
        while (_finished.Count > 4 * options.Value.BacktestQueueCapacity && _finished.TryDequeue(out var old))
        {
            _jobs.TryRemove(old, out _);
        }
    }
}
