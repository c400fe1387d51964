using MediaGateway.Engine.Embedding;
using MediaGateway.Engine.Kernels;
using MediaGateway.Engine.Pipeline;
using Microsoft.Extensions.Logging.Abstractions;

namespace MediaGateway.Tests.Support;

/// <summary>
/// The real engine over the demo catalog with the default embedding model, built once for all tests that need it.
/// Embeddings are kept in .data/test-embeddings, so only the first run on a machine pays the ~15 s.
/// </summary>
public sealed class EngineFixture : IAsyncLifetime
{
    public SearchEngine Engine { get; private set; } = null!;
    public IEmbedder Embedder { get; } = Embedders.Create(new EngineOptions().EmbeddingModel); // the model the runner serves by default

    public static string RepositoryRoot => EngineOptions.FindRepositoryRoot() ?? throw new InvalidOperationException("Tests must run inside the repository.");

    public static EngineOptions Options => new()
    {
        CatalogPath = EngineOptions.FindDemoCatalog() ?? throw new InvalidOperationException("The demo catalog is missing: run 'npm ci' in the repository root."),
        EmbeddingStorePath = Path.Combine(RepositoryRoot, ".data", "test-embeddings"),
        Backend = BackendMode.Cpu,
    };

    public async Task InitializeAsync()
    {
        var factory = new EngineFactory(Embedder, new KernelBackendSelector(new MediaGateway.Engine.Kernels.Cuda.CudaBackendFactory()), NullLoggerFactory.Instance);
        Engine = await factory.CreateAsync(Options);
    }

    public Task DisposeAsync() => Task.CompletedTask;
}

[CollectionDefinition(Name)]
public sealed class EngineCollection : ICollectionFixture<EngineFixture>
{
    public const string Name = "real engine";
}
