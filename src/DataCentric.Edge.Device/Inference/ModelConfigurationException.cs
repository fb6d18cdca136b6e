namespace DataCentric.Edge.Device.Inference;

/// <summary>The model file is missing, unreadable, or does not match its configuration.</summary>
public sealed class ModelConfigurationException : Exception
{
    public ModelConfigurationException()
    {
    }

    public ModelConfigurationException(string message)
        : base(message)
    {
    }

    public ModelConfigurationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
