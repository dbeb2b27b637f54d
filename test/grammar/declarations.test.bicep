// SYNTAX TEST "source.bicep" "keywords, decorators, declarations, numbers, properties and function calls"

targetScope = 'resourceGroup'
// <---------- keyword.control.declaration.bicep

@description('Location of the VM.')
// <- punctuation.definition.decorator.bicep
//^^^^^^^^^^ entity.name.function.decorator.bicep
//           ^^^^^^^^^^^^^^^^^^^^^ string.quoted.single.bicep
param location string = resourceGroup().location
// <----- keyword.control.declaration.bicep
//    ^^^^^^^^ variable.other.declaration.bicep
//             ^^^^^^ support.type.primitive.bicep
//                    ^ keyword.operator.assignment.bicep
//                      ^^^^^^^^^^^^^ entity.name.function.bicep
//                                      ^^^^^^^^ variable.other.member.bicep

@sys.minValue(1)
//^^ support.type.namespace.bicep
//   ^^^^^^^^ entity.name.function.decorator.bicep
//            ^ constant.numeric.bicep
param count int = 2

resource vm 'Microsoft.Compute/virtualMachines@2024-03-01' = [for i in range(0, count): if (count > 0) {
// <-------- keyword.control.declaration.bicep
//       ^^ variable.other.declaration.bicep
//          ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ string.quoted.single.bicep
//                                                            ^^^ keyword.control.flow.bicep
//                                                                  ^^ keyword.control.flow.bicep
//                                                                     ^^^^^ entity.name.function.bicep
//                                                                                      ^^ keyword.control.flow.bicep - entity.name.function.bicep
  name: 'vm${i}'
//^^^^ variable.other.property.bicep
  properties: {
//^^^^^^^^^^ variable.other.property.bicep
    storageProfile: {
      imageReference: {
        publisher: 'Canonical'
//      ^^^^^^^^^ variable.other.property.bicep
//                 ^^^^^^^^^^^ string.quoted.single.bicep
        'sku': '18.04-LTS'
//      ^^^^^ variable.other.property.bicep
        enabled: true
//               ^^^^ constant.language.bicep
        sizeGb: 128
//              ^^^ constant.numeric.bicep
        parent: network::subnet.id
//                     ^^ punctuation.accessor.bicep
//                       ^^^^^^ variable.other.member.bicep
      }
    }
  }
}]

resource existingVnet 'Microsoft.Network/virtualNetworks@2024-01-01' existing = {
//                                                                   ^^^^^^^^ keyword.other.bicep
  name: empty(vnetName) ? 'default' : vnetName
//      ^^^^^ entity.name.function.bicep
//                      ^ keyword.operator.ternary.bicep
//                                  ^ keyword.operator.ternary.bicep
}

output ids array = [for i in range(0, count): vm[i].id]
// <------ keyword.control.declaration.bicep
//     ^^^ variable.other.declaration.bicep
//         ^^^^^ support.type.primitive.bicep

var inline = { first: 1, second: null }
//             ^^^^^ variable.other.property.bicep
//                       ^^^^^^ variable.other.property.bicep
//                               ^^^^ constant.language.bicep

func greet(name string) string => 'Hello ${name}'
// <---- keyword.control.declaration.bicep
//   ^^^^^ variable.other.declaration.bicep
//                             ^^ storage.type.function.arrow.bicep
