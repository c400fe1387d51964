using System.Reflection;

namespace MediaGateway.LocalHost;

/// <summary>A queue-triggered function as its attributes declare it: name, the queue it reads, and the method.</summary>
public sealed record QueueFunction(string Name, string QueueName, MethodInfo Method);
