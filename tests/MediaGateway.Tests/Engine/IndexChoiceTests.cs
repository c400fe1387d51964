using MediaGateway.Contracts.Search;
using MediaGateway.Engine.Kernels;
using MediaGateway.Engine.Kernels.Cuda;
using MediaGateway.Engine.Pipeline;
using MediaGateway.Engine.VectorSearch;
using MediaGateway.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;

namespace MediaGateway.Tests.Engine;

public sealed class IndexChoiceTests
{
    [Fact]
    public void The_index_choice_and_graph_settings_bind_from_configuration()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["MediaGateway:Engine:VectorIndex:ExactThreshold"] = "1000",
            ["MediaGateway:Engine:VectorIndex:Hnsw:EfSearch"] = "128",
            ["MediaGateway:Engine:VectorIndex:Hnsw:M"] = "24",
            ["MediaGateway:Engine:CpuVectorStorage"] = "Int8",
        }).Build();

        var options = configuration.GetSection(EngineOptions.Section).Get<EngineOptions>()!;

        Assert.Equal(1000, options.VectorIndex.ExactThreshold);
        Assert.Equal(128, options.VectorIndex.Hnsw.EfSearch);
        Assert.Equal(24, options.VectorIndex.Hnsw.M);
        Assert.Equal(MediaGateway.Engine.VectorSearch.Exact.VectorStorage.Int8, options.CpuVectorStorage);
    }

    [Fact]
    public async Task Int8_storage_on_the_cpu_still_finds_star_wars_first()
    {
        var options = EngineFixture.Options;
        options.CpuVectorStorage = MediaGateway.Engine.VectorSearch.Exact.VectorStorage.Int8;
        var factory = new EngineFactory(MediaGateway.Engine.Embedding.Embedders.Create(new EngineOptions().EmbeddingModel), new KernelBackendSelector(new CudaBackendFactory()), NullLoggerFactory.Instance);

        var engine = await factory.CreateAsync(options);
        var response = (await engine.SearchAsync([new EngineQuery("int8", SearchRequestNormalizer.Normalize(new SearchRequest { Query = "star wars", Limit = 3 }))]))[0];

        Assert.Equal("cpu-int8", engine.BackendName);
        Assert.StartsWith("Star Wars", response.Results[0].Title);
    }

    [Fact]
    public async Task Above_the_threshold_the_engine_searches_an_hnsw_graph_and_still_answers_well()
    {
        var options = EngineFixture.Options;
        options.VectorIndex = new VectorIndexOptions { ExactThreshold = 1000 }; // the demo catalog has 3,200 items
        var factory = new EngineFactory(MediaGateway.Engine.Embedding.Embedders.Create(new EngineOptions().EmbeddingModel), new KernelBackendSelector(new CudaBackendFactory()), NullLoggerFactory.Instance);

        var engine = await factory.CreateAsync(options);
        var response = (await engine.SearchAsync([new EngineQuery("hnsw", SearchRequestNormalizer.Normalize(new SearchRequest
        {
            Query = "scary",
            Limit = 10,
            Filters = new SearchFilters { Genres = ["Horror"], YearRange = [1980, 1989] },
        }))]))[0];

        Assert.Equal("hnsw", engine.IndexKind);
        Assert.Equal(10, response.Results.Count);
        Assert.All(response.Results, r => Assert.InRange(r.Year!.Value, 1980, 1989));
    }
}
