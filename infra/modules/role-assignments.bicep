// Every role assignment of the deployment, in one place, so least privilege can be reviewed at a glance.
// Built-in role definition ids (Azure built-in roles reference):
var roles = {
  storageBlobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
  storageBlobDataContributor: 'ba92f5b4-2d11-453d-a403-e96b0029c9fe'
  storageBlobDataReader: '2a2b9908-6ea1-4ae2-8e65-a410df84e7d1'
  storageQueueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
  storageQueueDataReader: '19e7f393-937e-4f77-808e-94535e297925'
  storageQueueDataMessageSender: 'c6a89b2d-59bc-44d0-9896-0f6e12d7b80a'
  storageQueueDataMessageProcessor: '8a0f0c08-91a1-4084-bc3d-661d67233fed'
  storageTableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
  monitoringMetricsPublisher: '3913510d-42f4-4e42-8a64-420c390055eb'
  acrPull: '7f951dda-4ed3-4680-a7ca-43fe172d538d'
}

@description('Principal id of the Function App\'s identity.')
param functionsPrincipalId string

@description('Principal id of the gpu-runner\'s identity.')
param runnerPrincipalId string

@description('Optional principal id of the person (or pipeline) deploying, for data access while debugging; empty for none.')
param deployerPrincipalId string = ''

@description('Name of the storage account.')
param storageAccountName string

@description('Queue of search jobs.')
param searchQueueName string

@description('Poison queue for messages the runner gave up on.')
param poisonQueueName string

@description('Queue of batch searches (the Function App\'s RunBatch queue trigger).')
param batchQueueName string

@description('Poison queue for batch messages the Functions host gave up on.')
param batchPoisonQueueName string

@description('Table of job records, batch records and runner heartbeats.')
param jobsTableName string

@description('Blob container the runner writes results to.')
param resultsContainerName string

@description('Blob container of the runner\'s index snapshots.')
param indexSnapshotsContainerName string

@description('Blob container of catalog files for blob-URL imports.')
param catalogImportsContainerName string

@description('Name of the Application Insights component.')
param applicationInsightsName string

@description('Name of the container registry.')
param registryName string

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: storageAccountName

  resource queueService 'queueServices' existing = {
    name: 'default'

    resource searchQueue 'queues' existing = {
      name: searchQueueName
    }

    resource poisonQueue 'queues' existing = {
      name: poisonQueueName
    }

    resource batchQueue 'queues' existing = {
      name: batchQueueName
    }

    resource batchPoisonQueue 'queues' existing = {
      name: batchPoisonQueueName
    }
  }

  resource tableService 'tableServices' existing = {
    name: 'default'

    resource jobsTable 'tables' existing = {
      name: jobsTableName
    }
  }

  resource blobService 'blobServices' existing = {
    name: 'default'

    resource resultsContainer 'containers' existing = {
      name: resultsContainerName
    }

    resource indexSnapshotsContainer 'containers' existing = {
      name: indexSnapshotsContainerName
    }

    resource catalogImportsContainer 'containers' existing = {
      name: catalogImportsContainerName
    }
  }
}

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

resource registry 'Microsoft.ContainerRegistry/registries@2023-07-01' existing = {
  name: registryName
}

// ---------------------------------------------------------------------------------------------------------
// Function App (HTTP gateway)
// ---------------------------------------------------------------------------------------------------------

// Flex Consumption's host storage (AzureWebJobsStorage: locks, keys, its own containers) and the deployment
// package container both need Blob Data Owner on the account. It also covers reading job results from the
// `results` container, so no separate blob reader role is granted.
resource functionsBlobOwner 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, functionsPrincipalId, roles.storageBlobDataOwner)
  scope: storage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageBlobDataOwner)
    principalId: functionsPrincipalId
    principalType: 'ServicePrincipal'
  }
}

// The gateway only adds jobs to the search queue: Message Sender, on that queue alone.
resource functionsQueueSender 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage::queueService::searchQueue.id, functionsPrincipalId, roles.storageQueueDataMessageSender)
  scope: storage::queueService::searchQueue
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageQueueDataMessageSender)
    principalId: functionsPrincipalId
    principalType: 'ServicePrincipal'
  }
}

