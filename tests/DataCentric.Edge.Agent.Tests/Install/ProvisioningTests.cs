using System.Security.Cryptography;
using System.Text;
using DataCentric.Edge.Core.Configuration;
using DataCentric.Edge.TestKit;
using DataCentric.Edge.TestKit.Broker;
using DataCentric.Edge.Uplink.Broker;
using DataCentric.Edge.Uplink.RemoteConfig;

namespace DataCentric.Edge.Agent.Tests.Install;

/// <summary>
/// tools/install.sh's provisioning flags: who the device is, which broker it reaches with which
/// certificate, whose trigger sets it takes; each written into the installed config under the
/// agent's own option names, and each bad input refused before anything is written.
/// </summary>
[Trait("Category", "Integration")]
public sealed class ProvisioningTests
{
    private const string Board = "generic-x64";

    [Fact]
    public async Task AutoDeviceId_IsTheSameOnEveryReinstall_AndDiffersBetweenMachines()
    {
        var ct = TestContext.Current.CancellationToken;
        using var first = InstallScript.MachineRoot("3d1219c7c4c5404aaa1f6d2a48adfda4");
        using var second = InstallScript.MachineRoot("9f0c7e1b2a3d4c5e6f708192a3b4c5d6");

        var output = await InstallScript.InstallAsync(first, ["--board", Board, "--device-id", "auto"], ct);
        await InstallScript.InstallAsync(second, ["--board", Board, "--device-id", "auto"], ct);
        var firstId = DeviceIdOf(first);

        // The documented derivation: <board>-<first 12 hex of sha256(machine id)>.
        Assert.Equal($"{Board}-{Sha256Hex("3d1219c7c4c5404aaa1f6d2a48adfda4")[..12]}", firstId);
        Assert.Contains($"device id {firstId} (auto, from {first.Combine("etc", "machine-id")})", output, StringComparison.Ordinal);
        Assert.NotEqual(firstId, DeviceIdOf(second));

        // Reinstalled from scratch (config purged): the same machine gets the same id; --show-device-id says it first.
        await UninstallAsync(first, purge: true, ct);
        Assert.False(File.Exists(InstallScript.ConfigPath(first)));
        var (shown, said) = await InstallScript.RunAsync(first, ["--board", Board, "--show-device-id"], ct);
        await InstallScript.InstallAsync(first, ["--board", Board, "--device-id", "auto"], ct);

        Assert.Equal(0, shown);
        Assert.Equal(firstId, said.Trim());
        Assert.Equal(firstId, DeviceIdOf(first));
    }

    [Fact]
    public async Task AutoDeviceId_PrefersTheBoardSerial_ToTheMachineId()
    {
        var ct = TestContext.Current.CancellationToken;
        using var root = InstallScript.MachineRoot("3d1219c7c4c5404aaa1f6d2a48adfda4");
        Directory.CreateDirectory(root.Combine("proc", "device-tree"));
        // As the device tree holds it: NUL-terminated.
        await File.WriteAllTextAsync(root.Combine("proc", "device-tree", "serial-number"), "10000000a1b2c3d4\0", ct);

        await InstallScript.InstallAsync(root, ["--board", "raspberry-pi-5", "--device-id", "auto"], ct);

        Assert.Equal($"raspberry-pi-5-{Sha256Hex("10000000a1b2c3d4")[..12]}", DeviceIdOf(root));
    }

    [Fact]
    public async Task AutoDeviceId_InAStagingRootWithoutAMachineId_IsRefused()
    {
        var ct = TestContext.Current.CancellationToken;
        using var root = new TempDirectory("dce-provision");

        var (exit, output) = await InstallScript.RunAsync(root, ["--board", Board, "--device-id", "auto"], ct);

        Assert.Equal(2, exit);
        Assert.Contains("--device-id auto: no board serial and no machine id under the staging root", output, StringComparison.Ordinal);
        AssertNothingInstalled(root);
    }

