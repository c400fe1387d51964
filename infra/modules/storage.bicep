// The storage account shared by the Function App and the gpu-runner: the job queue and its poison queue,
// the job/cache tables, and the blob containers for results, the catalog, index snapshots and the Flex
// Consumption deployment package. Keys are disabled: every client uses Microsoft Entra ID (managed identity).
// Queue and table names must match MediaGateway.Contracts.Jobs.StorageNames.

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

var tableNames = [
  'jobs'
  'cache'
]

var containerNames = [
  'results'
  'catalog'
  'index-snapshots'
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
  }

  resource tableService 'tableServices' = {
    name: 'default'

    resource tables 'tables' = [
      for tableName in tableNames: {
        name: tableName
      }
    ]
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
}

output name string = storage.name
output blobEndpoint string = storage.properties.primaryEndpoints.blob
output queueEndpoint string = storage.properties.primaryEndpoints.queue
output tableEndpoint string = storage.properties.primaryEndpoints.table
