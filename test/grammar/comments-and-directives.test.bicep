// SYNTAX TEST "source.bicep" "comments, block comments and suppression directives"

// a line comment
// <----------------- comment.line.double-slash.bicep

/* a block
   comment that spans lines */
// <---------------------------- comment.block.bicep
//                          ^^ punctuation.definition.comment.end.bicep

var size = 'Standard_B2s' // trailing comment
//                        ^^^^^^^^^^^^^^^^^^^ comment.line.double-slash.bicep

#disable-next-line end-of-support
// <----------------- keyword.control.directive.bicep
//                 ^^^^^^^^^^^^^^ meta.directive.arguments.bicep
