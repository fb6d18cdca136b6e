using System.CommandLine;
using System.Globalization;
using System.Security.Cryptography;
using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Device.Inference;
using DataCentric.Edge.Uplink.Models;
using DataCentric.Edge.Uplink.RemoteConfig;

namespace DataCentric.Edge.Cli.Commands;

/// <summary>
/// <c>edgectl models sign|verify</c>: a signed model release (manifest of an ONNX file), and the
/// device's check of it; <c>push|status|rollback</c> (their own files) take it to the devices.
/// </summary>
internal static class ModelsCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var models = new Command("models", "Sign model releases, check them as a device does, push them and follow the devices' acks");
        models.Subcommands.Add(Sign(output, error));
        models.Subcommands.Add(Verify(output, error));
        models.Subcommands.Add(ModelsPushCommand.Create(output, error));
        models.Subcommands.Add(ModelsStatusCommand.Create(output, error));
        models.Subcommands.Add(ModelsRollbackCommand.Create(output, error));
        models.Subcommands.Add(ModelsRolloutCommand.Create(output, error));
        models.Subcommands.Add(ModelsCompareCommand.Create(output, error));
        return models;
    }

    private static Command Sign(TextWriter output, TextWriter error)
    {
        var file = new Argument<FileInfo>("model") { Description = "The ONNX file (read with ONNX Runtime for its inputs and outputs)" };
        var name = new Option<string>("--name") { Description = "Model name: the Inference:Models entry it replaces on the devices", Required = true };
        var version = new Option<int>("--version") { Description = "Release version, higher than any before for this name", Required = true };
        var key = new Option<FileInfo>("--key") { Description = "Fleet private key (PEM, from edgectl keys new)", Required = true };
        var fleet = new Option<string>("--fleet") { Description = "Fleet name", DefaultValueFactory = _ => Environment.GetEnvironmentVariable("DCE_FLEET") ?? "demo" };
        var target = new Option<string>("--target") { Description = TargetArgument.Description, Required = true };
        var latency = new Option<int?>("--latency-budget-ms") { Description = "Expected inference latency on --board, in milliseconds" };
        var board = new Option<string?>("--board") { Description = "The board the latency budget is for (e.g. raspberry-pi-5)" };
        var minAgent = new Option<string?>("--min-agent-version") { Description = "Oldest agent version that may run it (major.minor[.patch])" };
        var config = new Option<FileInfo?>("--config") { Description = "Check the model against this agent configuration's adapters before signing" };
        var outFile = new Option<FileInfo?>("--out") { Description = "Write the signed release here (default: standard output)" };
        var sign = new Command("sign", "Sign a release of an ONNX model for a device, a group or the fleet");
        sign.Arguments.Add(file);
        foreach (var option in new Option[] { name, version, key, fleet, target, latency, board, minAgent, config, outFile })
        {
            sign.Options.Add(option);
        }

        sign.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(error, async () =>
        {
            var model = parse.GetValue(file)!;
            var release = await ReleaseOfAsync(parse, model, name, version, fleet, target, latency, board, minAgent, cancellationToken).ConfigureAwait(false);
            if (parse.GetValue(config) is { } configFile)
            {
                var settings = DeviceModelSettings.Load(configFile.FullName);
                var problems = new ConfiguredModelContract(settings.Models).Problems(release.Name, release.Io);
                if (problems.Count > 0)
                {
                    throw new UsageException($"{model.FullName} does not fit the adapters of {configFile.FullName}: {string.Join("; ", problems)}");
                }
            }

            using var privateKey = FleetKeys.ImportPem(await File.ReadAllTextAsync(parse.GetValue(key)!.FullName, cancellationToken).ConfigureAwait(false));
            var envelope = ModelReleaseSigner.Sign(release, privateKey);
            if (parse.GetValue(outFile) is { } destination)
            {
                await File.WriteAllBytesAsync(destination.FullName, envelope, cancellationToken).ConfigureAwait(false);
                await error.WriteLineAsync(
                    $"signed model '{release.Name}' version {release.Version} ({release.SizeBytes} bytes, sha256 {release.Sha256}) for {Describe(release.Target)} with key {FleetKeys.KeyIdOf(privateKey)} -> {destination.FullName}").ConfigureAwait(false);
            }
            else
            {
                await output.WriteLineAsync(System.Text.Encoding.UTF8.GetString(envelope)).ConfigureAwait(false);
            }

            return 0;
        }));
        return sign;
    }

    private static Command Verify(TextWriter output, TextWriter error)
    {
        var file = new Argument<FileInfo>("release") { Description = "Signed release (from edgectl models sign)" };
        var model = new Option<FileInfo?>("--model") { Description = "The delivered ONNX file; without it only the manifest is checked" };
        var trusted = new Option<FileInfo[]>("--trusted-key") { Description = "A fleet public key the device pins (PEM); repeat it", Required = true, AllowMultipleArgumentsPerToken = false };
        var config = new Option<FileInfo?>("--config") { Description = "The device's agent configuration (identity, groups, ModelReleases:MaxModelBytes, Inference:Models); default: the agent's defaults" };
        var accepted = new Option<int>("--accepted-version") { Description = "The version of this model the device accepted last (0: none)", DefaultValueFactory = _ => 0 };
        var agentVersion = new Option<string?>("--agent-version") { Description = "The device's agent version (default: this edgectl's, from the same build)" };
        var verify = new Command("verify", "Check a signed release exactly as a device does: signature, fleet, target, version, size, hash, memory limit and adapters");
        verify.Arguments.Add(file);
        foreach (var option in new Option[] { model, trusted, config, accepted, agentVersion })
        {
            verify.Options.Add(option);
        }

        verify.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(error, async () =>
        {
            var release = parse.GetValue(file)!;
            if (!release.Exists)
            {
                throw new UsageException($"{release.FullName}: no such file");
            }

            var settings = DeviceModelSettings.Load(parse.GetValue(config)?.FullName);
            var version = parse.GetValue(agentVersion) is { } given
                ? Version.TryParse(given, out var parsed) ? parsed : throw new UsageException($"--agent-version '{given}' is not a version (major.minor[.patch])")
                : typeof(ModelsCommand).Assembly.GetName().Version ?? new Version(0, 0);
            var keys = FleetKeys.LoadTrusted(parse.GetValue(trusted)!.Select(f => f.FullName));
            var device = new ModelReleaseDevice(
                settings.Agent.Fleet, settings.Agent.DeviceId, settings.Groups, keys, version, settings.Releases.MaxModelBytes, new ConfiguredModelContract(settings.Models));
            var last = parse.GetValue(accepted);
            var bytes = await File.ReadAllBytesAsync(release.FullName, cancellationToken).ConfigureAwait(false);
            var result = ModelReleaseVerifier.Verify(bytes, parse.GetValue(model)?.FullName, device, _ => last);
            if (!result.Accepted)
            {
                await error.WriteLineAsync($"{release.FullName}: refused by {device.Fleet}/{device.Device} ({result.Problems.Count} reason(s)):").ConfigureAwait(false);
                foreach (var problem in result.Problems)
                {
                    await error.WriteLineAsync($"  {problem}").ConfigureAwait(false);
                }

                return CommandRunner.Failed;
            }

            var r = result.Release!;
            var checkedFile = parse.GetValue(model) is null ? "manifest only (no --model)" : "file size and SHA-256 match";
            await output.WriteLineAsync(
                $"accepted by {device.Fleet}/{device.Device}: model '{r.Name}' version {r.Version} for {Describe(r.Target)}, key {result.KeyId}; {checkedFile}").ConfigureAwait(false);
            return 0;
        }));
        return verify;
    }

    private static async Task<ModelReleasePayload> ReleaseOfAsync(
        ParseResult parse, FileInfo model, Option<string> name, Option<int> version, Option<string> fleet, Option<string> target,
        Option<int?> latency, Option<string?> board, Option<string?> minAgent, CancellationToken cancellationToken)
    {
        var modelName = parse.GetValue(name)!;
        if (modelName.Length == 0 || modelName.AsSpan().IndexOfAny("/+#$ \t\r\n") >= 0)
        {
            throw new UsageException($"--name '{modelName}' must be a topic segment: no '/', '+', '#', '$' or spaces");
        }

        var releaseVersion = parse.GetValue(version);
        if (releaseVersion < 1)
        {
            throw new UsageException($"--version {releaseVersion}: versions start at 1");
        }

        if (parse.GetValue(latency) is < 1)
        {
            throw new UsageException("--latency-budget-ms must be at least 1");
        }

        if (parse.GetValue(minAgent) is { } minimum && !Version.TryParse(minimum, out _))
        {
            throw new UsageException($"--min-agent-version '{minimum}' is not a version (major.minor[.patch])");
        }

        ModelIo io;
        try
        {
            io = OnnxModelContract.Read(model.FullName);
        }
        catch (ModelConfigurationException e)
        {
            throw new UsageException(e.Message, e);
        }

        string sha256;
        await using (var stream = File.OpenRead(model.FullName))
        {
            sha256 = Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken).ConfigureAwait(false));
        }

        return new ModelReleasePayload(
            FleetTopics.Root, parse.GetValue(fleet)!, TargetArgument.Parse(parse.GetValue(target)!), modelName, releaseVersion,
            sha256, new FileInfo(model.FullName).Length, io, DateTimeOffset.UtcNow)
        {
            LatencyBudgetMs = parse.GetValue(latency),
            Board = parse.GetValue(board),
            MinAgentVersion = parse.GetValue(minAgent),
        };
    }

    private static string Describe(TriggerSetTarget target) =>
        target.Scope == TargetScope.Fleet ? "the fleet" : string.Create(CultureInfo.InvariantCulture, $"{target.Scope.ToString().ToLowerInvariant()} {target.Name}");
}
