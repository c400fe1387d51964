namespace MediaGateway.Engine.Embedding;

/// <summary>The one place an <see cref="EmbeddingModel"/> becomes its embedder (the runner and the eval harness use it).</summary>
public static class Embedders
{
    /// <param name="threads">
    /// The threads the model may use, 0 for one per core: ONNX Runtime's intra-op threads for the float models, texts
    /// model runs at once for the int8 one (each run on one thread, see <see cref="OnnxSentenceEncoder"/>).
    /// </param>
    /// <param name="textsPerRun">Texts that share one model run (the int8 model; see <see cref="OnnxSentenceEncoder"/>).</param>
    public static SentenceEncoderEmbedder Create(EmbeddingModel model, int threads = 0, int textsPerRun = OnnxSentenceEncoder.DefaultTextsPerRun) => model switch
    {
        EmbeddingModel.MiniLM => new MiniLmEmbedder(threads),
        EmbeddingModel.MiniLMInt8 => new MiniLmInt8Embedder(threads, textsPerRun),
        EmbeddingModel.ArcticXs => new ArcticXsEmbedder(threads),
        _ => throw new ArgumentOutOfRangeException(nameof(model), model, "Not an embedding model this build serves."),
    };
}
