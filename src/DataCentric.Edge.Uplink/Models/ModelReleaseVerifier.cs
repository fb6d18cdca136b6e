using System.Security.Cryptography;
using System.Text.Json;
using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Uplink.RemoteConfig;

namespace DataCentric.Edge.Uplink.Models;

/// <summary>
/// Checks a signed model release the way a device must before it loads the model. Size, envelope,
/// key and signature come first and stop the check (nothing unsigned is parsed); then contract,
/// fleet, target, version, agent version, memory limit, the delivered file (size, then SHA-256)
/// and the fit with the configured adapters are checked, and every problem is reported at once.
/// The same code runs on the device and in <c>edgectl models verify</c>.
/// </summary>
public static class ModelReleaseVerifier
{
    /// <param name="modelFile">The delivered ONNX file, or null to check the manifest alone (before a transfer).</param>
    /// <param name="lastAcceptedVersion">The version of this release's model name last accepted here; 0 for none.</param>
    public static ModelReleaseVerification Verify(ReadOnlySpan<byte> envelopeBytes, string? modelFile, ModelReleaseDevice device, Func<string, int> lastAcceptedVersion)
    {
        ArgumentNullException.ThrowIfNull(device);
        ArgumentNullException.ThrowIfNull(lastAcceptedVersion);
        var opened = FleetSignature.Open(envelopeBytes, device.TrustedKeys, device.MaxEnvelopeBytes, "model release");
        if (opened.Payload is not { } payloadBytes)
        {
            return Refused(opened.KeyId, ModelReleaseProblem.Of(opened.Failure!.Value), opened.Error!);
        }

        ModelReleasePayload? release;
        try
        {
            release = JsonSerializer.Deserialize(payloadBytes, UplinkJson.TypeInfo<ModelReleasePayload>());
        }
        catch (JsonException e)
        {
            return Refused(opened.KeyId, ModelReleaseRefusal.Malformed, $"signed payload is not a model release: {e.Message}");
        }

        if (release is null || release.Fleet is null || release.Target is null || release.Name is null || release.Sha256 is null
            || release.Io?.Inputs is null || release.Io.Outputs is null)
        {
            return Refused(opened.KeyId, ModelReleaseRefusal.Malformed, "signed payload lacks fleet, target, name, sha256 or io");
        }

        if (release.Name.Length == 0 || release.Name.AsSpan().IndexOfAny("/+#$ \t\r\n") >= 0)
        {
            return Refused(opened.KeyId, ModelReleaseRefusal.Malformed, $"model name '{release.Name}' is not a topic segment (no '/', '+', '#', '$' or spaces)");
        }

        var problems = new List<ModelReleaseProblem>();
        void Add(ModelReleaseRefusal reason, string message) => problems.Add(new ModelReleaseProblem(reason, message));

        if (release.Contract != FleetTopics.Root)
        {
            Add(ModelReleaseRefusal.WrongContract, $"contract '{release.Contract}' is not {FleetTopics.Root}");
        }

        if (release.Fleet != device.Fleet)
        {
            Add(ModelReleaseRefusal.WrongFleet, $"for fleet '{release.Fleet}', this device is in fleet '{device.Fleet}'");
        }

        if (!FleetTarget.IsFor(release.Target, device.Device, device.Groups))
        {
            Add(ModelReleaseRefusal.WrongTarget, FleetTarget.NotFor(release.Target, device.Device, device.Groups));
        }

        var last = lastAcceptedVersion(release.Name);
        if (release.Version <= last)
        {
            Add(ModelReleaseRefusal.NotNewer, $"model '{release.Name}' version {release.Version} is not higher than version {last} accepted before (older or replayed)");
        }

        if (release.MinAgentVersion is { } minimum)
        {
            if (!Version.TryParse(minimum, out var needed))
            {
                Add(ModelReleaseRefusal.Malformed, $"minAgentVersion '{minimum}' is not a version (major.minor[.patch])");
            }
            else if (device.AgentVersion < needed)
            {
                Add(ModelReleaseRefusal.AgentTooOld, $"needs agent {needed} or newer, this agent is {device.AgentVersion}");
            }
        }

        if (release.SizeBytes > device.MaxModelBytes)
        {
            Add(ModelReleaseRefusal.TooLargeForMemory, $"the model is {release.SizeBytes} bytes, this device's model memory limit is {device.MaxModelBytes} bytes");
        }

        if (modelFile is not null)
        {
            CheckFile(modelFile, release, Add);
        }

        foreach (var problem in device.Adapters.Problems(release.Name, release.Io))
        {
            Add(ModelReleaseRefusal.ContractMismatch, problem);
        }

        return new ModelReleaseVerification(release, opened.KeyId, problems);
    }

    /// <summary>Size first: a truncated file is named as such, not as a hash mismatch.</summary>
    private static void CheckFile(string modelFile, ModelReleasePayload release, Action<ModelReleaseRefusal, string> add)
    {
        var file = new FileInfo(modelFile);
        if (!file.Exists)
        {
            add(ModelReleaseRefusal.FileMissing, $"{file.FullName}: no such file");
            return;
        }

        if (file.Length != release.SizeBytes)
        {
            var how = file.Length < release.SizeBytes ? "truncated" : "longer than signed";
            add(ModelReleaseRefusal.SizeMismatch, $"{file.FullName} is {file.Length} bytes, the release says {release.SizeBytes} ({how})");
            return;
        }

        string sha256;
        using (var stream = file.OpenRead())
        {
            sha256 = Convert.ToHexStringLower(SHA256.HashData(stream));
        }

        if (!string.Equals(sha256, release.Sha256, StringComparison.OrdinalIgnoreCase))
        {
            add(ModelReleaseRefusal.HashMismatch, $"{file.FullName} has SHA-256 {sha256}, the release says {release.Sha256}");
        }
    }

    private static ModelReleaseVerification Refused(string? keyId, ModelReleaseRefusal reason, string message) =>
        new(null, keyId, [new ModelReleaseProblem(reason, message)]);
}
