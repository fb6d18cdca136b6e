using DataCentric.Edge.TestKit;
using DataCentric.Edge.TestKit.Broker;

namespace DataCentric.Edge.FleetService.Tests.Models;

/// <summary>
/// The shipped broker ACL plus the device-side model lines of the contract (a device reads its
/// releases and writes its own acks; dce-operator writes releases), which the transfer side adds to
/// the shipped file: the fleet side's own line (dce-receiver reads models/+/ack) is the shipped one.
/// </summary>
internal static class ModelBrokerAcl
{
    private const string DeviceSideLines =
        """

        # --- added by the tests: the model transfer's device and operator lines ---
        pattern read dce/v1/+/%u/models/+/release
        pattern read dce/v1/+/_groups/+/models/+/release
        pattern read dce/v1/+/_fleet/models/+/release
        pattern write dce/v1/+/%u/models/+/ack
        user dce-operator
        topic write dce/v1/+/+/models/+/release
        topic write dce/v1/+/_fleet/models/+/release
        topic write dce/v1/+/_groups/+/models/+/release

        """;

    /// <summary>Writes the combined ACL into <paramref name="dir"/> (world-readable: mosquitto drops to its own user) and returns its path.</summary>
    public static string Write(TempDirectory dir)
    {
        var shipped = File.ReadAllText(RepositoryFiles.Path("firmware-config", "broker", "acl"));
        var path = dir.Combine("acl-with-models");
        File.WriteAllText(path, shipped + DeviceSideLines);
        return path;
    }
}
