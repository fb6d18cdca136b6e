using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using DataCentric.Edge.Core.Contracts;
using DataCentric.Edge.Core.Signals;
using DataCentric.Edge.Core.Triggers;
using DataCentric.Edge.Uplink.RemoteConfig;

namespace DataCentric.Edge.Cli.Commands;

/// <summary><c>edgectl triggers signals|validate|test|sign|push|status|rollback</c>: the fleet manager's path from a set file to acks from devices.</summary>
internal static partial class TriggersCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var triggers = new Command("triggers", "Write, test, sign and push trigger sets");
        triggers.Subcommands.Add(Signals(output, error));
        triggers.Subcommands.Add(Validate(output, error));
        triggers.Subcommands.Add(TriggersTestCommand.Create(output, error));
        triggers.Subcommands.Add(Sign(output, error));
        triggers.Subcommands.Add(Push(output, error));
        triggers.Subcommands.Add(Status(output, error));
        triggers.Subcommands.Add(Rollback(output, error));
        return triggers;
    }

    private static Command Signals(TextWriter output, TextWriter error)
    {
        var deviceSignals = new DeviceSignalOptions();
        var json = new Option<bool>("--json") { Description = "JSON instead of a table" };
        var signals = new Command("signals", "List the signals a device publishes with an agent configuration (--config) or a board's (--board): what a trigger can read");
        deviceSignals.AddTo(signals);
        signals.Options.Add(json);
        signals.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(error, async () =>
        {
            var device = await deviceSignals.ResolveAsync(parse).ConfigureAwait(false)
                ?? throw new UsageException("say which device: --config <agent.json> or --board <name>");
            if (!parse.GetValue(json))
            {
                await output.WriteLineAsync($"{device.Source}: {device.Signals.Count} signals").ConfigureAwait(false);
            }

            Table.Write(output, parse.GetValue(json), [.. device.Signals.OrderBy(s => s.Name, StringComparer.Ordinal).Select(s => new SignalRow(s.Name, s.Kind.ToString().ToLowerInvariant()))],
                ("SIGNAL", s => s.Name), ("KIND", s => s.Kind));
            return 0;
        }));
        return signals;
    }

    private static Command Validate(TextWriter output, TextWriter error)
    {
        var file = new Argument<FileInfo>("file") { Description = "Trigger set (.yaml, .yml or .json)" };
        var signals = SignalsOption();
        var broker = new BrokerConnection();
        var device = new Option<string?>("--device") { Description = "Check against the signals this device announces in its status (asks the broker)" };
        var deviceSignals = new DeviceSignalOptions();
        var validate = new Command("validate", "Check a set whole against the signals a device publishes (--config, --board, --device or --signal); every error with line and column");
        validate.Arguments.Add(file);
        validate.Options.Add(signals);
        validate.Options.Add(device);
        deviceSignals.AddTo(validate);
        broker.AddTo(validate);
        validate.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(error, async () =>
        {
            var name = parse.GetValue(file)!.Name;
            var (text, format) = await ReadSetAsync(parse.GetValue(file)!, cancellationToken).ConfigureAwait(false);
            var (known, given) = await KnownSignalsAsync(parse, signals, deviceSignals).ConfigureAwait(false);
            if (parse.GetValue(device) is { } deviceId)
            {
                known.AddRange(await DeviceSignalsAsync(broker, parse, deviceId, cancellationToken).ConfigureAwait(false));
                given = true;
            }

            var check = SetCheck.Run(text, format, known, given);
            await check.WriteAsync(error, name).ConfigureAwait(false);
            if (!check.Passed)
            {
                await error.WriteLineAsync($"{check.Errors.Count} error(s)").ConfigureAwait(false);
                return EdgectlApp.UsageError;
            }

            await output.WriteLineAsync(check.Result.Set is { } set
                ? $"{name}: valid, version {set.Version}, {set.Triggers.Count} triggers"
                : $"{name}: valid apart from {check.Warnings.Count} unknown signal reference(s), version {VersionOf(text, format)?.ToString(CultureInfo.InvariantCulture) ?? "?"}").ConfigureAwait(false);
            return 0;
        }));
        return validate;
    }

    private static Command Sign(TextWriter output, TextWriter error)
    {
        var file = new Argument<FileInfo>("file") { Description = "Trigger set (.yaml, .yml or .json)" };
        var key = new Option<FileInfo>("--key") { Description = "Fleet private key (PEM, from edgectl keys new)", Required = true };
        var target = new Option<string>("--target") { Description = "device:<id>, group:<name> or fleet", Required = true };
        var fleet = new Option<string>("--fleet") { Description = "Fleet name", DefaultValueFactory = _ => Environment.GetEnvironmentVariable("DCE_FLEET") ?? "demo" };
        var signals = SignalsOption();
        var outFile = new Option<FileInfo?>("--out") { Description = "Write the signed envelope here (default: standard output)" };
        var deviceSignals = new DeviceSignalOptions();
        var sign = new Command("sign", "Sign a set for a device, a group or the fleet; validated first (against the devices' signals with --config, --board or --signal)");
        sign.Arguments.Add(file);
        foreach (var option in new Option[] { key, target, fleet, signals, outFile })
        {
            sign.Options.Add(option);
        }

        deviceSignals.AddTo(sign);
        sign.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(error, async () =>
        {
            var setFile = parse.GetValue(file)!;
            var (text, format) = await ReadSetAsync(setFile, cancellationToken).ConfigureAwait(false);
            var (known, given) = await KnownSignalsAsync(parse, signals, deviceSignals).ConfigureAwait(false);
            var check = SetCheck.Run(text, format, known, given);
            if (!check.Passed)
            {
                throw new UsageException($"{setFile.Name} is not valid: {string.Join("; ", check.Errors)}");
            }

            await check.WriteAsync(error, setFile.Name).ConfigureAwait(false);
            var version = check.Result.Set?.Version
                ?? VersionOf(text, format) ?? throw new UsageException($"{setFile.Name}: no top-level 'version' found");

            using var privateKey = FleetKeys.ImportPem(await File.ReadAllTextAsync(parse.GetValue(key)!.FullName, cancellationToken).ConfigureAwait(false));
            var payload = new TriggerSetPayload(
                FleetTopics.Root, parse.GetValue(fleet)!, TargetArgument.Parse(parse.GetValue(target)!), version,
                format.ToWire(), text, DateTimeOffset.UtcNow);
            var envelope = TriggerSetSigner.Serialize(TriggerSetSigner.Sign(payload, privateKey));
            if (parse.GetValue(outFile) is { } destination)
            {
                await File.WriteAllBytesAsync(destination.FullName, envelope, cancellationToken).ConfigureAwait(false);
                await error.WriteLineAsync($"signed version {version} for {payload.Target.Scope.ToString().ToLowerInvariant()} {payload.Target.Name} with key {FleetKeys.KeyIdOf(privateKey)} -> {destination.FullName}").ConfigureAwait(false);
            }
            else
            {
                await output.WriteLineAsync(System.Text.Encoding.UTF8.GetString(envelope)).ConfigureAwait(false);
            }

            return 0;
        }));
        return sign;
    }

    private static Command Push(TextWriter output, TextWriter error)
    {
        var broker = new BrokerConnection();
        var file = new Argument<FileInfo>("envelope") { Description = "Signed envelope (from edgectl triggers sign)" };
        var expect = new Option<int?>("--expect") { Description = "Number of device acks to wait for (default: 1 for a device target; otherwise until --timeout)" };
        var json = new Option<bool>("--json") { Description = "JSON instead of a table" };
        var push = new Command("push", "Publish a signed set (retained) to its target and collect the devices' acks");
        broker.AddTo(push);
        push.Arguments.Add(file);
        push.Options.Add(expect);
        push.Options.Add(json);
        push.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(error, async () =>
        {
            var envelopeFile = parse.GetValue(file)!;
            if (!envelopeFile.Exists)
            {
                throw new UsageException($"{envelopeFile.FullName}: no such file");
            }

            var bytes = await File.ReadAllBytesAsync(envelopeFile.FullName, cancellationToken).ConfigureAwait(false);
            TriggerSetPayload payload;
            try
            {
                payload = PayloadOf(bytes);
            }
            catch (UsageException e)
            {
                throw new UsageException($"{envelopeFile.FullName}: {e.Message}", e);
            }

            var topic = payload.Target.Scope switch
            {
                TargetScope.Device => new FleetTopics(payload.Fleet, payload.Target.Name ?? throw new UsageException($"{envelopeFile.FullName}: the envelope targets a device without a name")).DeviceTriggerSet,
                TargetScope.Group => FleetTopics.GroupTriggerSet(payload.Fleet, payload.Target.Name ?? throw new UsageException($"{envelopeFile.FullName}: the envelope targets a group without a name")),
                _ => FleetTopics.FleetTriggerSetOf(payload.Fleet),
            };
            var wanted = parse.GetValue(expect) ?? (payload.Target.Scope == TargetScope.Device ? 1 : int.MaxValue);
            await using var session = await FleetSession.OpenAsync(broker, parse, cancellationToken).ConfigureAwait(false);
            var acks = new Dictionary<string, TriggerSetAck>(StringComparer.Ordinal);
            var enough = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var gate = new Lock();
            using (await session.Client.WatchAsync(FleetTopics.AllTriggerSetAcks(payload.Fleet), m =>
            {
                var ack = UplinkJson.Deserialize<TriggerSetAck>(m.Payload);
                if (ack is null || ack.Version != payload.Version || ack.Topic != topic || ack.At < payload.SignedAt)
                {
                    return; // Another push's answer, or a retained one from before.
                }

                lock (gate)
                {
                    acks[ack.Device] = ack;
                    if (!parse.GetValue(json))
                    {
                        error.Write($"\r{topic}: {acks.Values.Count(a => a.Decision == TriggerSetDecision.Accepted)} accepted, {acks.Values.Count(a => a.Decision == TriggerSetDecision.Rejected)} rejected ");
                    }

                    if (acks.Count >= wanted)
                    {
                        enough.TrySetResult();
                    }
                }
            }, cancellationToken).ConfigureAwait(false))
            {
                await session.Client.PublishRetainedAsync(topic, bytes, cancellationToken).ConfigureAwait(false);
                await Task.WhenAny(enough.Task, Task.Delay(session.Timeout, cancellationToken)).ConfigureAwait(false);
            }

            if (!parse.GetValue(json))
            {
                await error.WriteLineAsync().ConfigureAwait(false);
            }

            List<TriggerSetAck> answered;
            lock (gate)
            {
                answered = [.. acks.Values.OrderBy(a => a.Device, StringComparer.Ordinal)];
            }

            WriteAcks(output, parse.GetValue(json), answered);
            if (answered.Count < Math.Min(wanted, answered.Count + 1) && wanted != int.MaxValue)
            {
                await error.WriteLineAsync($"edgectl: {answered.Count} of {wanted} devices answered within {session.Timeout}; the set stays retained on {topic}").ConfigureAwait(false);
                return CommandRunner.Failed;
            }

            return answered.All(a => a.Decision == TriggerSetDecision.Accepted) && answered.Count > 0 ? 0 : CommandRunner.Failed;
        }));
        return push;
    }

    private static Command Status(TextWriter output, TextWriter error)
    {
        var broker = new BrokerConnection();
        var json = new Option<bool>("--json") { Description = "JSON instead of a table" };
        var status = new Command("status", "Each device's answer to the last trigger set it saw");
        broker.AddTo(status);
        status.Options.Add(json);
        status.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(error, async () =>
        {
            await using var session = await FleetSession.OpenAsync(broker, parse, cancellationToken).ConfigureAwait(false);
            var retained = await session.Client.ReadRetainedAsync(FleetTopics.AllTriggerSetAcks(session.Fleet), TimeSpan.FromMilliseconds(300), cancellationToken).ConfigureAwait(false);
            var acks = retained.Select(r => UplinkJson.Deserialize<TriggerSetAck>(new System.Buffers.ReadOnlySequence<byte>(r.Payload))).OfType<TriggerSetAck>()
                .OrderBy(a => a.Device, StringComparer.Ordinal).ToList();
            WriteAcks(output, parse.GetValue(json), acks);
            return 0;
        }));
        return status;
    }

    private static Command Rollback(TextWriter output, TextWriter error)
    {
        var broker = new BrokerConnection();
        var device = new Option<string>("--device") { Description = "Device id", Required = true };
        var rollback = new Command("rollback", "Put a device back on the set it ran before the active one");
        broker.AddTo(rollback);
        rollback.Options.Add(device);
        rollback.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(error, async () =>
        {
            await using var session = await FleetSession.OpenAsync(broker, parse, cancellationToken).ConfigureAwait(false);
            var reply = await session.AskAsync(parse.GetValue(device)!, new CommandRequest(CommandNames.RollbackTriggers), cancellationToken).ConfigureAwait(false);
            var result = reply.Result!.Value.Deserialize<RollbackResult>(UplinkJson.Options)!;
            await output.WriteLineAsync(result.RolledBack
                ? $"{parse.GetValue(device)}: rolled back, trigger set {result.ActiveVersion} active"
                : $"{parse.GetValue(device)}: no previous set; trigger set {result.ActiveVersion} stays active").ConfigureAwait(false);
            return result.RolledBack ? 0 : CommandRunner.Failed;
        }));
        return rollback;
    }

    private static void WriteAcks(TextWriter output, bool json, IReadOnlyList<TriggerSetAck> acks) =>
        Table.Write(output, json, acks,
            ("DEVICE", a => a.Device), ("DECISION", a => a.Decision.ToString().ToLowerInvariant()),
            ("VERSION", a => a.Version?.ToString(CultureInfo.InvariantCulture)), ("ACTIVE", a => a.ActiveVersion.ToString(CultureInfo.InvariantCulture)),
            ("AT", a => Table.Time(a.At)), ("ERRORS", a => a.Errors.Count == 0 ? null : string.Join(" | ", a.Errors)));

    private static Option<string[]> SignalsOption() => new("--signal")
    {
        Description = "A signal the devices know, as name:kind (number, bool, text, detections, vector); repeat it",
        AllowMultipleArgumentsPerToken = false,
        DefaultValueFactory = _ => [],
    };

    private static List<(string Name, SignalKind Kind)> ParseSignals(string[]? values) =>
        [.. (values ?? []).Select(v =>
        {
            var colon = v.LastIndexOf(':');
            return colon > 0 && Enum.TryParse<SignalKind>(v[(colon + 1)..], ignoreCase: true, out var kind)
                ? (v[..colon], kind)
                : throw new UsageException($"--signal '{v}' is not name:kind (kinds: {string.Join(", ", Enum.GetNames<SignalKind>().Select(n => n.ToLowerInvariant()))})");
        })];

    /// <summary>The --signal list and the --config/--board device's signals; given when either was.</summary>
    private static async Task<(List<(string Name, SignalKind Kind)> Known, bool Given)> KnownSignalsAsync(ParseResult parse, Option<string[]> signals, DeviceSignalOptions deviceSignals)
    {
        var known = ParseSignals(parse.GetValue(signals));
        var given = known.Count > 0;
        if (await deviceSignals.ResolveAsync(parse).ConfigureAwait(false) is { } fromDevice)
        {
            known.AddRange(fromDevice.Signals);
            given = true;
        }

        return (known, given);
    }

    private static async Task<List<(string Name, SignalKind Kind)>> DeviceSignalsAsync(BrokerConnection broker, ParseResult parse, string deviceId, CancellationToken cancellationToken)
    {
        await using var session = await FleetSession.OpenAsync(broker, parse, cancellationToken).ConfigureAwait(false);
        var topic = new FleetTopics(session.Fleet, deviceId).Status;
        var retained = await session.Client.ReadRetainedAsync(topic, TimeSpan.FromMilliseconds(300), cancellationToken).ConfigureAwait(false);
        var status = retained.Select(r => UplinkJson.Deserialize<DeviceStatus>(new System.Buffers.ReadOnlySequence<byte>(r.Payload))).OfType<DeviceStatus>().FirstOrDefault();
        if (status?.Signals is not { Count: > 0 } announced)
        {
            throw new InvalidOperationException($"{session.Fleet}/{deviceId} has announced no signals on {topic} (never connected?)");
        }

        return ParseSignals([.. announced]);
    }

    private static async Task<(string Text, TriggerSourceFormat Format)> ReadSetAsync(FileInfo file, CancellationToken cancellationToken)
    {
        if (!file.Exists)
        {
            throw new UsageException($"{file.FullName} does not exist");
        }

        var format = TriggerSourceFormats.FromPath(file.Name);
        return (await File.ReadAllTextAsync(file.FullName, cancellationToken).ConfigureAwait(false), format);
    }

    private static int? VersionOf(string text, TriggerSourceFormat format)
    {
        var match = format == TriggerSourceFormat.Json ? JsonVersion().Match(text) : YamlVersion().Match(text);
        return match.Success ? int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : null;
    }

    private static TriggerSetPayload PayloadOf(byte[] envelopeBytes)
    {
        try
        {
            // "null" or a missing field deserialise to null rather than throwing: say which part is missing.
            var envelope = JsonSerializer.Deserialize<TriggerSetEnvelope>(envelopeBytes, UplinkJson.Options)
                ?? throw new UsageException("not a signed trigger set envelope: the file holds JSON null");
            if (envelope.Payload is null)
            {
                throw new UsageException("not a signed trigger set envelope: it has no 'payload'");
            }

            return JsonSerializer.Deserialize<TriggerSetPayload>(Convert.FromBase64String(envelope.Payload), UplinkJson.Options)
                ?? throw new UsageException("not a signed trigger set envelope: its payload is JSON null");
        }
        catch (Exception e) when (e is JsonException or FormatException)
        {
            throw new UsageException($"not a signed trigger set envelope: {e.Message}");
        }
    }

    [GeneratedRegex(@"^version:\s*(\d+)\s*(#.*)?$", RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex YamlVersion();

    [GeneratedRegex(@"""version""\s*:\s*(\d+)", RegexOptions.CultureInvariant)]
    private static partial Regex JsonVersion();
}

/// <summary>One row of <c>triggers signals</c>: a signal and its kind as <c>--signal name:kind</c> spells it.</summary>
internal sealed record SignalRow(string Name, string Kind);
