namespace DataCentric.Edge.Core.Storage;

/// <summary>What one pass of the catalog's history bound removed: clip records whose file is gone, trigger events, evictions.</summary>
public readonly record struct ForgottenRecords(int Clips, int Events, int Evictions)
{
    public int Total => Clips + Events + Evictions;
}