    [Fact]
    public async Task ShippedDefaultId_IsRefused_UnlessAskedFor()
    {
        var ct = TestContext.Current.CancellationToken;
        using var root = new TempDirectory("dce-provision");

        var (exit, output) = await InstallScript.RunAsync(root, ["--board", "raspberry-pi-5", "--fleet", "f1"], ct);
        var (explicitExit, explicitOutput) = await InstallScript.RunAsync(root, ["--board", "raspberry-pi-5", "--device-id", "raspberry-pi-5-0001"], ct);

        Assert.Equal(2, exit);
        Assert.Contains("refusing to install with the default device id 'raspberry-pi-5-0001' from the shipped config", output, StringComparison.Ordinal);
        Assert.Equal(2, explicitExit);
        Assert.Contains("default device id 'raspberry-pi-5-0001'", explicitOutput, StringComparison.Ordinal);
        AssertNothingInstalled(root);

        await InstallScript.InstallAsync(root, ["--board", "raspberry-pi-5", "--allow-default-id"], ct);
        Assert.Equal("raspberry-pi-5-0001", DeviceIdOf(root));
    }

    [Fact]
    public async Task Reinstall_OfAProvisionedDevice_NeedsNoFlags_AndChangesNothingOfIt()
    {
        var ct = TestContext.Current.CancellationToken;
        using var inputs = new Inputs("dev-a");
        using var root = new TempDirectory("dce-provision");
        await InstallScript.InstallAsync(root, inputs.AllFlags(), ct);
        var config = await File.ReadAllTextAsync(InstallScript.ConfigPath(root), ct);
        var key = await File.ReadAllBytesAsync(root.Combine("etc", "dce-agent", "tls", "client.key"), ct);

        // An upgrade: a new publish, no provisioning flags.
        var output = await InstallScript.InstallAsync(root, ["--board", Board], ct);

        Assert.Contains("kept the edited", output, StringComparison.Ordinal);
        Assert.Contains("as device 'dev-a'", output, StringComparison.Ordinal);
        Assert.Equal(config, await File.ReadAllTextAsync(InstallScript.ConfigPath(root), ct));
        Assert.Equal(key, await File.ReadAllBytesAsync(root.Combine("etc", "dce-agent", "tls", "client.key"), ct));
    }

    [Fact]
    public async Task Reinstall_OfAConfigThatStillHasTheDefaultId_IsRefused()
    {
        var ct = TestContext.Current.CancellationToken;
        using var root = new TempDirectory("dce-provision");
        await InstallScript.InstallAsync(root, ["--board", Board, "--allow-default-id"], ct);

        var (exit, output) = await InstallScript.RunAsync(root, ["--board", Board, "--fleet", "f2"], ct);

        Assert.Equal(2, exit);
        Assert.Contains($"default device id '{Board}-0001' from the installed {InstallScript.ConfigPath(root)}", output, StringComparison.Ordinal);
        Assert.Equal("fleet-1", InstallScript.Bind<AgentOptions>(InstallScript.LoadInstalledConfig(root)).Fleet);
    }

    [Fact]
    public async Task InstalledConfig_CarriesEveryValue_UnderTheAgentsOwnOptionNames()
    {
        var ct = TestContext.Current.CancellationToken;
        using var inputs = new Inputs("dev-a");
        using var root = new TempDirectory("dce-provision");

        await InstallScript.InstallAsync(root, [.. inputs.AllFlags(), "--trusted-key", inputs.SecondTrustedKey, "--group", "lab", "--group", "night-shift"], ct);

        // Loaded and validated as the agent does at start, then bound with its own binder.
        var configuration = InstallScript.LoadInstalledConfig(root);
        var agent = InstallScript.Bind<AgentOptions>(configuration);
        var uplink = InstallScript.Bind<UplinkOptions>(configuration);
        var remote = InstallScript.Bind<RemoteConfigOptions>(configuration);
        Assert.Equal(("f1", "dev-a"), (agent.Fleet, agent.DeviceId));
        Assert.Equal(("broker.example.com", 8883, true), (uplink.Host, uplink.Port, uplink.UseTls));
        Assert.Equal(
            ("/etc/dce-agent/tls/ca.crt", "/etc/dce-agent/tls/client.crt", "/etc/dce-agent/tls/client.key"),
            (uplink.CaCertificatePath, uplink.ClientCertificatePath, uplink.ClientKeyPath));
        Assert.Equal(["lab", "night-shift"], remote.Groups);
        Assert.Equal([$"/etc/dce-agent/trusted-keys/{inputs.TrustedKeyId}.pem", $"/etc/dce-agent/trusted-keys/{inputs.SecondTrustedKeyId}.pem"], remote.TrustedKeyPaths);

        // The files the config names are there, as copies of the inputs, with modes that keep the key private.
        Assert.Equal(await File.ReadAllTextAsync(inputs.Ca, ct), await File.ReadAllTextAsync(InstallScript.Staged(root, uplink.CaCertificatePath!), ct));
        Assert.Equal(await File.ReadAllTextAsync(inputs.Certificate, ct), await File.ReadAllTextAsync(InstallScript.Staged(root, uplink.ClientCertificatePath!), ct));
        Assert.Equal(await File.ReadAllTextAsync(inputs.Key, ct), await File.ReadAllTextAsync(InstallScript.Staged(root, uplink.ClientKeyPath!), ct));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, ModeOf(InstallScript.Staged(root, uplink.ClientKeyPath!)));
        Assert.Equal(ReadableByAll, ModeOf(InstallScript.Staged(root, uplink.CaCertificatePath!)));
        Assert.Equal(ReadableByAll, ModeOf(InstallScript.Staged(root, uplink.ClientCertificatePath!)));
        Assert.Equal(
            UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute,
            ModeOf(root.Combine("etc", "dce-agent", "tls")));

