// The HTTP gateway on Flex Consumption (FC1). It reaches storage and Application Insights only through its
// user-assigned identity: AzureWebJobsStorage is configured by service URIs plus `credential=managedidentity`,
// the deployment package is read with the same identity, and telemetry is sent with Entra (AAD) auth.

@description('Name of the Function App.')
param name string

@description('Name of the Flex Consumption plan.')
param planName string

@description('Azure region.')
param location string

@description('Tags for the plan and the app; the app also gets its azd-service-name tag.')
param tags object

@description('Resource id of the Function App\'s user-assigned identity.')
param identityId string

@description('Client id of that identity (the storage and App Insights clients pick the identity by it).')
param identityClientId string

@description('Name of the storage account (AzureWebJobsStorage and the deployment package).')
param storageAccountName string

@description('Blob container that holds the deployment package.')
param deploymentContainerName string

@description('Name of the Application Insights component.')
param applicationInsightsName string

// Rate limits are per instance (ClientRateLimiter), and every instance feeds the same GPU runner: the fewest
// instances Flex allows keeps one client's total, and the queue's inflow, bounded.
@description('Most instances Flex Consumption may scale out to; per-client rate limits apply per instance.')
@minValue(40)
@maxValue(1000)
param maximumInstanceCount int = 40

@description('Memory per instance in MB.')
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int = 2048

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: storageAccountName
}

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    name: 'FC1'
    tier: 'FlexConsumption'
  }
  properties: {
    reserved: true // Linux
  }
}

resource functionApp 'Microsoft.Web/sites@2024-04-01' = {
  name: name
  location: location
  tags: union(tags, { 'azd-service-name': 'functions' })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    siteConfig: {
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      appSettings: [
        // Host storage and the app's own queue/table/blob clients (StorageRegistration) use these URIs with
        // the managed identity named by clientId; there is no connection string and no account key.
        {
          name: 'AzureWebJobsStorage__credential'
          value: 'managedidentity'
        }
        {
          name: 'AzureWebJobsStorage__clientId'
          value: identityClientId
        }
        {
          name: 'AzureWebJobsStorage__blobServiceUri'
          value: storage.properties.primaryEndpoints.blob
        }
        {
          name: 'AzureWebJobsStorage__queueServiceUri'
          value: storage.properties.primaryEndpoints.queue
        }
        {
          name: 'AzureWebJobsStorage__tableServiceUri'
          value: storage.properties.primaryEndpoints.table
        }
        {
          name: 'MediaGateway__Storage__Mode'
          value: 'Azure'
        }
        // The App Service front end appends the caller's address to X-Forwarded-For; the rate limiter counts
        // callers by that entry and ignores what the caller wrote before it. GET /api/v1/health/details shows
        // the address a caller is counted as (rateLimitedAs), to check this after a deploy.
        {
          name: 'MediaGateway__Gateway__RateLimits__ForwardedForHops'
          value: '1'
        }
        // The connection string only says where to send telemetry; with local auth disabled on the component,
        // the authentication string makes the SDK sign in as the identity.
        {
          name: 'APPLICATIONINSIGHTS_CONNECTION_STRING'
          value: applicationInsights.properties.ConnectionString
        }
        {
          name: 'APPLICATIONINSIGHTS_AUTHENTICATION_STRING'
          value: 'ClientId=${identityClientId};Authorization=AAD'
        }
      ]
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storage.properties.primaryEndpoints.blob}${deploymentContainerName}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      scaleAndConcurrency: {
        maximumInstanceCount: maximumInstanceCount
        instanceMemoryMB: instanceMemoryMB
      }
      runtime: {
        name: 'dotnet-isolated'
        version: '10.0'
      }
    }
  }
}

output name string = functionApp.name
output defaultHostName string = functionApp.properties.defaultHostName
