/**
 * The ARM side of the template functions: the logical functions that decide which side of a
 * condition is deployed (`if`, `equals`, `not`, `and`, `or`, `true`, `false`, `null`), the arithmetic
 * Bicep writes as operators (`add`, `sub`, `mul`, `div`, `mod`), and, for every
 * other name, the function library both readers share (`core/functions/templateFunctions.ts`),
 * given access to the evaluator's lazy values. Any function in neither is unknown.
 */
import { callTemplateFunction, type Lambda, type ValueAccess } from '../functions/templateFunctions';
import { mapProduct, unknownValue, valueToText } from '../values';
import type { Abstract } from './abstractValue';

type ArmFunction = (args: Abstract[][]) => Abstract[];

const unknown: Abstract[] = [unknownValue];

export function callArmFunction(
  name: string,
  args: Abstract[][],
  access: ValueAccess<Abstract>,
  lambdas?: readonly (Lambda<Abstract> | undefined)[],
): Abstract[] {
  const implementation = armFunctions[name];
  if (implementation) return implementation(args);
  return callTemplateFunction(name, args, access, lambdas) ?? unknown;
}

const armFunctions: Record<string, ArmFunction> = {
  // `if` is not here: the evaluator reads it (`conditionalValues`), so that each branch says when it is taken.
  equals: (args) => compare(args, (left, right) => left === right),
  not: ([values]) =>
    (values ?? unknown).map((value): Abstract => {
      const truth = truthOf(value);
      return truth === undefined ? unknownValue : { kind: 'boolean', value: !truth };
    }),
  and: (args) => combineTruths(args, 'and'),
  or: (args) => combineTruths(args, 'or'),
  true: () => [{ kind: 'boolean', value: true }],
  false: () => [{ kind: 'boolean', value: false }],
  null: () => [{ kind: 'null' }],
  // Bicep writes these as operators (`a - b`), which its evaluator computes the same way.
  add: (args) => arithmetic(args, (a, b) => a + b),
  sub: (args) => arithmetic(args, (a, b) => a - b),
  mul: (args) => arithmetic(args, (a, b) => a * b),
  div: (args) => arithmetic(args, (a, b) => (b === 0 ? undefined : Math.trunc(a / b))),
  mod: (args) => arithmetic(args, (a, b) => (b === 0 ? undefined : a % b)),
};

/** Integer arithmetic on two numbers; undefined (a division by zero) is unknown. */
function arithmetic(args: Abstract[][], compute: (left: number, right: number) => number | undefined): Abstract[] {
  if (args.length !== 2) return unknown;
  return mapProduct(
    args,
    ([left, right]): Abstract => {
      if (left.kind !== 'number' || right.kind !== 'number') return unknownValue;
      const result = compute(left.value, right.value);
      return result === undefined ? unknownValue : { kind: 'number', value: result };
    },
    unknownValue,
  );
}

/** What a condition is: true, false, or undefined when it is not known (as `if()` reads it). */
export function truthOf(value: Abstract): boolean | undefined {
  if (value.kind === 'boolean') return value.value;
  if (value.kind === 'string') {
    const lower = value.value.toLowerCase();
    if (lower === 'true') return true;
    if (lower === 'false') return false;
  }
  return undefined;
}

function compare(args: Abstract[][], test: (left: string, right: string) => boolean): Abstract[] {
  if (args.length !== 2) return unknown;
  return mapProduct(
    args,
    ([left, right]): Abstract => {
      if (left.kind === 'node' || left.kind === 'list' || right.kind === 'node' || right.kind === 'list') return unknownValue;
      if (left.kind === 'unknown' || right.kind === 'unknown') return unknownValue;
      const leftText = valueToText(left);
      const rightText = valueToText(right);
      if (leftText === undefined || rightText === undefined) return unknownValue;
      const sameKind = left.kind === right.kind;
      return { kind: 'boolean', value: sameKind && test(leftText, rightText) };
    },
    unknownValue,
  );
}

function combineTruths(args: Abstract[][], operator: 'and' | 'or'): Abstract[] {
  if (args.length === 0) return unknown;
  // One known deciding value settles the result even when the others are unknown.
  const deciding = operator === 'or';
  return mapProduct(
    args,
    (combination): Abstract => {
      const truths = combination.map(truthOf);
      if (truths.includes(deciding)) return { kind: 'boolean', value: deciding };
      if (truths.includes(undefined)) return unknownValue;
      return { kind: 'boolean', value: !deciding };
    },
    unknownValue,
  );
}
