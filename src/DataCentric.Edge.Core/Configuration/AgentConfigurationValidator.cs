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
    /// <summary>Every section the agent reads, with the options type it binds to.</summary>
    public static IReadOnlyList<(string Section, Type Type)> Sections { get; } =
    [
        (AgentOptions.SectionName, typeof(AgentOptions)),
        (PipelineOptions.SectionName, typeof(PipelineOptions)),
        (SignalBusOptions.SectionName, typeof(SignalBusOptions)),
        (SyntheticSceneOptions.SectionName, typeof(SyntheticSceneOptions)),
        (SimulatedControllerOptions.SectionName, typeof(SimulatedControllerOptions)),
        (CameraSourceOptions.SectionName, typeof(CameraSourceOptions)),
        (ControllerFeedOptions.SectionName, typeof(ControllerFeedOptions)),
        (GpioSourceOptions.SectionName, typeof(GpioSourceOptions)),
        (ImuSourceOptions.SectionName, typeof(ImuSourceOptions)),
        (InferenceOptions.SectionName, typeof(InferenceOptions)),
        (RecorderOptions.SectionName, typeof(RecorderOptions)),
        (StorageOptions.SectionName, typeof(StorageOptions)),
        (UplinkOptions.SectionName, typeof(UplinkOptions)),
        (ReceiverOptions.SectionName, typeof(ReceiverOptions)),
        (HealthOptions.SectionName, typeof(HealthOptions)),
        (BoardOptions.SectionName, typeof(BoardOptions)),
        (RemoteConfigOptions.SectionName, typeof(RemoteConfigOptions)),
        (CommandOptions.SectionName, typeof(CommandOptions)),
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
    [UnconditionalSuppressMessage("Trimming", "IL2067", Justification = TrimJustifications.OwnTypes)]
    [UnconditionalSuppressMessage("Trimming", "IL2072", Justification = TrimJustifications.OwnTypes)]
    [UnconditionalSuppressMessage("Trimming", "IL2077", Justification = TrimJustifications.OwnTypes)]
    public static IReadOnlyList<string> Validate(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var errors = new List<string>();
        foreach (var (section, type) in Sections)
        {
            object? options;
            try
            {
                options = configuration.GetSection(section).Get(type, b => b.ErrorOnUnknownConfiguration = true) ?? Activator.CreateInstance(type)!;
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

            errors.AddRange(CheckDurations(section, options));
        }

        var knownSections = Sections.Select(s => s.Section.Split(':')[0]).ToHashSet(StringComparer.OrdinalIgnoreCase);
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

    [UnconditionalSuppressMessage("Trimming", "IL2075", Justification = TrimJustifications.OwnTypes)]
    private static IEnumerable<string> CheckDurations(string section, object options)
    {
        // A negative duration is never meant; a zero one would stall or spin a stage, except these.
        foreach (var property in options.GetType().GetProperties().Where(p => p.PropertyType == typeof(TimeSpan)))
        {
            var value = (TimeSpan)property.GetValue(options)!;
            if (value < TimeSpan.Zero || (value == TimeSpan.Zero && !ZeroAllowed.Contains(property.Name)))
            {
                yield return $"{section}:{property.Name}: must be a positive duration, not {value}";
            }
        }
    }
}
