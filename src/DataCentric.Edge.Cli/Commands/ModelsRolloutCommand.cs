using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using DataCentric.Edge.Fleet.Api;

namespace DataCentric.Edge.Cli.Commands;

/// <summary>
/// <c>edgectl models rollout canaries|start|status|promote|halt</c>: a staged rollout of a signed model
/// release through dce-fleet's API. Envelopes carry their target inside their signature, so each
/// stage is signed beforehand: one envelope per canary (<c>edgectl models sign --target device:ID</c>
/// for each line <c>canaries</c> prints), then one per later stage (a group or the fleet).
/// </summary>
internal static class ModelsRolloutCommand
{
    private static readonly FleetApiJsonContext Indented = new(new JsonSerializerOptions(JsonSerializerDefaults.Web) { WriteIndented = true });

    public static Command Create(TextWriter output, TextWriter error)
    {
        var rollout = new Command("rollout", "Roll a signed model release out in stages through the fleet API: canaries first, promote or halt");
        rollout.Subcommands.Add(Canaries(output, error));
        rollout.Subcommands.Add(Start(output, error));
        rollout.Subcommands.Add(Status(output, error));
        rollout.Subcommands.Add(Promote(output, error));
        rollout.Subcommands.Add(Halt(output, error));
        return rollout;
    }

    private static Option<string> NameOption() => new("--name") { Description = "Model name (the Inference:Models entry)", Required = true };

    private static Option<bool> JsonOption() => new("--json") { Description = "JSON instead of text" };

