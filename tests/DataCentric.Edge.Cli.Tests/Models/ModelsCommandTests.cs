using DataCentric.Edge.Core.Contracts;

namespace DataCentric.Edge.Cli.Tests.Models;

/// <summary><c>edgectl models sign|verify</c> on real ONNX models and real key files.</summary>
[Trait("Category", "Integration")]
public sealed class ModelsCommandTests : IDisposable
{
    private readonly ModelReleaseFiles _files = new();

    [Fact]
    public async Task SignThenVerify_RoundTrip_IsAccepted_WithTheContractOnnxRuntimeReads()
    {
        await _files.CreateKeysAsync();
        var model = ModelReleaseFiles.Model("test-yolov8.onnx");
        var release = _files.Combine("release.json");
        var signed = await Edgectl.RunAsync(
            "models", "sign", model, "--name", ModelReleaseFiles.Detector, "--version", "4", "--key", _files.Key,
            "--fleet", ModelReleaseFiles.Fleet, "--target", "group:" + ModelReleaseFiles.Group,
            "--latency-budget-ms", "25", "--board", "raspberry-pi-5", "--min-agent-version", "0.1", "--config", _files.WriteDeviceConfig(), "--out", release);
        Assert.True(signed.Exit == 0, signed.Error);

        var verified = await Edgectl.RunAsync("models", "verify", release, "--model", model, "--trusted-key", _files.PublicKey, "--config", _files.WriteDeviceConfig());

        Assert.True(verified.Exit == 0, verified.Error);
        Assert.Contains($"accepted by {ModelReleaseFiles.Fleet}/{ModelReleaseFiles.Device}: model 'detector' version 4 for group yard", verified.Output, StringComparison.Ordinal);
        Assert.Contains("file size and SHA-256 match", verified.Output, StringComparison.Ordinal);
        var payload = ModelReleaseFiles.PayloadOf(release);
        Assert.Equal(FleetTopics.Root, payload.Contract);
        Assert.Equal(new FileInfo(model).Length, payload.SizeBytes);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(model))), payload.Sha256);
        Assert.Equal((25, "raspberry-pi-5", "0.1"), (payload.LatencyBudgetMs!.Value, payload.Board, payload.MinAgentVersion));
        var input = Assert.Single(payload.Io.Inputs);
        Assert.Equal(("images", "float", 4, 3L), (input.Name, input.Element, input.Shape.Count, input.Shape[1]));
        Assert.Contains(payload.Io.Outputs, o => o.Name == "output0" && o.Element == "float" && o.Shape.Count == 3);
    }

    [Fact]
    public async Task Sign_RefusesAFileOnnxRuntimeCannotLoad_NamingIt()
    {
        await _files.CreateKeysAsync();
        var truncated = _files.Combine("truncated.onnx");
        File.WriteAllBytes(truncated, File.ReadAllBytes(ModelReleaseFiles.Model("test-yolov8.onnx"))[..100]);

        var signed = await Edgectl.RunAsync(
            "models", "sign", truncated, "--name", "detector", "--version", "1", "--key", _files.Key, "--target", "fleet", "--out", _files.Combine("r.json"));

        Assert.Equal(EdgectlApp.UsageError, signed.Exit);
        Assert.Contains($"{truncated}: ONNX Runtime cannot load it", signed.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(_files.Combine("r.json")));
    }

    [Fact]
    public async Task Sign_WithAConfig_RefusesAModelThatDoesNotFitItsAdapters()
    {
        await _files.CreateKeysAsync();

        var signed = await Edgectl.RunAsync(
            "models", "sign", ModelReleaseFiles.Model("test-classifier.onnx"), "--name", "detector", "--version", "1", "--key", _files.Key,
            "--target", "fleet", "--config", _files.WriteDeviceConfig(), "--out", _files.Combine("r.json"));

        Assert.Equal(EdgectlApp.UsageError, signed.Exit);
        Assert.Contains("does not fit the adapters of", signed.Error, StringComparison.Ordinal);
        Assert.Contains("no output named 'output0'", signed.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(_files.Combine("r.json")));
    }

    [Fact]
    public async Task Verify_ARefusedRelease_ExitsNonZero_AndPrintsEveryReason()
    {
        await _files.CreateKeysAsync();
        var model = ModelReleaseFiles.Model("test-yolov8.onnx");
        var release = await _files.SignAsync(model, 2, target: "device:dev2", fleet: "other");
        var truncated = _files.Combine("truncated.onnx");
        File.WriteAllBytes(truncated, File.ReadAllBytes(model)[..200]);

        var verified = await Edgectl.RunAsync(
            "models", "verify", release, "--model", truncated, "--trusted-key", _files.PublicKey, "--config", _files.WriteDeviceConfig(), "--accepted-version", "3");

        Assert.Equal(1, verified.Exit);
        Assert.DoesNotContain("accepted by", verified.Output, StringComparison.Ordinal);
        Assert.Contains("refused by f1/dev1 (4 reason(s))", verified.Error, StringComparison.Ordinal);
        Assert.Contains("WrongFleet: for fleet 'other', this device is in fleet 'f1'", verified.Error, StringComparison.Ordinal);
        Assert.Contains("WrongTarget: targets device 'dev2', not this device (dev1, groups: yard)", verified.Error, StringComparison.Ordinal);
        Assert.Contains("NotNewer: model 'detector' version 2 is not higher than version 3", verified.Error, StringComparison.Ordinal);
        Assert.Contains($"SizeMismatch: {truncated} is 200 bytes, the release says {new FileInfo(model).Length} (truncated)", verified.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_AReleaseTooLargeForTheConfiguredLimit_IsRefused()
    {
        await _files.CreateKeysAsync();
        var model = ModelReleaseFiles.Model("obstacle-boxes.onnx");
        Assert.True(new FileInfo(model).Length > 1024);
        var release = await _files.SignAsync(model, 1, name: "boxes");

        var verified = await Edgectl.RunAsync("models", "verify", release, "--trusted-key", _files.PublicKey, "--config", _files.WriteDeviceConfig(maxModelBytes: 1024));

        Assert.Equal(1, verified.Exit);
        Assert.Contains($"TooLargeForMemory: the model is {new FileInfo(model).Length} bytes, this device's model memory limit is 1024 bytes", verified.Error, StringComparison.Ordinal);
    }

    public void Dispose() => _files.Dispose();
}
