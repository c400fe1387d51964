namespace MediaGateway.Engine.Embedding;

/// <summary>Turns texts into unit-length vectors. One call embeds a whole batch.</summary>
public interface IEmbedder
{
    /// <summary>Names the model and its preprocessing; stored embeddings are keyed by it.</summary>
    string ModelId { get; }

    int Dimension { get; }

    /// <summary>
    /// Put in front of a search query (not a catalog text, not a concept label) before embedding: retrieval
    /// models such as arctic-embed expect it and score far worse without it. Empty for symmetric models.
    /// </summary>
    string QueryPrefix => "";

    /// <summary>Embeds every text; result i belongs to text i and has length <see cref="Dimension"/>, L2 norm 1.</summary>
    float[][] Embed(IReadOnlyList<string> texts, CancellationToken cancellationToken = default);
}
