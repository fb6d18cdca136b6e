namespace DataCentric.Edge.Core.Storage;

/// <summary>Where a stored clip's file lies, for the stages that only read it (the uploader).</summary>
public interface IClipFileLocator
{
    string PathOf(StoredClip clip);
}
