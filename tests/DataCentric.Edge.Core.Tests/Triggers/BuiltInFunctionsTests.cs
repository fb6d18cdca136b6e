using System.Text.RegularExpressions;
using DataCentric.Edge.Core.Triggers;
using DataCentric.Edge.Core.Triggers.Language.Functions;

namespace DataCentric.Edge.Core.Tests.Triggers;

/// <summary>
/// The table of built-in functions and the language reference (firmware-config/triggers/README.md)
/// name the same functions, and every registered function goes through the one dispatch.
/// </summary>
[Trait("Category", "Unit")]
public sealed partial class BuiltInFunctionsTests
{
    private static readonly string[] Registered = [.. BuiltInFunctions.Names];

    [Fact]
    public void EveryRegisteredFunction_IsInTheLanguageReference()
    {
        var missing = Registered.Except(DocumentedFunctions(), StringComparer.Ordinal).ToArray();

        Assert.True(missing.Length == 0, $"registered but not in the function rows of the README's language table: {string.Join(", ", missing)}");
    }

    [Fact]
    public void EveryFunctionInTheLanguageReference_IsRegistered()
    {
        var documented = DocumentedFunctions();
        var unknown = documented.Except(Registered, StringComparer.Ordinal).ToArray();

        Assert.NotEmpty(documented);
        Assert.True(unknown.Length == 0, $"in the README's language table but not registered in BuiltInFunctions.All: {string.Join(", ", unknown)}");
    }

    [Fact]
    public void EverySignature_CallsItsOwnFunction()
    {
        foreach (var function in BuiltInFunctions.All)
        {
            Assert.StartsWith(function.Name + "(", function.Signature, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void EveryRegisteredFunction_ReportsAWrongArgumentCountWithItsSignature()
    {
        foreach (var function in BuiltInFunctions.All.Where(f => f.Arity != FunctionArity.AtLeast(0)))
        {
            var count = function.Arity.Max is { } max ? max + 1 : function.Arity.Min - 1;
            var when = $"{function.Name}({string.Join(", ", Enumerable.Repeat("vehicle.speed", count))}) > 0";

            var error = Assert.Single(TriggerSetCompilerTests.Errors(TriggerRig.OneTrigger(when)));

            Assert.Equal(function.Arity.Mismatch(function.Name, count), error.Message);
            Assert.Equal(function.Signature, error.Expected);
        }
    }

    [Theory]
    [InlineData("count(shadow.boxes, 0.5, 1) > 0", "'count' takes 1 argument, got 3")]
    [InlineData("min(vehicle.speed) > 0", "'min' takes at least 2 arguments, got 1")]
    [InlineData("iou_miss(shadow.boxes, primary.boxes) > 0", "'iou_miss' takes 3 arguments, got 2")]
    public void WrongArgumentCount_IsReportedAsBefore(string when, string message)
    {
        var error = Assert.Single(TriggerSetCompilerTests.Errors(TriggerRig.OneTrigger(when)));

        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void UnknownFunction_ExpectsEveryRegisteredNameInOrdinalOrder()
    {
        var error = Assert.Single(TriggerSetCompilerTests.Errors(TriggerRig.OneTrigger("maxscore(shadow.boxes) > 0")));

        Assert.Equal("unknown function 'maxscore'", error.Message);
        Assert.Equal("one of " + string.Join(", ", Registered.Order(StringComparer.Ordinal)), error.Expected);
        Assert.Equal("max_score", error.Suggestion);
    }

    [Theory]
    [InlineData("min(vehicle.speed, 2s) > 0")] // a window: a number signal and a duration literal
    [InlineData("max(primary.brake, 2s) > 0")] // a window over a bool signal
    [InlineData("min(vehicle.speed, 2, 3) > 0")] // n-ary
    [InlineData("max(1s, 2s) > 500ms")] // n-ary over durations
    [InlineData("count(shadow.boxes) + count(shadow.boxes, 0.5) > 0")]
    public void Overloads_Bind(string when)
    {
        var result = TriggerSetCompiler.Compile(TriggerRig.OneTrigger(when), TriggerSourceFormat.Yaml, TriggerRig.StandardSignals);

        Assert.True(result.Succeeded, string.Join(Environment.NewLine, result.Errors));
    }

    [Fact]
    public void MinOverADurationExpression_IsNaryAndReportsTheMixedTypes()
    {
        var error = Assert.Single(TriggerSetCompilerTests.Errors(TriggerRig.OneTrigger("min(vehicle.speed, 1s + 1s) > 0")));

        Assert.Equal("'min' needs numbers or durations of one type", error.Message);
        Assert.Equal("min(a, b, ...) or min(signal, 2s)", error.Expected);
    }

    /// <summary>
    /// The functions the rows of the table under "## The language" name: every code span that opens
    /// with a call, such as <c>`held(cond, 500ms)`</c>, or several names sharing one argument list,
    /// <c>`mean\|min\|max\|delta(signal, 2s)`</c>.
    /// </summary>
    private static HashSet<string> DocumentedFunctions()
    {
        var table = File.ReadLines(ReadmePath)
            .SkipWhile(line => line != "## The language")
            .Skip(1)
            .TakeWhile(line => !line.StartsWith("## ", StringComparison.Ordinal))
            .SkipWhile(line => !line.StartsWith('|'))
            .TakeWhile(line => line.StartsWith('|'));
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var line in table)
        {
            foreach (Match span in CodeSpan().Matches(line))
            {
                var call = CallOpening().Match(span.Groups[1].Value);
                if (call.Success)
                {
                    names.UnionWith(call.Groups[1].Value.Replace("\\", string.Empty, StringComparison.Ordinal).Split('|'));
                }
            }
        }

        return names;
    }

    private static string ReadmePath
    {
        get
        {
            var directory = new DirectoryInfo(AppContext.BaseDirectory);
            while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "DataCentric.Edge.sln")))
            {
                directory = directory.Parent;
            }

            return Path.Combine(directory?.FullName ?? throw new InvalidOperationException("Repository root not found."), "firmware-config", "triggers", "README.md");
        }
    }

    [GeneratedRegex("`([^`]+)`", RegexOptions.CultureInvariant)]
    private static partial Regex CodeSpan();

    [GeneratedRegex(@"^([a-z_][a-z0-9_]*(?:\\?\|[a-z_][a-z0-9_]*)*)\(", RegexOptions.CultureInvariant)]
    private static partial Regex CallOpening();
}
