// Looks up the image the gpu-runner container app runs now, as azd's container-app templates do, so that a
// provision without a new image (azd provision in CI or on another machine, where SERVICE_GPU_RUNNER_IMAGE_NAME
// is not set) keeps the deployed runner instead of putting the placeholder back. It has to be a module of its
// own: the app cannot read its own properties in the deployment that updates it.

@description('Whether the container app exists already (azd sets SERVICE_GPU_RUNNER_RESOURCE_EXISTS after the first deploy).')
param exists bool

@description('Name of the container app.')
param name string

resource existingApp 'Microsoft.App/containerApps@2025-01-01' existing = if (exists) {
  name: name
}

@description('The image of the app\'s first container, or empty when the app does not exist yet.')
output image string = exists ? existingApp!.properties.template.containers[0].image : ''
