using MediaGateway.Engine.Text;
using SentenceTransformers;
using System.Numerics.Tensors;

namespace MediaGateway.Engine.Embedding;

/// <summary>
/// An <see cref="IEmbedder"/> over a SentenceTransformers ONNX package (the model ships inside the package's
/// assembly, so nothing is downloaded at run time). Accents are folded first; vectors are unit length.
/// </summary>
public abstract class SentenceEncoderEmbedder(ISentenceEncoder encoder) : IEmbedder, IDisposable
{
    /// <summary>Texts are padded to the longest in a chunk; chunking by similar length keeps padding small.</summary>
    private const int ChunkSize = 64;

    public abstract string ModelId { get; }

    public virtual string QueryPrefix => "";

    public int Dimension => 384;

    public float[][] Embed(IReadOnlyList<string> texts, CancellationToken cancellationToken = default)
    {
        var result = new float[texts.Count][];
        var order = Enumerable.Range(0, texts.Count).OrderBy(i => texts[i].Length).ToArray();
        for (var start = 0; start < order.Length; start += ChunkSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var chunk = order.AsSpan(start, Math.Min(ChunkSize, order.Length - start)).ToArray();
            var vectors = encoder.Encode(chunk.Select(i => TextFolding.FoldAccents(texts[i])).ToArray(), cancellationToken);
            for (var j = 0; j < chunk.Length; j++) result[chunk[j]] = Normalized(vectors[j]);
        }
        return result;
    }

    // The packages normalise already; doing it here makes the unit-length contract hold regardless.
    private static float[] Normalized(float[] v)
    {
        var norm = TensorPrimitives.Norm(v);
        if (norm > 0 && Math.Abs(norm - 1f) > 1e-6f) TensorPrimitives.Divide(v, norm, v);
        return v;
    }

    public void Dispose()
    {
        (encoder as IDisposable)?.Dispose();
        GC.SuppressFinalize(this);
    }
}
