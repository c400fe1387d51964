using System.Runtime.InteropServices;
using MediaGateway.Contracts.Search;
using MediaGateway.Engine.Catalog;
using MediaGateway.Engine.Kernels;
using MediaGateway.Engine.Pipeline;
using MediaGateway.Tests.Catalog;
using MediaGateway.Tests.Support;
using Microsoft.Extensions.Logging;

namespace MediaGateway.Tests.Engine;

/// <summary>
/// <c>MediaGateway:Engine:CatalogEmbeddingsPath</c>: the engine starts from a precomputed embeddings file beside
/// the catalog instead of running the model over the catalog, matching rows to records by position.
/// </summary>
public sealed class PrecomputedEmbeddingsTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"mg-precomputed-tests-{Guid.NewGuid():N}");
    private readonly string _catalog;

    public PrecomputedEmbeddingsTests()
    {
        Directory.CreateDirectory(_folder);
        _catalog = Path.Combine(_folder, "catalog.jsonl");
        var genres = new[] { "Drama", "Comedy", "Horror", "Western", "Adventure" };
        // 60 records, the 8th unreadable and the 20th without a title: both are rejected, and their rows skipped.
        File.WriteAllLines(_catalog, Enumerable.Range(0, 60).Select(i => i switch
        {
            7 => "{ not json",
            19 => "{\"year\": 1990}",
            _ => $"{{\"title\": \"Film number {i}\", \"year\": {1950 + i}, \"genres\": [\"{genres[i % 5]}\"], \"description\": \"A story about thing {i % 17} and place {i % 11}.\"}}",
        }));
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private async Task<(SearchEngine Engine, HashEmbedder Embedder)> StartAsync(string? embeddings)
    {
        var embedder = new HashEmbedder();
        var factory = new EngineFactory(embedder, new KernelBackendSelector(new MediaGateway.Engine.Kernels.Cuda.CudaBackendFactory()), LoggerFactory.Create(_ => { }));
        var engine = await factory.CreateAsync(new EngineOptions
        {
            CatalogPath = _catalog, CatalogEmbeddingsPath = embeddings, EmbeddingStorePath = Path.Combine(_folder, $"store-{Guid.NewGuid():N}"),
            Backend = BackendMode.Cpu, Retrieval = RetrievalMode.Dense, IndexSnapshots = false,
        });
        return (engine, embedder);
    }

    /// <summary>The embedder's own vectors for each record (a unit filler for rejected ones), as a float16 or float32 .npy file.</summary>
    private string WriteEmbeddings(bool half, int rows = 60)
    {
        var import = new CatalogImporter().ImportFile(_catalog);
        var vectors = new HashEmbedder().Embed(import.Items.Select(i => i.EmbeddingText).ToArray());
        var dims = vectors[0].Length;
        var m = EmbeddingsFileTests.UnitRows(60, dims, 9);
        for (var i = 0; i < import.Items.Count; i++) vectors[i].CopyTo(m.AsSpan(import.SourceRecords[i] * dims, dims));
        var path = Path.Combine(_folder, half ? "embeddings-f16.npy" : "embeddings.npy");
        m = m[..(rows * dims)];
        var bytes = half ? MemoryMarshal.AsBytes(m.Select(x => (Half)x).ToArray().AsSpan()).ToArray() : MemoryMarshal.AsBytes(m.AsSpan()).ToArray();
        return EmbeddingsFileTests.WriteNpy(path, bytes, half ? "<f2" : "<f4", $"{rows}, {dims}");
    }

    private static async Task<string[]> TopIdsAsync(SearchEngine engine, string query) =>
        (await engine.SearchAsync([new EngineQuery("q", new SearchRequest { Query = query, Limit = 10 })]))[0].Results.Select(r => r.Id).ToArray();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task The_catalog_is_not_embedded_and_answers_as_if_it_had_been(bool half)
    {
        var embedded = await StartAsync(null);
        var precomputed = await StartAsync(WriteEmbeddings(half));
        Assert.Contains(embedded.Embedder.Embedded, t => t.Contains("Film number"));
        Assert.DoesNotContain(precomputed.Embedder.Embedded, t => t.Contains("Film number"));
        Assert.Equal(58, precomputed.Engine.CatalogCount);
        foreach (var query in new[] { "a western about place 3", "thing 5", "Film number 42" })
        {
            var expected = await TopIdsAsync(embedded.Engine, query);
            var got = await TopIdsAsync(precomputed.Engine, query);
            // float16 rounding may swap near-ties, never lose the top hit.
            if (half) Assert.Equal(expected[0], got[0]);
            else Assert.Equal(expected, got);
        }
    }

    [Fact]
    public async Task A_file_whose_rows_do_not_match_the_catalogs_records_is_refused_with_both_counts()
    {
        var e = await Assert.ThrowsAsync<InvalidDataException>(() => StartAsync(WriteEmbeddings(half: false, rows: 59)));
        Assert.Contains("has 59 rows, but the catalog has 60 records", e.Message);
    }
}
