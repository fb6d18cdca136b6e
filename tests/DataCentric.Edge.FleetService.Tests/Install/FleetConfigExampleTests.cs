using DataCentric.Edge.FleetService.Api;
using DataCentric.Edge.FleetService.Catalog;
using DataCentric.Edge.FleetService.ObjectStore;
using DataCentric.Edge.FleetService.Receiving;
using DataCentric.Edge.FleetService.Tracking;
using DataCentric.Edge.FleetService.WebConsole;
using DataCentric.Edge.TestKit;
using DataCentric.Edge.TestKit.Broker;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace DataCentric.Edge.FleetService.Tests.Install;

/// <summary>
/// firmware-config/fleet/dce-fleet.json, the example an operator starts from: every section binds
/// strictly (no unknown key, the way dce-fleet binds it at start) and passes its start-up check, and
/// no secret sits in it, only paths of systemd credentials.
/// </summary>
[Trait("Category", "Unit")]
public sealed class FleetConfigExampleTests
{
    private static string ExamplePath => RepositoryFiles.Path("firmware-config", "fleet", "dce-fleet.json");

    [Fact]
    public void Example_BindsEverySection_AndPassesTheStartChecks()
    {
        using var dir = new TempDirectory("dce-fleet-config");
        // The secret key file is a systemd credential at run time; a stand-in here.
        var secret = dir.Combine("s3-secret-key");
        File.WriteAllText(secret, "not-a-secret");
        var configuration = new ConfigurationBuilder()
            .AddJsonFile(ExamplePath)
            .AddInMemoryCollection(new Dictionary<string, string?> { ["ObjectStore:S3:SecretAccessKeyFile"] = secret })
            .Build();

        var catalog = CatalogServiceCollectionExtensions.Section.Get(configuration);
        var tracker = TrackerServiceCollectionExtensions.Section.Get(configuration);
        var receiver = ReceiverServiceCollectionExtensions.Section.Get(configuration);
        var @operator = FleetApiServiceCollectionExtensions.OperatorSection.Get(configuration);
        var console = ConsoleServiceCollectionExtensions.Section.Get(configuration);
        var objectStore = new ObjectStoreOptions();
        configuration.GetSection(ObjectStoreOptions.SectionName).Bind(objectStore, b => b.ErrorOnUnknownConfiguration = true);

        Assert.Empty(Failures(new FleetCatalogOptionsValidator().Validate(null, catalog)));
        Assert.Empty(Failures(new TrackerOptionsValidator().Validate(null, tracker)));
        Assert.Empty(Failures(new ReceiverOptionsValidator().Validate(null, receiver)));
        Assert.Empty(Failures(new OperatorOptionsValidator().Validate(null, @operator)));
        Assert.Empty(Failures(new ConsoleOptionsValidator().Validate(null, console)));
        Assert.NotNull(@operator.Broker); // The example turns the operator link on, as dce-operator on the tools listener.
        Assert.EndsWith("dce-operator.crt", @operator.Broker.ClientCertificatePath, StringComparison.Ordinal);
        Assert.Empty(Failures(new ObjectStoreOptionsValidator().Validate(null, objectStore)));
        Assert.Equal((FleetCatalogProvider.Postgres, ObjectStoreKind.S3), (catalog.Provider, objectStore.Kind));
        Assert.Equal(tracker.SharedGroup, receiver.SharedGroup);
    }

    [Fact]
    public void Example_HoldsNoSecret_OnlyCredentialPaths()
    {
        var configuration = new ConfigurationBuilder().AddJsonFile(ExamplePath).Build();
        var values = configuration.AsEnumerable().Where(kv => kv.Value is not null).ToDictionary(kv => kv.Key, kv => kv.Value!);

        Assert.DoesNotContain(values.Keys, k => k.EndsWith(":SecretAccessKey", StringComparison.Ordinal) || k.EndsWith(":TokenSha256", StringComparison.Ordinal));
        Assert.DoesNotContain("Password=", values["Catalog:ConnectionString"], StringComparison.OrdinalIgnoreCase);
        Assert.All(
            values.Where(kv => kv.Key.EndsWith("File", StringComparison.Ordinal) || kv.Key.EndsWith("KeyPath", StringComparison.Ordinal)),
            kv => Assert.StartsWith("/run/credentials/dce-fleet.service/", kv.Value, StringComparison.Ordinal));
        // Each of those credentials is loaded by the unit.
        var unit = File.ReadAllText(RepositoryFiles.Path("firmware-config", "fleet", "dce-fleet.service"));
        Assert.All(
            values.Values.Where(v => v.Contains("/run/credentials/dce-fleet.service/", StringComparison.Ordinal)),
            v => Assert.Contains($"LoadCredential={CredentialName(v)}:", unit, StringComparison.Ordinal));
    }

    private static string CredentialName(string value)
    {
        var start = value.IndexOf("/run/credentials/dce-fleet.service/", StringComparison.Ordinal) + "/run/credentials/dce-fleet.service/".Length;
        var end = value.IndexOf(';', start);
        return end < 0 ? value[start..] : value[start..end];
    }

    private static IEnumerable<string> Failures(ValidateOptionsResult result) => result.Failures ?? [];
}
