// Fixture for the VS Code integration tests: an Ubuntu 18.04 LTS image, out of standard
// support since 2023-05-31. The tests read this file but never save it.
param location string = resourceGroup().location

resource vm 'Microsoft.Compute/virtualMachines@2024-03-01' = {
  name: 'e2e-vm'
  location: location
  properties: {
    hardwareProfile: {
      vmSize: 'Standard_B2s'
    }
    storageProfile: {
      imageReference: {
        publisher: 'Canonical'
        offer: 'UbuntuServer'
        sku: '18.04-LTS'
        version: 'latest'
      }
    }
  }
}
