namespace MediaGateway.LocalHost;

/// <summary>
/// A command line the local host cannot run (an unknown <c>--role</c> or <c>--storage</c>, or a combination that cannot
/// work): Program.cs prints its message and exits 2, where any other exception keeps its stack trace.
/// </summary>
public sealed class LocalHostUsageException(string message) : Exception(message);
