// MediaGateway on Azure, for `azd up`: a Flex Consumption Function App (the HTTP gateway) that enqueues search
// jobs, a gpu-runner container app on a serverless GPU that takes them from the queue, and the storage,
// registry, monitoring and identities they share. No keys or connection-string secrets: every service reaches
// every other through a user-assigned managed identity with the narrowest built-in role that works.
targetScope = 'subscription'

@minLength(1)
@maxLength(64)
@description('Name of the azd environment; it names the resource group and seeds every resource name.')
param environmentName string

@minLength(1)
@description('Azure region for all resources: one that offers Flex Consumption and serverless GPUs (A100 in fewer of them; see gpuRegions).')
@allowed([
  'australiaeast'
  'brazilsouth'
  'centralindia'
  'eastus'
  'francecentral'
  'italynorth'
  'japaneast'
  'northcentralus'
  'southcentralus'
  'southeastasia'
  'southindia'
  'swedencentral'
  'westeurope'
  'westus'
  'westus3'
])
@metadata({
  azd: {
    type: 'location'
  }
})
param location string

@description('Principal id of the deploying user or pipeline, granted storage data roles for debugging; empty for none.')
param principalId string = ''

@description('Serverless GPU for the runner: T4 (Consumption-GPU-NC8as-T4) or A100 (Consumption-GPU-NC24-A100).')
@allowed([
  'T4'
  'A100'
])
param gpuProfileType string = 'T4'

@description('Fewest gpu-runner replicas. 0 scales the GPU to zero when the queue is empty (cold starts on the next job).')
@minValue(0)
@maxValue(10)
param runnerMinReplicas int = 0

@description('Most gpu-runner replicas; each holds one GPU, so this is bounded by your serverless GPU quota.')
@minValue(1)
@maxValue(10)
param runnerMaxReplicas int = 1

@description('gpu-runner image to run; azd fills this in after a deploy (SERVICE_GPU_RUNNER_IMAGE_NAME). Empty: keep the image the app runs now, or a placeholder before the first deploy.')
param runnerImage string = ''

@description('Whether the gpu-runner app exists already; azd sets SERVICE_GPU_RUNNER_RESOURCE_EXISTS after the first deploy.')
param runnerExists bool = false

@description('Days a search result blob is kept before the storage lifecycle rule deletes it.')
@minValue(1)
@maxValue(365)
param resultRetentionDays int = 1

@description('Optional Milvus endpoint for the runner\'s vector index; empty for the built-in index.')
param milvusEndpoint string = ''

@description('Optional Milvus token; passed to the runner as a container app secret.')
@secure()
param milvusToken string = ''

@description('Optional Neo4j endpoint for the runner\'s ontology store; empty for the built-in ontology.')
param neo4jEndpoint string = ''

@description('Optional Neo4j user name.')
param neo4jUser string = ''

@description('Optional Neo4j password; passed to the runner as a container app secret.')
@secure()
param neo4jPassword string = ''

var abbrs = loadJsonContent('abbreviations.json')
var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))
var tags = {
  'azd-env-name': environmentName
}
var runnerAppName = '${abbrs.appContainerApps}gpu-runner-${resourceToken}'

// Regions with serverless GPUs of each type (Microsoft Learn, "Using serverless GPUs in Azure Container Apps");
// every one of them also has Flex Consumption. The location parameter allows their union; this map then
// refuses a GPU type its region lacks, before anything is created. Azure adds regions: extend both lists.
var gpuRegions = {
  T4: [
    'australiaeast'
    'brazilsouth'
    'centralindia'
    'eastus'
    'francecentral'
    'italynorth'
    'japaneast'
    'northcentralus'
    'southcentralus'
    'southeastasia'
    'southindia'
    'swedencentral'
    'westeurope'
    'westus'
    'westus3'
  ]
  A100: [
    'australiaeast'
    'brazilsouth'
    'eastus'
    'italynorth'
    'swedencentral'
    'westus'
    'westus3'
  ]
}
var checkedGpuProfileType = contains(gpuRegions[gpuProfileType], location)
  ? gpuProfileType
  : fail('Serverless ${gpuProfileType} GPUs are not offered in ${location}; choose one of: ${join(gpuRegions[gpuProfileType], ', ')}.')

// Bicep cannot compare two parameters in a decorator, so the deployment fails here, naming both values.
var checkedRunnerMaxReplicas = runnerMinReplicas <= runnerMaxReplicas
  ? runnerMaxReplicas
  : fail('RUNNER_MIN_REPLICAS (${runnerMinReplicas}) must not exceed RUNNER_MAX_REPLICAS (${runnerMaxReplicas}).')

// Storage names shared with the code (MediaGateway.Contracts.Jobs.StorageNames).
var searchQueueName = 'search-jobs'
var poisonQueueName = '${searchQueueName}-poison'
var batchQueueName = 'batch-jobs'
var batchPoisonQueueName = '${batchQueueName}-poison'
var deploymentContainerName = 'functions-deployment'
var jobsTableName = 'jobs'
var resultsContainerName = 'results'
// Kept for the runner's catalog embeddings and HNSW graph (issue 9: load them instead of recomputing on every
// new replica); nothing else is stored there.
var indexSnapshotsContainerName = 'index-snapshots'
// Catalog files for blob-URL imports (POST /api/v1/catalog/imports {"blobUrl"}): the runner may only read them.
var catalogImportsContainerName = 'catalog-imports'

resource resourceGroup 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: '${abbrs.resourcesResourceGroups}${environmentName}'
  location: location
  tags: tags
}