// Its health endpoint reports the queue's approximate length (Get Queue Metadata), which Message Sender does
// not allow: Queue Data Reader, on the search queue alone.
resource functionsQueueReader 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage::queueService::searchQueue.id, functionsPrincipalId, roles.storageQueueDataReader)
  scope: storage::queueService::searchQueue
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageQueueDataReader)
    principalId: functionsPrincipalId
    principalType: 'ServicePrincipal'
  }
}

// Job records (the `jobs` table) are written as Queued and read back while polling: on that table alone.
resource functionsTableContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage::tableService::jobsTable.id, functionsPrincipalId, roles.storageTableDataContributor)
  scope: storage::tableService::jobsTable
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageTableDataContributor)
    principalId: functionsPrincipalId
    principalType: 'ServicePrincipal'
  }
}

// POST /search/batch puts one message per batch on the batch queue: Message Sender, on that queue alone.
resource functionsBatchSender 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage::queueService::batchQueue.id, functionsPrincipalId, roles.storageQueueDataMessageSender)
  scope: storage::queueService::batchQueue
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageQueueDataMessageSender)
    principalId: functionsPrincipalId
    principalType: 'ServicePrincipal'
  }
}

// The RunBatch queue trigger receives and deletes batch messages: Message Processor, on the batch queue alone
// (narrower than Queue Data Contributor, which could also create, delete and write any queue).
resource functionsBatchProcessor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage::queueService::batchQueue.id, functionsPrincipalId, roles.storageQueueDataMessageProcessor)
  scope: storage::queueService::batchQueue
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageQueueDataMessageProcessor)
    principalId: functionsPrincipalId
    principalType: 'ServicePrincipal'
  }
}

// The Functions host and Flex Consumption's scaler read the batch queue's length (Get Queue Metadata), which
// Message Processor does not allow: Queue Data Reader, on the batch queue alone (the roles the Functions docs
// list for a queue trigger with an identity).
resource functionsBatchReader 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage::queueService::batchQueue.id, functionsPrincipalId, roles.storageQueueDataReader)
  scope: storage::queueService::batchQueue
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageQueueDataReader)
    principalId: functionsPrincipalId
    principalType: 'ServicePrincipal'
  }
}

// After maxDequeueCount attempts the host moves a batch message to batch-jobs-poison: Message Sender there.
// Batch records (jobs table) and batch queries/results (results container, batches/…) are covered by the
// table and blob roles above, so none is added for them.
resource functionsBatchPoisonSender 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage::queueService::batchPoisonQueue.id, functionsPrincipalId, roles.storageQueueDataMessageSender)
  scope: storage::queueService::batchPoisonQueue
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageQueueDataMessageSender)
    principalId: functionsPrincipalId
    principalType: 'ServicePrincipal'
  }
}

// Application Insights has local auth disabled; telemetry is accepted from identities with this role.
resource functionsMetricsPublisher 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(applicationInsights.id, functionsPrincipalId, roles.monitoringMetricsPublisher)
  scope: applicationInsights
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.monitoringMetricsPublisher)
    principalId: functionsPrincipalId
    principalType: 'ServicePrincipal'
  }
}

// ---------------------------------------------------------------------------------------------------------
// gpu-runner (and KEDA, which scales it with the same identity)
// ---------------------------------------------------------------------------------------------------------

// The runner's traces and metrics, accepted from its identity (local auth is disabled on the component).
resource runnerMetricsPublisher 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(applicationInsights.id, runnerPrincipalId, roles.monitoringMetricsPublisher)
  scope: applicationInsights
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.monitoringMetricsPublisher)
    principalId: runnerPrincipalId
    principalType: 'ServicePrincipal'
  }
}

