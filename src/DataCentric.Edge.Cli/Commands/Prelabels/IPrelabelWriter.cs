namespace DataCentric.Edge.Cli.Commands.Prelabels;

/// <summary>Writes one format's label files into the export's temporary folder.</summary>
internal interface IPrelabelWriter : IDisposable
{
    /// <summary>Called once per exported frame, after its image is in <c>images/</c>.</summary>
    void Add(LabelledFrame frame);

    /// <summary>Writes what needs every frame (category lists, task files).</summary>
    void Finish();
}
