using System.Security.Cryptography;
using System.Text;
using MediaGateway.Engine.Embedding;

namespace MediaGateway.Tests.Support;

/// <summary>
/// A deterministic stand-in for the model (unit vectors from SHA-256 of the text) that records every text it
/// was asked to embed, so a test can tell computed embeddings from loaded ones.
/// </summary>
public sealed class HashEmbedder(string modelId = "hash-embedder-v1", int dimension = 16) : IEmbedder
{
    private readonly List<string> _embedded = [];

    public string ModelId => modelId;

    public int Dimension => dimension;

    public IReadOnlyList<string> Embedded { get { lock (_embedded) return _embedded.ToArray(); } }

    public float[][] Embed(IReadOnlyList<string> texts, CancellationToken cancellationToken = default)
    {
        lock (_embedded) _embedded.AddRange(texts);
        return texts.Select(Vector).ToArray();
    }

    private float[] Vector(string text)
    {
        var bytes = SHA256.HashData(Encoding.UTF8.GetBytes(text));
        var v = new float[dimension];
        for (var i = 0; i < dimension; i++) v[i] = bytes[i % bytes.Length] - 127.5f + i;
        var norm = MathF.Sqrt(v.Sum(x => x * x));
        for (var i = 0; i < dimension; i++) v[i] /= norm;
        return v;
    }
}
