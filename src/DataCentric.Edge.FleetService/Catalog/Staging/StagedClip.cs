namespace DataCentric.Edge.FleetService.Catalog.Staging;

/// <summary>One device's upload of one clip: the staging key (a clip id is only trusted together with the device that sent it).</summary>
public sealed record StagedClip(string Fleet, string Device, string ClipId)
{
    public override string ToString() => $"{Fleet}/{Device}/{ClipId}";
}
