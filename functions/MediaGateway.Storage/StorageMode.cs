namespace MediaGateway.Storage;

public enum StorageMode
{
    /// <summary>Azure Storage (or Azurite), configured the way the Functions host reads AzureWebJobsStorage.</summary>
    Azure,
    /// <summary>Queue and stores in this process: the embedded local run, nothing to install.</summary>
    InProcess,
}