// Receiving and deleting job messages: Message Processor, on the search queue alone. Narrower than Queue
// Data Contributor, which could also create and delete queues and write to any of them.
resource runnerQueueProcessor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage::queueService::searchQueue.id, runnerPrincipalId, roles.storageQueueDataMessageProcessor)
  scope: storage::queueService::searchQueue
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageQueueDataMessageProcessor)
    principalId: runnerPrincipalId
    principalType: 'ServicePrincipal'
  }
}

// KEDA's azure-queue scaler reads the queue length (Get Queue Metadata), which Message Processor does not
// allow: Queue Data Reader, on the search queue alone.
resource runnerQueueReader 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage::queueService::searchQueue.id, runnerPrincipalId, roles.storageQueueDataReader)
  scope: storage::queueService::searchQueue
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageQueueDataReader)
    principalId: runnerPrincipalId
    principalType: 'ServicePrincipal'
  }
}

// Messages the runner gives up on are re-sent to the poison queue: Message Sender, on that queue alone.
resource runnerPoisonSender 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage::queueService::poisonQueue.id, runnerPrincipalId, roles.storageQueueDataMessageSender)
  scope: storage::queueService::poisonQueue
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageQueueDataMessageSender)
    principalId: runnerPrincipalId
    principalType: 'ServicePrincipal'
  }
}

// Results are written to `results`, index snapshots to `index-snapshots`: Blob Data Contributor on those two
// containers only, so the runner cannot touch the Function App's deployment package or host storage.
resource runnerResultsContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage::blobService::resultsContainer.id, runnerPrincipalId, roles.storageBlobDataContributor)
  scope: storage::blobService::resultsContainer
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageBlobDataContributor)
    principalId: runnerPrincipalId
    principalType: 'ServicePrincipal'
  }
}

resource runnerSnapshotsContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage::blobService::indexSnapshotsContainer.id, runnerPrincipalId, roles.storageBlobDataContributor)
  scope: storage::blobService::indexSnapshotsContainer
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageBlobDataContributor)
    principalId: runnerPrincipalId
    principalType: 'ServicePrincipal'
  }
}

// Blob-URL catalog imports are read by the runner with its own identity: read-only, on `catalog-imports` alone.
resource runnerCatalogImportsReader 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage::blobService::catalogImportsContainer.id, runnerPrincipalId, roles.storageBlobDataReader)
  scope: storage::blobService::catalogImportsContainer
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageBlobDataReader)
    principalId: runnerPrincipalId
    principalType: 'ServicePrincipal'
  }
}

// Job status updates and the runner heartbeat go to the `jobs` table: on that table alone.
resource runnerTableContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage::tableService::jobsTable.id, runnerPrincipalId, roles.storageTableDataContributor)
  scope: storage::tableService::jobsTable
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageTableDataContributor)
    principalId: runnerPrincipalId
    principalType: 'ServicePrincipal'
  }
}

// The container app pulls its image with this identity (the registry has no admin user).
resource runnerAcrPull 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(registry.id, runnerPrincipalId, roles.acrPull)
  scope: registry
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.acrPull)
    principalId: runnerPrincipalId
    principalType: 'ServicePrincipal'
  }
}

// ---------------------------------------------------------------------------------------------------------
// The deploying principal (optional): data access for debugging against the deployed account.
// ---------------------------------------------------------------------------------------------------------

resource deployerBlobContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(deployerPrincipalId)) {
  name: guid(storage.id, deployerPrincipalId, roles.storageBlobDataContributor)
  scope: storage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageBlobDataContributor)
    principalId: deployerPrincipalId
  }
}

resource deployerQueueContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(deployerPrincipalId)) {
  name: guid(storage.id, deployerPrincipalId, roles.storageQueueDataContributor)
  scope: storage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageQueueDataContributor)
    principalId: deployerPrincipalId
  }
}

resource deployerTableContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(deployerPrincipalId)) {
  name: guid(storage.id, deployerPrincipalId, roles.storageTableDataContributor)
  scope: storage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageTableDataContributor)
    principalId: deployerPrincipalId
  }
}
