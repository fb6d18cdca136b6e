using System.ComponentModel.DataAnnotations;
using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Configuration;

namespace DataCentric.Edge.Core.Configuration;

/// <summary>
/// Checks the whole configuration before anything starts and reports every problem with its key:
/// values that do not convert, keys no option knows, and values out of range.
/// </summary>
public static class AgentConfigurationValidator
{
    private static readonly Action<BinderOptions> Strict = b => b.ErrorOnUnknownConfiguration = true;

    /// <summary>Every section the agent reads, with the options type it binds to.</summary>
    /// <remarks>Each bind is written out with its own type so that the source-generated binder serves it (ConfigSection).</remarks>
    public static IReadOnlyList<ConfigSection> Sections { get; } =
    [
        new ConfigSection<AgentOptions>(AgentOptions.SectionName, (c, o) => c.Bind(o, Strict)),
        new ConfigSection<PipelineOptions>(PipelineOptions.SectionName, (c, o) => c.Bind(o, Strict)),
        new ConfigSection<SignalBusOptions>(SignalBusOptions.SectionName, (c, o) => c.Bind(o, Strict)),
        new ConfigSection<SyntheticSceneOptions>(SyntheticSceneOptions.SectionName, (c, o) => c.Bind(o, Strict)),
        new ConfigSection<SimulatedControllerOptions>(SimulatedControllerOptions.SectionName, (c, o) => c.Bind(o, Strict)),
        new ConfigSection<CameraSourceOptions>(CameraSourceOptions.SectionName, (c, o) => c.Bind(o, Strict)),
        new ConfigSection<ControllerFeedOptions>(ControllerFeedOptions.SectionName, (c, o) => c.Bind(o, Strict)),
        new ConfigSection<GpioSourceOptions>(GpioSourceOptions.SectionName, (c, o) => c.Bind(o, Strict)),
        new ConfigSection<ImuSourceOptions>(ImuSourceOptions.SectionName, (c, o) => c.Bind(o, Strict)),
        new ConfigSection<InferenceOptions>(InferenceOptions.SectionName, (c, o) => c.Bind(o, Strict)),
        new ConfigSection<RecorderOptions>(RecorderOptions.SectionName, (c, o) => c.Bind(o, Strict)),
        new ConfigSection<StorageOptions>(StorageOptions.SectionName, (c, o) => c.Bind(o, Strict)),
        new ConfigSection<UplinkOptions>(UplinkOptions.SectionName, (c, o) => c.Bind(o, Strict)),
        new ConfigSection<ReceiverOptions>(ReceiverOptions.SectionName, (c, o) => c.Bind(o, Strict)),
        new ConfigSection<HealthOptions>(HealthOptions.SectionName, (c, o) => c.Bind(o, Strict)),
        new ConfigSection<BoardOptions>(BoardOptions.SectionName, (c, o) => c.Bind(o, Strict)),
        new ConfigSection<RemoteConfigOptions>(RemoteConfigOptions.SectionName, (c, o) => c.Bind(o, Strict)),
        new ConfigSection<CommandOptions>(CommandOptions.SectionName, (c, o) => c.Bind(o, Strict)),
    ];

    private static readonly HashSet<string> ZeroAllowed = new(StringComparer.Ordinal)
    {
        nameof(SyntheticSceneOptions.FirstEpisodeAt),
        nameof(SyntheticSceneOptions.StandDuration),
        nameof(SimulatedControllerOptions.ReactionTime),
        nameof(RecorderOptions.LateDataGrace),
    };

    private static readonly HashSet<string> KnownTopLevel = new(StringComparer.OrdinalIgnoreCase) { "Sources", "Logging" };

    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = TrimJustifications.OwnTypes)]
    public static IReadOnlyList<string> Validate(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var errors = new List<string>();
        foreach (var entry in Sections)
        {
            var section = entry.Name;
            object options;
            try
            {
                options = entry.Bind(configuration);
            }
            catch (InvalidOperationException e)
            {
                // Inside a list the binder wraps the real cause (which key, which value): report the whole chain.
                errors.Add($"{section}: {string.Join(" ", Causes(e))}");
                continue;
            }

            var results = new List<ValidationResult>();
            if (!Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true))
            {
                errors.AddRange(results.Select(r => $"{section}:{string.Join(",", r.MemberNames)}: {r.ErrorMessage}"));
            }

            errors.AddRange(CheckDurations(entry, options));
        }

        var knownSections = Sections.Select(s => s.Name.Split(':')[0]).ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var child in configuration.GetChildren())
        {
            if (child.GetChildren().Any() && !knownSections.Contains(child.Key) && !KnownTopLevel.Contains(child.Key))
            {
                errors.Add($"{child.Key}: unknown configuration section");
            }
        }

        return errors;
    }

    private static IEnumerable<string> Causes(Exception e)
    {
        for (Exception? cause = e; cause is not null; cause = cause.InnerException)
        {
            yield return cause.Message;
        }
    }

    private static IEnumerable<string> CheckDurations(ConfigSection section, object options)
    {
        // A negative duration is never meant; a zero one would stall or spin a stage, except these.
        foreach (var property in section.OptionsType.GetProperties().Where(p => p.PropertyType == typeof(TimeSpan)))
        {
            var value = (TimeSpan)property.GetValue(options)!;
            if (value < TimeSpan.Zero || (value == TimeSpan.Zero && !ZeroAllowed.Contains(property.Name)))
            {
                yield return $"{section.Name}:{property.Name}: must be a positive duration, not {value}";
            }
        }
    }
}
