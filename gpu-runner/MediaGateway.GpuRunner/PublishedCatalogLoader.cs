using MediaGateway.Contracts.Imports;
using MediaGateway.Engine.Catalog;
using MediaGateway.Engine.Pipeline;
using MediaGateway.Engine.VectorStores;
using Microsoft.Extensions.Options;

namespace MediaGateway.GpuRunner;

/// <summary>
/// Builds an engine over a catalog that an import published (<see cref="ICatalogVersionStore"/>): the same file, read
/// with the same importer, so every replica computes the same catalog version the importing runner did.
/// </summary>
public sealed class PublishedCatalogLoader(ICatalogVersionStore versions, EngineFactory factory, IOptions<EngineOptions> options, TimeProvider time, ILogger<PublishedCatalogLoader> logger)
{
    /// <summary>
    /// The catalog to serve: the one published last, or null when none was (or this runner's vector store is not
    /// the embedded one, which is the only one imports serve). Storage trouble is not swallowed: the caller decides.
    /// </summary>
    public async Task<PublishedCatalog?> GetCurrentAsync(CancellationToken cancellationToken) =>
        options.Value.VectorStore == VectorStoreKind.Embedded ? await versions.GetCurrentAsync(cancellationToken) : null;

    public async Task<SearchEngine> BuildAsync(PublishedCatalog published, IProgress<EngineStartupProgress>? progress, CancellationToken cancellationToken)
    {
        var file = await versions.GetFileAsync(published.CatalogId, cancellationToken)
                   ?? throw new InvalidDataException($"The published catalog {published.CatalogId} has no file.");
        var result = new CatalogImporter(time).Import(new MemoryStream(file, writable: false));
        logger.LogInformation("Loading published catalog {CatalogId} (#{Sequence}): {Imported} items", published.CatalogId, published.Sequence, result.Items.Count);
        return await factory.CreateAsync(options.Value, result.Items, $"import-{published.CatalogId}", progress, cancellationToken);
    }
}