        // The pinned keys load as the agent loads them, under the ids the file names carry.
        var trusted = FleetKeys.LoadTrusted(remote.TrustedKeyPaths.Select(p => InstallScript.Staged(root, p)));
        Assert.Equal(new[] { inputs.TrustedKeyId, inputs.SecondTrustedKeyId }.Order(StringComparer.Ordinal), trusted.Keys.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("raspberry-pi-4")]
    [InlineData("raspberry-pi-5")]
    [InlineData("jetson-orin-nano")]
    [InlineData("generic-x64")]
    public async Task EveryBoard_InstalledWithATrustedKey_PinsIt(string board)
    {
        var ct = TestContext.Current.CancellationToken;
        using var inputs = new Inputs("dev-a");
        using var root = new TempDirectory("dce-provision");

        await InstallScript.InstallAsync(root, ["--board", board, "--device-id", "dev-a", "--trusted-key", inputs.TrustedKey], ct);

        var remote = InstallScript.Bind<RemoteConfigOptions>(InstallScript.LoadInstalledConfig(root));
        var pinned = FleetKeys.LoadTrusted(remote.TrustedKeyPaths.Select(p => InstallScript.Staged(root, p)));
        Assert.Equal([inputs.TrustedKeyId], pinned.Keys);
        Assert.Equal("trigger-sets", remote.StateDirectory);
    }

    [Fact]
    public async Task Reinstall_WithANewTrustedKey_ReplacesTheList_AndKeepsTheRest()
    {
        var ct = TestContext.Current.CancellationToken;
        using var inputs = new Inputs("dev-a");
        using var root = new TempDirectory("dce-provision");
        await InstallScript.InstallAsync(root, inputs.AllFlags(), ct);

        await InstallScript.InstallAsync(root, ["--board", Board, "--trusted-key", inputs.SecondTrustedKey], ct);

        var configuration = InstallScript.LoadInstalledConfig(root);
        Assert.Equal([$"/etc/dce-agent/trusted-keys/{inputs.SecondTrustedKeyId}.pem"], InstallScript.Bind<RemoteConfigOptions>(configuration).TrustedKeyPaths);
        Assert.Equal([$"{inputs.SecondTrustedKeyId}.pem"], Directory.GetFiles(root.Combine("etc", "dce-agent", "trusted-keys")).Select(Path.GetFileName));
        Assert.Equal("dev-a", InstallScript.Bind<AgentOptions>(configuration).DeviceId);
        Assert.Equal("/etc/dce-agent/tls/client.crt", InstallScript.Bind<UplinkOptions>(configuration).ClientCertificatePath);
    }

    public static TheoryData<string> BadInputs() =>
    [
        "device-id with a slash", "device-id with a plus", "device-id with a hash", "device-id starting with an underscore",
        "device-id of a fleet tool", "device-id too long", "device-id without a value", "fleet with a space", "fleet starting with an underscore", "group with a slash",
        "broker without a port", "broker port 0", "broker port 70000", "broker port not a number",
        "ca missing", "ca not a certificate", "cert without key", "key without cert", "cert of another device",
        "key of another certificate", "key not a key", "trusted-key missing", "trusted-key private", "trusted-key certificate",
        "trusted-key rsa", "trusted-key not pem",
    ];

