/**
 * Where a Bicep linked deployment leads: a `Microsoft.Resources/deployments` resource whose
 * `properties.templateLink` names a template. Bicep compiles to ARM, so what a link means (which
 * addresses are files of the repository, what an artifacts location stands for, why any other
 * link is not followed) is the ARM reader's, in `arm/linkedTemplates.ts`; this file only reads the
 * address in Bicep syntax into the link text those functions work on: string literals and
 * interpolations, `uri()`, `concat()` and `format()`, variables, an artifacts location parameter
 * and `deployment().properties.templateLink.uri`. Anything else is evaluated as usual.
 */
import {
  assumedArtifactsLocationText,
  callLinkFunction,
  holdsArtifactsLocation,
  isArtifactsLocationName,
  isSasTokenName,
  linkTextsOf,
  templateLinkUriText,
  type LinkFunction,
  type LinkTarget,
} from '../arm/linkedTemplates';
import { literalOrigin, noLocals, type Evaluator, type Locals } from './bicepEvaluator';
import { expandDeferred } from './parser';
import type { Expression, ObjectExpression } from './syntax';

/** Variables that build a link from each other deeper than this are not followed (as in ARM). */
const maximumLinkEvaluationDepth = 32;

/**
 * What a `templateLink` (or `parametersLink`) object literal names, in the order Azure reads its
 * properties; undefined when it names nothing. `link` must be an object literal.
 */
export function bicepLinkTarget(link: ObjectExpression, evaluator: Evaluator, locals: Locals): LinkTarget | undefined {
  for (const property of ['relativePath', 'uri', 'id'] as const) {
    const value = propertyValue(link, property);
    if (value) return { property, texts: bicepLinkTexts(value, evaluator, locals, 0) };
  }
  return undefined;
}

/** An object literal behind parentheses, a deferred parse or a variable; undefined for anything else. */
export function objectLiteralOf(expression: Expression, evaluator: Evaluator, depth = 0): ObjectExpression | undefined {
  if (depth > maximumLinkEvaluationDepth) return undefined;
  switch (expression.kind) {
    case 'object':
      return expression;
    case 'deferred':
      return objectLiteralOf(expandDeferred(expression), evaluator, depth + 1);
    case 'parenthesized':
      return objectLiteralOf(expression.expression, evaluator, depth + 1);
    case 'variableAccess': {
      const variable = evaluator.scope.variables.get(expression.name.name);
      return variable ? objectLiteralOf(variable.value, evaluator, depth + 1) : undefined;
    }
    default:
      return undefined;
  }
}

/** The value of a property of an object literal (names ignore case; the last one wins). */
export function propertyValue(object: ObjectExpression, name: string): Expression | undefined {
  const lower = name.toLowerCase();
  let found: Expression | undefined;
  for (const member of object.members) {
    if (member.kind === 'property' && member.name?.toLowerCase() === lower) found = member.value;
  }
  return found;
}

/** The alternatives of an expression as link text; undefined stands for unknown. */
export function bicepLinkTexts(
  expression: Expression,
  evaluator: Evaluator,
  locals: Locals,
  depth: number,
): (string | undefined)[] {
  if (depth > maximumLinkEvaluationDepth) return [undefined];
  switch (expression.kind) {
    case 'deferred':
      return bicepLinkTexts(expandDeferred(expression), evaluator, locals, depth + 1);
    case 'parenthesized':
      return bicepLinkTexts(expression.expression, evaluator, locals, depth + 1);
    case 'string':
      return [expression.value];
    case 'interpolatedString': {
      // An interpolation is a `concat` of its text and its parts (without empty text, which would
      // put an artifacts location second, where `concat` cannot take it).
      const args: (string | undefined)[][] = [];
      const addText = (text: string) => text !== '' && args.push([text]);
      addText(expression.segments[0]);
      expression.expressions.forEach((part, index) => {
        args.push(bicepLinkTexts(part, evaluator, locals, depth + 1));
        addText(expression.segments[index + 1]);
      });
      return args.length === 0 ? [''] : callLinkFunction('concat', args);
    }
    case 'call': {
      const name = expression.name.name.toLowerCase();
      if (isSystemCall(expression.base) && (name === 'concat' || name === 'uri' || name === 'format')) {
        return callLinkFunction(
          name as LinkFunction,
          expression.arguments.map((argument) => bicepLinkTexts(argument, evaluator, locals, depth + 1)),
        );
      }
      break;
    }
    case 'propertyAccess':
      if (isTemplateLinkUri(expression)) return [templateLinkUriText(evaluator.scope.file)];
      break;
    case 'variableAccess': {
      const name = expression.name.name;
      if (locals.has(name)) break;
      if (evaluator.scope.parameters.has(name)) return parameterLinkTexts(name, evaluator, depth);
      const variable = evaluator.scope.variables.get(name);
      if (variable) return bicepLinkTexts(variable.value, evaluator, noLocals, depth + 1);
      break;
    }
  }
  return linkTextsOf(evaluator.evaluate(expression, literalOrigin, locals));
}

/** A parameter's value as link text: an artifacts location is its template's folder (as in ARM). */
function parameterLinkTexts(name: string, evaluator: Evaluator, depth: number): (string | undefined)[] {
  // A SAS token is the query of the address, whatever its value: what follows '?' is not a path.
  if (isSasTokenName(name)) return ['?'];
  const declaration = evaluator.scope.parameters.get(name);
  if (declaration && !evaluator.scope.inputs?.has(name)) {
    const defaultValue = declaration.value;
    if (defaultValue) {
      const texts = bicepLinkTexts(defaultValue, evaluator, noLocals, depth + 1);
      if (texts.some(holdsArtifactsLocation)) return texts;
    }
    if (isArtifactsLocationName(name)) {
      const written = defaultValue?.kind === 'string' ? defaultValue.value : undefined;
      return [assumedArtifactsLocationText(evaluator.scope.file, written)];
    }
  }
  return linkTextsOf(evaluator.parameterValues(name));
}

/** A call of a function of Bicep's own namespace: `uri(...)` or `sys.uri(...)`. */
function isSystemCall(base: Expression | undefined): boolean {
  return base === undefined || (base.kind === 'variableAccess' && base.name.name === 'sys');
}

/** `deployment().properties.templateLink.uri` (or `az.deployment()`), any case. */
function isTemplateLinkUri(expression: Expression): boolean {
  const names: string[] = [];
  let current = expression;
  while (current.kind === 'propertyAccess') {
    names.unshift(current.property.name.toLowerCase());
    current = current.base;
  }
  return (
    current.kind === 'call' &&
    current.name.name.toLowerCase() === 'deployment' &&
    current.arguments.length === 0 &&
    (current.base === undefined || (current.base.kind === 'variableAccess' && current.base.name.name === 'az')) &&
    names.join('.') === 'properties.templatelink.uri'
  );
}
