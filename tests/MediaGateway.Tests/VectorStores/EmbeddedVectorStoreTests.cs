using MediaGateway.Engine.Kernels;
using MediaGateway.Engine.VectorSearch;
using MediaGateway.Engine.VectorStores;

namespace MediaGateway.Tests.VectorStores;

/// <summary>The engine's embedded store: over an index built at start, without keeping a second copy of the vectors.</summary>
public sealed class EmbeddedVectorStoreTests
{
    [Fact]
    public async Task The_read_only_store_answers_from_the_prebuilt_index_and_refuses_writes_saying_what_to_use()
    {
        var records = ContractData.Records(30);
        var matrix = records.SelectMany(r => r.Vector.ToArray()).ToArray();
        var index = new ExactVectorIndex(new CpuKernelBackend(), matrix, records.Length, ContractData.Dim);
        var store = EmbeddedVectorStore.ReadOnly(ContractData.Dim, records.Select(r => r.Item).ToArray(), index);
        var query = ContractData.Queries(1);

        var found = await store.SearchAsync(query, 1, 5);

        Assert.Equal(ContractData.Truth(records, query, 5, null), found[0].Select(m => m.Id));
        Assert.Equal("exact", store.IndexKind);
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => store.UpsertAsync(records.Take(1).ToArray()));
        Assert.Contains("VectorStore=Milvus", error.Message);
        await Assert.ThrowsAsync<InvalidOperationException>(() => store.DeleteAsync(["item-001"]));
        Assert.Throws<ArgumentException>(() => EmbeddedVectorStore.ReadOnly(ContractData.Dim, records.Take(29).Select(r => r.Item).ToArray(), index));
    }
}
