using System.Text.Json;
using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Device.Inference;
using DataCentric.Edge.Uplink.Models;
using DataCentric.Edge.Uplink.RemoteConfig;

namespace DataCentric.Edge.Cli.Tests.Models;

/// <summary>
/// The device's check of a model release (Uplink/Models) on releases signed by <c>edgectl models sign</c>
/// from real ONNX files: what it accepts is recorded, every bad release is refused with its reason
/// and changes nothing. Here because it needs the device's adapters (Device) and edgectl together.
/// </summary>
[Trait("Category", "Integration")]
public sealed class AcceptedModelReleasesTests : IDisposable
{
    private const int Accepted = 2;
    private static readonly string Yolo = ModelReleaseFiles.Model("test-yolov8.onnx");
    private readonly ModelReleaseFiles _files = new();

    public static TheoryData<string, ModelReleaseRefusal> BadReleases => new()
    {
        { "unsigned", ModelReleaseRefusal.Unsigned },
        { "forged", ModelReleaseRefusal.Forged },
        { "untrusted-key", ModelReleaseRefusal.UntrustedKey },
        { "replayed-older", ModelReleaseRefusal.NotNewer },
        { "replayed-same", ModelReleaseRefusal.NotNewer },
        { "wrong-fleet", ModelReleaseRefusal.WrongFleet },
        { "other-device", ModelReleaseRefusal.WrongTarget },
        { "other-group", ModelReleaseRefusal.WrongTarget },
        { "truncated", ModelReleaseRefusal.SizeMismatch },
        { "hash-mismatch", ModelReleaseRefusal.HashMismatch },
        { "no-file", ModelReleaseRefusal.FileMissing },
        { "classifier-for-yolo", ModelReleaseRefusal.ContractMismatch },
        { "too-large", ModelReleaseRefusal.TooLargeForMemory },
    };

    [Fact]
    public async Task Accept_RecordsTheVersion_AndRefusesItsReplayAfterARestart()
    {
        await _files.CreateKeysAsync();
        var release = await File.ReadAllBytesAsync(await _files.SignAsync(Yolo, 5, target: "fleet"), TestContext.Current.CancellationToken);
        var state = _files.Combine("state");

        var first = new AcceptedModelReleases(state).Accept(release, Yolo, Device());
        var afterRestart = new AcceptedModelReleases(state);
        var replayed = afterRestart.Accept(release, Yolo, Device());

        Assert.True(first.Accepted, string.Join("; ", first.Problems));
        Assert.Equal(5, first.Release!.Version);
        Assert.Equal(5, afterRestart.VersionOf(ModelReleaseFiles.Detector));
        Assert.False(replayed.Accepted);
        Assert.Equal(ModelReleaseRefusal.NotNewer, Assert.Single(replayed.Problems).Reason);
    }

    [Theory]
    [MemberData(nameof(BadReleases))]
    public async Task Accept_RefusesABadRelease_WithItsReason_AndRecordsNothing(string bad, ModelReleaseRefusal reason)
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await _files.CreateKeysAsync();
        var state = _files.Combine("state");
        var releases = new AcceptedModelReleases(state);
        var good = releases.Accept(await File.ReadAllBytesAsync(await _files.SignAsync(Yolo, Accepted), cancellationToken), Yolo, Device());
        Assert.True(good.Accepted, string.Join("; ", good.Problems));
        var recorded = await File.ReadAllBytesAsync(Directory.GetFiles(state).Single(), cancellationToken);

        var (envelope, model, device) = await BadAsync(bad);
        var result = releases.Accept(envelope, model, device);

