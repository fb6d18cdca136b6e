using DataCentric.Edge.Agent.Memory;

namespace DataCentric.Edge.Agent.Tests.Memory;

public sealed class GarbageCollectorSettingsTests
{
    [Fact]
    public void Describe_NamesEverySettingTheAgentChangesOrAnOperatorWouldLookFor()
    {
        var variables = new Dictionary<string, object>
        {
            ["ServerGC"] = false, ["ConcurrentGC"] = true, ["GCConserveMem"] = 5L, ["GCGen0MaxBudget"] = 6291456L,
            ["LOHThreshold"] = 1048576L, ["GCHeapHardLimit"] = 0L, ["RetainVM"] = false,
        };

        Assert.Equal(
            "workstation, concurrent, conserve memory 5, gen0 budget at most 6.0 MiB, large objects from 1.0 MiB, no heap hard limit, freed memory given back",
            GarbageCollectorSettings.Describe(variables));
    }

    [Fact]
    public void Describe_ServerCollectorWithALimit_AndKeysMissing()
    {
        var variables = new Dictionary<string, object>
        {
            ["ServerGC"] = true, ["ConcurrentGC"] = false, ["GCHeapHardLimit"] = 268435456UL, ["RetainVM"] = true,
        };

        Assert.Equal(
            "server, not concurrent, conserve memory off, heap hard limit 256.0 MiB, freed memory kept committed",
            GarbageCollectorSettings.Describe(variables));
    }

    [Fact]
    public void Describe_ThisProcess_ReadsTheCollectorsOwnReport()
    {
        // The test host's runtime config sets no conservation and the workstation collector.
        var text = GarbageCollectorSettings.Describe(GC.GetConfigurationVariables());

        Assert.StartsWith(System.Runtime.GCSettings.IsServerGC ? "server, " : "workstation, ", text, StringComparison.Ordinal);
        Assert.Contains("given back", text, StringComparison.Ordinal);
    }
}
