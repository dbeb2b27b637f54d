using 'main.bicep'

param sku = '18.04-LTS'
