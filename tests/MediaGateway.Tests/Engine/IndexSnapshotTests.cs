using System.Text.Json;
using MediaGateway.Contracts.Search;
using MediaGateway.Engine.Kernels;
using MediaGateway.Engine.Pipeline;
using MediaGateway.Engine.Snapshots;
using MediaGateway.Engine.VectorSearch;
using MediaGateway.Tests.Support;
using Microsoft.Extensions.Logging;

namespace MediaGateway.Tests.Engine;

/// <summary>
/// Start-up through index snapshots (issue 9): a new replica loads the catalog's vectors (and graph) that
/// another start computed instead of embedding again; a corrupt or mismatched snapshot is ignored with its
/// reason logged and recomputed. Each start gets a fresh local embedding store, as a new container would.
/// </summary>
public sealed class IndexSnapshotTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"mg-snapshot-tests-{Guid.NewGuid():N}");
    private readonly string _catalog;

    public IndexSnapshotTests()
    {
        Directory.CreateDirectory(_folder);
        _catalog = Path.Combine(_folder, "catalog.json");
        var genres = new[] { "Drama", "Comedy", "Horror", "Western", "Adventure" };
        File.WriteAllText(_catalog, JsonSerializer.Serialize(Enumerable.Range(0, 120).Select(i => new Dictionary<string, object>
        {
            ["title"] = $"Film number {i}", ["year"] = 1950 + i % 60, ["genres"] = new[] { genres[i % genres.Length] },
            ["runtimeMinutes"] = 80 + i % 70, ["description"] = $"A story about thing {i % 17} and place {i % 11}.",
        })));
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string Snapshots => Path.Combine(_folder, "snapshots");

    private sealed record Started(SearchEngine Engine, HashEmbedder Embedder, CapturingLoggerProvider Log);

    /// <summary>One start of a new replica: its own empty embedding store, the shared snapshot folder.</summary>
    private async Task<Started> StartAsync(HashEmbedder? embedder = null, VectorIndexOptions? index = null)
    {
        embedder ??= new HashEmbedder();
        var log = new CapturingLoggerProvider();
        var factory = new EngineFactory(embedder, new KernelBackendSelector(new MediaGateway.Engine.Kernels.Cuda.CudaBackendFactory()),
            LoggerFactory.Create(b => b.AddProvider(log)), snapshotStore: new FolderSnapshotStore(Snapshots));
        var engine = await factory.CreateAsync(new EngineOptions
        {
            CatalogPath = _catalog, EmbeddingStorePath = Path.Combine(_folder, $"embeddings-{Guid.NewGuid():N}"), Backend = BackendMode.Cpu,
            Retrieval = RetrievalMode.Dense, VectorIndex = index ?? new VectorIndexOptions(),
        });
        return new Started(engine, embedder, log);
    }

    private static async Task<string[]> TopIdsAsync(SearchEngine engine, string query) =>
        (await engine.SearchAsync([new EngineQuery("q", new SearchRequest { Query = query, Limit = 10 })]))[0].Results.Select(r => r.Id).ToArray();

    private static bool EmbeddedCatalog(HashEmbedder embedder) => embedder.Embedded.Any(t => t.Contains("Film number"));

    private string CatalogSnapshot => Directory.GetFiles(Snapshots, "catalog-*.snap").Single();

    [Fact]
    public async Task A_second_start_loads_the_vectors_from_the_snapshot_instead_of_embedding_again()
    {
        var first = await StartAsync();
        Assert.True(EmbeddedCatalog(first.Embedder));
        Assert.Equal(2, Directory.GetFiles(Snapshots, "*.snap").Length); // the catalog and the concept labels

        var second = await StartAsync();

        // The first start embedded the catalog and the concept labels; the second only its warm-up query.
        Assert.True(first.Embedder.Embedded.Count > 120);
        Assert.False(EmbeddedCatalog(second.Embedder));
        Assert.True(second.Embedder.Embedded.Count <= 1, string.Join(" | ", second.Embedder.Embedded.Take(5)));
        Assert.Contains(second.Log.Lines, l => l.Contains("Loaded index snapshot catalog-"));
        Assert.Equal(await TopIdsAsync(first.Engine, "a western about place 3"), await TopIdsAsync(second.Engine, "a western about place 3"));
    }

    [Theory]
    [InlineData("flipped byte")]
    [InlineData("truncated")]
    [InlineData("empty")]
    public async Task A_corrupt_snapshot_is_ignored_with_its_reason_logged_and_recomputed(string damage)
    {
        var first = await StartAsync();
        var path = CatalogSnapshot;
        var bytes = await File.ReadAllBytesAsync(path);
        bytes = damage switch
        {
            "flipped byte" => bytes.Select((b, i) => i == bytes.Length / 2 ? (byte)(b ^ 0x40) : b).ToArray(),
            "truncated" => bytes[..(bytes.Length - 100)],
            _ => [],
        };
        await File.WriteAllBytesAsync(path, bytes);

        var second = await StartAsync();

        Assert.True(EmbeddedCatalog(second.Embedder));
        var reason = damage == "flipped byte" ? "checksum mismatch" : "truncated in";
        Assert.Contains(second.Log.Lines, l => l.StartsWith("Warning") && l.Contains("is not usable") && l.Contains(reason));
        Assert.Equal(await TopIdsAsync(first.Engine, "a drama about thing 5"), await TopIdsAsync(second.Engine, "a drama about thing 5"));
        // Saved again, whole: the next start loads it.
        var third = await StartAsync();
        Assert.False(EmbeddedCatalog(third.Embedder));
    }

    [Fact]
    public async Task Another_model_id_does_not_use_the_snapshot_even_under_its_name()
    {
        await StartAsync(new HashEmbedder("hash-embedder-v1"));
        var v1 = CatalogSnapshot;

        // A model id change gives another name: computed, and saved beside the first.
        var v2 = await StartAsync(new HashEmbedder("hash-embedder-v2"));
        Assert.True(EmbeddedCatalog(v2.Embedder));
        Assert.Equal(2, Directory.GetFiles(Snapshots, "catalog-*.snap").Length);

        // A v1 snapshot copied under the v2 name is rejected by its header, not trusted by its name.
        var v2Name = Directory.GetFiles(Snapshots, "catalog-*.snap").Single(f => f != v1);
        File.Copy(v1, v2Name, overwrite: true);
        var again = await StartAsync(new HashEmbedder("hash-embedder-v2"));
        Assert.True(EmbeddedCatalog(again.Embedder));
        Assert.Contains(again.Log.Lines, l => l.Contains("is not usable (model id is hash-embedder-v1, expected hash-embedder-v2)"));
    }

    [Fact]
    public async Task A_changed_catalog_or_dimension_is_not_served_from_the_old_snapshot()
    {
        await StartAsync();
        File.WriteAllText(_catalog, File.ReadAllText(_catalog).Replace("Film number 7\"", "Film number seven\""));
        var changed = await StartAsync();
        Assert.True(EmbeddedCatalog(changed.Embedder));

        var wider = await StartAsync(new HashEmbedder(dimension: 32));
        Assert.True(EmbeddedCatalog(wider.Embedder));
    }

    [Fact]
    public async Task The_hnsw_graph_travels_in_the_snapshot_and_is_loaded_with_the_vectors()
    {
        var hnsw = new VectorIndexOptions { ExactThreshold = 50, Hnsw = new MediaGateway.Engine.VectorSearch.Hnsw.HnswOptions { M = 8, EfConstruction = 32 } };
        var first = await StartAsync(index: hnsw);
        Assert.Equal("hnsw", first.Engine.IndexKind, ignoreCase: true);
        Assert.Contains(first.Log.Lines, l => l.Contains("Saved index snapshot catalog-") && l.Contains("bytes"));
        Assert.True(new FileInfo(CatalogSnapshot).Length > 120 * 16 * 4 + 1_000); // vectors plus a graph

        var second = await StartAsync(index: hnsw);
        Assert.False(EmbeddedCatalog(second.Embedder));
        Assert.Contains(second.Log.Lines, l => l.Contains("Loaded index snapshot catalog-") && l.Contains("HNSW graph"));
        Assert.Equal(await TopIdsAsync(first.Engine, "a comedy about thing 2"), await TopIdsAsync(second.Engine, "a comedy about thing 2"));
    }

    [Fact]
    public async Task The_reader_checks_every_header_field_against_the_key()
    {
        var key = SnapshotKey.For("catalog", ["a", "b"], "model", 2);
        var snapshot = new IndexSnapshot { Key = key, Vectors = [1, 0, 0, 1] };
        var stream = new MemoryStream();
        await snapshot.WriteAsync(stream);
        var bytes = stream.ToArray();

        var read = await IndexSnapshot.ReadAsync(new MemoryStream(bytes), key);
        Assert.Equal(snapshot.Vectors, read.Vectors);
        Assert.Null(read.Graph);

        async Task<string> Rejected(SnapshotKey other, byte[]? data = null) =>
            (await Assert.ThrowsAsync<InvalidDataException>(() => IndexSnapshot.ReadAsync(new MemoryStream(data ?? bytes), other))).Message;
        Assert.Contains("kind", await Rejected(key with { Kind = "concept-labels" }));
        Assert.Contains("dimension", await Rejected(key with { Dimension = 3 }));
        Assert.Contains("row count", await Rejected(key with { Rows = 3 }));
        Assert.Contains("content hash", await Rejected(SnapshotKey.For("catalog", ["a", "c"], "model", 2)));
        Assert.Contains("bytes after", await Rejected(key, [.. bytes, 0]));
        Assert.Contains("magic", await Rejected(key, [(byte)'X', .. bytes[1..]]));
        // A length-prefix ambiguity would let ["ab"] and ["a","b"] share a key; the prefixes prevent it.
        Assert.NotEqual(Convert.ToHexString(SnapshotKey.For("c", ["ab"], "m", 2).ContentHash), Convert.ToHexString(SnapshotKey.For("c", ["a", "b"], "m", 2).ContentHash));
        Assert.False(SnapshotKey.IsValidName("../etc/passwd.snap"));
        Assert.True(SnapshotKey.IsValidName(key.Name));
    }
}
