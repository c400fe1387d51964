namespace MediaGateway.Engine.VectorStores;

/// <summary>One dependency's state for the health report: whether it answered, how fast, and what is wrong if not.</summary>
public sealed record DependencyCheck(string Name, bool Healthy, double LatencyMs, string Detail);
