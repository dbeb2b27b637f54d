using './main.bicep'

param ubuntuOSVersion = 'Ubuntu-2204'
param adminUsername = 'azureuser'
