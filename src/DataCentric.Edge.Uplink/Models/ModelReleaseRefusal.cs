using DataCentric.Edge.Uplink.RemoteConfig;

namespace DataCentric.Edge.Uplink.Models;

/// <summary>Why a device refuses a model release; the ack (next slice) carries it with its message.</summary>
public enum ModelReleaseRefusal
{
    /// <summary>The envelope is larger than the device takes.</summary>
    EnvelopeTooLarge,

    /// <summary>Not JSON of the envelope's shape, or its payload is not a model release.</summary>
    Malformed,

    Unsigned,

    /// <summary>Signed by a key this device has not pinned.</summary>
    UntrustedKey,

    /// <summary>The signature does not verify over the payload's bytes.</summary>
    Forged,

    /// <summary>Another contract version than <c>dce/v1</c>.</summary>
    WrongContract,

    WrongFleet,

    /// <summary>For another device or a group this device is not in.</summary>
    WrongTarget,

    /// <summary>Not newer than the version of this model name last accepted here (an old one replayed).</summary>
    NotNewer,

    /// <summary>Needs a newer agent than this one.</summary>
    AgentTooOld,

    /// <summary>The signed size is above the device's model memory limit.</summary>
    TooLargeForMemory,

    /// <summary>No model file was delivered.</summary>
    FileMissing,

    /// <summary>The delivered file's size is not the signed one (truncated or padded).</summary>
    SizeMismatch,

    /// <summary>The delivered file's SHA-256 is not the signed one.</summary>
    HashMismatch,

    /// <summary>The model's inputs or outputs do not fit the configured pre-processing and output adapter.</summary>
    ContractMismatch,
}

/// <summary>One reason a release was refused, with a message that says what and where.</summary>
public sealed record ModelReleaseProblem(ModelReleaseRefusal Reason, string Message)
{
    public override string ToString() => $"{Reason}: {Message}";

    internal static ModelReleaseRefusal Of(SignatureFailure failure) => failure switch
    {
        SignatureFailure.TooLarge => ModelReleaseRefusal.EnvelopeTooLarge,
        SignatureFailure.Unsigned => ModelReleaseRefusal.Unsigned,
        SignatureFailure.UntrustedKey => ModelReleaseRefusal.UntrustedKey,
        SignatureFailure.Forged => ModelReleaseRefusal.Forged,
        _ => ModelReleaseRefusal.Malformed,
    };
}
