using MediaGateway.Engine.Embedding;

namespace MediaGateway.Tests.Engine;

/// <summary>The embedding store across catalog changes: a catalog that was served before is not embedded again.</summary>
public sealed class CatalogEmbedderStoreTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"mg-embeddings-{Guid.NewGuid():N}");

    /// <summary>Counts the texts it is asked to embed; vectors are a fixed function of the text.</summary>
    private sealed class CountingEmbedder : IEmbedder
    {
        public int Embedded { get; private set; }
        public string ModelId => "counting";
        public int Dimension => 4;

        public float[][] Embed(IReadOnlyList<string> texts, CancellationToken cancellationToken = default)
        {
            Embedded += texts.Count;
            return texts.Select(t => new float[] { t.Length, t[0], 1, 0 }).ToArray();
        }
    }

    [Fact]
    public void After_switching_to_another_catalog_the_previous_one_comes_back_from_the_store()
    {
        var embedder = new CountingEmbedder();
        var catalogEmbedder = new CatalogEmbedder(embedder, new EmbeddingStore(_directory));
        string[] startup = ["alien", "heat", "brazil"];
        string[] imported = ["the quorvex saga", "the lantern keeper"];

        var first = catalogEmbedder.EmbedTexts(startup, embedder.ModelId);
        catalogEmbedder.EmbedTexts(imported, embedder.ModelId);
        Assert.Equal(5, embedder.Embedded);

        var again = catalogEmbedder.EmbedTexts(startup, embedder.ModelId);
        Assert.Equal(5, embedder.Embedded); // nothing embedded a second time
        Assert.Equal(first, again);
        catalogEmbedder.EmbedTexts(imported, embedder.ModelId);
        Assert.Equal(5, embedder.Embedded);
    }

    public void Dispose()
    {
        if (Directory.Exists(_directory)) Directory.Delete(_directory, recursive: true);
    }
}
