using DataCentric.Edge.Core.Configuration;
using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Core.Signals;
using DataCentric.Edge.Core.Triggers;
using DataCentric.Edge.Core.Triggers.Engine;
using DataCentric.Edge.Device.Inference;
using DataCentric.Edge.TestKit;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace DataCentric.Edge.Device.Tests.Inference;

/// <summary>A broken model does not stop the others: it is reported with its reason and its triggers are disabled, saying why.</summary>
[Trait("Category", "Integration")]
public sealed class ShadowModelSetTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    [Fact]
    public void BrokenModel_IsReportedWithItsReason_TheOthersLoad()
    {
        using var set = Load(out _);

        Assert.True(set.Models[0].Status.Running);
        Assert.Null(set.Models[1].Engine);
        Assert.False(set.Models[1].Status.Running);
        Assert.Contains("cannot load", set.Models[1].Status.Failure, StringComparison.Ordinal);
        Assert.Contains("regressor: failed: Model 'regressor': ONNX Runtime cannot load", set.Models[1].Status.ToString(), StringComparison.Ordinal);
        Assert.Equal(["shadow.boxes", "shadow.steer", "shadow.throttle"], set.Outputs.Select(o => o.Name));
    }

    [Fact]
    public void EachModel_IsDescribedOnItsOwn_InConfigurationOrder()
    {
        using var set = Load(out _);

        var models = ((IInferenceEngine)set).Models;

        Assert.Equal(2, models.Count);
        Assert.Same(set.Models[0].Status.Model, models[0]);
        Assert.Equal("yolov8", models[0].Name);
        Assert.Matches("^[0-9a-f]{64}$", models[0].Sha256);
        Assert.Equal(new ModelInfo("regressor", "unavailable", "unavailable", "unavailable"), models[1]);
    }

    [Fact]
    public void TriggersOnABrokenModelsSignals_AreDisabledWithTheReason_OthersStillFire()
    {
        using var set = Load(out var bus);
        foreach (var model in set.Models)
        {
            model.Register(bus);
        }

        const string Yaml = """
            version: 1
            triggers:
              - id: steer-hard
                when: shadow.steer > 0.5
              - id: many-boxes
                when: count(shadow.boxes) >= 1
            """;
        var compiled = TriggerSetCompiler.Compile(Yaml, TriggerSourceFormat.Yaml, bus.Describe());
        var clock = new MonotonicClock(new FakeTimeProvider());
        var engine = new TriggerEngine(compiled.GetSetOrThrow(), bus, clock);
        bus.Publish(bus.TryGetId("shadow.boxes", out var boxes) ? boxes : default, SignalValue.FromDetections([new Detection(0, 0.9f, 0, 0, 1, 1)]), clock.Now);

        var fired = engine.Evaluate(clock.Now);

        Assert.Equal("many-boxes", Assert.Single(fired!.Triggers).TriggerId);
        var steer = engine.GetCounters().Single(c => c.TriggerId == "steer-hard");
        Assert.StartsWith("shadow.steer: model 'regressor' is not running: Model 'regressor': ONNX Runtime cannot load", steer.DisabledReason, StringComparison.Ordinal);
        Assert.Equal(0, steer.Evaluations);
        Assert.Null(engine.GetCounters().Single(c => c.TriggerId == "many-boxes").DisabledReason);
    }

    private ShadowModelSet Load(out SignalBus bus)
    {
        var corrupt = _dir.Combine("regressor.onnx");
        File.WriteAllText(corrupt, "not a model");
        var regressor = TestModels.Regressor();
        regressor.ModelPath = corrupt;
        var options = new InferenceOptions();
        options.Models.Add(TestModels.YoloV8());
        options.Models.Add(regressor);
        bus = new SignalBus(new SignalBusOptions());
        return ShadowModelSet.Load(options, AppContext.BaseDirectory, NullLogger<ShadowModelSet>.Instance);
    }

    public void Dispose() => _dir.Dispose();
}
