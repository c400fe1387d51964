// The storage account shared by the Function App and the gpu-runner: the job queue and its poison queue,
// the batch queue and its poison queue,
// the jobs table (job records and runner heartbeats), and the blob containers for results, the runner's index
// snapshots and the Flex Consumption deployment package; nothing that no code uses. Keys are disabled: every
// client uses Microsoft Entra ID (managed identity). Names must match MediaGateway.Contracts.Jobs.StorageNames.
// Result blobs expire by a lifecycle rule; table entities cannot (lifecycle rules cover blobs only), so the runner
// deletes expired job records, with the small results stored inside them, every hour (ExpiredJobSweeper).

@description('Name of the storage account (3-24 lowercase letters and digits).')
param name string

@description('Azure region.')
param location string

@description('Tags for the account.')
param tags object

@description('Blob container that holds the Function App deployment package (Flex Consumption).')
param deploymentContainerName string

@description('Queue the Function App writes search jobs to and the gpu-runner reads from.')
param searchQueueName string

@description('Queue for messages the gpu-runner gave up on (the Functions "<queue>-poison" convention).')
param poisonQueueName string

@description('Queue of batch searches, read by the Function App\'s queue-triggered RunBatch function.')
param batchQueueName string

@description('Poison queue for batch messages the Functions host gave up on.')
param batchPoisonQueueName string

@description('Table of job records, batch records and runner heartbeats.')
param jobsTableName string

@description('Blob container of search results, one blob per job.')
param resultsContainerName string

@description('Blob container of the runner\'s index snapshots (catalog embeddings, HNSW graph).')
param indexSnapshotsContainerName string

@description('Blob container of catalog files that blob-URL imports read.')
param catalogImportsContainerName string

@description('Days after its last change that a result blob is deleted.')
@minValue(1)
param resultRetentionDays int

var containerNames = [
  resultsContainerName
  indexSnapshotsContainerName
  catalogImportsContainerName
  deploymentContainerName
]

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: name
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: {
    name: 'Standard_LRS'
  }
  properties: {
    accessTier: 'Hot'
    allowSharedKeyAccess: false
    allowBlobPublicAccess: false
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    defaultToOAuthAuthentication: true
    dnsEndpointType: 'Standard'
    publicNetworkAccess: 'Enabled'
    networkAcls: {
      bypass: 'AzureServices'
      defaultAction: 'Allow'
    }
  }

  resource queueService 'queueServices' = {
    name: 'default'

    resource searchQueue 'queues' = {
      name: searchQueueName
    }

    resource poisonQueue 'queues' = {
      name: poisonQueueName
    }

    resource batchQueue 'queues' = {
      name: batchQueueName
    }

    resource batchPoisonQueue 'queues' = {
      name: batchPoisonQueueName
    }
  }

  resource tableService 'tableServices' = {
    name: 'default'

    resource jobsTable 'tables' = {
      name: jobsTableName
    }
  }

  resource blobService 'blobServices' = {
    name: 'default'

    resource containers 'containers' = [
      for containerName in containerNames: {
        name: containerName
        properties: {
          publicAccess: 'None'
        }
      }
    ]
  }

  // Search results say what someone searched for: they are deleted once nobody will poll for them.
  resource lifecycle 'managementPolicies' = {
    name: 'default'
    properties: {
      policy: {
        rules: [
          {
            name: 'expire-search-results'
            enabled: true
            type: 'Lifecycle'
            definition: {
              filters: {
                blobTypes: [
                  'blockBlob'
                ]
                prefixMatch: [
                  '${resultsContainerName}/'
                ]
              }
              actions: {
                baseBlob: {
                  delete: {
                    daysAfterModificationGreaterThan: resultRetentionDays
                  }
                }
              }
            }
          }
        ]
      }
    }
    dependsOn: [
      blobService
    ]
  }
}

output name string = storage.name
output blobEndpoint string = storage.properties.primaryEndpoints.blob
output queueEndpoint string = storage.properties.primaryEndpoints.queue
output tableEndpoint string = storage.properties.primaryEndpoints.table