module functionsIdentity 'modules/identity.bicep' = {
  name: 'functions-identity'
  scope: resourceGroup
  params: {
    name: '${abbrs.managedIdentityUserAssignedIdentities}functions-${resourceToken}'
    location: location
    tags: tags
  }
}

module runnerIdentity 'modules/identity.bicep' = {
  name: 'runner-identity'
  scope: resourceGroup
  params: {
    name: '${abbrs.managedIdentityUserAssignedIdentities}gpu-runner-${resourceToken}'
    location: location
    tags: tags
  }
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  scope: resourceGroup
  params: {
    logAnalyticsName: '${abbrs.operationalInsightsWorkspaces}${resourceToken}'
    applicationInsightsName: '${abbrs.insightsComponents}${resourceToken}'
    location: location
    tags: tags
  }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  scope: resourceGroup
  params: {
    name: '${abbrs.storageStorageAccounts}${resourceToken}'
    location: location
    tags: tags
    deploymentContainerName: deploymentContainerName
    searchQueueName: searchQueueName
    poisonQueueName: poisonQueueName
    batchQueueName: batchQueueName
    batchPoisonQueueName: batchPoisonQueueName
    jobsTableName: jobsTableName
    resultsContainerName: resultsContainerName
    indexSnapshotsContainerName: indexSnapshotsContainerName
    catalogImportsContainerName: catalogImportsContainerName
    resultRetentionDays: resultRetentionDays
  }
}

module registry 'modules/registry.bicep' = {
  name: 'registry'
  scope: resourceGroup
  params: {
    name: '${abbrs.containerRegistryRegistries}${resourceToken}'
    location: location
    tags: tags
  }
}

module roleAssignments 'modules/role-assignments.bicep' = {
  name: 'role-assignments'
  scope: resourceGroup
  params: {
    functionsPrincipalId: functionsIdentity.outputs.principalId
    runnerPrincipalId: runnerIdentity.outputs.principalId
    deployerPrincipalId: principalId
    storageAccountName: storage.outputs.name
    searchQueueName: searchQueueName
    poisonQueueName: poisonQueueName
    batchQueueName: batchQueueName
    batchPoisonQueueName: batchPoisonQueueName
    jobsTableName: jobsTableName
    resultsContainerName: resultsContainerName
    indexSnapshotsContainerName: indexSnapshotsContainerName
    catalogImportsContainerName: catalogImportsContainerName
    applicationInsightsName: monitoring.outputs.applicationInsightsName
    registryName: registry.outputs.name
  }
}

module functionApp 'modules/function-app.bicep' = {
  name: 'function-app'
  scope: resourceGroup
  params: {
    name: '${abbrs.webSitesFunctions}${resourceToken}'
    planName: '${abbrs.webServerFarms}${resourceToken}'
    location: location
    tags: tags
    identityId: functionsIdentity.outputs.id
    identityClientId: functionsIdentity.outputs.clientId
    storageAccountName: storage.outputs.name
    deploymentContainerName: deploymentContainerName
    applicationInsightsName: monitoring.outputs.applicationInsightsName
  }
  // The app reads its deployment package and host storage as soon as it exists.
  dependsOn: [
    roleAssignments
  ]
}

module runnerCurrentImage 'modules/fetch-container-image.bicep' = {
  name: 'runner-current-image'
  scope: resourceGroup
  params: {
    exists: runnerExists
    name: runnerAppName
  }
}

module containerApps 'modules/container-apps.bicep' = {
  name: 'container-apps'
  scope: resourceGroup
  params: {
    environmentName: '${abbrs.appManagedEnvironments}${resourceToken}'
    appName: runnerAppName
    location: location
    tags: tags
    logAnalyticsName: monitoring.outputs.logAnalyticsName
    applicationInsightsName: monitoring.outputs.applicationInsightsName
    gpuProfileType: checkedGpuProfileType
    minReplicas: runnerMinReplicas
    maxReplicas: checkedRunnerMaxReplicas
    // A new image when azd gives one, else the one running now; empty (a placeholder) only before the first deploy.
    image: !empty(runnerImage) ? runnerImage : runnerCurrentImage.outputs.image
    registryServer: registry.outputs.loginServer
    identityId: runnerIdentity.outputs.id
    identityClientId: runnerIdentity.outputs.clientId
    storageAccountName: storage.outputs.name
    searchQueueName: searchQueueName
    milvusEndpoint: milvusEndpoint
    milvusToken: milvusToken
    neo4jEndpoint: neo4jEndpoint
    neo4jUser: neo4jUser
    neo4jPassword: neo4jPassword
  }
  // The image pull (AcrPull) and the KEDA queue reads must be allowed before the first revision starts.
  dependsOn: [
    roleAssignments
  ]
}

// What azd needs, and what a person needs to find things. Names and endpoints only: nothing secret.
output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = tenant().tenantId
output AZURE_RESOURCE_GROUP string = resourceGroup.name
output AZURE_CONTAINER_REGISTRY_ENDPOINT string = registry.outputs.loginServer
output AZURE_CONTAINER_REGISTRY_NAME string = registry.outputs.name
output AZURE_CONTAINER_APPS_ENVIRONMENT_NAME string = containerApps.outputs.environmentName
output AZURE_STORAGE_ACCOUNT_NAME string = storage.outputs.name
output AZURE_FUNCTION_APP_NAME string = functionApp.outputs.name
output SERVICE_FUNCTIONS_NAME string = functionApp.outputs.name
output SERVICE_FUNCTIONS_URI string = 'https://${functionApp.outputs.defaultHostName}'
output SERVICE_GPU_RUNNER_NAME string = containerApps.outputs.appName
