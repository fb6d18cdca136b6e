using System.ComponentModel.DataAnnotations;
using System.Diagnostics.CodeAnalysis;
using DataCentric.Edge.Core.Configuration;

namespace DataCentric.Edge.Device.Inference;

/// <summary>The shadow models the agent runs side by side, each on its own queue and frame stride.</summary>
public sealed class InferenceOptions : IValidatableObject
{
    public const string SectionName = "Inference";

    /// <summary>Bound from <c>Inference:Models:0</c>, <c>Inference:Models:1</c>, …</summary>
    public IList<ShadowModelOptions> Models { get; } = [];

    /// <summary>The native library and accelerator settings, shared by every model.</summary>
    public OnnxRuntimeOptions Runtime { get; set; } = new();

    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = TrimJustifications.OwnTypes)]
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        // The validator does not descend into lists: check every model (and its parts) here, by index.
        var names = new HashSet<string>(StringComparer.Ordinal);
        var signals = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < Models.Count; i++)
        {
            var model = Models[i];
            var at = $"{nameof(Models)}:{i}";
            foreach (var (part, prefix) in new object[] { model, model.Input, model.Output }.Zip([at, $"{at}:{nameof(model.Input)}", $"{at}:{nameof(model.Output)}"]))
            {
                var results = new List<ValidationResult>();
                Validator.TryValidateObject(part, new ValidationContext(part), results, validateAllProperties: true);
                foreach (var result in results)
                {
                    yield return new ValidationResult(result.ErrorMessage, [.. result.MemberNames.Select(m => $"{prefix}:{m}")]);
                }
            }

            if (!names.Add(model.Name))
            {
                yield return new ValidationResult($"model name '{model.Name}' is used twice", [$"{at}:{nameof(model.Name)}"]);
            }

            foreach (var problem in model.Input.Problems().Concat(model.Output.Problems()))
            {
                yield return new ValidationResult(problem, [at]);
            }

            foreach (var signal in model.Output.SignalNames())
            {
                if (!signals.TryAdd(signal, model.Name))
                {
                    yield return new ValidationResult($"signal '{signal}' is produced by models '{signals[signal]}' and '{model.Name}'", [at]);
                }
            }
        }
    }
}
