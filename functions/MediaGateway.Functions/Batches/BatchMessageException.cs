namespace MediaGateway.Functions.Batches;

/// <summary>A batch message that is not a valid request to run a batch; no batch is touched because of it.</summary>
public sealed class BatchMessageException(string message) : Exception(message);
