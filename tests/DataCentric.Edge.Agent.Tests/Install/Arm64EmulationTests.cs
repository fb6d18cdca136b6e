using System.Text.RegularExpressions;
using DataCentric.Edge.TestKit;

namespace DataCentric.Edge.Agent.Tests.Install;

/// <summary>
/// The linux-arm64 publish, the boards' build, run end to end under qemu-user on this x64 machine:
/// the agent as one Native AOT arm64 executable, with ONNX Runtime's and SkiaSharp's arm64 libraries.
/// Not a performance figure (everything is emulated), only that the build the boards get works.
/// </summary>
[Trait("Category", "Integration")]
public sealed partial class Arm64EmulationTests
{
    private const string Emulator = "/usr/bin/qemu-aarch64-static";
    private const string Arm64Loader = "/lib/ld-linux-aarch64.so.1";
    private const ushort ElfMachineAarch64 = 183;

    // qemu-user shows the host's /proc/cpuinfo; ONNX Runtime's CPU detection (cpuinfo) then finds no
    // ARM processor and the agent dies with SIGSEGV once the library loads. A mount namespace gives
    // the emulated agent an ARM description (two Cortex-A76, as on a Pi 5) without touching the host's.
    private static readonly string ArmCpuInfo = string.Concat(Enumerable.Range(0, 2).Select(cpu => $"""
        processor	: {cpu}
        BogoMIPS	: 108.00
        Features	: fp asimd evtstrm crc32 atomics fphp asimdhp cpuid asimdrdm lrcpc dcpop asimddp
        CPU implementer	: 0x41
        CPU architecture: 8
        CPU variant	: 0x4
        CPU part	: 0xd0b
        CPU revision	: 1


        """));

    [Fact]
    public async Task Arm64Publish_RunsTheDemo_UnderEmulation()
    {
        var ct = TestContext.Current.CancellationToken;
        var agent = Path.Combine(PublishedAgent.RepositoryRoot, "artifacts", "publish", "linux-arm64", "dce-agent");
        Assert.SkipUnless(File.Exists(Emulator) && File.Exists(Arm64Loader), "needs qemu-user-static and arm64 libc (tools/test.sh installs them)");
        Assert.SkipUnless(File.Exists(agent), "needs the linux-arm64 publish (tools/test.sh: tools/publish.sh linux-arm64)");
        Assert.Equal(ElfMachineAarch64, ElfMachine(agent));
        using var work = new TempDirectory("dce-arm64");
        var cpuInfo = work.Combine("cpuinfo");
        await File.WriteAllTextAsync(cpuInfo, ArmCpuInfo, ct);

        var (exit, output) = await PublishedAgent.RunAsync(
            "unshare",
            ["--mount", "sh", "-c", $"mount --bind '{cpuInfo}' /proc/cpuinfo && exec {Emulator} '{agent}' demo --duration 8 --out '{work.Combine("received")}'"],
            new Dictionary<string, string> { ["DCE_Agent__DataDirectory"] = work.Combine("data"), ["DCE_Health__MetricsEnabled"] = "false" },
            TimeSpan.FromMinutes(5),
            ct);

        Assert.SkipWhen(exit != 0 && output.Contains("unshare failed", StringComparison.Ordinal), $"no mount namespace here (needs root): {output}");
        Assert.True(exit == 0, output);
        var summary = DemoSummary().Match(output);
        Assert.True(summary.Success, output);
        Assert.True(int.Parse(summary.Groups["clips"].Value, System.Globalization.CultureInfo.InvariantCulture) >= 1, output);
        Assert.NotEmpty(Directory.GetFiles(work.Combine("received"), "*.mcap", SearchOption.AllDirectories));
    }

    private static ushort ElfMachine(string path)
    {
        Span<byte> header = stackalloc byte[20];
        using var file = File.OpenRead(path);
        file.ReadExactly(header);
        return BitConverter.ToUInt16(header[18..]);
    }

    [GeneratedRegex(@"demo: (?<triggers>\d+) triggers, (?<clips>\d+) clips received")]
    private static partial Regex DemoSummary();
}
