using System.Text.Json;
using MediaGateway.Contracts;
using MediaGateway.Contracts.Batches;
using MediaGateway.Contracts.Jobs;
using MediaGateway.Contracts.Search;
using MediaGateway.Engine.Pipeline;
using MediaGateway.Functions;
using MediaGateway.Functions.Batches;
using MediaGateway.GpuRunner;
using MediaGateway.LocalHost;
using MediaGateway.Storage;
using MediaGateway.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace MediaGateway.Tests.Batches;

/// <summary>
/// The gateway's services on in-process storage, the local trigger pump running the real <see cref="BatchQueueFunction"/>,
/// and a runner: the real <see cref="JobProcessor"/> over a stand-in engine that answers each query with one hit titled
/// after it and throws for queries containing "boom" (so per-query errors can be made on purpose).
/// </summary>
internal sealed class BatchWorld : IAsyncDisposable
{
    private readonly ServiceProvider _services;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _runner;
    private readonly QueueTriggerPump _pump;
    private readonly TimeSpan _engineDelay;
    private int _engineQueries;

    /// <param name="pumpLease">The trigger pump's lease on a batch message (renewed while the batch runs).</param>
    /// <param name="engineDelay">How long the stand-in engine takes per runner batch.</param>
    public BatchWorld(TimeSpan? pumpLease = null, TimeSpan? engineDelay = null)
    {
        _engineDelay = engineDelay ?? TimeSpan.Zero;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            [StorageRegistration.ModeKey] = nameof(StorageMode.InProcess),
            ["MediaGateway:Batch:ChunkSize"] = "8",
            ["MediaGateway:Batch:QueryTimeout"] = "00:00:10",
            [$"{QueueTriggerOptions.Section}:RetryDelay"] = "00:00:00.020",
            [$"{QueueTriggerOptions.Section}:VisibilityTimeout"] = (pumpLease ?? TimeSpan.FromSeconds(30)).ToString("c"),
        }).Build();
        var services = new ServiceCollection();
        services.AddLogging(l => l.SetMinimumLevel(LogLevel.Warning));
        services.AddGateway(configuration);
        services.Configure<QueueTriggerOptions>(configuration.GetSection(QueueTriggerOptions.Section));
        services.AddSingleton<QueueTriggerPump>();
        _services = services.BuildServiceProvider();
        _pump = _services.GetRequiredService<QueueTriggerPump>();
        _pump.StartAsync(CancellationToken.None).GetAwaiter().GetResult();
        _runner = RunRunnerAsync(_stop.Token);
    }

    public BatchGateway Gateway => _services.GetRequiredService<BatchGateway>();
    public InProcessBatchStore Store => _services.GetRequiredService<InProcessBatchStore>();
    public InProcessJobQueue BatchQueue => _services.GetRequiredService<InProcessMessageQueues>().GetQueue(StorageNames.BatchQueue);
    public MediaGateway.Functions.Search.SearchGateway Searches => _services.GetRequiredService<MediaGateway.Functions.Search.SearchGateway>();

    /// <summary>Queries the stand-in engine has searched.</summary>
    public int EngineQueries => Volatile.Read(ref _engineQueries);

    public PoisonEnvelope[] Poisoned => BatchQueue.PoisonMessages.Select(m => JsonSerializer.Deserialize<PoisonEnvelope>(m, ContractJson.Options)!).ToArray();

    public Task<BatchRecord> StartAsync(params string[] queries) =>
        Gateway.StartAsync(new BatchSearchRequest { Queries = queries.Select(q => new SearchRequest { Query = q, Limit = 3 }).ToArray() }, CancellationToken.None);

    public async Task<BatchRecord> WaitFinishedAsync(string batchId, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (true)
        {
            var batch = await Store.GetBatchAsync(batchId) ?? throw new InvalidOperationException($"batch {batchId} is gone");
            if (batch.Status.IsFinished()) return batch;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"batch {batchId} is still {batch.Status} ({batch.Done}/{batch.Total})");
            await Task.Delay(10);
        }
    }

    public async Task<BatchResultLine[]> ResultsAsync(string batchId)
    {
        await using var stream = await Store.OpenResultsAsync(batchId) ?? throw new InvalidOperationException("no results");
        using var reader = new StreamReader(stream);
        var lines = new List<BatchResultLine>();
        while (await reader.ReadLineAsync() is { } line) lines.Add(JsonSerializer.Deserialize<BatchResultLine>(line, ContractJson.Options)!);
        return lines.ToArray();
    }

    public async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        if (!await Poll.UntilAsync(condition, TimeSpan.FromSeconds(20))) throw new TimeoutException($"waited in vain for {what}");
    }

    private async Task RunRunnerAsync(CancellationToken stop)
    {
        var queue = _services.GetRequiredService<InProcessJobQueue>();
        var processor = new JobProcessor(queue, _services.GetRequiredService<IResultStore>(), Options.Create(new RunnerOptions()), TimeProvider.System, NullLogger<JobProcessor>.Instance);
        while (!stop.IsCancellationRequested)
        {
            try
            {
                var messages = await queue.ReceiveAsync(32, TimeSpan.FromMinutes(1), stop);
                if (messages.Count == 0)
                {
                    await queue.WaitForMessagesAsync(TimeSpan.FromMilliseconds(100), stop);
                    continue;
                }
                await processor.ProcessAsync(SearchAsync, messages, stop);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
            }
        }
    }

    private async Task<IReadOnlyList<SearchResponse>> SearchAsync(IReadOnlyList<EngineQuery> batch, CancellationToken cancellationToken)
    {
        if (batch.Any(q => q.Request.Query!.Contains("boom", StringComparison.Ordinal))) throw new InvalidOperationException("the stand-in engine fails on 'boom'");
        Interlocked.Add(ref _engineQueries, batch.Count);
        if (_engineDelay > TimeSpan.Zero) await Task.Delay(_engineDelay, cancellationToken);
        return batch.Select(q => new SearchResponse
        {
            JobId = q.JobId,
            Query = q.Request.Query!,
            Results = [new SearchHit { Id = q.Request.Query!.Replace(' ', '-'), Title = q.Request.Query!, MatchedFields = ["title"] }],
            TimingsMs = new StageTimings { BatchSize = batch.Count },
        }).ToArray();
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        await _runner;
        await _pump.StopAsync(CancellationToken.None);
        await _services.DisposeAsync();
    }
}
