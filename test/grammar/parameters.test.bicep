// SYNTAX TEST "source.bicepparam" "Bicep parameter files reuse the Bicep grammar"

using './main.bicep'
// <----- keyword.control.declaration.bicep
//    ^^^^^^^^^^^^^^ string.quoted.single.bicep

param imageSku = '24_04-lts-gen2'
// <----- keyword.control.declaration.bicep
//    ^^^^^^^^ variable.other.declaration.bicep
