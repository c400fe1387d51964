using System.Collections.Concurrent;
using MediaGateway.Contracts.Jobs;

namespace MediaGateway.Storage;

/// <summary>The embedded default's queues by name: the search queue is the very <see cref="InProcessJobQueue"/> the runner reads; others are made on first use.</summary>
public sealed class InProcessMessageQueues(InProcessJobQueue searchQueue, TimeProvider time) : IMessageQueues
{
    private readonly ConcurrentDictionary<string, InProcessJobQueue> _queues = new(StringComparer.Ordinal) { [StorageNames.SearchQueue] = searchQueue };

    public IMessageQueue Get(string queueName) => _queues.GetOrAdd(queueName, _ => new InProcessJobQueue(time));

    /// <summary>The in-process queue itself (tests read its poison messages).</summary>
    public InProcessJobQueue GetQueue(string queueName) => (InProcessJobQueue)Get(queueName);
}