        Assert.False(result.Accepted);
        Assert.Contains(result.Problems, p => p.Reason == reason && !string.IsNullOrWhiteSpace(p.Message));
        Assert.All(result.Problems, p => Assert.True(p.Reason == reason || bad == "classifier-for-yolo", $"{bad}: also {p}"));
        Assert.Equal(Accepted, releases.VersionOf(ModelReleaseFiles.Detector));
        Assert.Equal(recorded, await File.ReadAllBytesAsync(Directory.GetFiles(state).Single(), cancellationToken));
        Assert.Equal(Accepted, new AcceptedModelReleases(state).VersionOf(ModelReleaseFiles.Detector));
    }

    [Fact]
    public async Task AClassifierWhereAYoloAdapterIsConfigured_IsRefused_NamingTheInputAndOutputItLacks()
    {
        await _files.CreateKeysAsync();
        var (envelope, model, device) = await BadAsync("classifier-for-yolo");

        var result = new AcceptedModelReleases(_files.Combine("state")).Accept(envelope, model, device);

        Assert.Equal(
            [
                "no input named 'images' (Inference:Models 'detector' Input:Name); the model has 'image' float[1,3,8,8]",
                "no output named 'output0', which the Detection adapter reads; the model has 'logits' float[1,4]",
            ],
            result.Problems.Select(p => p.Message));
    }

    private async Task<(byte[] Envelope, string Model, ModelReleaseDevice Device)> BadAsync(string bad)
    {
        async Task<byte[]> Signed(string model = "test-yolov8.onnx", int version = Accepted + 1, string target = "device:" + ModelReleaseFiles.Device, string fleet = ModelReleaseFiles.Fleet, string key = "fleet.key") =>
            await File.ReadAllBytesAsync(await _files.SignAsync(ModelReleaseFiles.Model(model), version, target, fleet, key: key));

        switch (bad)
        {
            case "unsigned":
                {
                    var envelope = Envelope(await Signed());
                    return (Json(envelope with { Signature = string.Empty }), Yolo, Device());
                }

            case "forged":
                {
                    // The signature of another release, over other bytes.
                    var other = Envelope(await Signed(version: 9));
                    return (Json(Envelope(await Signed()) with { Signature = other.Signature }), Yolo, Device());
                }

            case "untrusted-key":
                await _files.CreateKeysAsync("intruder");
                return (await Signed(key: "intruder.key"), Yolo, Device());
            case "replayed-older":
                return (await Signed(version: Accepted - 1), Yolo, Device());
            case "replayed-same":
                return (await Signed(version: Accepted), Yolo, Device());
            case "wrong-fleet":
                return (await Signed(fleet: "other-fleet"), Yolo, Device());
            case "other-device":
                return (await Signed(target: "device:dev2"), Yolo, Device());
            case "other-group":
                return (await Signed(target: "group:depot"), Yolo, Device());
            case "truncated":
                return (await Signed(), Copy(bytes => bytes[..(bytes.Length / 2)]), Device());
            case "hash-mismatch":
                return (await Signed(), Copy(bytes => { bytes[^1] ^= 0xFF; return bytes; }), Device());
            case "no-file":
                return (await Signed(), _files.Combine("never-delivered.onnx"), Device());
            case "classifier-for-yolo":
                return (await Signed(model: "test-classifier.onnx"), ModelReleaseFiles.Model("test-classifier.onnx"), Device());
            case "too-large":
                return (await Signed(), Yolo, Device(maxModelBytes: new FileInfo(Yolo).Length - 1));
            default:
                throw new ArgumentOutOfRangeException(nameof(bad), bad, null);
        }
    }

    /// <summary>The device: fleet f1, dev1 in group yard, the key from edgectl pinned, a YOLOv8 detector configured.</summary>
    private ModelReleaseDevice Device(long maxModelBytes = 64L * 1024 * 1024)
    {
        var detector = new ShadowModelOptions
        {
            Name = ModelReleaseFiles.Detector,
            ModelPath = Yolo,
            Input = new ImageInputOptions { Name = "images" },
            Output = new ModelOutputOptions { Kind = ModelOutputKind.Detection, DetectionLayout = DetectionLayout.YoloV8, Tensor = "output0" },
        };
        return new ModelReleaseDevice(
            ModelReleaseFiles.Fleet, ModelReleaseFiles.Device, [ModelReleaseFiles.Group], FleetKeys.LoadTrusted([_files.PublicKey]),
            new Version(1, 0), maxModelBytes, new ConfiguredModelContract([detector]));
    }

    private string Copy(Func<byte[], byte[]> change)
    {
        var path = _files.Combine($"delivered-{Guid.NewGuid():N}.onnx");
        File.WriteAllBytes(path, change(File.ReadAllBytes(Yolo)));
        return path;
    }

    private static TriggerSetEnvelope Envelope(byte[] bytes) => JsonSerializer.Deserialize(bytes, UplinkJson.TypeInfo<TriggerSetEnvelope>())!;

    private static byte[] Json(TriggerSetEnvelope envelope) => FleetSignature.Serialize(envelope);

    public void Dispose() => _files.Dispose();
}
