// The Container Apps environment (a Consumption profile plus one serverless GPU profile) and the gpu-runner
// app on the GPU profile. The runner has no ingress: its input is the search-jobs queue, and KEDA scales it
// on that queue's length, reading it with the runner's own managed identity (no storage key or secret).

@description('Name of the Container Apps environment.')
param environmentName string

@description('Name of the gpu-runner container app.')
param appName string

@description('Azure region (it must offer serverless GPUs of the chosen type).')
param location string

@description('Tags for the environment and the app; the app also gets its azd-service-name tag.')
param tags object

@description('Log Analytics workspace that receives the container logs.')
param logAnalyticsName string

@description('Serverless GPU type: T4 (NC8as, 16 GB) or A100 (NC24, 80 GB).')
@allowed([
  'T4'
  'A100'
])
param gpuProfileType string

@description('Fewest runner replicas; 0 lets the GPU scale to zero when the queue is empty.')
@minValue(0)
param minReplicas int

@description('Most runner replicas (bounded by your serverless GPU quota).')
@minValue(1)
param maxReplicas int

@description('Container image: the new one, or the one running now; empty only before azd first deployed the runner, when a placeholder is used.')
param image string

@description('Login server of the container registry the image comes from.')
param registryServer string

@description('Resource id of the runner\'s user-assigned identity (pulls the image, reads the queue, runs KEDA).')
param identityId string

@description('Client id of that identity, which the runner\'s storage clients authenticate as.')
param identityClientId string

@description('Name of the storage account holding the job queue.')
param storageAccountName string

@description('Queue the runner consumes and KEDA watches.')
param searchQueueName string

@description('Messages per replica before KEDA adds one; the runner takes up to 32 messages per batch.')
param messagesPerReplica int = 32

@description('Name of the Application Insights component the runner sends traces and metrics to (as its identity).')
param applicationInsightsName string

@description('Optional Milvus endpoint for the vector index.')
param milvusEndpoint string = ''

@description('Optional Milvus token, stored as a container app secret.')
@secure()
param milvusToken string = ''

@description('Optional Neo4j endpoint for the ontology store.')
param neo4jEndpoint string = ''

@description('Optional Neo4j user.')
param neo4jUser string = ''

@description('Optional Neo4j password, stored as a container app secret.')
@secure()
param neo4jPassword string = ''

// Serverless GPU workload profile types, and the CPU/memory a replica gets on each (the whole GPU node slice).
var gpuProfiles = {
  T4: {
    workloadProfileType: 'Consumption-GPU-NC8as-T4'
    cpu: '8'
    memory: '56Gi'
  }
  A100: {
    workloadProfileType: 'Consumption-GPU-NC24-A100'
    cpu: '24'
    memory: '220Gi'
  }
}
var gpu = gpuProfiles[gpuProfileType]
var gpuWorkloadProfileName = 'gpu'

// Until the first `azd deploy` there is no runner image in the registry; a public placeholder lets provisioning
// succeed, and azd replaces it (later provisions pass the deployed image, or main.bicep looks up the running
// one, so a redeploy never puts the placeholder back). The placeholder
// does not answer the probes on 8080, so it is never kept running: min replicas stay 0 until the real image.
var placeholderImage = 'mcr.microsoft.com/k8se/quickstart:latest'
var runnerImage = empty(image) ? placeholderImage : image
var effectiveMinReplicas = empty(image) ? 0 : minReplicas

resource logAnalytics 'Microsoft.OperationalInsights/workspaces@2023-09-01' existing = {
  name: logAnalyticsName
}

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: storageAccountName
}

resource environment 'Microsoft.App/managedEnvironments@2025-01-01' = {
  name: environmentName
  location: location
  tags: tags
  properties: {
    // Logs go through Azure Monitor (the diagnostic setting below), so no workspace key is handed over.
    appLogsConfiguration: {
      destination: 'azure-monitor'
    }
    workloadProfiles: [
      {
        name: 'Consumption'
        workloadProfileType: 'Consumption'
      }
      // A GPU profile can only be added when the environment is created.
      {
        name: gpuWorkloadProfileName
        workloadProfileType: gpu.workloadProfileType
      }
    ]
  }
}

resource environmentLogs 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'container-logs-to-log-analytics'
  scope: environment
  properties: {
    workspaceId: logAnalytics.id
    logs: [
      {
        categoryGroup: 'allLogs'
        enabled: true
      }
    ]
  }
}