    private static Command Canaries(TextWriter output, TextWriter error)
    {
        var api = new FleetApiConnection();
        var name = NameOption();
        var fleet = new Option<string>("--fleet") { Description = "Fleet name", DefaultValueFactory = _ => Environment.GetEnvironmentVariable("DCE_FLEET") ?? "demo" };
        var percent = new Option<int>("--percent") { Description = "Canary share of the fleet's known devices, 1-100", Required = true };
        var command = new Command("canaries", "Print the devices a canary stage of --percent must target, one per line (sign one envelope for each)");
        api.AddTo(command);
        command.Options.Add(name);
        command.Options.Add(fleet);
        command.Options.Add(percent);
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(error, async () =>
        {
            using var client = api.Connect(parse);
            var answer = await client.GetAsync(
                $"api/models/{Uri.EscapeDataString(parse.GetValue(name)!)}/rollouts/canaries",
                [("fleet", parse.GetValue(fleet)), ("percent", parse.GetValue(percent).ToString(CultureInfo.InvariantCulture))],
                FleetApiJsonContext.Default.ApiCanaries,
                cancellationToken).ConfigureAwait(false);
            foreach (var device in answer.Devices)
            {
                await output.WriteLineAsync(device).ConfigureAwait(false);
            }

            await error.WriteLineAsync($"edgectl: {answer.Devices.Count} of {answer.FleetDevices} known devices of {answer.Fleet} ({answer.Percent}%)").ConfigureAwait(false);
            return 0;
        }));
        return command;
    }

    private static Command Start(TextWriter output, TextWriter error)
    {
        var api = new FleetApiConnection();
        var name = NameOption();
        var percent = new Option<int>("--percent") { Description = "Canary share of the fleet; the first --stage must target exactly its canaries", Required = true };
        var stages = new Option<string[]>("--stage")
        {
            Description = "A stage's signed envelopes: a file, or a folder of *.json files; repeat in order, canaries first",
            Required = true,
            AllowMultipleArgumentsPerToken = false,
        };
        var json = JsonOption();
        var command = new Command("start", "Record a staged rollout and publish its first stage (the canaries)");
        api.AddTo(command);
        foreach (var option in new Option[] { name, percent, stages, json })
        {
            command.Options.Add(option);
        }

        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(error, async () =>
        {
            var body = await BodyAsync(parse.GetValue(percent), parse.GetValue(stages)!, cancellationToken).ConfigureAwait(false);
            using var client = api.Connect(parse);
            var answer = await client.PostAsync(
                $"api/models/{Uri.EscapeDataString(parse.GetValue(name)!)}/rollouts", [], body, FleetApiJsonContext.Default.ApiRollout, cancellationToken).ConfigureAwait(false);
            await WriteAsync(output, answer, parse.GetValue(json)).ConfigureAwait(false);
            return 0;
        }));
        return command;
    }

    private static Command Status(TextWriter output, TextWriter error)
    {
        var api = new FleetApiConnection();
        var name = NameOption();
        var id = new Argument<string?>("rollout") { Description = "Rollout id; without it, every rollout of the model", Arity = ArgumentArity.ZeroOrOne };
        var json = JsonOption();
        var command = new Command("status", "Show a rollout's stages: accepted, rolled back (with why), refused, pending, probation latency and RSS");
        api.AddTo(command);
        command.Options.Add(name);
        command.Options.Add(json);
        command.Arguments.Add(id);
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(error, async () =>
        {
            using var client = api.Connect(parse);
            var model = Uri.EscapeDataString(parse.GetValue(name)!);
            if (parse.GetValue(id) is { } rolloutId)
            {
                var one = await client.GetAsync($"api/models/{model}/rollouts/{Uri.EscapeDataString(rolloutId)}", [], FleetApiJsonContext.Default.ApiRollout, cancellationToken)
                    .ConfigureAwait(false);
                await WriteAsync(output, one, parse.GetValue(json)).ConfigureAwait(false);
                return 0;
            }

            var all = await client.GetAsync($"api/models/{model}/rollouts", [], FleetApiJsonContext.Default.IReadOnlyListApiRollout, cancellationToken).ConfigureAwait(false);
            if (parse.GetValue(json))
            {
                await output.WriteLineAsync(JsonSerializer.Serialize(all, Indented.IReadOnlyListApiRollout)).ConfigureAwait(false);
                return 0;
            }

            Table.Write(output, false, all,
                ("ROLLOUT", r => r.Id), ("MODEL", r => $"{r.Name} v{r.Version.ToString(CultureInfo.InvariantCulture)}"), ("FLEET", r => r.Fleet),
                ("STATE", r => r.State), ("STAGE", r => $"{(r.CurrentStage + 1).ToString(CultureInfo.InvariantCulture)}/{r.Stages.Count.ToString(CultureInfo.InvariantCulture)}"),
                ("CREATED", r => Table.Time(r.CreatedAt)), ("WHY", r => r.HaltReason));
            return 0;
        }));
        return command;
    }

    private static Command Promote(TextWriter output, TextWriter error)
    {
        var api = new FleetApiConnection();
        var name = NameOption();
        var id = new Argument<string>("rollout") { Description = "Rollout id" };
        var force = new Option<bool>("--force") { Description = "Promote although devices of the current stage have not finished probation" };
        var json = JsonOption();
        var command = new Command("promote", "Publish the rollout's next stage (refused when halted, or while the current stage is in probation)");
        api.AddTo(command);
        command.Options.Add(name);
        command.Options.Add(force);
        command.Options.Add(json);
        command.Arguments.Add(id);
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(error, async () =>
        {
            using var client = api.Connect(parse);
            var answer = await client.PostAsync(
                $"api/models/{Uri.EscapeDataString(parse.GetValue(name)!)}/rollouts/{Uri.EscapeDataString(parse.GetValue(id)!)}/promote",
                [("force", parse.GetValue(force) ? "true" : null)], null, FleetApiJsonContext.Default.ApiRollout, cancellationToken).ConfigureAwait(false);
            await WriteAsync(output, answer, parse.GetValue(json)).ConfigureAwait(false);
            return 0;
        }));
        return command;
    }

    private static Command Halt(TextWriter output, TextWriter error)
    {
        var api = new FleetApiConnection();
        var name = NameOption();
        var id = new Argument<string>("rollout") { Description = "Rollout id" };
        var reason = new Option<string?>("--reason") { Description = "Why (recorded with your token's name)" };
        var json = JsonOption();
        var command = new Command("halt", "Stop a rollout: no further stage is published (devices already reached keep their own decision)");
        api.AddTo(command);
        command.Options.Add(name);
        command.Options.Add(reason);
        command.Options.Add(json);
        command.Arguments.Add(id);
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(error, async () =>
        {
            using var client = api.Connect(parse);
            var answer = await client.PostAsync(
                $"api/models/{Uri.EscapeDataString(parse.GetValue(name)!)}/rollouts/{Uri.EscapeDataString(parse.GetValue(id)!)}/halt",
                [("reason", parse.GetValue(reason))], null, FleetApiJsonContext.Default.ApiRollout, cancellationToken).ConfigureAwait(false);
            await WriteAsync(output, answer, parse.GetValue(json)).ConfigureAwait(false);
            return 0;
        }));
        return command;
    }

    /// <summary>The request body: each stage's envelopes, their JSON as edgectl models sign wrote it.</summary>
    /// <exception cref="UsageException">A stage path is missing, an empty folder, or a file that is not JSON.</exception>
    internal static async Task<string> BodyAsync(int percent, IReadOnlyList<string> stages, CancellationToken cancellationToken)
    {
        var body = new StringBuilder();
        body.Append(CultureInfo.InvariantCulture, $$"""{"canaryPercent":{{percent}},"stages":[""");
        for (var i = 0; i < stages.Count; i++)
        {
            var files = StageFiles(stages[i], i);
            body.Append(i == 0 ? string.Empty : ",").Append("""{"envelopes":[""");
            for (var j = 0; j < files.Count; j++)
            {
                var text = await File.ReadAllTextAsync(files[j], cancellationToken).ConfigureAwait(false);
                try
                {
                    using var _ = JsonDocument.Parse(text);
                }
                catch (JsonException e)
                {
                    throw new UsageException($"--stage {stages[i]}: {files[j]} is not a signed envelope (JSON): {e.Message}");
                }

                body.Append(j == 0 ? string.Empty : ",").Append(text.Trim());
            }

            body.Append("]}");
        }

        return body.Append("]}").ToString();
    }

    private static List<string> StageFiles(string path, int index)
    {
        if (File.Exists(path))
        {
            return [path];
        }

        if (!Directory.Exists(path))
        {
            throw new UsageException($"--stage {path} (stage {index}): no such file or folder");
        }

        var files = Directory.GetFiles(path, "*.json").Order(StringComparer.Ordinal).ToList();
        return files.Count > 0 ? files : throw new UsageException($"--stage {path} (stage {index}): the folder holds no *.json envelope");
    }

    private static async Task WriteAsync(TextWriter output, ApiRollout rollout, bool json)
    {
        if (json)
        {
            await output.WriteLineAsync(JsonSerializer.Serialize(rollout, Indented.ApiRollout)).ConfigureAwait(false);
            return;
        }

        await output.WriteLineAsync(
            $"rollout {rollout.Id}: {rollout.Name} v{rollout.Version} (sha256 {rollout.Sha256[..12]}…) in {rollout.Fleet}: {rollout.State}, " +
            $"stage {rollout.CurrentStage + 1} of {rollout.Stages.Count} out, canaries {rollout.CanaryPercent}%").ConfigureAwait(false);
        if (rollout.HaltReason is { } why)
        {
            await output.WriteLineAsync($"halted: {why}").ConfigureAwait(false);
        }

        Table.Write(output, false, rollout.Stages,
            ("STAGE", s => s.Index.ToString(CultureInfo.InvariantCulture)), ("TARGETS", s => string.Join(",", s.Targets)), ("PUBLISHED", s => s.PublishedAt is { } p ? Table.Time(p) : "-"),
            ("ACCEPTED", s => s.Accepted.ToString(CultureInfo.InvariantCulture)), ("ROLLED-BACK", s => s.RolledBack.ToString(CultureInfo.InvariantCulture)),
            ("REFUSED", s => s.Refused.ToString(CultureInfo.InvariantCulture)), ("PENDING", s => s.Pending?.ToString(CultureInfo.InvariantCulture) ?? "?"));
        var devices = rollout.Stages.SelectMany(s => s.Devices.Select(d => (Stage: s.Index, Device: d))).ToList();
        if (devices.Count > 0)
        {
            await output.WriteLineAsync().ConfigureAwait(false);
            Table.Write(output, false, devices,
                ("DEVICE", d => d.Device.Device), ("STAGE", d => d.Stage.ToString(CultureInfo.InvariantCulture)), ("STEP", d => d.Device.Stage ?? "no ack"),
                ("P95-MS", d => d.Device.Probation?.LatencyP95Ms.ToString("0.0", CultureInfo.InvariantCulture)),
                ("RSS-MIB", d => d.Device.Probation is { } p ? (p.ResidentBytes / 1048576.0).ToString("0", CultureInfo.InvariantCulture) : null),
                ("WHY", d => d.Device.Reasons.Count == 0 ? null : string.Join("; ", d.Device.Reasons.Select(r => $"{r.Reason}: {r.Message}"))));
        }
    }
}
