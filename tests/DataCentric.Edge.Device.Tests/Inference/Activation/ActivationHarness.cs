using System.Diagnostics;
using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Core.Signals;
using DataCentric.Edge.Device.Inference;
using DataCentric.Edge.Device.Inference.Activation;
using DataCentric.Edge.Device.Tests.Sources.Sensors;
using DataCentric.Edge.TestKit;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace DataCentric.Edge.Device.Tests.Inference.Activation;

/// <summary>
/// One "start" of the agent's inference stage on a state directory: the configured scorer loaded
/// through <see cref="ReleasedModels"/> (so a released file is picked up), its runner on the real
/// signal bus, and the activator. Frames flow from a pump, as the camera would deliver them.
/// </summary>
internal sealed class ActivationHarness : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _running;
    private Task? _pump;
    private long _offered;

    public ActivationHarness(string stateDirectory, string configuredModel, ModelActivationSettings? settings = null)
        : this(ScorerModels.Options(configuredModel), settings ?? DefaultSettings(stateDirectory))
    {
    }

    public ActivationHarness(ShadowModelOptions configured, ModelActivationSettings settings)
    {
        Settings = settings;
        Time = new FakeTimeProvider(DateTimeOffset.UnixEpoch.AddYears(56));
        Options = configured;
        var inference = new InferenceOptions();
        inference.Models.Add(Options);
        Released = new ReleasedModels(Settings, Time, StartLog);
        Set = ShadowModelSet.Load(inference, AppContext.BaseDirectory, NullLogger<ShadowModelSet>.Instance, releasedModelPath: Released.PathAtStart);
        Model = Assert.Single(Set.Models);
        Model.Register(Bus);
        Activator = new ModelActivator(Set, Released, Settings, AppContext.BaseDirectory, Time, ActivatorLog);
        Runner = new ShadowModelRunner(Model, Bus, NullLogger<ShadowModelRunner>.Instance, Observe);
        _running = Task.Run(() => Runner.RunAsync(CancellationToken.None));
    }

    public static ModelActivationSettings DefaultSettings(string stateDirectory, int probationFrames = 10, long? memoryLimitBytes = null, double loadCostFactor = 2.0) =>
        new(stateDirectory, probationFrames, TimeSpan.FromSeconds(60), 1.5, memoryLimitBytes, loadCostFactor, TimeSpan.FromMinutes(5), 3);

    public ModelActivationSettings Settings { get; }

    public FakeTimeProvider Time { get; }

    public ShadowModelOptions Options { get; }

    public SignalBus Bus { get; } = new(new SignalBusOptions());

    public CollectingLogger<ReleasedModels> StartLog { get; } = new();

    public CollectingLogger<ModelActivator> ActivatorLog { get; } = new();

    public ReleasedModels Released { get; }

    public ShadowModelSet Set { get; }

    public ShadowModel Model { get; }

    public ModelActivator Activator { get; }

    public ShadowModelRunner Runner { get; }

    public string RunningSha256 => Model.Status.Model!.Sha256;

    /// <summary>When each inferred frame finished (stopwatch ticks), for the pause at the swap.</summary>
    public List<long> InferredAt { get; } = [];

    /// <summary>Another activator over the same models and state, e.g. with a memory limit measured after the running model loaded.</summary>
    public ModelActivator ActivatorWith(ModelActivationSettings settings) => new(Set, Released, settings, AppContext.BaseDirectory, Time, ActivatorLog);

    /// <summary>Offers a 16×16 frame of <paramref name="grey"/> every <paramref name="period"/> until stopped.</summary>
    public void StartFrames(byte grey = 200, TimeSpan? period = null)
    {
        var every = period ?? TimeSpan.FromMilliseconds(2);
        _pump = Task.Run(async () =>
        {
            using var timer = new PeriodicTimer(every);
            while (await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false))
            {
                Runner.Offer(TestFrames.Rgb(16, 16, grey, grey, grey, sequence: _offered++));
            }
        });
    }

    /// <summary>Stops the frames, lets the runner finish its queue and returns how many frames were offered.</summary>
    public async Task<long> StopAsync()
    {
        await _stop.CancelAsync();
        if (_pump is not null)
        {
            await _pump.ContinueWith(_ => { }, TaskScheduler.Default);
        }

        Runner.Complete();
        await _running.WaitAsync(TimeSpan.FromSeconds(30));
        return _offered;
    }

    /// <summary>Waits until the scorer publishes a value that satisfies <paramref name="condition"/>.</summary>
    public async Task<double> WaitForScoreAsync(Func<double, bool> condition, TimeSpan timeout)
    {
        Assert.True(Bus.TryGetId(ScorerModels.Signal, out var id));
        var samples = new SignalSample[Bus.HistoryCapacity];
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < timeout)
        {
            var count = Bus.CopyHistory(id, samples);
            if (count > 0 && condition(samples[count - 1].Value.Number))
            {
                return samples[count - 1].Value.Number;
            }

            await Task.Delay(5, TestContext.Current.CancellationToken);
        }

        Assert.Fail($"no {ScorerModels.Signal} value as expected within {timeout}");
        return double.NaN;
    }

    private void Observe(FrameOutcome outcome)
    {
        if (outcome == FrameOutcome.Inferred)
        {
            lock (InferredAt)
            {
                InferredAt.Add(Stopwatch.GetTimestamp());
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stop.IsCancellationRequested)
        {
            await StopAsync();
        }

        Activator.Dispose();
        Released.Dispose();
        Set.Dispose();
        _stop.Dispose();
    }
}
