using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using DataCentric.Edge.Fleet.Api;

namespace DataCentric.Edge.Cli.Commands;

/// <summary>
/// <c>edgectl models compare NAME</c>: the model's versions side by side from the fleet API
/// (<c>GET /api/models/{name}/compare</c>): exposure, events and clips per hour, reviewed precision; then per trigger.
/// </summary>
internal static class ModelsCompareCommand
{
    private static readonly FleetApiJsonContext Indented = new(new JsonSerializerOptions(JsonSerializerDefaults.Web) { WriteIndented = true });

    public static Command Create(TextWriter output, TextWriter error)
    {
        var api = new FleetApiConnection();
        var name = new Argument<string>("name") { Description = "Model name (the Inference:Models entry the releases carry)" };
        var fleet = new Option<string?>("--fleet") { Description = "Only this fleet (default: every fleet)" };
        var device = new Option<string?>("--device") { Description = "Only this device" };
        var group = new Option<string?>("--group") { Description = "Only the devices the fleet saw ack a rollout stage sent to this group" };
        var from = new Option<string?>("--from") { Description = "Window start, ISO 8601 (device time), e.g. 2026-12-05T00:00:00Z" };
        var to = new Option<string?>("--to") { Description = "Window end (exclusive), ISO 8601" };
        var json = new Option<bool>("--json") { Description = "The API's JSON instead of tables" };
        var compare = new Command("compare", "Compare a model's versions: trigger rates per hour of exposure and reviewed precision (fleet API)");
        compare.Arguments.Add(name);
        api.AddTo(compare);
        foreach (var option in new Option[] { fleet, device, group, from, to, json })
        {
            compare.Options.Add(option);
        }

        compare.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(error, async () =>
        {
            using var client = api.Connect(parse);
            var answer = await client.GetAsync(
                $"api/models/{Uri.EscapeDataString(parse.GetValue(name)!)}/compare",
                [("fleet", parse.GetValue(fleet)), ("device", parse.GetValue(device)), ("group", parse.GetValue(group)), ("from", parse.GetValue(from)), ("to", parse.GetValue(to))],
                FleetApiJsonContext.Default.ApiModelComparison,
                cancellationToken).ConfigureAwait(false);
            if (parse.GetValue(json))
            {
                await output.WriteLineAsync(JsonSerializer.Serialize(answer, Indented.ApiModelComparison)).ConfigureAwait(false);
                return 0;
            }

            Write(output, answer);
            return 0;
        }));
        return compare;
    }

    private static void Write(TextWriter output, ApiModelComparison c)
    {
        output.WriteLine($"{c.Name}: {c.Versions.Count} versions on {c.Devices} devices");
        Table.Write(output, false, c.Versions,
            ("VERSION", v => Number(v.Version)), ("SHA256", v => v.Sha256?[..12]), ("DEVICES", v => Number(v.Devices)),
            ("HOURS", v => Figure(v.ExposureHours)), ("EVENTS", v => Number(v.Events)), ("EVENTS/H", v => Figure(v.EventsPerHour)),
            ("CLIPS", v => Number(v.Clips)), ("CLIPS/H", v => Figure(v.ClipsPerHour)),
            ("BOX-P", v => Percent(v.Reviewed?.BoxPrecision)), ("BOX-R", v => Percent(v.Reviewed?.BoxRecall)),
            ("CLASS-ACC", v => Percent(v.Reviewed?.ClassAccuracy)), ("MODEL-RIGHT", v => Percent(v.Reviewed?.ModelRight)),
            ("TRIGGER-P", v => Percent(v.Reviewed?.TriggerPrecision)), ("REVIEWED", v => v.Reviewed is { } r ? $"{r.Frames} frames" : null));
        output.WriteLine();
        var triggers = c.Versions.SelectMany(v => v.Triggers.Select(t => (v.Version, Trigger: t))).ToList();
        Table.Write(output, false, triggers,
            ("VERSION", r => Number(r.Version)), ("TRIGGER", r => r.Trigger.TriggerId), ("EVENTS", r => Number(r.Trigger.Events)),
            ("DRY-RUN", r => Number(r.Trigger.DryRunEvents)), ("EVENTS/H", r => Figure(r.Trigger.EventsPerHour)),
            ("CLIPS", r => Number(r.Trigger.Clips)), ("CLIPS/H", r => Figure(r.Trigger.ClipsPerHour)));
        output.WriteLine();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"not attributed to a version: {Figure(c.UnattributedHours)} h, {c.UnattributedEvents} events, {c.UnattributedClips} clips"));
        output.WriteLine($"rates: {c.Exposure}");
    }

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string? Figure(double? value) => value?.ToString("0.###", CultureInfo.InvariantCulture);

    private static string? Percent(double? ratio) => ratio is { } r ? (100 * r).ToString("0.#", CultureInfo.InvariantCulture) + "%" : null;
}
