/**
 * The resolution trace: how a value came from where it is written to the image that uses it.
 * Both evaluators record the same steps at the same places: when an expression written inside a
 * declaration (a variable, a parameter's default or allowed values, a parameter file, a value
 * passed to a module or nested deployment) refers to another, and when a property or map entry is
 * read out of an object. The steps go on the values themselves (`ResolvedValue.via`), which the
 * readers already share between sites and candidates, so a trace costs nothing per site; a
 * declaration's step is made once and shared by every value that passes it. Arrays keep their
 * items' traces (see `withSteps`).
 *
 * `describeResolution` words a trace for the hover and the outputs:
 * "from parameter `ubuntuOSVersion` default, via variable `imageReference`".
 */
import type { DefinitionKind, ResolutionStep, ResolutionStepKind, ResolvedValue } from './model';
import type { Value } from './values';

/**
 * The most values (strings and objects) one addition of steps visits; past it the rest keep the
 * trace they had. A map of a hundred images is well within it.
 */
const maximumSteppedValues = 1_000;

export const noSteps: readonly ResolutionStep[] = [];

/** What declares the literals being evaluated: both evaluators' `Origin`. */
interface Declaration {
  kind: DefinitionKind;
  description: string;
}

/** One step per declaration, held only as long as the declaration's origin (that is, the read). */
const stepsByOrigin = new WeakMap<Declaration, readonly ResolutionStep[]>();

/**
 * The step (as a list of one) of the declaration an expression is written in, made once per
 * origin; none for the image's own text and other literals.
 */
export function declarationSteps(origin: Declaration): readonly ResolutionStep[] {
  if (origin.kind === 'literal') return noSteps;
  let found = stepsByOrigin.get(origin);
  if (!found) {
    found = [{ kind: origin.kind, description: origin.description }];
    stepsByOrigin.set(origin, found);
  }
  return found;
}

export function propertyStep(name: string): ResolutionStep {
  return { kind: 'property', description: `property '${name}'` };
}

/** The step of a map entry; the key of an object loaded from a file is never quoted. */
export function mapEntryStep(key: string, loaded: boolean): ResolutionStep {
  return { kind: 'map-entry', description: loaded ? 'an entry of a loaded value' : `entry '${key}'` };
}

/** The steps of a value with `added` after its own (outermost last). */
export function appendSteps(
  via: readonly ResolutionStep[] | undefined,
  added: readonly ResolutionStep[],
): readonly ResolutionStep[] {
  if (!via || via.length === 0) return added;
  // A step the value has just gone through is not gone through again: an expression inside an
  // object literal inside an expression of the same declaration (Bicep evaluates both parts).
  const last = via[via.length - 1];
  const first = added[0];
  const skip = first !== undefined && last.kind === first.kind && last.description === first.description ? 1 : 0;
  if (skip === added.length) return via;
  return [...via, ...added.slice(skip)];
}

/**
 * The values with `added` appended to the trace of every string in them, in objects too (not
 * in arrays). The walk is bounded (`StepBudget`): values share structure (a list that holds the one
 * before it twice, at every level), so past the budget the rest keep the trace they had, which
 * only leaves steps out, never adds a wrong one.
 */
export function withSteps<T extends Value>(
  values: readonly T[],
  added: readonly ResolutionStep[],
  budget: StepBudget = newStepBudget(),
): T[] {
  if (added.length === 0) return values as T[];
  return values.map((value) => stepped(value, added, budget) as T);
}

/** How many more values one addition of steps may visit, and what it made of those it visited. */
export interface StepBudget {
  remaining: number;
  /**
   * Values held in several places (objects that hold one another twice) are stepped once; made
   * when the first object is stepped (most additions step one string).
   */
  done?: Map<Value, Value>;
}

export function newStepBudget(): StepBudget {
  return { remaining: maximumSteppedValues };
}

function stepped(value: Value, added: readonly ResolutionStep[], budget: StepBudget): Value {
  if (value.kind !== 'string' && value.kind !== 'object') {
    // Arrays keep their items' traces: lists are where templates double values (a list that
    // holds the one before it twice), and an image is an object, read out of a list by an index
    // that starts its trace again.
    return value;
  }
  const already = budget.done?.get(value);
  if (already) return already;
  if (--budget.remaining < 0) return value;
  if (value.kind === 'string') {
    const result: Value = { ...value, via: appendSteps(value.via, added) };
    budget.done?.set(value, result);
    return result;
  }
  const done = (budget.done ??= new Map());
  const properties = new Map<string, Value>();
  for (const [key, item] of value.properties) properties.set(key, stepped(item, added, budget));
  const result: Value = { ...value, properties };
  done.set(value, result);
  return result;
}

/** The phrase of a step or definition: "parameter `os` default", "variable `images`". */
export function phraseOf(kind: DefinitionKind | ResolutionStepKind, description: string): string {
  const named = description.replace(/'([^']*)'/g, (_, name: string) => code(name));
  switch (kind) {
    case 'literal':
      return 'the image itself';
    case 'parameter-default':
      return `${named} default`;
    case 'allowed-value':
      return `${named} allowed value`;
    default:
      return named;
  }
}

/**
 * How a value was resolved, as a phrase: where it is written, then each step from there to the
 * image. A step that only names the declaration the value is written in again is left out.
 */
export function describeResolution(value: ResolvedValue): string {
  const definition = value.definition;
  const inside = writtenInsideModule(value);
  const from = definition
    ? `from ${phraseOf(definition.kind, definition.description)}`
    : inside
      ? `written inside ${phraseOf(inside.kind, inside.description)}`
      : value.loadedFrom !== undefined
        ? 'loaded from a file'
        : 'computed by an expression';
  const steps = inside ? value.via!.slice(1) : (value.via ?? []);
  const via = steps.map((step) => `via ${phraseOf(step.kind, step.description)}`);
  return [from, ...via].join(', ');
}

/** The registry module a value is written inside, when no file here holds its text. */
export function writtenInsideModule(value: ResolvedValue): ResolutionStep | undefined {
  const first = value.via?.[0];
  return value.definition === undefined && first?.kind === 'registry-module' ? first : undefined;
}

/** The steps of a value as plain data for JSON outputs, innermost first. */
export function traceOf(value: ResolvedValue): { kind: DefinitionKind | ResolutionStepKind | 'computed'; description: string }[] {
  const definition = value.definition;
  // A value written inside a registry module starts at that module (its first step).
  const first = definition
    ? [{ kind: definition.kind, description: definition.description }]
    : writtenInsideModule(value)
      ? []
      : [{ kind: 'computed' as const, description: value.loadedFrom !== undefined ? 'a loaded value' : 'an expression' }];
  return [...first, ...(value.via ?? []).map((step) => ({ kind: step.kind, description: step.description }))];
}

function code(text: string): string {
  const clean = text.replace(/[\r\n]+/g, ' ').replace(/\|/g, '\\|');
  return clean.includes('`') ? `\`\` ${clean} \`\`` : `\`${clean}\``;
}
