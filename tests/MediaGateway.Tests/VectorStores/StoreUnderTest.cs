using MediaGateway.Engine.Kernels;
using MediaGateway.Engine.VectorSearch;
using MediaGateway.Engine.VectorStores;

namespace MediaGateway.Tests.VectorStores;

/// <summary>One of the vector-store implementations the contract suite runs against, able to open several catalogs.</summary>
internal sealed class StoreUnderTest : IAsyncDisposable
{
    public const string Embedded = "embedded", MilvusOverDouble = "milvus-double", MilvusServer = "milvus-server";

    private readonly MilvusTestHost? _milvus;

    private StoreUnderTest(string kind, MilvusTestHost? milvus) => (Kind, _milvus) = (kind, milvus);

    public string Kind { get; }

    /// <summary>The embedded store and Milvus over the double always; a real Milvus too when MILVUS_URI is set.</summary>
    public static IReadOnlyList<string> All =>
        MilvusTestHost.ServerUri is null ? [Embedded, MilvusOverDouble] : [Embedded, MilvusOverDouble, MilvusServer];

    public static TheoryData<string> Kinds() => new(All);

    public static StoreUnderTest Create(string kind) => kind switch
    {
        Embedded => new StoreUnderTest(kind, null),
        MilvusOverDouble => new StoreUnderTest(kind, MilvusTestHost.ForDouble(new MilvusDouble())),
        MilvusServer => new StoreUnderTest(kind, MilvusTestHost.ForServer()),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>An empty store for <paramref name="catalog"/> (for Milvus: a partition-key value in this host's collection).</summary>
    public async Task<IVectorStore> OpenAsync(string catalog = "contract", int dimension = ContractData.Dim) =>
        _milvus is null
            ? new EmbeddedVectorStore(dimension, (matrix, rows) => new ExactVectorIndex(new CpuKernelBackend(), matrix, rows, dimension))
            : await _milvus.OpenAsync(catalog, dimension);

    public async ValueTask DisposeAsync()
    {
        if (_milvus is not null) await _milvus.DisposeAsync();
    }
}
