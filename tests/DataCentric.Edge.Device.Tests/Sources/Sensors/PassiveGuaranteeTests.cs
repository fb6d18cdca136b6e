using System.Reflection;

namespace DataCentric.Edge.Device.Tests.Sources.Sensors;

/// <summary>
/// Proves src/BannedSymbols.txt covers the write and actuation APIs the agent could reach: every
/// write member of System.Device.Gpio and of the reviewed binding namespaces is banned (itself, its
/// type or its namespace), every other binding namespace is banned whole, every entry names
/// something that exists, and the reviewed exceptions stay in their two files.
/// </summary>
[Trait("Category", "Unit")]
public sealed class PassiveGuaranteeTests
{
    private static readonly string RepositoryRoot = FindRoot();

    private static readonly IReadOnlySet<string> Banned = File.ReadAllLines(Path.Combine(RepositoryRoot, "src", "BannedSymbols.txt"))
        .Select(line => line.Split("//")[0].Split(';')[0].Trim())
        .Where(id => id.Length > 0)
        .ToHashSet(StringComparer.Ordinal);

    [Fact]
    public void EveryWriteApi_OfGpioAndTheReviewedBindings_IsBanned()
    {
        var writes = PassiveSurface.WriteMembers().ToList();
        Assert.Contains(writes, m => m.Name == "Write" && m.DeclaringType == typeof(System.Device.Gpio.GpioController));
        Assert.Contains(writes, m => m.Name == "WriteFrame");
        Assert.Contains(writes, m => m.Name == "WriteRead");

        var missing = writes.Where(m => !IsBanned(m)).Select(PassiveSurface.DocId).Distinct().ToList();

        Assert.True(missing.Count == 0, "Not in src/BannedSymbols.txt:\n" + string.Join("\n", missing));
    }

    [Fact]
    public void EveryBindingNamespace_NotReviewedAsReadOnly_IsBannedWhole()
    {
        var missing = PassiveSurface.UnreviewedBindingTypes()
            .Where(t => !(PassiveSurface.BannedByType(t) ? Banned.Contains(PassiveSurface.DocId(t)) : Banned.Contains($"N:{t.Namespace}")))
            .Select(t => t.FullName)
            .ToList();

        // Motors, servos, relays and LED drivers are among them.
        Assert.Contains("N:Iot.Device.DCMotor", Banned);
        Assert.Contains("N:Iot.Device.ServoMotor", Banned);
        Assert.True(missing.Count == 0, "Binding types neither reviewed nor banned:\n" + string.Join("\n", missing));
    }

    [Fact]
    public void EveryBannedEntry_NamesSomethingThatExists()
    {
        var known = new HashSet<string>(StringComparer.Ordinal);
        foreach (var type in PassiveSurface.Gpio.GetExportedTypes().Concat(PassiveSurface.Bindings.GetExportedTypes()))
        {
            known.Add(PassiveSurface.DocId(type));
            known.Add($"N:{type.Namespace}");
            foreach (var member in type.GetMembers(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly))
            {
                if (member is MethodBase or PropertyInfo)
                {
                    known.Add(member is PropertyInfo p ? $"P:{PassiveSurface.DocId(type)[2..]}.{p.Name}" : PassiveSurface.DocId(member));
                }
            }
        }

        var stale = Banned.Where(id => !known.Contains(id)).ToList();

        Assert.True(stale.Count == 0, "Entries that name nothing (typo, or the package changed):\n" + string.Join("\n", stale));
    }

    [Fact]
    public void ReviewedExceptions_AreOnlyInTheTwoReviewedFiles()
    {
        var suppressing = Directory.EnumerateFiles(Path.Combine(RepositoryRoot, "src"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Where(f => File.ReadAllText(f).Contains("RS0030", StringComparison.Ordinal))
            .Select(f => Path.GetRelativePath(RepositoryRoot, f).Replace('\\', '/'))
            .Order(StringComparer.Ordinal)
            .ToList();

        Assert.Equal(
            ["src/DataCentric.Edge.Device/Sources/Sensors/InputPins.cs", "src/DataCentric.Edge.Device/Sources/Sensors/RegisterReadI2cDevice.cs"],
            suppressing);
        var analyzer = File.ReadAllText(Path.Combine(RepositoryRoot, "src", "Directory.Build.props"));
        Assert.Contains("Microsoft.CodeAnalysis.BannedApiAnalyzers", analyzer, StringComparison.Ordinal);
        Assert.Contains("BannedSymbols.txt", analyzer, StringComparison.Ordinal);
    }

    private static bool IsBanned(MemberInfo member)
    {
        var type = member.DeclaringType!;
        if (Banned.Contains(PassiveSurface.DocId(member)) || Banned.Contains($"N:{type.Namespace}"))
        {
            return true;
        }

        for (var t = type; t is not null; t = t.DeclaringType)
        {
            if (Banned.Contains(PassiveSurface.DocId(t)))
            {
                return true;
            }
        }

        return false;
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "DataCentric.Edge.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("The repository root (DataCentric.Edge.sln) is not above the test's directory.");
    }
}
