// Container registry for the gpu-runner image. azd pushes to it with the deploying user's credentials;
// the container app pulls with its managed identity (AcrPull, see role-assignments.bicep). No admin user.

@description('Name of the registry (5-50 letters and digits).')
param name string

@description('Azure region.')
param location string

@description('Tags for the registry.')
param tags object

resource registry 'Microsoft.ContainerRegistry/registries@2023-07-01' = {
  name: name
  location: location
  tags: tags
  sku: {
    name: 'Basic'
  }
  properties: {
    adminUserEnabled: false
    publicNetworkAccess: 'Enabled'
  }
}

output name string = registry.name
output loginServer string = registry.properties.loginServer
