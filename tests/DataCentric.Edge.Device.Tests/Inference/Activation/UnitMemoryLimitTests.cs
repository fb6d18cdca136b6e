using DataCentric.Edge.Device.Inference.Activation;
using DataCentric.Edge.TestKit;

namespace DataCentric.Edge.Device.Tests.Inference.Activation;

/// <summary>The unit's memory limit read from a control group laid out as systemd leaves it (v2, or v1's memory controller).</summary>
[Trait("Category", "Unit")]
public sealed class UnitMemoryLimitTests : IDisposable
{
    private readonly TempDirectory _dir = new("dce-cgroup");

    private string Proc => _dir.Combine("proc");

    private string Cgroup => _dir.Combine("cgroup");

    [Fact]
    public void CgroupV2_MemoryMax_IsTheLimit()
    {
        Member("0::/system.slice/dce-agent.service");
        var file = Limit("system.slice/dce-agent.service/memory.max", "268435456\n");

        var limit = UnitMemoryLimit.Find(null, Proc, Cgroup);

        Assert.Equal(new UnitMemoryLimit(268435456, $"cgroup {file}"), limit);
        Assert.Equal($"256.0 MiB limit (cgroup {file})", limit!.ToString());
    }

    [Fact]
    public void CgroupV1_MemoryController_IsTheLimit()
    {
        Member("9:cpuset:/\n4:memory:/system.slice/dce-agent.service\n0::/");
        var file = Limit("memory/system.slice/dce-agent.service/memory.limit_in_bytes", "536870912");

        Assert.Equal(new UnitMemoryLimit(536870912, $"cgroup {file}"), UnitMemoryLimit.Find(null, Proc, Cgroup));
    }

    [Theory]
    [InlineData("max")]
    [InlineData("9223372036854771712")]
    public void NoCgroupLimit_LeavesTheConfiguredOne(string unlimited)
    {
        Member("0::/user.slice");
        Limit("user.slice/memory.max", unlimited);

        Assert.Null(UnitMemoryLimit.Find(null, Proc, Cgroup));
        Assert.Equal(new UnitMemoryLimit(1 << 30, "ModelReleases:MemoryLimitBytes"), UnitMemoryLimit.Find(1 << 30, Proc, Cgroup));
    }

    [Fact]
    public void BothSet_TheLowerWins()
    {
        Member("0::/dce.service");
        var file = Limit("dce.service/memory.max", "1073741824");

        Assert.Equal("ModelReleases:MemoryLimitBytes", UnitMemoryLimit.Find(512L << 20, Proc, Cgroup)!.Source);
        Assert.Equal($"cgroup {file}", UnitMemoryLimit.Find(2L << 30, Proc, Cgroup)!.Source);
    }

    [Fact]
    public void NoCgroupFileSystem_NoLimit()
    {
        Assert.Null(UnitMemoryLimit.Find(null, Proc, Cgroup));
    }

    private void Member(string lines)
    {
        Directory.CreateDirectory(Path.Combine(Proc, "self"));
        File.WriteAllText(Path.Combine(Proc, "self", "cgroup"), lines);
    }

    private string Limit(string relative, string content)
    {
        var path = Path.Combine(Cgroup, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        return path;
    }

    public void Dispose() => _dir.Dispose();
}