    [Theory]
    [MemberData(nameof(BadInputs))]
    public async Task BadInput_IsRefused_NamingTheFlagAndValue_WithNothingWritten(string badInput)
    {
        var ct = TestContext.Current.CancellationToken;
        using var inputs = new Inputs("dev-a");
        using var root = new TempDirectory("dce-provision");
        var flags = inputs.Flags();
        var (flag, value, reason) = inputs.Break(flags, badInput);

        var (exit, output) = await InstallScript.RunAsync(root, Inputs.ToArgs(flags), ct);

        Assert.True(exit == 2, $"exit {exit}: {output}");
        Assert.Contains(flag, output, StringComparison.Ordinal);
        Assert.Contains(value, output, StringComparison.Ordinal);
        Assert.Contains(reason, output, StringComparison.Ordinal);
        AssertNothingInstalled(root);
    }

    [Fact]
    public async Task BadInput_OnAnInstalledDevice_KeepsItsConfigAndKeys()
    {
        var ct = TestContext.Current.CancellationToken;
        using var inputs = new Inputs("dev-a");
        using var root = new TempDirectory("dce-provision");
        await InstallScript.InstallAsync(root, inputs.AllFlags(), ct);
        var config = await File.ReadAllTextAsync(InstallScript.ConfigPath(root), ct);
        var keys = Directory.GetFiles(root.Combine("etc", "dce-agent", "trusted-keys"));

        var (exit, output) = await InstallScript.RunAsync(root, ["--board", Board, "--trusted-key", inputs.Key], ct);

        Assert.Equal(2, exit);
        Assert.Contains("holds a private key", output, StringComparison.Ordinal);
        Assert.Equal(config, await File.ReadAllTextAsync(InstallScript.ConfigPath(root), ct));
        Assert.Equal(keys, Directory.GetFiles(root.Combine("etc", "dce-agent", "trusted-keys")));
    }

    [Fact]
    public async Task KeptConfigWithComments_IsKeptByAnUpgrade_ButNotRewritten()
    {
        var ct = TestContext.Current.CancellationToken;
        using var root = new TempDirectory("dce-provision");
        await InstallScript.InstallAsync(root, ["--board", Board, "--device-id", "dev-a"], ct);
        var config = InstallScript.ConfigPath(root);
        // The agent reads its JSON with comments allowed; rewriting it would lose them.
        var commented = (await File.ReadAllTextAsync(config, ct)).Replace("\"Agent\": {", "// line 3 of the plant\n  \"Agent\": {", StringComparison.Ordinal);
        await File.WriteAllTextAsync(config, commented, ct);

        var upgrade = await InstallScript.RunAsync(root, ["--board", Board], ct);
        var (exit, output) = await InstallScript.RunAsync(root, ["--board", Board, "--fleet", "f2"], ct);

        Assert.True(upgrade.Exit == 0, upgrade.Output);
        Assert.Equal(2, exit);
        Assert.Contains($"{config} has comments, which rewriting it would lose", output, StringComparison.Ordinal);
        Assert.Equal(commented, await File.ReadAllTextAsync(config, ct));
        Assert.Equal("dev-a", DeviceIdOf(root));
    }

