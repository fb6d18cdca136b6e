using Amazon.Runtime;
using Amazon.S3;
using DataCentric.Edge.FleetService.ObjectStore.S3;
using DataCentric.Edge.TestKit.Fleet;

namespace DataCentric.Edge.FleetService.Tests.ObjectStore;

/// <summary>One s3rver and bucket for a test class; each test writes under a prefix of its own.</summary>
public sealed class S3rverFixture : IAsyncLifetime
{
    public const string Bucket = "clips";

    public S3rverServer Server { get; private set; } = null!;

    public AmazonS3Client Client { get; private set; } = null!;

    /// <summary>What dce-fleet's ObjectStore:S3 section must say for s3rver.</summary>
    public S3Options Options(int partBytes) => new()
    {
        ServiceUrl = Server.ServiceUrl,
        Region = S3rverServer.Region,
        Bucket = Bucket,
        ForcePathStyle = true,
        AccessKeyId = S3rverServer.AccessKeyId,
        SecretAccessKey = S3rverServer.SecretAccessKey,
        RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
        UseChunkEncoding = false,
        PartBytes = partBytes,
    };

    public async ValueTask InitializeAsync()
    {
        Server = await S3rverServer.StartAsync(TestContext.Current.CancellationToken);
        await Server.CreateBucketAsync(Bucket, TestContext.Current.CancellationToken);
        Client = S3ClientFactory.Create(Options(S3Options.MinPartBytes));
    }

    public async ValueTask DisposeAsync()
    {
        Client?.Dispose();
        if (Server is not null)
        {
            await Server.DisposeAsync();
        }
    }
}