// Secrets exist only for the optional services that were configured; env vars refer to them by name.
var secrets = concat(
  empty(milvusToken) ? [] : [{ name: 'milvus-token', value: milvusToken }],
  empty(neo4jPassword) ? [] : [{ name: 'neo4j-password', value: neo4jPassword }]
)

var optionalEnv = concat(
  empty(milvusEndpoint) ? [] : [{ name: 'MediaGateway__Milvus__Endpoint', value: milvusEndpoint }],
  // A Milvus endpoint switches the runner's vector store from its own memory to Milvus.
  empty(milvusEndpoint) ? [] : [{ name: 'MediaGateway__Engine__VectorStore', value: 'Milvus' }],
  empty(milvusToken) ? [] : [{ name: 'MediaGateway__Milvus__Token', secretRef: 'milvus-token' }],
  empty(neo4jEndpoint) ? [] : [{ name: 'MediaGateway__Neo4j__Endpoint', value: neo4jEndpoint }],
  // A Neo4j endpoint switches the runner's ontology store from its own memory to Neo4j (loaded from the shipped file).
  empty(neo4jEndpoint) ? [] : [{ name: 'MediaGateway__Engine__OntologyStore', value: 'Neo4j' }],
  empty(neo4jUser) ? [] : [{ name: 'MediaGateway__Neo4j__User', value: neo4jUser }],
  empty(neo4jPassword) ? [] : [{ name: 'MediaGateway__Neo4j__Password', secretRef: 'neo4j-password' }]
)

resource runner 'Microsoft.App/containerApps@2025-01-01' = {
  name: appName
  location: location
  tags: union(tags, { 'azd-service-name': 'gpu-runner' })
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    environmentId: environment.id
    workloadProfileName: gpuWorkloadProfileName
    configuration: {
      activeRevisionsMode: 'Single'
      registries: [
        {
          server: registryServer
          identity: identityId
        }
      ]
      secrets: secrets
    }
    template: {
      containers: [
        {
          name: 'gpu-runner'
          image: runnerImage
          resources: {
            cpu: json(gpu.cpu)
            memory: gpu.memory
          }
          env: concat(
            [
              {
                name: 'AzureWebJobsStorage__queueServiceUri'
                value: storage.properties.primaryEndpoints.queue
              }
              {
                name: 'AzureWebJobsStorage__blobServiceUri'
                value: storage.properties.primaryEndpoints.blob
              }
              {
                name: 'AzureWebJobsStorage__tableServiceUri'
                value: storage.properties.primaryEndpoints.table
              }
              {
                name: 'AzureWebJobsStorage__clientId'
                value: identityClientId
              }
              {
                name: 'MediaGateway__Storage__Mode'
                value: 'Azure'
              }
              {
                name: 'MediaGateway__Engine__Backend'
                value: 'Auto'
              }
              // Traces and metrics (OpenTelemetry, Azure Monitor exporter). The connection string only says where to
              // send; local auth is disabled on the component, so the exporter signs in as the runner's identity.
              {
                name: 'APPLICATIONINSIGHTS_CONNECTION_STRING'
                value: applicationInsights.properties.ConnectionString
              }
              {
                name: 'APPLICATIONINSIGHTS_AUTHENTICATION_STRING'
                value: 'ClientId=${identityClientId};Authorization=AAD'
              }
            ],
            optionalEnv
          )
          // /healthz answers as soon as the process runs; /readyz only once the engine has loaded the catalog
          // and the model, which can take minutes on a cold start, hence the generous readiness allowance.
          probes: [
            {
              type: 'Liveness'
              httpGet: {
                path: '/healthz'
                port: 8080
              }
              initialDelaySeconds: 10
              periodSeconds: 30
              failureThreshold: 3
            }
            {
              type: 'Readiness'
              httpGet: {
                path: '/readyz'
                port: 8080
              }
              initialDelaySeconds: 10
              periodSeconds: 15
              failureThreshold: 10
            }
          ]
        }
      ]
      scale: {
        minReplicas: effectiveMinReplicas
        maxReplicas: maxReplicas
        rules: [
          {
            name: 'search-jobs-queue'
            custom: {
              type: 'azure-queue'
              metadata: {
                accountName: storage.name
                queueName: searchQueueName
                queueLength: string(messagesPerReplica)
              }
              // KEDA authenticates as the runner's user-assigned identity: no `auth` secret, no account key.
              identity: identityId
            }
          }
        ]
      }
    }
  }
}

output environmentName string = environment.name
output appName string = runner.name
