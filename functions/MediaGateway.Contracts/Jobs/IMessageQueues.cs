namespace MediaGateway.Contracts.Jobs;

/// <summary>The storage account's queues by name (each with its "-poison" queue), for queue-triggered functions.</summary>
public interface IMessageQueues
{
    IMessageQueue Get(string queueName);
}
