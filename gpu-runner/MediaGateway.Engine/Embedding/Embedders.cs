namespace MediaGateway.Engine.Embedding;

/// <summary>The one place an <see cref="EmbeddingModel"/> becomes its embedder (the runner and the eval harness use it).</summary>
public static class Embedders
{
    public static SentenceEncoderEmbedder Create(EmbeddingModel model, int intraOpThreads = 0) => model switch
    {
        EmbeddingModel.MiniLM => new MiniLmEmbedder(intraOpThreads),
        EmbeddingModel.MiniLMInt8 => new MiniLmInt8Embedder(intraOpThreads),
        EmbeddingModel.ArcticXs => new ArcticXsEmbedder(intraOpThreads),
        _ => throw new ArgumentOutOfRangeException(nameof(model), model, "Not an embedding model this build serves."),
    };
}
