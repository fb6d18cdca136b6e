using Amazon.Runtime;
using DataCentric.Edge.FleetService.ObjectStore;
using DataCentric.Edge.FleetService.ObjectStore.LocalDirectory;
using DataCentric.Edge.FleetService.ObjectStore.S3;
using DataCentric.Edge.TestKit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DataCentric.Edge.FleetService.Tests.ObjectStore;

[Trait("Category", "Unit")]
public sealed class ObjectStoreOptionsTests : IDisposable
{
    private const string Secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    private readonly TempDirectory _dir = new();

    [Fact]
    public void S3Section_BindsFromConfiguration_WithTheCompatibilitySettings()
    {
        using var services = Services(new()
        {
            ["ObjectStore:Kind"] = "S3",
            ["ObjectStore:KeyPrefix"] = "clips/",
            ["ObjectStore:S3:ServiceUrl"] = "http://127.0.0.1:4568",
            ["ObjectStore:S3:Bucket"] = "fleet",
            ["ObjectStore:S3:ForcePathStyle"] = "true",
            ["ObjectStore:S3:AccessKeyId"] = "S3RVER",
            ["ObjectStore:S3:SecretAccessKey"] = "S3RVER",
            ["ObjectStore:S3:RequestChecksumCalculation"] = "WHEN_REQUIRED",
            ["ObjectStore:S3:UseChunkEncoding"] = "false",
        });

        var options = services.GetRequiredService<IOptions<ObjectStoreOptions>>().Value;

        Assert.Equal(RequestChecksumCalculation.WHEN_REQUIRED, options.S3.RequestChecksumCalculation);
        Assert.False(options.S3.UseChunkEncoding);
        Assert.True(options.S3.ForcePathStyle);
        Assert.IsType<S3ClipObjectStore>(services.GetRequiredService<IClipObjectStore>());
    }

    [Fact]
    public void DefaultStore_IsTheLocalFolder()
    {
        using var services = Services(new() { ["ObjectStore:Directory"] = _dir.Path });

        Assert.IsType<DirectoryClipObjectStore>(services.GetRequiredService<IClipObjectStore>());
    }

    [Fact]
    public void UnknownKey_IsAnError()
    {
        using var services = Services(new() { ["ObjectStore:S3:Bukket"] = "typo" });

        var e = Assert.Throws<InvalidOperationException>(() => services.GetRequiredService<IOptions<ObjectStoreOptions>>().Value);

        Assert.Contains("Bukket", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validation_ReportsEveryProblemAtOnce()
    {
        var options = new ObjectStoreOptions
        {
            Kind = ObjectStoreKind.S3,
            KeyPrefix = "clips",
            S3 = new S3Options { ServiceUrl = new Uri("ftp://x"), PartBytes = 1024, AccessKeyId = "id" },
        };

        var result = new ObjectStoreOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        var failures = result.Failures!.ToList();
        Assert.Contains(failures, f => f.Contains("KeyPrefix", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("Bucket", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("ServiceUrl", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("PartBytes", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("SecretAccessKey", StringComparison.Ordinal));
    }

    [Fact]
    public void Validation_AcceptsTheSdkCredentialChain_AndASecretFile()
    {
        var secretFile = _dir.Combine("secret");
        File.WriteAllText(secretFile, Secret + "\n");
        var chain = new ObjectStoreOptions { Kind = ObjectStoreKind.S3, S3 = new S3Options { Bucket = "b" } };
        var file = new ObjectStoreOptions { Kind = ObjectStoreKind.S3, S3 = new S3Options { Bucket = "b", AccessKeyId = "id", SecretAccessKeyFile = secretFile } };

        Assert.True(new ObjectStoreOptionsValidator().Validate(null, chain).Succeeded);
        Assert.True(new ObjectStoreOptionsValidator().Validate(null, file).Succeeded);
        using var client = S3ClientFactory.Create(file.S3);
    }

    [Fact]
    public void ToString_NeverShowsTheSecret()
    {
        var options = new ObjectStoreOptions
        {
            Kind = ObjectStoreKind.S3,
            S3 = new S3Options { Bucket = "b", AccessKeyId = "AKIDEXAMPLE", SecretAccessKey = Secret },
        };

        Assert.DoesNotContain(Secret, options.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, options.S3.ToString(), StringComparison.Ordinal);
        Assert.Contains("AKIDEXAMPLE", options.S3.ToString(), StringComparison.Ordinal);
    }

    public void Dispose() => _dir.Dispose();

    private static ServiceProvider Services(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection().AddLogging();
        services.AddClipObjectStore(configuration);
        return services.BuildServiceProvider();
    }
}
