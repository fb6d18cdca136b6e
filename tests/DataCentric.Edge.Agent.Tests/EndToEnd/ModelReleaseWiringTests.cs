using System.Collections.Concurrent;
using System.Security.Cryptography;
using DataCentric.Edge.Agent.Configuration;
using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Device.Inference;
using DataCentric.Edge.TestKit;
using DataCentric.Edge.TestKit.Broker;
using DataCentric.Edge.Uplink.Broker;
using DataCentric.Edge.Uplink.Models;
using DataCentric.Edge.Uplink.RemoteConfig;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace DataCentric.Edge.Agent.Tests.EndToEnd;

/// <summary>
/// The whole agent (demo mode, embedded broker) as composed: a signed release of its own configured
/// model, pushed as edgectl does, is checked against the configured adapters, downloaded into its
/// data directory and handed to the registered activator; <c>rollbackModel</c> reaches it too.
/// </summary>
[Trait("Category", "Integration")]
public sealed class ModelReleaseWiringTests : IDisposable
{
    private readonly TempDirectory _dir = new("dce-model-wiring");

    [Fact]
    public async Task SignedRelease_IsDownloadedAndActivated_AndRolledBackByCommand()
    {
        var ct = TestContext.Current.CancellationToken;
        using var fleetKey = FleetKeys.New();
        var pinned = _dir.Combine("fleet.pub.pem");
        await File.WriteAllTextAsync(pinned, fleetKey.ExportSubjectPublicKeyInfoPem(), ct);
        var activator = new Activations();
        var commandLine = new AgentCommandLine(AgentMode.Demo, TimeSpan.FromHours(1), _dir.Combine("received"), null, _dir.Combine("data"));
        var configuration = AgentHost.BuildConfiguration(commandLine, [new("RemoteConfig:TrustedKeyPaths:0", pinned)]);
        Assert.Empty(AgentConfiguration.Validate(configuration));
        using var host = AgentHost.Build(commandLine, configuration, TextWriter.Null, services => services.AddSingleton<IModelActivator>(activator));
        await host.StartAsync(ct);
        var topics = host.Services.GetRequiredService<FleetTopics>();
        await using var fleet = await FleetSession.OpenAsync(host.Services.GetRequiredService<BrokerEndpoint>(), topics, ct);

        var model = RepositoryFiles.Path("firmware-config", "models", "obstacle-detector.onnx");
        var release = new ModelReleasePayload(
            FleetTopics.Root, topics.Fleet, new TriggerSetTarget(TargetScope.Device, topics.Device), "obstacle-detector", 1,
            Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(model, ct))), new FileInfo(model).Length, OnnxModelContract.Read(model), DateTimeOffset.UtcNow);
        await fleet.Client.PublishRetainedAsync(ModelTopics.Chunk(topics.Fleet, release.Sha256, 0), await File.ReadAllBytesAsync(model, ct), ct);
        await fleet.Client.PublishRetainedAsync(ModelTopics.ReleaseOf(release), ModelReleaseSigner.Sign(release, fleetKey), ct);

        var ack = await fleet.WaitForAsync<ModelReleaseAck>(ModelTopics.Ack(topics.Fleet, topics.Device, release.Name), a => a.Stage == ModelReleaseStage.Active, ct);
        Assert.Equal((1, release.Sha256), (ack.ActiveVersion, ack.ActiveSha256));
        Assert.Equal(release.Sha256, Assert.Single(activator.Files).Sha256);
        Assert.Equal(1, host.Services.GetRequiredService<ModelReleaseReceiver>().Accepted.VersionOf(release.Name));

        var rollback = await fleet.SendOkAsync<ModelRollbackResult>(new CommandRequest(CommandNames.RollbackModel) { ModelName = release.Name }, ct);
        Assert.Equal((true, 0), (rollback.RolledBack, rollback.ActiveVersion));
        Assert.Equal(["obstacle-detector"], activator.Rollbacks);
        await host.StopAsync(ct);
    }

    public void Dispose() => _dir.Dispose();

    /// <summary>Records what the agent hands over (the inference layer's activator is tested with the inference layer).</summary>
    private sealed class Activations : IModelActivator
    {
        private readonly ConcurrentDictionary<string, (RunningRelease Active, RunningRelease? Previous)> _running = new(StringComparer.Ordinal);

        public RunningRelease? RunningOf(string modelName) => _running.TryGetValue(modelName, out var r) ? r.Active : null;

        public IReadOnlyList<ModelStartupRollback> UnreportedStartupRollbacks() => [];

        public void StartupRollbackReported(ModelStartupRollback rollback)
        {
        }

        public ConcurrentQueue<(string File, string Sha256)> Files { get; } = [];

        public ConcurrentQueue<string> Rollbacks { get; } = [];

        public async Task<ModelActivationOutcome> ActivateAsync(ModelReleasePayload release, string verifiedModelFile, CancellationToken cancellationToken)
        {
            Files.Enqueue((verifiedModelFile, Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(verifiedModelFile, cancellationToken)))));
            _running[release.Name] = (new RunningRelease(release.Version, release.Sha256), RunningOf(release.Name));
            return new ModelActivationOutcome(true, null, null, null);
        }

        public Task<ModelActivationOutcome> RollBackAsync(string modelName, CancellationToken cancellationToken)
        {
            Rollbacks.Enqueue(modelName);
            if (_running.TryRemove(modelName, out var r) && r.Previous is { } previous)
            {
                _running[modelName] = (previous, null);
            }

            return Task.FromResult(new ModelActivationOutcome(true, null, null, null));
        }
    }
}
