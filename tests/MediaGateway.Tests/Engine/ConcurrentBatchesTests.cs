using MediaGateway.Contracts.Search;
using MediaGateway.Engine.Pipeline;
using MediaGateway.Tests.Support;

namespace MediaGateway.Tests.Engine;

/// <summary>
/// <c>Engine:ConcurrentBatches</c>: that many batches are searched at once (one embeds while another finishes), and
/// no more: the next waits for one to end.
/// </summary>
public sealed class ConcurrentBatchesTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"mg-concurrent-batches-{Guid.NewGuid():N}");

    public ConcurrentBatchesTests() => Directory.CreateDirectory(_folder);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static Task<IReadOnlyList<SearchResponse>> Batch(SearchEngine engine, int n) =>
        Task.Run(() => engine.SearchAsync([new EngineQuery($"job{n}", new SearchRequest { Query = $"a story about thing {n}", Limit = 3 })]));

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task As_many_batches_as_allowed_are_searched_at_once_and_the_next_waits(int allowed)
    {
        var embedder = new GatedEmbedder(new HashEmbedder());
        var engine = await TinyEngine.CreateAsync(_folder, embedder, allowed);
        embedder.Gating = true;
        var batches = Enumerable.Range(0, allowed + 1).Select(n => Batch(engine, n)).ToArray();

        await Poll.UntilAsync(() => embedder.Held == allowed, TimeSpan.FromSeconds(5));
        await Task.Delay(200); // time for a batch beyond the bound to reach the model, were it let in
        Assert.Equal(allowed, embedder.Held);

        embedder.Release(allowed + 1);
        var responses = await Task.WhenAll(batches).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.All(responses, r => Assert.NotEmpty(r[0].Results));
        Assert.Equal(allowed, embedder.MaxHeld);
    }
}
