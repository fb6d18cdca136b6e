namespace DataCentric.Edge.Cli.Commands.Prelabels;

/// <summary>An input clip cannot be exported; the message names the file and where in it.</summary>
internal sealed class PrelabelInputException(string message, Exception? inner = null) : Exception(message, inner);
