namespace MediaGateway.Engine.VectorStores;

/// <summary>A catalog id and its similarity (inner product) to the query.</summary>
public readonly record struct VectorMatch(string Id, float Score);
