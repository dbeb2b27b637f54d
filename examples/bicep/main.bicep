// A web VM from a map of images selected by a parameter (the pattern of the Azure quickstart
// vm-simple-linux), and a database VM from a local module.
@description('The Ubuntu version of the web VM.')
@allowed([
  'Ubuntu-2004'
  'Ubuntu-2204'
])
param ubuntuOSVersion string = 'Ubuntu-2004'

param location string = resourceGroup().location
param adminUsername string

var imageReference = {
  'Ubuntu-2004': {
    publisher: 'Canonical'
    offer: '0001-com-ubuntu-server-focal'
    sku: '20_04-lts-gen2'
    version: 'latest'
  }
  'Ubuntu-2204': {
    publisher: 'Canonical'
    offer: '0001-com-ubuntu-server-jammy'
    sku: '22_04-lts-gen2'
    version: 'latest'
  }
}

resource web 'Microsoft.Compute/virtualMachines@2023-03-01' = {
  name: 'web'
  location: location
  properties: {
    hardwareProfile: {
      vmSize: 'Standard_B2s'
    }
    storageProfile: {
      imageReference: imageReference[ubuntuOSVersion]
    }
    osProfile: {
      computerName: 'web'
      adminUsername: adminUsername
    }
  }
}

module database 'modules/vm.bicep' = {
  name: 'database'
  params: {
    name: 'db'
    location: location
    imageReference: {
      publisher: 'SUSE'
      offer: 'sles-15-sp4'
      sku: 'gen2'
      version: 'latest'
    }
  }
}
