// SYNTAX TEST "source.bicep" "strings, escapes, interpolation and multi-line strings"
// vscode-tmgrammar-test 0.1.3 hangs on an assertion with two negative scopes, or on a `<-` marker
// with a negative scope: keep one negative scope per line, after `^` markers.

var name = 'vm-${environment}-${index + 1}'
//         ^ punctuation.definition.string.begin.bicep
//          ^^^ string.quoted.single.bicep
//             ^^ punctuation.definition.template-expression.begin.bicep
//               ^^^^^^^^^^^ variable.other.readwrite.bicep
//                          ^ punctuation.definition.template-expression.end.bicep
//                                      ^ constant.numeric.bicep
//                                        ^ punctuation.definition.string.end.bicep

var escaped = 'it\'s \${not} a \\ \u{1F600} \q'
//               ^^ constant.character.escape.bicep
//                   ^^ constant.character.escape.bicep
//                     ^^^^^ string.quoted.single.bicep - meta.template.expression.bicep
//                             ^^ constant.character.escape.bicep
//                                ^^^^^^^^^ constant.character.escape.bicep
//                                          ^^ invalid.illegal.escape.bicep

var nested = '${contains(tags, 'env') ? { a: '}' }.a : ''}'
//              ^^^^^^^^ entity.name.function.bicep
//                             ^^^^^ string.quoted.single.bicep meta.template.expression.bicep string.quoted.single.bicep
//                                        ^ variable.other.property.bicep
//                                           ^^^ string.quoted.single.bicep
//                                                       ^ punctuation.definition.template-expression.end.bicep
//                                                        ^ punctuation.definition.string.end.bicep

var script = '''
#!/bin/bash
// <---------- string.quoted.multi.bicep
echo '${notInterpolated}' \n
// <-- string.quoted.multi.bicep
//   ^^^^^^^^^^^^^^^^^^^^^^^ string.quoted.multi.bicep - meta.template.expression.bicep
//                         ^^ - constant.character.escape.bicep
'''
// <-- string.quoted.multi.bicep punctuation.definition.string.end.bicep
var after = 1
// <-- keyword.control.declaration.bicep
