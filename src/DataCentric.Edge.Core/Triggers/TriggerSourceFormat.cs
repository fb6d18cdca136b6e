namespace DataCentric.Edge.Core.Triggers;

/// <summary>YAML is what people write; JSON is what travels on the wire. Same model behind both.</summary>
public enum TriggerSourceFormat
{
    Yaml,
    Json,
}
