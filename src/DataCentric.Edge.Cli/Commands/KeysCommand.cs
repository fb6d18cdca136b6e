using System.CommandLine;
using DataCentric.Edge.Uplink.RemoteConfig;

namespace DataCentric.Edge.Cli.Commands;

/// <summary><c>edgectl keys new</c>: a fleet signing key pair for trigger sets (ECDSA P-256, PEM).</summary>
internal static class KeysCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var keys = new Command("keys", "Fleet signing keys for trigger sets");
        var outPrefix = new Option<string>("--out") { Description = "Path prefix: writes <prefix>.key (private, keep safe) and <prefix>.pub (pin on devices)", Required = true };
        var create = new Command("new", "Make a new P-256 key pair");
        create.Options.Add(outPrefix);
        create.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(error, async () =>
        {
            var prefix = Path.GetFullPath(parse.GetValue(outPrefix)!);
            var privatePath = prefix + ".key";
            var publicPath = prefix + ".pub";
            foreach (var path in new[] { privatePath, publicPath })
            {
                if (File.Exists(path))
                {
                    throw new UsageException($"{path} exists; not overwriting a key");
                }
            }

            using var key = FleetKeys.New();
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                // Readable by its owner only, from the moment it exists.
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            await using (var file = new FileStream(privatePath, options))
            await using (var writer = new StreamWriter(file))
            {
                await writer.WriteAsync(key.ExportPkcs8PrivateKeyPem().AsMemory(), cancellationToken).ConfigureAwait(false);
            }

            await File.WriteAllTextAsync(publicPath, key.ExportSubjectPublicKeyInfoPem(), cancellationToken).ConfigureAwait(false);
            await output.WriteLineAsync($"key {FleetKeys.KeyIdOf(key)}: private {privatePath}, public {publicPath}").ConfigureAwait(false);
            return 0;
        }));
        keys.Subcommands.Add(create);
        return keys;
    }
}
