using MediaGateway.Engine.Embedding;
using MediaGateway.Engine.Kernels;
using MediaGateway.Engine.Pipeline;
using Microsoft.Extensions.Logging.Abstractions;

namespace MediaGateway.Tests.Support;

/// <summary>An engine over 40 made-up films in <paramref name="folder"/>, on the CPU, with the given embedder: for tests of the engine's plumbing, not its answers.</summary>
public static class TinyEngine
{
    public static Task<SearchEngine> CreateAsync(string folder, IEmbedder embedder, int concurrentBatches = 1)
    {
        var catalog = Path.Combine(folder, "catalog.jsonl");
        File.WriteAllLines(catalog, Enumerable.Range(0, 40).Select(i => $"{{\"title\": \"Film number {i}\", \"year\": {1950 + i}, \"description\": \"A story about thing {i % 7}.\"}}"));
        return new EngineFactory(embedder, new KernelBackendSelector(new MediaGateway.Engine.Kernels.Cuda.CudaBackendFactory()), NullLoggerFactory.Instance)
            .CreateAsync(new EngineOptions
            {
                CatalogPath = catalog, EmbeddingStorePath = Path.Combine(folder, $"store-{Guid.NewGuid():N}"), Backend = BackendMode.Cpu,
                IndexSnapshots = false, ConcurrentBatches = concurrentBatches,
            });
    }
}
