/**
 * Both readers read an image written the same way on many resources once, and give every other
 * copy the result with the definitions of the original's literals moved to the copy's own text.
 * A `DefinitionMover` does that move: the definitions that lie in `[start, end)` of `file` move by
 * `shift`, for values and for the definitions of shared candidates (`sharedCandidates.ts`). The
 * ARM reader also moves the sites it keeps while the user types (`keptSites.ts`) through the steps
 * of several edits in turn.
 */
import type { SourceLocation } from './model';
import type { Value } from './values';

/** Positions in `[start, end)` move by `shift`. */
export interface MoveStep {
  start: number;
  end: number;
  shift: number;
}

/**
 * Copies values, moving the definitions that lie in `[start, end)` of `file` by `shift`: the
 * same literals in another copy of the same text. Values with nothing to move are shared.
 */
export class DefinitionMover {
  private readonly steps: readonly MoveStep[];

  constructor(file: string, start: number, end: number, shift: number);
  /** Moves through `steps` in turn: a definition the first moves into the second's range moves again. */
  constructor(file: string, steps: readonly MoveStep[]);
  constructor(
    /** The file whose definitions move. */
    readonly file: string,
    startOrSteps: number | readonly MoveStep[],
    end = 0,
    shift = 0,
  ) {
    this.steps = typeof startOrSteps === 'number' ? [{ start: startOrSteps, end, shift }] : startOrSteps;
  }

  /** The values moved (a value with nothing to move is the same object). */
  moveAll(values: readonly Value[]): Value[] {
    return values.map((value) => this.move(value));
  }

  /** A location of the file moved (the same object when it stays). */
  moved(location: SourceLocation): SourceLocation {
    if (location.file !== this.file) return location;
    const shift = this.shiftAt(location.range.start);
    if (shift === 0) return location;
    return { file: location.file, range: { start: location.range.start + shift, end: location.range.end + shift } };
  }

  /** True when `other` moves the same definitions the same way. */
  equals(other: DefinitionMover | undefined): boolean {
    if (other === this) return true;
    if (!other || other.file !== this.file || other.steps.length !== this.steps.length) return false;
    return this.steps.every((step, index) => {
      const theirs = other.steps[index];
      return step.start === theirs.start && step.end === theirs.end && step.shift === theirs.shift;
    });
  }

  /** How far a definition that starts at `position` of the file moves (0: it stays). */
  shiftAt(position: number): number {
    let moved = position;
    for (const step of this.steps) if (moved >= step.start && moved < step.end) moved += step.shift;
    return moved - position;
  }

  move(value: Value): Value {
    switch (value.kind) {
      case 'string': {
        const definition = value.definition;
        if (!definition) return value;
        const location = this.moved(definition.location);
        const list = definition.allowedList;
        const listLocation = list && this.moved(list.location);
        if (location === definition.location && listLocation === list?.location) return value;
        const copy = { ...definition, location };
        if (list && listLocation !== list.location) copy.allowedList = { ...list, location: listLocation! };
        // What else the value carries (conditions, a parameter's choice) stays with it.
        return { ...value, definition: copy };
      }
      case 'object': {
        let properties: Map<string, Value> | undefined;
        for (const [name, item] of value.properties) {
          const moved = this.move(item);
          if (moved !== item && !properties) {
            properties = new Map();
            for (const [earlierName, earlier] of value.properties) {
              if (earlierName === name) break;
              properties.set(earlierName, earlier);
            }
          }
          properties?.set(name, moved);
        }
        if (!properties) return value;
        return value.when ? { kind: 'object', properties, when: value.when } : { kind: 'object', properties };
      }
      case 'array': {
        const items = value.items.map((item) => this.move(item));
        return items.some((item, index) => item !== value.items[index]) ? { kind: 'array', items } : value;
      }
      default:
        return value;
    }
  }
}
