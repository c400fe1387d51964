namespace MediaGateway.Engine.Catalog.Embeddings;

/// <summary>
/// A catalog's vectors read from an embeddings file (row i for catalog item i, unit length), and an identity
/// of that file (its length and modification time) that keys the index snapshot made from them.
/// </summary>
public sealed record PrecomputedEmbeddings(float[] Vectors, string Identity);
