namespace MediaGateway.Contracts.Jobs;

/// <summary>A message taken from the queue; invisible to others until deleted or its lease expires.</summary>
public sealed record ReceivedMessage(string MessageId, string PopReceipt, string Body, long DequeueCount);
