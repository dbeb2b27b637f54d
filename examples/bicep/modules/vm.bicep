// A Linux VM whose image the caller chooses.
param name string
param location string
param imageReference object

resource vm 'Microsoft.Compute/virtualMachines@2023-03-01' = {
  name: name
  location: location
  properties: {
    hardwareProfile: {
      vmSize: 'Standard_D2s_v5'
    }
    storageProfile: {
      imageReference: imageReference
    }
  }
}
