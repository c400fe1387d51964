using System.Text.Json;
using MediaGateway.Contracts;
using MediaGateway.Contracts.Jobs;
using MediaGateway.Contracts.Search;
using MediaGateway.Engine.Catalog;
using MediaGateway.Functions.Search;
using MediaGateway.GpuRunner;
using MediaGateway.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace MediaGateway.Tests.Functions;

/// <summary>The cache is keyed by the catalog version runners serve: results computed on an old catalog are never served after a change.</summary>
public sealed class CatalogVersionTests
{
    private readonly InProcessJobQueue _queue = new();
    private readonly InProcessResultStore _store = new();

    private SearchGateway Gateway() =>
        new(_queue, _store, Options.Create(new GatewayOptions { WaitForResult = TimeSpan.FromMilliseconds(50), PollInterval = TimeSpan.FromMilliseconds(10), CatalogVersionRefresh = TimeSpan.Zero }),
            TimeProvider.System, NullLogger<SearchGateway>.Instance);

    private Task ServeAsync(string version) =>
        _store.PutRunnerStatusAsync(new RunnerStatus { Instance = "runner-1", Backend = "cpu", Ready = true, LastSeen = DateTimeOffset.UtcNow, CatalogVersion = version });

    /// <summary>Plays a runner on <paramref name="version"/>: answers every queued message.</summary>
    private async Task<SearchJobMessage[]> AnswerAllAsync(string version)
    {
        var messages = await _queue.ReceiveAsync(32, TimeSpan.FromMinutes(1));
        var sent = messages.Select(m => JsonSerializer.Deserialize<SearchJobMessage>(m.Body, ContractJson.Options)!).ToArray();
        foreach (var (message, job) in messages.Zip(sent))
        {
            await _store.TryUpdateJobAsync(job.JobId, j => j with { Status = JobStatus.Running });
            await _store.CompleteJobAsync(job.JobId, new SearchResponse
            {
                JobId = job.JobId, Query = job.Request.Query!, CatalogVersion = version,
                Results = [new SearchHit { Id = $"hit-on-{version}", Title = $"Hit on {version}", MatchedFields = ["title"] }],
            }, DateTimeOffset.UtcNow);
            await _queue.DeleteAsync(message);
        }
        return sent;
    }

    private static SearchResponse Answer(SearchOutcome outcome) => Assert.IsType<SearchOutcome.Completed>(outcome).Response;

    [Fact]
    public async Task After_the_catalog_changes_the_old_catalog_s_results_are_never_served()
    {
        var gateway = Gateway();
        var request = new SearchRequest { Query = "alien", Limit = 3 };
        await ServeAsync("aaaa000000000001");
        Assert.IsType<SearchOutcome.Pending>(await gateway.SearchAsync(request, CancellationToken.None));
        var first = Assert.Single(await AnswerAllAsync("aaaa000000000001"));
        Assert.Equal("aaaa000000000001", first.CatalogVersion);
        Assert.Equal(SearchRequestNormalizer.CacheKeyFor(first.Request, "aaaa000000000001"), first.CacheKey);
        Assert.NotEqual(SearchRequestNormalizer.CacheKeyFor(first.Request), first.CacheKey);

        var repeat = Answer(await gateway.SearchAsync(request, CancellationToken.None));
        Assert.True(repeat.Cached);
        Assert.Equal("hit-on-aaaa000000000001", repeat.Results[0].Id);

        // The runners now serve another catalog: the same request is searched again, under another key.
        await ServeAsync("bbbb000000000002");
        Assert.IsType<SearchOutcome.Pending>(await gateway.SearchAsync(request, CancellationToken.None));
        var second = Assert.Single(await AnswerAllAsync("bbbb000000000002"));
        Assert.Equal("bbbb000000000002", second.CatalogVersion);
        Assert.NotEqual(first.CacheKey, second.CacheKey);

        var fresh = Answer(await gateway.SearchAsync(request, CancellationToken.None));
        Assert.True(fresh.Cached);
        Assert.Equal("hit-on-bbbb000000000002", fresh.Results[0].Id);
    }

    [Fact]
    public async Task A_stored_result_computed_on_another_catalog_than_the_one_served_is_not_an_answer()
    {
        var gateway = Gateway();
        var request = new SearchRequest { Query = "heat", Limit = 3 };
        await ServeAsync("aaaa000000000001");
        await gateway.SearchAsync(request, CancellationToken.None);
        // The runner changed catalogs between the enqueue and the search (its heartbeat has not said so yet).
        await AnswerAllAsync("bbbb000000000002");

        var outcome = await new SearchGateway(_queue, _store, Options.Create(new GatewayOptions { WaitForResult = TimeSpan.Zero, CatalogVersionRefresh = TimeSpan.Zero }),
            TimeProvider.System, NullLogger<SearchGateway>.Instance).SearchAsync(request, CancellationToken.None);

        Assert.IsType<SearchOutcome.Pending>(outcome);
        Assert.Equal(1, await _queue.GetApproximateLengthAsync()); // searched again rather than served from the other catalog
    }

    [Fact]
    public async Task The_runner_accepts_a_versioned_message_and_rejects_one_whose_key_leaves_the_version_out()
    {
        var request = SearchRequestNormalizer.Normalize(new SearchRequest { Query = "alien", Limit = 3 });
        var good = new SearchJobMessage { JobId = "job-1", CacheKey = SearchRequestNormalizer.CacheKeyFor(request, "aaaa000000000001"), Request = request, CatalogVersion = "aaaa000000000001" };
        var unversionedKey = good with { CacheKey = SearchRequestNormalizer.CacheKeyFor(request) };
        var badVersion = good with { CatalogVersion = "AAAA\n" };

        Assert.True(JobProcessor.TryRead(JsonSerializer.Serialize(good, ContractJson.Options), out _, out _));
        Assert.False(JobProcessor.TryRead(JsonSerializer.Serialize(unversionedKey, ContractJson.Options), out _, out var mismatch));
        Assert.Contains("cacheKey", mismatch);
        Assert.False(JobProcessor.TryRead(JsonSerializer.Serialize(badVersion, ContractJson.Options), out _, out var malformed));
        Assert.Contains("catalogVersion", malformed);
    }

    [Fact]
    public void The_version_names_the_items_and_the_model()
    {
        CatalogItem[] items = [new() { Id = "alien-1979", Title = "Alien", Year = 1979, EmbeddingText = "Alien" }, new() { Id = "heat-1995", Title = "Heat", EmbeddingText = "Heat" }];

        var version = CatalogVersion.Of(items, "all-MiniLM-L6-v2");

        Assert.Matches("^[0-9a-f]{16}$", version);
        Assert.Equal(version, CatalogVersion.Of(items.Select(i => i with { }).ToArray(), "all-MiniLM-L6-v2"));
        Assert.NotEqual(version, CatalogVersion.Of([items[0] with { Year = 1980 }, items[1]], "all-MiniLM-L6-v2"));
        Assert.NotEqual(version, CatalogVersion.Of([items[0]], "all-MiniLM-L6-v2"));
        Assert.NotEqual(version, CatalogVersion.Of(items, "another-model"));
    }
}
