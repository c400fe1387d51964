using System.Collections.Concurrent;
using System.Reflection;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using MediaGateway.Contracts;
using MediaGateway.Contracts.Jobs;
using MediaGateway.Storage;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Options;

namespace MediaGateway.LocalHost;

/// <summary>
/// Runs the Functions app's queue-triggered functions without the Functions host, as <see cref="FunctionRouteMapper"/>
/// serves its HTTP functions: every method marked <c>[Function]</c> with a <c>[QueueTrigger]</c> parameter is invoked,
/// on an instance of its own class from DI, for each message on the queue its attribute names (in-process or Azurite,
/// through <see cref="IMessageQueues"/>). What the host does around it happens here too: a message is deleted when
/// the function returns, and its lease is renewed while the function runs; when it throws, the message is tried again, and after <see cref="QueueTriggerOptions.MaxDequeueCount"/>
/// attempts it goes to "&lt;queue&gt;-poison".
/// </summary>
public sealed class QueueTriggerPump(IServiceProvider services, IMessageQueues queues, IOptions<QueueTriggerOptions> options, TimeProvider time, ILogger<QueueTriggerPump> logger) : BackgroundService
{
    public static IReadOnlyList<QueueFunction> Discover(Assembly functionsAssembly) =>
        (from type in functionsAssembly.GetExportedTypes()
         from method in type.GetMethods(BindingFlags.Public | BindingFlags.Instance)
         let function = method.GetCustomAttribute<FunctionAttribute>()
         where function is not null
         let trigger = method.GetParameters().Select(p => p.GetCustomAttribute<QueueTriggerAttribute>()).FirstOrDefault(a => a is not null)
         where trigger is not null
         select new QueueFunction(function.Name, trigger.QueueName, method)).ToArray();

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Discover(typeof(MediaGateway.Functions.GatewayRegistration).Assembly).Select(f => PumpAsync(f, stoppingToken)));

    private async Task PumpAsync(QueueFunction function, CancellationToken stoppingToken)
    {
        var o = options.Value;
        var queue = queues.Get(function.QueueName);
        var slots = new SemaphoreSlim(o.MaxConcurrentCalls);
        var running = new ConcurrentDictionary<Task, bool>();
        var idle = TimeSpan.FromMilliseconds(10);
        logger.LogInformation("Queue trigger {Function} reads {Queue}", function.Name, function.QueueName);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await slots.WaitAsync(stoppingToken);
                IReadOnlyList<ReceivedMessage> messages;
                try
                {
                    messages = await queue.ReceiveAsync(1, o.VisibilityTimeout, stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    slots.Release();
                    logger.LogWarning("Queue {Queue} could not be read ({Error}); trying again shortly", function.QueueName, SafeText.Escape(e.Message));
                    await Task.Delay(o.MaxIdleDelay, stoppingToken);
                    continue;
                }
                if (messages.Count == 0)
                {
                    slots.Release();
                    await queue.WaitForMessagesAsync(idle, stoppingToken);
                    idle = TimeSpan.FromTicks(Math.Min(idle.Ticks * 2, o.MaxIdleDelay.Ticks));
                    continue;
                }
                idle = TimeSpan.FromMilliseconds(10);
                var call = Task.Run(async () =>
                {
                    try { await HandleAsync(function, queue, messages[0], stoppingToken); }
                    finally { slots.Release(); }
                }, CancellationToken.None);
                running[call] = true;
                _ = call.ContinueWith(t => running.TryRemove(t, out _), TaskScheduler.Default);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        await Task.WhenAll(running.Keys);
    }

    private async Task HandleAsync(QueueFunction function, IMessageQueue queue, ReceivedMessage message, CancellationToken stoppingToken)
    {
        var o = options.Value;
        await using var lease = LeaseKeeper.Start(queue, [message], o.VisibilityTimeout, time, logger);
        try
        {
            await InvokeAsync(function, message, stoppingToken);
            await lease.SettleAsync(message, m => queue.DeleteAsync(m, CancellationToken.None));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: the lease runs out and the message is taken again at the next start.
        }
        catch (Exception e)
        {
            var error = e is TargetInvocationException { InnerException: { } inner } ? inner : e;
            try
            {
                if (message.DequeueCount >= o.MaxDequeueCount)
                {
                    await lease.SettleAsync(message, m => queue.MoveToPoisonAsync(m, $"{function.Name} failed {message.DequeueCount} times: {error.Message}", CancellationToken.None));
                    logger.LogError("{Function}: message {MessageId} failed {Count} times ({Error}); moved to {Queue}-poison",
                        function.Name, SafeText.Escape(message.MessageId, 100), message.DequeueCount, SafeText.Escape(error.Message), function.QueueName);
                }
                else
                {
                    await lease.SettleAsync(message, m => queue.ReleaseAsync(m, o.RetryDelay, CancellationToken.None));
                    logger.LogWarning("{Function}: attempt {Count} at message {MessageId} failed ({Error}); it will be retried",
                        function.Name, message.DequeueCount, SafeText.Escape(message.MessageId, 100), SafeText.Escape(error.Message));
                }
            }
            catch (Exception storage) when (storage is not OperationCanceledException)
            {
                logger.LogError("{Function}: message {MessageId} failed and could not be given back ({Error}); it reappears after its lease",
                    function.Name, SafeText.Escape(message.MessageId, 100), SafeText.Escape(storage.Message));
            }
        }
    }

    private async Task InvokeAsync(QueueFunction function, ReceivedMessage message, CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        var instance = scope.ServiceProvider.GetRequiredService(function.Method.DeclaringType!);
        var arguments = function.Method.GetParameters().Select(p => ArgumentFor(p, message, cancellationToken)).ToArray();
        await (Task)function.Method.Invoke(instance, arguments)!;
    }

    // What the Functions host binds for a queue trigger: the message (as the SDK's QueueMessage or its text) and the cancellation token.
    private static object ArgumentFor(ParameterInfo parameter, ReceivedMessage message, CancellationToken cancellationToken) =>
        parameter.ParameterType == typeof(QueueMessage) ? QueuesModelFactory.QueueMessage(message.MessageId, message.PopReceipt, BinaryData.FromString(message.Body), message.DequeueCount)
        : parameter.ParameterType == typeof(string) ? message.Body
        : parameter.ParameterType == typeof(CancellationToken) ? cancellationToken
        : throw new NotSupportedException($"The local trigger pump cannot bind parameter '{parameter.Name}' of {parameter.Member.Name}.");
}
