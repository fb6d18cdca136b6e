using System.Text.Json;
using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.TestKit;
using DataCentric.Edge.TestKit.Broker;

namespace DataCentric.Edge.Cli.Tests.Models;

/// <summary>
/// A fleet key pair made by <c>edgectl keys new</c>, releases signed by <c>edgectl models sign</c>
/// from the repository's real ONNX models, and a device configuration whose detector reads YOLOv8 output.
/// </summary>
internal sealed class ModelReleaseFiles : IDisposable
{
    public const string Fleet = "f1";
    public const string Device = "dev1";
    public const string Group = "yard";

    /// <summary>The configured model a release replaces: YOLOv8 boxes from tensor output0 of input 'images'.</summary>
    public const string Detector = "detector";

    private readonly TempDirectory _dir = new("dce-models");

    public string Dir => _dir.Path;

    public string Key => _dir.Combine("fleet.key");

    public string PublicKey => _dir.Combine("fleet.pub");

    public static string Model(string file) => RepositoryFiles.Path("firmware-config", "models", file);

    public string Combine(string name) => _dir.Combine(name);

    public async Task CreateKeysAsync(string prefix = "fleet")
    {
        var keys = await Edgectl.RunAsync("keys", "new", "--out", _dir.Combine(prefix));
        Assert.True(keys.Exit == 0, keys.Error);
    }

    /// <summary>The device's agent.json: its identity, group and a YOLOv8 detector as model 1, beside the agent's default model 0.</summary>
    public string WriteDeviceConfig(long? maxModelBytes = null)
    {
        var path = _dir.Combine("agent.json");
        var limit = maxModelBytes is { } bytes ? $"\"ModelReleases\": {{ \"MaxModelBytes\": {bytes} }}," : string.Empty;
        File.WriteAllText(path, $$"""
            {
              "Agent": { "Fleet": "{{Fleet}}", "DeviceId": "{{Device}}" },
              "RemoteConfig": { "Groups": [ "{{Group}}" ] },
              {{limit}}
              "Inference": {
                "Models": {
                  "1": {
                    "Name": "{{Detector}}",
                    "ModelPath": {{JsonSerializer.Serialize(Model("test-yolov8.onnx"))}},
                    "Input": { "Name": "images" },
                    "Output": { "Kind": "Detection", "DetectionLayout": "YoloV8", "Tensor": "output0", "BoxesSignal": "shadow.detector_boxes" }
                  }
                }
              }
            }
            """);
        return path;
    }

    /// <summary>Signs <paramref name="model"/> with <c>edgectl models sign</c>; returns the release file.</summary>
    public async Task<string> SignAsync(string model, int version, string target = "device:" + Device, string fleet = Fleet, string name = Detector, string key = "fleet.key", string? output = null)
    {
        var path = output ?? _dir.Combine($"{name}-{version}-{Guid.NewGuid():N}.json");
        var signed = await Edgectl.RunAsync(
            "models", "sign", model, "--name", name, "--version", version.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--key", _dir.Combine(key), "--fleet", fleet, "--target", target, "--out", path);
        Assert.True(signed.Exit == 0, signed.Error);
        return path;
    }

    public static ModelReleasePayload PayloadOf(string releaseFile)
    {
        var envelope = JsonSerializer.Deserialize(File.ReadAllBytes(releaseFile), UplinkJson.TypeInfo<TriggerSetEnvelope>())!;
        return JsonSerializer.Deserialize(Convert.FromBase64String(envelope.Payload), UplinkJson.TypeInfo<ModelReleasePayload>())!;
    }

    public void Dispose() => _dir.Dispose();
}
