namespace MediaGateway.Engine.Embedding;

/// <summary>The one place an <see cref="EmbeddingModel"/> becomes its embedder (the runner and the eval harness use it).</summary>
public static class Embedders
{
    /// <param name="threads">
    /// The threads the model may use, 0 for one per core: ONNX Runtime's intra-op threads for the float models, texts
    /// embedded at once for the int8 one (each text on one thread, see <see cref="OnnxSentenceEncoder"/>).
    /// </param>
    public static SentenceEncoderEmbedder Create(EmbeddingModel model, int threads = 0) => model switch
    {
        EmbeddingModel.MiniLM => new MiniLmEmbedder(threads),
        EmbeddingModel.MiniLMInt8 => new MiniLmInt8Embedder(threads),
        EmbeddingModel.ArcticXs => new ArcticXsEmbedder(threads),
        _ => throw new ArgumentOutOfRangeException(nameof(model), model, "Not an embedding model this build serves."),
    };
}