    [Fact]
    public async Task KeptConfigThatIsNotJson_IsRefused_NamingItsLineAndColumn()
    {
        var ct = TestContext.Current.CancellationToken;
        using var root = new TempDirectory("dce-provision");
        await InstallScript.InstallAsync(root, ["--board", Board, "--device-id", "dev-a"], ct);
        var config = InstallScript.ConfigPath(root);
        await File.WriteAllTextAsync(config, "{\n  \"Agent\": { \"DeviceId\": \"dev-a\" \"Fleet\": \"f1\" }\n}\n", ct);

        var (exit, output) = await InstallScript.RunAsync(root, ["--board", Board], ct);

        Assert.Equal(2, exit);
        Assert.Contains($"{config}:2:", output, StringComparison.Ordinal);
        Assert.Contains("not valid JSON", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NewDeviceId_WithTheOldDevicesCertificateKept_IsRefused()
    {
        var ct = TestContext.Current.CancellationToken;
        using var inputs = new Inputs("dev-a");
        using var root = new TempDirectory("dce-provision");
        await InstallScript.InstallAsync(root, inputs.AllFlags(), ct);

        var (exit, output) = await InstallScript.RunAsync(root, ["--board", Board, "--device-id", "dev-b"], ct);

        Assert.Equal(2, exit);
        Assert.Contains("is for CN 'dev-a'", output, StringComparison.Ordinal);
        Assert.Equal("dev-a", DeviceIdOf(root));
    }

    [Theory]
    [InlineData("install.sh")]
    [InlineData("publish.sh")]
    public async Task Help_PrintsTheFullUsage_AndExitsZero(string script)
    {
        var (exit, output) = await PublishedAgent.RunAsync("bash", [Path.Combine(PublishedAgent.RepositoryRoot, "tools", script), "--help"], null, TestContext.Current.CancellationToken);

        Assert.True(exit == 0, output);
        Assert.StartsWith($"usage: tools/{script}", output, StringComparison.Ordinal);
        string[] named = script == "install.sh"
            ? ["--fleet", "--device-id", "--broker", "--ca", "--cert", "--key", "--trusted-key", "--group", "--allow-default-id", "--show-device-id", "--board", "--from", "--prefix", "--uninstall", "--purge"]
            : ["--out", "--jit", "--framework-dependent", "prerequisites", "clang", "gcc-aarch64-linux-gnu"];
        Assert.All(named, n => Assert.Contains(n, output, StringComparison.Ordinal));
    }

    private const UnixFileMode ReadableByAll = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    private static UnixFileMode ModeOf(string path) =>
        OperatingSystem.IsWindows() ? throw new PlatformNotSupportedException("install.sh runs on Linux") : File.GetUnixFileMode(path);

    private static string DeviceIdOf(TempDirectory root) => InstallScript.Bind<AgentOptions>(InstallScript.LoadInstalledConfig(root)).DeviceId;

    private static string Sha256Hex(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(text)));

    private static async Task UninstallAsync(TempDirectory root, bool purge, CancellationToken ct)
    {
        var (exit, output) = await PublishedAgent.RunAsync("bash", [InstallScript.Path, "--uninstall", .. (purge ? new[] { "--purge" } : []), "--prefix", root.Path], null, ct);
        Assert.True(exit == 0, output);
    }

    private static void AssertNothingInstalled(TempDirectory root)
    {
        Assert.False(Directory.Exists(root.Combine("opt")), "the app was installed");
        Assert.False(Directory.Exists(root.Combine("etc", "dce-agent")), "the config was written");
        Assert.False(Directory.Exists(root.Combine("etc", "systemd")), "the unit was installed");
    }

    /// <summary>Good inputs for one device (certificates from a test fleet CA, fleet signing keys), and the ways to break each.</summary>
    private sealed class Inputs : IDisposable
    {
        private readonly TempDirectory _dir = new("dce-provision-inputs");
        private readonly TestPki _pki;

        public Inputs(string deviceId)
        {
            DeviceId = deviceId;
            _pki = new TestPki(_dir.Combine("pki"));
            (Certificate, Key) = _pki.IssueClient(deviceId);
            (OtherCertificate, OtherKey) = _pki.IssueClient("dev-b");
            (TrustedKey, TrustedKeyId) = WriteFleetKey("fleet.pub", out var privatePem);
            (SecondTrustedKey, SecondTrustedKeyId) = WriteFleetKey("fleet-2.pub", out _);
            TrustedPrivateKey = _dir.Combine("fleet.key");
            File.WriteAllText(TrustedPrivateKey, privatePem);
            using var rsa = RSA.Create(2048);
            RsaPublicKey = _dir.Combine("rsa.pub");
            File.WriteAllText(RsaPublicKey, rsa.ExportSubjectPublicKeyInfoPem());
            NotPem = _dir.Combine("notes.txt");
            File.WriteAllText(NotPem, "not a key\n");
        }

        public string DeviceId { get; }

        public string Ca => _pki.CaCertificatePath;

        public string Certificate { get; }

        public string Key { get; }

        public string OtherCertificate { get; }

        public string OtherKey { get; }

        public string TrustedKey { get; }

        public string TrustedKeyId { get; }

        public string SecondTrustedKey { get; }

        public string SecondTrustedKeyId { get; }

        public string TrustedPrivateKey { get; }

        public string RsaPublicKey { get; }

        public string NotPem { get; }

        public static string[] ToArgs(List<(string Flag, string? Value)> flags) =>
            [.. flags.SelectMany(f => f.Value is null ? new[] { f.Flag } : [f.Flag, f.Value])];

        public List<(string Flag, string? Value)> Flags() =>
        [
            ("--board", Board), ("--fleet", "f1"), ("--device-id", DeviceId), ("--broker", "broker.example.com:8883"),
            ("--ca", Ca), ("--cert", Certificate), ("--key", Key), ("--trusted-key", TrustedKey),
        ];

        public string[] AllFlags() => ToArgs(Flags());

        /// <summary>Breaks one input of <paramref name="flags"/>; returns the flag and value the error must name, and its reason.</summary>
        public (string Flag, string Value, string Reason) Break(List<(string Flag, string? Value)> flags, string badInput)
        {
            var missing = _dir.Combine("no-such-file.pem");
            var (flag, value, reason) = badInput switch
            {
                "device-id with a slash" => ("--device-id", "dev/a", "no '/', '+', '#'"),
                "device-id with a plus" => ("--device-id", "dev+a", "no '/', '+', '#'"),
                "device-id with a hash" => ("--device-id", "dev#a", "no '/', '+', '#'"),
                "device-id starting with an underscore" => ("--device-id", "_groups", "starting with a letter or digit"),
                "device-id of a fleet tool" => ("--device-id", "dce-operator", "a fleet tool's identity"),
                "device-id too long" => ("--device-id", new string('a', 65), "1-64 letters"),
                "device-id without a value" => ("--device-id", "", "needs a value"),
                "fleet with a space" => ("--fleet", "fleet 1", "1-64 letters, digits"),
                "fleet starting with an underscore" => ("--fleet", "_fleet", "starting with a letter or digit"),
                "group with a slash" => ("--group", "lab/1", "an MQTT topic segment"),
                "broker without a port" => ("--broker", "broker.example.com", "is not HOST:PORT"),
                "broker port 0" => ("--broker", "broker.example.com:0", "port 0 is not in 1-65535"),
                "broker port 70000" => ("--broker", "broker.example.com:70000", "port 70000 is not in 1-65535"),
                "broker port not a number" => ("--broker", "broker.example.com:mqtts", "is not HOST:PORT"),
                "ca missing" => ("--ca", missing, "no such readable file"),
                "ca not a certificate" => ("--ca", TrustedKey, "is not a PEM certificate"),
                "cert without key" => ("--cert", "--key", "needs --key"),
                "key without cert" => ("--key", "--cert", "needs --cert"),
                "cert of another device" => ("--cert", OtherCertificate, "is for CN 'dev-b', but this device's id is 'dev-a'"),
                "key of another certificate" => ("--key", OtherKey, "is not the key of --cert"),
                "key not a key" => ("--key", Ca, "is not a PEM private key"),
                "trusted-key missing" => ("--trusted-key", missing, "no such readable file"),
                "trusted-key private" => ("--trusted-key", TrustedPrivateKey, "holds a private key"),
                "trusted-key certificate" => ("--trusted-key", Ca, "holds a certificate"),
                "trusted-key rsa" => ("--trusted-key", RsaPublicKey, "not ECDSA P-256"),
                "trusted-key not pem" => ("--trusted-key", NotPem, "is not a PEM public key"),
                _ => throw new ArgumentOutOfRangeException(nameof(badInput), badInput, null),
            };
            switch (badInput)
            {
                case "cert without key":
                    flags.RemoveAll(f => f.Flag == "--key");
                    return ("--cert", "--key", reason);
                case "key without cert":
                    flags.RemoveAll(f => f.Flag == "--cert");
                    return ("--key", "--cert", reason);
                case "group with a slash":
                    flags.Add((flag, value));
                    return (flag, value, reason);
                default:
                    flags[flags.FindIndex(f => f.Flag == flag)] = (flag, value);
                    return (flag, value, reason);
            }
        }

        public void Dispose()
        {
            _pki.Dispose();
            _dir.Dispose();
        }

        private (string Path, string KeyId) WriteFleetKey(string name, out string privatePem)
        {
            using var key = FleetKeys.New();
            var path = _dir.Combine(name);
            File.WriteAllText(path, key.ExportSubjectPublicKeyInfoPem());
            privatePem = key.ExportPkcs8PrivateKeyPem();
            return (path, FleetKeys.KeyIdOf(key));
        }
    }
}
