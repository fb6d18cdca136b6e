using System.ComponentModel.DataAnnotations;
using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using Microsoft.Extensions.Configuration;

namespace DataCentric.Edge.Core.Configuration;

/// <summary>
/// Checks a whole configuration against the sections a program reads, before anything starts, and
/// reports every problem with its key: values that do not convert, keys no option knows, values out
/// of range, and durations that are not positive (unless marked <see cref="AllowZeroDurationAttribute"/>).
/// </summary>
public static class ConfigurationValidator
{
    /// <param name="configuration">The whole configuration.</param>
    /// <param name="sections">Every section the program reads.</param>
    /// <param name="otherTopLevel">Top-level sections read by something else (e.g. <c>Logging</c>).</param>
    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = TrimJustifications.OwnTypes)]
    public static IReadOnlyList<string> Validate(IConfiguration configuration, IReadOnlyList<ConfigSection> sections, params string[] otherTopLevel)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(sections);
        var errors = new List<string>();
        foreach (var entry in sections)
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
            errors.AddRange(CheckEnums(entry, options));
        }

        var knownSections = sections.Select(s => s.Name.Split(':')[0]).Concat(otherTopLevel).ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var child in configuration.GetChildren())
        {
            if (child.GetChildren().Any() && !knownSections.Contains(child.Key))
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

    private static IEnumerable<string> CheckEnums(ConfigSection section, object options)
    {
        // The binder takes any number for an enum ("Kind": 7); a value no member names would reach a
        // table lookup or a switch's default at run time, so it is refused here with the choices.
        foreach (var property in section.OptionsType.GetProperties().Where(p => p.PropertyType.IsEnum))
        {
            var value = property.GetValue(options)!;
            if (!Enum.IsDefined(property.PropertyType, value))
            {
                yield return $"{section.Name}:{property.Name}: {value} is not one of {string.Join(", ", Enum.GetNames(property.PropertyType))}";
            }
        }
    }

    private static IEnumerable<string> CheckDurations(ConfigSection section, object options)
    {
        foreach (var property in section.OptionsType.GetProperties().Where(p => p.PropertyType == typeof(TimeSpan)))
        {
            var value = (TimeSpan)property.GetValue(options)!;
            if (value < TimeSpan.Zero || (value == TimeSpan.Zero && property.GetCustomAttribute<AllowZeroDurationAttribute>() is null))
            {
                yield return $"{section.Name}:{property.Name}: must be a positive duration, not {value}";
            }
        }
    }
}
