// Fixture for the VS Code integration tests: a template whose image SKU comes from its parameters
// file (main.bicepparam). The tests read these files but never save them.
param sku string

resource vm 'Microsoft.Compute/virtualMachines@2024-03-01' = {
  name: 'e2e-params-vm'
  location: 'westeurope'
  properties: {
    storageProfile: {
      imageReference: {
        publisher: 'Canonical'
        offer: 'UbuntuServer'
        sku: sku
        version: 'latest'
      }
    }
  }
}
